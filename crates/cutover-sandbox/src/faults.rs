//! Injected faults: the failures a test asks the next requests of a route to suffer.
//!
//! A test queues a fault for a route key (the same keys `stats` counts under) and the next
//! `times` requests on that route fail in its mode. Faults queued for one route are used up in
//! the order they were queued, so "two 429s, then one 500" is two injections.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use serde::Deserialize;

/// How a faulty request fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FaultMode {
    /// Answer 429 with `Retry-After` and `x-ratelimit-reset`, without doing the work.
    #[serde(rename = "status_429")]
    Status429,
    /// Answer 500 without doing the work.
    #[serde(rename = "status_500")]
    Status500,
    /// Answer 503 without doing the work.
    #[serde(rename = "status_503")]
    Status503,
    /// Do the work and commit it, then answer 500: a response lost after the effect.
    #[serde(rename = "commit_then_500")]
    CommitThen500,
    /// Do the work and commit it, then answer nothing until the sandbox shuts down.
    CommitThenHang,
    /// Answer nothing until the sandbox shuts down, and do nothing.
    Hang,
    /// Answer normally after a delay.
    DelayMs,
}

/// The body of `POST /__sandbox/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultRequest {
    /// The route key, e.g. `PATCH /admin/identities`.
    pub route: String,
    /// How the requests fail.
    pub mode: FaultMode,
    /// How many of the next requests fail.
    #[serde(default = "one")]
    pub times: u32,
    /// What a 429 asks the client to wait, in seconds.
    #[serde(default = "one")]
    pub retry_after_secs: u32,
    /// How long a `delay_ms` fault holds the request back, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
}

fn one() -> u32 {
    1
}

/// One fault taken for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fault {
    /// How the request fails.
    pub mode: FaultMode,
    /// What a 429 asks the client to wait, in seconds.
    pub retry_after_secs: u32,
    /// How long a delay lasts, in milliseconds.
    pub delay_ms: u64,
}

/// A queued fault with the number of requests it still applies to.
#[derive(Debug)]
struct Pending {
    fault: Fault,
    remaining: u32,
}

/// The queued faults by route key.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queued: Mutex<BTreeMap<String, VecDeque<Pending>>>,
}

impl Faults {
    /// Queues a fault for the next `request.times` requests on `request.route`.
    pub(crate) fn inject(&self, request: FaultRequest) {
        if request.times == 0 {
            return;
        }
        let fault = Fault {
            mode: request.mode,
            retry_after_secs: request.retry_after_secs,
            delay_ms: request.delay_ms,
        };

        let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        let pending = Pending {
            fault,
            remaining: request.times,
        };
        queued.entry(request.route).or_default().push_back(pending);
    }

    /// Takes the fault the next request on `route` suffers, if any.
    pub(crate) fn take(&self, route: &str) -> Option<Fault> {
        let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = queued.get_mut(route)?;

        let front = queue.front_mut()?;
        let fault = front.fault;
        front.remaining -= 1;
        if front.remaining == 0 {
            queue.pop_front();
        }
        if queue.is_empty() {
            queued.remove(route);
        }
        Some(fault)
    }

    /// Forgets every queued fault.
    pub(crate) fn clear(&self) {
        self.queued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(route: &str, mode: FaultMode, times: u32) -> FaultRequest {
        FaultRequest {
            route: route.into(),
            mode,
            times,
            retry_after_secs: 1,
            delay_ms: 0,
        }
    }

    #[test]
    fn faults_are_used_up_in_the_order_they_were_queued() {
        let faults = Faults::default();
        faults.inject(request("PATCH /admin/identities", FaultMode::Status429, 2));
        faults.inject(request("PATCH /admin/identities", FaultMode::Status500, 1));

        let modes: Vec<_> =
            std::iter::from_fn(|| faults.take("PATCH /admin/identities").map(|f| f.mode)).collect();

        assert_eq!(
            modes,
            vec![
                FaultMode::Status429,
                FaultMode::Status429,
                FaultMode::Status500
            ]
        );
    }

    #[test]
    fn faults_apply_to_their_route_only_and_can_be_cleared() {
        let faults = Faults::default();
        faults.inject(request("POST /admin/identities", FaultMode::Hang, 3));

        assert!(faults.take("PATCH /admin/identities").is_none());
        assert!(faults.take("POST /admin/identities").is_some());
        faults.clear();
        assert!(faults.take("POST /admin/identities").is_none());
    }
}
