//! The target calls of go-live and rollback: one identity at a time, paced by the plan's rate
//! limit and retried on transient failures.
//!
//! Unlike a batch create, a state change and a delete are idempotent (the same state set
//! twice, an identity deleted twice), so a call whose outcome is unknown (5xx, timeout) can
//! simply be sent again; the client leaves those retries to its caller.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use cutover_ledger::{EventKind, Ledger, NewEvent};
use cutover_ory::OryError;
use governor::DefaultDirectRateLimiter;

use crate::WorkerError;

/// How many times one call, batch or update is sent before the command stops (it can be
/// resumed).
const MAX_ATTEMPTS: usize = 5;

/// The waits between attempts at a target request: exponential with jitter from 200 ms to
/// 30 s, and none left after [`MAX_ATTEMPTS`] tries.
pub(crate) fn retry_delays() -> impl Iterator<Item = Duration> {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(200))
        .with_max_delay(Duration::from_secs(30))
        .with_jitter()
        .with_max_times(MAX_ATTEMPTS)
        .build()
}

/// Sends an idempotent call, waiting for the rate limiter before each attempt and retrying
/// transient failures with backoff.
pub(crate) async fn idempotent<T, F, Fut>(
    limiter: Option<&DefaultDirectRateLimiter>,
    mut call: F,
) -> Result<T, OryError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, OryError>>,
{
    let mut delays = retry_delays();
    loop {
        if let Some(limiter) = limiter {
            limiter.until_ready().await;
        }
        match call().await {
            Err(err) if err.is_transient() => match delays.next() {
                Some(delay) => {
                    tracing::warn!(error = %err, "target call failed, retrying");
                    tokio::time::sleep(pause(&err, delay)).await;
                }
                None => return Err(err),
            },
            result => return result,
        }
    }
}

/// The pause before trying a failed call again: the backoff's `delay`, or the wait the target
/// asked for when that is longer. The client sits through short waits itself; a longer one
/// reaches the worker as an error and must not be cut short by the backoff.
pub(crate) fn pause(error: &OryError, delay: Duration) -> Duration {
    error.retry_after().map_or(delay, |asked| asked.max(delay))
}

/// What every event of one segment's go-live or rollback shares: who acts, under which plan
/// file, on which phase and segment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    pub actor: &'a str,
    pub digest: &'a str,
    pub phase: &'a str,
    pub segment: &'a str,
}

impl<'a> Scope<'a> {
    /// An event of this scope.
    pub(crate) fn event(self, kind: EventKind, note: Option<&'a str>) -> NewEvent<'a> {
        NewEvent {
            phase: Some(self.phase),
            segment: Some(self.segment),
            note,
            ..NewEvent::new(kind, self.actor, self.digest)
        }
    }

    /// Records that the command stopped early, and why, so the trail shows the attempt.
    pub(crate) async fn record_interruption(
        self,
        ledger: &Ledger,
        run_id: &str,
        kind: EventKind,
        why: &str,
    ) -> Result<(), WorkerError> {
        ledger
            .record_event(run_id, &self.event(kind, Some(why)))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cutover_ory::Operation;

    fn rate_limited(asked: Option<u64>) -> OryError {
        OryError::RateLimited {
            operation: Operation::BatchCreate { count: 1 },
            retry_after: asked.map(Duration::from_secs),
        }
    }

    #[test]
    fn a_wait_the_target_asks_for_outlasts_a_shorter_backoff() {
        let backoff = Duration::from_secs(2);

        assert_eq!(pause(&rate_limited(Some(400)), backoff).as_secs(), 400);
        assert_eq!(pause(&rate_limited(Some(1)), backoff), backoff);
        assert_eq!(pause(&rate_limited(None), backoff), backoff);
    }
}
