//! When and how long to wait before sending a failed request again.
//!
//! Reads are retried on every transient error. Writes are retried only when Kratos cannot have
//! processed them: a 429 (refused at the door) or a failed connect (never sent). Any other
//! failure of a write goes back to the caller, who must find out what Kratos kept before
//! resending, because resending blindly could create an identity twice.
//!
//! Waits grow exponentially with jitter between the configured bounds, capped at 30 s, unless
//! Kratos says how long to wait (`Retry-After`, else `x-ratelimit-reset`, on 429 and 503).

use std::time::Duration;

use backon::ExponentialBuilder;
use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::OryError;

/// The longest computed backoff between two attempts.
pub(crate) const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// The longest wait asked by Kratos that the client sits through; longer ones end the retries.
pub(crate) const MAX_SERVER_WAIT: Duration = Duration::from_secs(300);

/// Above this, `x-ratelimit-reset` is read as a Unix time rather than a number of seconds.
const UNIX_TIME_THRESHOLD: u64 = 1_000_000_000;

/// A failed attempt, with the wait Kratos asked for.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: OryError,
    pub(crate) retry_after: Option<Duration>,
}

/// The backoff between attempts: exponential with jitter, within the configured bounds.
pub(crate) fn backoff(min: Duration, max: Duration, max_retries: u32) -> ExponentialBuilder {
    let max = max.min(BACKOFF_CAP);
    let min = min.min(max);

    ExponentialBuilder::new()
        .with_min_delay(min)
        .with_max_delay(max)
        .with_jitter()
        .with_max_times(usize::try_from(max_retries).unwrap_or(usize::MAX))
}

/// Whether the failed attempt may be sent again without asking the caller.
pub(crate) fn should_retry(failure: &Failure) -> bool {
    let error = &failure.error;

    if error.operation().is_some_and(|op| op.is_write()) {
        matches!(
            error,
            OryError::RateLimited { .. }
                | OryError::Transport {
                    request_sent: false,
                    ..
                }
        )
    } else {
        error.is_transient()
    }
}

/// The wait before the next attempt, or `None` to stop retrying.
///
/// `backoff` is the backoff's own proposal, `None` once the retries are used up. A wait asked
/// for by Kratos replaces it (but never goes below `floor`, so a `0` does not cause a burst).
pub(crate) fn next_wait(
    failure: &Failure,
    backoff: Option<Duration>,
    floor: Duration,
) -> Option<Duration> {
    let backoff = backoff?;

    match failure.retry_after {
        Some(asked) if asked > MAX_SERVER_WAIT => None,
        Some(asked) => Some(asked.max(floor)),
        None => Some(backoff.min(BACKOFF_CAP)),
    }
}

/// The wait Kratos asks for: `Retry-After` (seconds or an HTTP date), else `x-ratelimit-reset`.
pub(crate) fn server_wait(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name| headers.get(name).and_then(|value| value.to_str().ok());

    let retry_after = header(RETRY_AFTER.as_str())
        .and_then(|value| parse_seconds(value).or_else(|| parse_http_date(value, now)));

    retry_after.or_else(|| header("x-ratelimit-reset").and_then(|v| parse_reset(v, now)))
}

fn parse_seconds(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn parse_http_date(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let at = DateTime::parse_from_rfc2822(value.trim()).ok()?;

    // A date in the past means "now"; the floor in `next_wait` still applies.
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

// Ory documents seconds until the reset; some gateways send a Unix time instead.
fn parse_reset(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let seconds = value.trim().parse::<u64>().ok()?;

    if seconds < UNIX_TIME_THRESHOLD {
        return Some(Duration::from_secs(seconds));
    }

    let at = DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests;
