//! Reading the timestamps of home-grown tables, which come in every shape.
//!
//! A CSV written by a database client holds `2021-03-04 05:06:07` (MySQL), `2021-03-04
//! 05:06:07.123+00` (PostgreSQL) or RFC 3339 from an application; JSON exports hold RFC 3339
//! or epoch numbers; SQL rows arrive typed and are written as RFC 3339 by the SQL reader.
//! Times without an offset are taken as UTC, which is what almost every application stores.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

/// Epoch numbers at or above this are milliseconds: as seconds they would be after the
/// year 5138, as milliseconds they are after 1973.
const MILLIS_FROM: i64 = 100_000_000_000;

/// Reads a timestamp; `Ok(None)` when absent or empty, `Err` when present but unreadable.
pub(crate) fn parse(value: Option<&Value>) -> Result<Option<DateTime<Utc>>, ()> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_i64() {
            Some(epoch) => from_epoch(epoch).map(Some),
            None => number
                .as_f64()
                .and_then(from_fractional_epoch)
                .map(Some)
                .ok_or(()),
        },
        Some(Value::String(text)) => parse_text(text.trim()),
        Some(_) => Err(()),
    }
}

fn parse_text(text: &str) -> Result<Option<DateTime<Utc>>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(epoch) = text.parse::<i64>() {
        return from_epoch(epoch).map(Some);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(at.with_timezone(&Utc)));
    }

    // PostgreSQL's text output: a space instead of `T`, and an offset of hours only.
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Ok(Some(at.with_timezone(&Utc)));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Some(Utc.from_utc_datetime(&at)));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Some(
            Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN)),
        ));
    }
    Err(())
}

fn from_epoch(epoch: i64) -> Result<DateTime<Utc>, ()> {
    let at = if epoch.abs() >= MILLIS_FROM {
        DateTime::from_timestamp_millis(epoch)
    } else {
        DateTime::from_timestamp(epoch, 0)
    };
    at.ok_or(())
}

fn from_fractional_epoch(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() || seconds.abs() >= 1e11 {
        return None;
    }
    // Milliseconds are as fine as the exports ever are; the value is bounded above.
    #[allow(clippy::cast_possible_truncation)]
    let millis = (seconds * 1000.0).round() as i64;
    DateTime::from_timestamp_millis(millis)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn the_shapes_databases_and_applications_write_are_read() {
        let cases = [
            (json!("2021-03-04T05:06:07Z"), "2021-03-04T05:06:07Z"),
            (json!("2021-03-04T06:06:07+01:00"), "2021-03-04T05:06:07Z"),
            (json!("2021-03-04 05:06:07"), "2021-03-04T05:06:07Z"),
            (json!("2021-03-04 05:06:07.250"), "2021-03-04T05:06:07.25Z"),
            (json!("2021-03-04 07:06:07+02"), "2021-03-04T05:06:07Z"),
            (json!("2021-03-04T05:06:07"), "2021-03-04T05:06:07Z"),
            (json!("2021-03-04"), "2021-03-04T00:00:00Z"),
            (json!(1_614_834_367), "2021-03-04T05:06:07Z"),
            (json!("1614834367"), "2021-03-04T05:06:07Z"),
            (json!(1_614_834_367_250_i64), "2021-03-04T05:06:07.25Z"),
            (json!(1_614_834_367.25), "2021-03-04T05:06:07.25Z"),
        ];
        for (value, expected) in cases {
            assert_eq!(parse(Some(&value)), Ok(at(expected)), "{value}");
        }
    }

    #[test]
    fn absent_values_are_none_and_nonsense_is_an_error() {
        assert_eq!(parse(None), Ok(None));
        assert_eq!(parse(Some(&json!(null))), Ok(None));
        assert_eq!(parse(Some(&json!("  "))), Ok(None));
        assert_eq!(parse(Some(&json!("yesterday"))), Err(()));
        assert_eq!(parse(Some(&json!("2021-13-01"))), Err(()));
        assert_eq!(parse(Some(&json!(true))), Err(()));
    }
}
