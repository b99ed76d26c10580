//! Reading typed values out of a JSON record, tolerating the spellings exports use.
//!
//! Vendors disagree on how to write a boolean (`true`, `"true"`, Postgres's `t`), a time
//! (RFC 3339, Postgres `timestamptz` text, epoch milliseconds as a number or a string) or
//! binary data (standard or URL-safe base64, hex in either case). The readers share these
//! helpers so that the same value means the same thing whatever the format, and so that a
//! value that is present but unreadable is reported rather than silently dropped.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

/// A JSON object, the shape every record is turned into before it is mapped.
pub(crate) type Object = Map<String, Value>;

/// A non-empty string field; `null`, absent and empty all mean "no value".
pub(crate) fn text(object: &Object, key: &str) -> Option<String> {
    object
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A string field, or a number written as one (some exports give ids as numbers).
pub(crate) fn id_text(object: &Object, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::Number(number) => Some(number.to_string()),
        _ => text(object, key),
    }
}

/// A boolean written as JSON, as `true`/`false` text or as Postgres's `t`/`f`.
pub(crate) fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "t" => Some(true),
            "false" | "f" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A boolean field, false when absent, null or unreadable.
pub(crate) fn flag(object: &Object, key: &str) -> bool {
    object.get(key).and_then(boolean).unwrap_or(false)
}

/// Whether a field holds a value: present, not null and not an empty string.
pub(crate) fn present(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !text.trim().is_empty(),
        Some(_) => true,
    }
}

/// Reads a time field in any of the layouts exports use, warning when one is unreadable.
///
/// Accepted: RFC 3339 (`2024-01-15T10:30:00.123Z`), Postgres `timestamptz` text
/// (`2024-01-15 10:30:00.000000+00`), and epoch milliseconds as a number or a string of
/// digits (Firebase's `createdAt`).
pub(crate) fn time(
    object: &Object,
    key: &str,
    warnings: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    let value = object.get(key)?;
    if !present(object, key) {
        return None;
    }

    let parsed = match value {
        Value::Number(number) => number.as_i64().and_then(DateTime::from_timestamp_millis),
        Value::String(text) => parse_time(text.trim()),
        _ => None,
    };
    if parsed.is_none() {
        warnings.push(format!(
            "`{key}` is not a time cutover can read; left empty"
        ));
    }
    parsed
}

/// Parses one time written as text.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().and_then(DateTime::from_timestamp_millis);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }

    // Postgres writes `+00` for an offset without minutes; `%#z` takes both forms.
    for layout in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, layout) {
            return Some(at.with_timezone(&Utc));
        }
    }
    // A `timestamp without time zone` column: taken as UTC, which is how Postgres stores it.
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|at| at.and_utc())
}

/// Decodes base64 in the standard or URL-safe alphabet, padded or not.
///
/// `firebase auth:export` writes the standard alphabet, the Admin SDK and the REST API the
/// URL-safe one; a value never mixes both, so trying each in turn is unambiguous.
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// Decodes hexadecimal text in either case.
pub(crate) fn hex(text: &str) -> Option<Vec<u8>> {
    ::hex::decode(text.trim()).ok()
}

/// Parses a field holding JSON text (a `jsonb` column in a CSV, Firebase's
/// `customAttributes`) into the value it encodes, in place.
///
/// A value that is already JSON, or empty, is left alone; text that is not JSON is kept as
/// it is, with a warning, so that nothing of the record is lost.
pub(crate) fn parse_json_text(object: &mut Object, key: &str, warnings: &mut Vec<String>) {
    let Some(Value::String(text)) = object.get(key) else {
        return;
    };
    if text.trim().is_empty() {
        object.insert(key.to_string(), Value::Null);
        return;
    }

    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            object.insert(key.to_string(), value);
        }
        Err(_) => warnings.push(format!("`{key}` is not JSON; kept as text")),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(text: &str) -> Option<DateTime<Utc>> {
        parse_time(text)
    }

    #[test]
    fn every_time_layout_reads_as_the_same_instant() {
        let expected = Utc.with_ymd_and_hms(2024, 1, 15, 10, 30, 0).unwrap();

        for text in [
            "2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00.000+00:00",
            "2024-01-15 10:30:00.000000+00",
            "2024-01-15 11:30:00+01",
            "2024-01-15 10:30:00",
            "1705314600000",
        ] {
            assert_eq!(at(text), Some(expected), "{text}");
        }
        assert_eq!(at("15/01/2024"), None);
    }

    #[test]
    fn base64_is_read_in_both_alphabets_with_or_without_padding() {
        let bytes = vec![0xfb, 0xff, 0x3e];

        for text in ["+/8+", "-_8-", "+/8+\n"] {
            assert_eq!(base64(text), Some(bytes.clone()), "{text}");
        }
        assert_eq!(base64("Bw=="), Some(vec![7]));
        assert_eq!(base64("Bw"), Some(vec![7]));
        assert_eq!(base64("%%%"), None);
    }

    #[test]
    fn hex_is_read_in_either_case_and_odd_lengths_are_refused() {
        assert_eq!(hex("0aFf"), Some(vec![0x0a, 0xff]));
        assert_eq!(hex("abc"), None);
        assert_eq!(hex("zz"), None);
    }

    #[test]
    fn postgres_and_text_booleans_are_booleans() {
        for (value, expected) in [
            (Value::Bool(true), Some(true)),
            (Value::from("t"), Some(true)),
            (Value::from("FALSE"), Some(false)),
            (Value::from("yes"), None),
        ] {
            assert_eq!(boolean(&value), expected, "{value}");
        }
    }
}
