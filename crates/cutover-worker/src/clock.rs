//! The worker's clock: what time it is, and waiting until a given time.
//!
//! Phase windows make `run` depend on the time of day. The worker never asks the system for
//! the time itself; it takes a [`Clock`], so that the binary can pass the real one and tests
//! a [`SimulatedClock`] that starts wherever they want and skips waits instantly. (The times
//! the ledger stamps on its events are the real ones either way.)

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// The future a [`Clock`] returns while it waits.
pub type Wait<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Where the worker gets the current time from, and how it waits for a later one.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Resolves once the clock has reached `at` (at once when it is past).
    fn sleep_until(&self, at: DateTime<Utc>) -> Wait<'_>;
}

/// The longest single sleep of the system clock: the wall clock is read again after it, so
/// that a machine that was suspended or had its clock set does not oversleep a window.
const LONGEST_NAP: Duration = Duration::from_secs(60);

/// The system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Wait<'_> {
        Box::pin(async move {
            // A negative delta does not convert: the time has come.
            while let Ok(left) = (at - Utc::now()).to_std() {
                if left.is_zero() {
                    return;
                }
                tokio::time::sleep(left.min(LONGEST_NAP)).await;
            }
        })
    }
}

/// A clock for rehearsals and tests: it starts at a chosen time, moves on by a fixed step
/// each time it is read, and reaches any time it is asked to wait for at once.
#[derive(Debug)]
pub struct SimulatedClock {
    now: Mutex<DateTime<Utc>>,
    step: TimeDelta,
}

impl SimulatedClock {
    /// A clock that reads `start` first and `step` later at every following reading.
    pub fn new(start: DateTime<Utc>, step: TimeDelta) -> SimulatedClock {
        SimulatedClock {
            now: Mutex::new(start),
            step,
        }
    }
}

impl Clock for SimulatedClock {
    fn now(&self) -> DateTime<Utc> {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        let read = *now;
        *now = read.checked_add_signed(self.step).unwrap_or(read);
        read
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Wait<'_> {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if at > *now {
            *now = at;
        }
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[tokio::test]
    async fn a_simulated_clock_steps_at_each_reading_and_jumps_to_what_it_waits_for() {
        let clock = SimulatedClock::new(at("2026-12-05T21:00:00Z"), TimeDelta::minutes(10));

        assert_eq!(clock.now(), at("2026-12-05T21:00:00Z"));
        assert_eq!(clock.now(), at("2026-12-05T21:10:00Z"));
        clock.sleep_until(at("2026-12-06T21:00:00Z")).await;
        assert_eq!(clock.now(), at("2026-12-06T21:00:00Z"));
        // Waiting for a time already past leaves the clock where it is.
        clock.sleep_until(at("2026-12-01T00:00:00Z")).await;
        assert_eq!(clock.now(), at("2026-12-06T21:10:00Z"));
    }

    #[tokio::test]
    async fn the_system_clock_returns_at_once_for_a_time_past() {
        let past = Utc::now() - TimeDelta::hours(1);
        tokio::time::timeout(Duration::from_secs(5), SystemClock.sleep_until(past))
            .await
            .expect("no wait for a time past");
    }
}
