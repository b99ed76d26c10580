//! Finding a value in a record and reading it as text, a flag, a number or bytes.
//!
//! Every generic reader turns its records into JSON objects (a CSV row into strings, a SQL
//! row into typed values), so that the plan's column names and paths mean the same thing in
//! every format. The readings here are deliberately tolerant of how tables store things (a
//! flag as `1`, `'t'` or `true`; an id as a number) and say what they expected when a value
//! does not fit, without ever quoting it: the value could be a hash.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use super::config::Encoding;

/// The value at `path`: the key itself if the record has it, else the dotted path through
/// nested objects (and list positions, `identities.0.user_id`).
pub(crate) fn lookup<'a>(record: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(value) = record.get(path) {
        return Some(value);
    }

    let (first, rest) = path.split_once('.')?;
    rest.split('.')
        .try_fold(record.get(first)?, |current, step| match current {
            Value::Object(map) => map.get(step),
            Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// Removes the value at `path` (found as [`lookup`] finds it), so it cannot travel on.
pub(crate) fn remove(record: &mut Map<String, Value>, path: &str) {
    if record.remove(path).is_some() {
        return;
    }

    let Some((parents, last)) = path.rsplit_once('.') else {
        return;
    };
    let mut steps = parents.split('.');
    let Some(mut current) = steps.next().and_then(|first| record.get_mut(first)) else {
        return;
    };
    for step in steps {
        let next = match current {
            Value::Object(map) => map.get_mut(step),
            Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        let Some(next) = next else {
            return;
        };
        current = next;
    }
    if let Value::Object(map) = current {
        map.remove(last);
    }
}

/// Whether a value counts as absent: missing, null, or text that is empty or blank.
pub(crate) fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.trim().is_empty(),
        Some(_) => false,
    }
}

/// A value as text: strings as they are, numbers written out; `Err` for other kinds.
///
/// Empty text and null are `Ok(None)`.
pub(crate) fn text(value: Option<&Value>) -> Result<Option<String>, &'static str> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(Value::Bool(_)) => Err("a boolean, not text"),
        Some(Value::Array(_)) => Err("a list, not text"),
        Some(Value::Object(_)) => Err("an object, not text"),
    }
}

/// A value as a flag: booleans, the numbers 0 and 1, and the words true/false, t/f,
/// yes/no, y/n, 1/0 (any case); `Ok(None)` when absent, `Err` when none of these.
pub(crate) fn flag(value: Option<&Value>) -> Result<Option<bool>, ()> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(Value::Number(number)) => match number.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(()),
        },
        Some(Value::String(text)) => match text.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "t" | "yes" | "y" | "1" => Ok(Some(true)),
            "false" | "f" | "no" | "n" | "0" => Ok(Some(false)),
            _ => Err(()),
        },
        Some(_) => Err(()),
    }
}

/// A value as a whole number 0 or more: a JSON integer or text of digits.
pub(crate) fn whole_number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Decodes text written in `encoding` into bytes; the error names what was expected.
pub(crate) fn decode(text: &str, encoding: Encoding) -> Result<Vec<u8>, &'static str> {
    match encoding {
        Encoding::Text => Ok(text.as_bytes().to_vec()),
        Encoding::Hex => hex::decode(text.trim()).map_err(|_| "not hexadecimal"),
        Encoding::Base64 => {
            let trimmed = text.trim().trim_end_matches('=');
            let engine = if trimmed.contains(['-', '_']) {
                &URL_SAFE_NO_PAD
            } else {
                &STANDARD_NO_PAD
            };
            engine.decode(trimmed).map_err(|_| "not base64")
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("test records are objects"),
        }
    }

    #[test]
    fn a_key_with_dots_wins_over_the_path_it_spells() {
        let record = record(json!({"a.b": 1, "a": {"b": 2}, "list": [{"x": 3}]}));

        assert_eq!(lookup(&record, "a.b"), Some(&json!(1)));
        assert_eq!(lookup(&record, "list.0.x"), Some(&json!(3)));
        assert_eq!(lookup(&record, "a.c"), None);
        assert_eq!(lookup(&record, "missing"), None);
    }

    #[test]
    fn removing_a_nested_path_leaves_its_siblings() {
        let mut record = record(json!({"credentials": {"hash": "h", "algo": "md5"}, "id": 1}));

        remove(&mut record, "credentials.hash");
        remove(&mut record, "no.such.path");

        assert_eq!(
            Value::Object(record),
            json!({"credentials": {"algo": "md5"}, "id": 1})
        );
    }

    #[test]
    fn flags_accept_the_spellings_tables_use() {
        for yes in [
            json!(true),
            json!(1),
            json!("t"),
            json!("TRUE"),
            json!(" yes "),
        ] {
            assert_eq!(flag(Some(&yes)), Ok(Some(true)), "{yes}");
        }
        for no in [json!(false), json!(0), json!("f"), json!("No"), json!("0")] {
            assert_eq!(flag(Some(&no)), Ok(Some(false)), "{no}");
        }
        assert_eq!(flag(Some(&json!(""))), Ok(None));
        assert_eq!(flag(None), Ok(None));
        assert_eq!(flag(Some(&json!("banned"))), Err(()));
        assert_eq!(flag(Some(&json!(2))), Err(()));
    }

    #[test]
    fn base64_is_read_in_either_alphabet_with_or_without_padding() {
        let bytes = vec![0xfb, 0xff, 0x01];

        assert_eq!(decode("+/8B", Encoding::Base64), Ok(bytes.clone()));
        assert_eq!(decode("-_8B", Encoding::Base64), Ok(bytes.clone()));
        assert_eq!(decode("+/8=", Encoding::Base64), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode("FBFF01", Encoding::Hex), Ok(vec![0xfb, 0xff, 0x01]));
        assert_eq!(decode("xyz!", Encoding::Base64), Err("not base64"));
        assert_eq!(decode("abc", Encoding::Hex), Err("not hexadecimal"));
        assert_eq!(decode(" salt ", Encoding::Text), Ok(b" salt ".to_vec()));
    }
}
