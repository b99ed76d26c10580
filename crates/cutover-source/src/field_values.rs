//! Small readers of JSON field values shared by the Keycloak, Cognito and Django readers.
//!
//! Exports leave fields out, write `null`, or write an empty string for "no value", and write
//! timestamps as epoch seconds, epoch milliseconds or text; these helpers give every reader
//! the same answer for the same shape, so that "absent" means the same thing whatever the
//! vendor.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

/// A non-empty string field, `None` when absent, `null`, empty or not a string.
pub(crate) fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object
        .get(key)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A boolean field, `None` when absent or not a boolean.
pub(crate) fn flag(object: &Map<String, Value>, key: &str) -> Option<bool> {
    object.get(key)?.as_bool()
}

/// A boolean written as text, as Cognito and Keycloak attributes write them: `true` or
/// `false` in any case; anything else is `None`.
pub(crate) fn text_flag(value: &str) -> Option<bool> {
    if value.trim().eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.trim().eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Why a timestamp field that is present could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadTimestamp;

/// A timestamp field written as epoch milliseconds (a number or a string of digits).
///
/// `Ok(None)` when the field is absent or `null`; `Err` when it is present but unusable, so
/// that the reader can warn.
pub(crate) fn millis_field(
    object: &Map<String, Value>,
    key: &str,
) -> Result<Option<DateTime<Utc>>, BadTimestamp> {
    let millis = match object.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(digits)) => digits.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    millis
        .and_then(DateTime::from_timestamp_millis)
        .map(Some)
        .ok_or(BadTimestamp)
}

/// Epoch seconds with an optional fraction (`1548097570.947`), as AWS's wire format and
/// CLI write them.
pub(crate) fn from_epoch_seconds(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() {
        return None;
    }
    // Milliseconds are all any export carries; rounding to them avoids float noise such as
    // .946999 for .947.
    let millis = (seconds * 1000.0).round();
    if millis.abs() > 1e17 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    DateTime::from_timestamp_millis(millis as i64)
}

/// A timestamp written as text: RFC 3339 with an offset, or a date and time without one
/// (`2012-01-13 00:14:00`, `2012-01-13T00:14:00.123`), which is read as UTC.
///
/// The second element says whether the text had no offset, so that the reader can say once
/// that such times were taken as UTC.
pub(crate) fn parse_text_time(text: &str) -> Option<(DateTime<Utc>, bool)> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some((at.with_timezone(&Utc), false));
    }

    // Python's isoformat() without a time zone, with `T` or a space, with or without
    // fractional seconds.
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| (naive.and_utc(), true))
}

/// Decodes standard base64, with or without its `=` padding.
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    STANDARD_PAD_INDIFFERENT.decode(text.trim()).ok()
}

/// Whether `name` may be quoted in a message: a short identifier, never hash material that
/// ended up in the wrong field.
pub(crate) fn quotable(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `name` in backticks when it is [`quotable`], else a neutral stand-in.
pub(crate) fn quoted(name: &str) -> String {
    if quotable(name) {
        format!("`{name}`")
    } else {
        "a name that cannot be shown".to_string()
    }
}

/// The full name as Keycloak's full-name token mapper and Django's `get_full_name()` build
/// it: first and last name joined by a space, `None` when both are missing.
pub(crate) fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let joined = [first, last]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let joined = joined.trim();
    (!joined.is_empty()).then(|| joined.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn empty_and_null_strings_are_absent() {
        let object = json!({"a": "", "b": null, "c": "x", "d": 3});
        let object = object.as_object().unwrap();
        let read: Vec<_> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|key| text(object, key))
            .collect();

        assert_eq!(read, [None, None, Some("x".to_string()), None, None]);
    }

    #[test]
    fn millis_are_read_from_numbers_and_digit_strings() {
        let object = json!({"n": 1_700_000_000_123_i64, "s": "1700000000123", "bad": "soon"});
        let object = object.as_object().unwrap();
        let expected = DateTime::from_timestamp_millis(1_700_000_000_123);

        assert_eq!(millis_field(object, "n"), Ok(expected));
        assert_eq!(millis_field(object, "s"), Ok(expected));
        assert_eq!(millis_field(object, "missing"), Ok(None));
        assert_eq!(millis_field(object, "bad"), Err(BadTimestamp));
    }

    #[test]
    fn epoch_seconds_keep_their_milliseconds() {
        let at = from_epoch_seconds(1_548_097_570.947).unwrap();

        assert_eq!(at.timestamp_millis(), 1_548_097_570_947);
        assert_eq!(from_epoch_seconds(f64::NAN), None);
    }

    #[test]
    fn text_times_with_and_without_an_offset_are_read() {
        let utc = Utc.with_ymd_and_hms(2012, 1, 13, 0, 14, 0).unwrap();

        assert_eq!(parse_text_time("2012-01-13T00:14:00Z"), Some((utc, false)));
        assert_eq!(
            parse_text_time("2012-01-13T01:14:00+01:00"),
            Some((utc, false))
        );
        assert_eq!(parse_text_time("2012-01-13 00:14:00"), Some((utc, true)));
        assert_eq!(
            parse_text_time("2012-01-13T00:14:00.000"),
            Some((utc, true))
        );
        assert_eq!(parse_text_time("yesterday"), None);
    }

    #[test]
    fn base64_is_read_with_and_without_padding() {
        assert_eq!(base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(base64("aGk"), Some(b"hi".to_vec()));
        assert_eq!(base64("a*b"), None);
    }

    #[test]
    fn only_identifiers_are_quotable() {
        assert!(quotable("pbkdf2-sha256"));
        assert!(!quotable("$2b$10$abc"));
        assert!(!quotable(""));
        assert_eq!(quoted("$2b$10$abc"), "a name that cannot be shown");
    }

    #[test]
    fn full_names_join_what_is_there() {
        assert_eq!(
            full_name(Some("Zoë"), Some("O'Brien")).as_deref(),
            Some("Zoë O'Brien")
        );
        assert_eq!(full_name(None, Some("Ng")).as_deref(), Some("Ng"));
        assert_eq!(full_name(None, None), None);
    }
}
