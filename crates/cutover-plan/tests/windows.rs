//! Phase windows asked about fixed instants: openings, lengths, merged openings, time zones
//! and the two daylight saving changes of Europe/Berlin in 2024 (31 March and 27 October, both
//! at 01:00 UTC).

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use cutover_plan::{Window, WindowError};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn window(cron: &str, minutes: u64, zone: Tz) -> Window {
    Window::new(cron, minutes, zone).unwrap_or_else(|e| panic!("{cron}: {e}"))
}

#[test]
fn a_window_is_open_from_each_fire_time_for_its_length() {
    // 2024-06-07 is a Friday.
    let w = window("0 0 9 * * Mon-Fri", 60, Tz::UTC);

    assert!(!w.is_open(at("2024-06-07T08:59:59.999Z")));
    assert!(w.is_open(at("2024-06-07T09:00:00Z")));
    assert!(w.is_open(at("2024-06-07T09:59:59.999Z")));
    assert!(!w.is_open(at("2024-06-07T10:00:00Z")));
    assert!(!w.is_open(at("2024-06-08T09:30:00Z")), "a Saturday");

    assert_eq!(
        w.closes_at(at("2024-06-07T09:30:00Z")),
        Some(at("2024-06-07T10:00:00Z"))
    );
    assert_eq!(w.closes_at(at("2024-06-07T10:00:00Z")), None);
    let now = at("2024-06-07T09:30:00.5Z");
    assert_eq!(w.opens_at(now), now, "open now");
    assert_eq!(
        w.opens_at(at("2024-06-07T10:00:00Z")),
        at("2024-06-10T09:00:00Z")
    );
    assert_eq!(
        w.opens_at(at("2024-06-07T08:00:00Z")),
        at("2024-06-07T09:00:00Z")
    );
}

#[test]
fn a_berlin_evening_window_follows_the_local_clock_across_both_changes() {
    let berlin: Tz = "Europe/Berlin".parse().expect("a zone");
    let w = window("0 0 22 * * *", 120, berlin);

    // Winter time, UTC+1: 22:00 is 21:00 UTC.
    assert!(w.is_open(at("2024-03-30T21:30:00Z")));
    assert!(!w.is_open(at("2024-03-30T20:30:00Z")));
    assert_eq!(
        w.closes_at(at("2024-03-30T21:30:00Z")),
        Some(at("2024-03-30T23:00:00Z"))
    );
    // Summer time from 31 March, UTC+2: 22:00 is 20:00 UTC.
    assert_eq!(
        w.opens_at(at("2024-03-31T12:00:00Z")),
        at("2024-03-31T20:00:00Z")
    );
    assert!(w.is_open(at("2024-03-31T20:30:00Z")));
    assert_eq!(
        w.closes_at(at("2024-03-31T20:30:00Z")),
        Some(at("2024-03-31T22:00:00Z"))
    );
    // And back to winter time on 27 October.
    assert_eq!(
        w.opens_at(at("2024-10-26T12:00:00Z")),
        at("2024-10-26T20:00:00Z")
    );
    assert_eq!(
        w.opens_at(at("2024-10-27T12:00:00Z")),
        at("2024-10-27T21:00:00Z")
    );
    assert!(!w.is_open(at("2024-10-27T20:30:00Z")));
}

#[test]
fn a_window_spanning_the_change_lasts_its_minutes_of_elapsed_time() {
    let berlin: Tz = "Europe/Berlin".parse().expect("a zone");
    let w = window("0 0 1 * * *", 180, berlin);

    // 01:00 CET is 00:00 UTC; three hours later the local clock shows 04:00 CEST.
    assert_eq!(
        w.opens_at(at("2024-03-30T23:30:00Z")),
        at("2024-03-31T00:00:00Z")
    );
    assert_eq!(
        w.closes_at(at("2024-03-31T00:30:00Z")),
        Some(at("2024-03-31T03:00:00Z"))
    );
    assert!(!w.is_open(at("2024-03-31T03:00:00Z")));
}

#[test]
fn a_local_time_the_clock_skips_opens_no_window_that_day() {
    let berlin: Tz = "Europe/Berlin".parse().expect("a zone");
    let w = window("0 30 2 * * *", 30, berlin);

    // 02:30 does not exist on 31 March; the next opening is 02:30 CEST on 1 April.
    assert_eq!(
        w.opens_at(at("2024-03-30T02:00:00Z")),
        at("2024-04-01T00:30:00Z")
    );
}

#[test]
fn a_local_time_the_clock_repeats_opens_the_window_twice_in_time_order() {
    let berlin: Tz = "Europe/Berlin".parse().expect("a zone");
    let w = window("0 15,45 2 * * *", 10, berlin);

    // On 27 October 02:15 and 02:45 happen in summer time (00:15, 00:45 UTC) and again in
    // winter time (01:15, 01:45 UTC).
    assert_eq!(
        w.opens_at(at("2024-10-27T00:00:00Z")),
        at("2024-10-27T00:15:00Z")
    );
    assert_eq!(
        w.opens_at(at("2024-10-27T00:30:00Z")),
        at("2024-10-27T00:45:00Z")
    );
    assert_eq!(
        w.opens_at(at("2024-10-27T00:56:00Z")),
        at("2024-10-27T01:15:00Z")
    );
    assert!(w.is_open(at("2024-10-27T01:20:00Z")));
    // Asked from inside the repeated hour, the answer is never earlier than the question.
    assert_eq!(
        w.opens_at(at("2024-10-27T01:30:00Z")),
        at("2024-10-27T01:45:00Z")
    );
    assert_eq!(
        w.opens_at(at("2024-10-27T01:56:00Z")),
        at("2024-10-28T01:15:00Z")
    );
}

#[test]
fn overlapping_openings_close_together() {
    let w = window("0 0 9,10 * * *", 90, Tz::UTC);
    assert_eq!(
        w.closes_at(at("2024-06-07T09:15:00Z")),
        Some(at("2024-06-07T11:30:00Z"))
    );

    let always = window("0 0 * * * *", 90, Tz::UTC);
    let now = at("2024-06-07T09:15:00Z");
    assert!(always.is_open(now));
    let closes = always.closes_at(now).expect("open");
    assert!(closes > at("2025-01-01T00:00:00Z"), "{closes}");
}

#[test]
fn a_year_field_limits_the_openings() {
    let future = window("0 0 9 1 1 * 2030", 60, Tz::UTC);
    assert_eq!(
        future.opens_at(at("2024-06-07T00:00:00Z")),
        at("2030-01-01T09:00:00Z")
    );

    let past = window("0 0 9 1 1 * 2020", 60, Tz::UTC);
    assert_eq!(past.next_opening(at("2024-06-07T00:00:00Z")), None);
    assert_eq!(
        past.opens_at(at("2024-06-07T00:00:00Z")),
        DateTime::<Utc>::MAX_UTC
    );
    let then = Utc.with_ymd_and_hms(2020, 1, 1, 9, 30, 0).unwrap();
    assert!(past.is_open(then));
    assert_eq!(past.closes_at(then), Some(at("2020-01-01T10:00:00Z")));
}

#[test]
fn bad_expressions_and_lengths_are_refused() {
    let five = Window::new("0 22 * * *", 60, Tz::UTC).expect_err("five fields");
    assert!(
        matches!(five, WindowError::FieldCount { found: 5, .. }),
        "{five}"
    );
    assert!(five.to_string().contains("seconds first"), "{five}");

    let garbage = Window::new("0 0 25 * * *", 60, Tz::UTC).expect_err("hour 25");
    assert!(matches!(garbage, WindowError::Cron { .. }), "{garbage}");

    let never = Window::new("0 0 0 30 2 *", 60, Tz::UTC).expect_err("30 February");
    assert_eq!(never, WindowError::NeverFires("0 0 0 30 2 *".into()));

    for minutes in [0, 44_641] {
        let error = Window::new("@daily", minutes, Tz::UTC).expect_err("bad length");
        assert_eq!(error, WindowError::Minutes(minutes));
    }
    let daily = window("@daily", 44_640, Tz::UTC);
    assert_eq!(
        (daily.cron(), daily.minutes(), daily.time_zone()),
        ("@daily", 44_640, Tz::UTC)
    );
}
