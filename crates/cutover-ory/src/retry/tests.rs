use std::time::Duration;

use chrono::{TimeZone, Utc};
use reqwest::header::{HeaderMap, HeaderValue};
use uuid::Uuid;

use super::*;
use crate::error::Operation;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap()
}

fn failure(error: OryError, retry_after: Option<Duration>) -> Failure {
    Failure { error, retry_after }
}

fn api(operation: Operation, status: u16) -> OryError {
    OryError::Api {
        operation,
        status,
        error: Box::default(),
    }
}

#[test]
fn retry_after_in_seconds_is_read() {
    let wait = server_wait(&headers(&[("retry-after", "7")]), now());

    assert_eq!(wait, Some(Duration::from_secs(7)));
}

#[test]
fn retry_after_as_http_date_is_the_time_until_then() {
    let wait = server_wait(
        &headers(&[("retry-after", "Wed, 01 Jul 2026 12:00:42 GMT")]),
        now(),
    );

    assert_eq!(wait, Some(Duration::from_secs(42)));
}

#[test]
fn retry_after_in_the_past_means_no_wait() {
    let wait = server_wait(
        &headers(&[("retry-after", "Wed, 01 Jul 2026 11:00:00 GMT")]),
        now(),
    );

    assert_eq!(wait, Some(Duration::ZERO));
}

#[test]
fn ratelimit_reset_is_used_without_retry_after() {
    let wait = server_wait(&headers(&[("x-ratelimit-reset", "12")]), now());

    assert_eq!(wait, Some(Duration::from_secs(12)));
}

#[test]
fn retry_after_wins_over_ratelimit_reset() {
    let both = headers(&[("retry-after", "3"), ("x-ratelimit-reset", "12")]);

    assert_eq!(server_wait(&both, now()), Some(Duration::from_secs(3)));
}

#[test]
fn ratelimit_reset_as_unix_time_is_the_time_until_then() {
    let at = now().timestamp() + 5;
    let wait = server_wait(&headers(&[("x-ratelimit-reset", &at.to_string())]), now());

    assert_eq!(wait, Some(Duration::from_secs(5)));
}

#[test]
fn unreadable_wait_headers_are_ignored() {
    let wait = server_wait(&headers(&[("retry-after", "soon")]), now());

    assert_eq!(wait, None);
}

#[test]
fn a_wait_asked_by_kratos_replaces_the_backoff() {
    let limited = OryError::RateLimited {
        operation: Operation::Create,
        retry_after: Some(Duration::from_secs(4)),
    };
    let f = failure(limited, Some(Duration::from_secs(4)));

    let wait = next_wait(
        &f,
        Some(Duration::from_millis(100)),
        Duration::from_millis(50),
    );

    assert_eq!(wait, Some(Duration::from_secs(4)));
}

#[test]
fn a_zero_wait_asked_by_kratos_is_raised_to_the_floor() {
    let f = failure(api(Operation::ListPage, 503), Some(Duration::ZERO));

    let wait = next_wait(&f, Some(Duration::from_secs(2)), Duration::from_millis(50));

    assert_eq!(wait, Some(Duration::from_millis(50)));
}

#[test]
fn a_wait_longer_than_the_limit_stops_retrying() {
    let f = failure(api(Operation::ListPage, 503), Some(MAX_SERVER_WAIT * 2));

    assert_eq!(
        next_wait(&f, Some(Duration::from_secs(1)), Duration::ZERO),
        None
    );
}

#[test]
fn used_up_retries_stop_even_when_kratos_names_a_wait() {
    let f = failure(api(Operation::ListPage, 503), Some(Duration::from_secs(1)));

    assert_eq!(next_wait(&f, None, Duration::ZERO), None);
}

#[test]
fn computed_backoff_is_capped_at_thirty_seconds() {
    let f = failure(api(Operation::ListPage, 500), None);

    let wait = next_wait(&f, Some(Duration::from_secs(50)), Duration::ZERO);

    assert_eq!(wait, Some(BACKOFF_CAP));
}

#[test]
fn reads_are_retried_on_server_errors_but_writes_are_not() {
    let id = Uuid::nil();

    assert!(should_retry(&failure(
        api(Operation::Get { id }, 502),
        None
    )));
    assert!(!should_retry(&failure(
        api(Operation::Delete { id }, 502),
        None
    )));
    assert!(!should_retry(&failure(
        api(Operation::BatchCreate { count: 3 }, 500),
        None
    )));
}

#[test]
fn client_errors_are_never_retried() {
    assert!(!should_retry(&failure(api(Operation::ListPage, 400), None)));
    assert!(!should_retry(&failure(api(Operation::Create, 409), None)));
}

#[test]
fn writes_are_retried_when_rate_limited() {
    let limited = OryError::RateLimited {
        operation: Operation::BatchCreate { count: 10 },
        retry_after: None,
    };

    assert!(should_retry(&failure(limited, None)));
}
