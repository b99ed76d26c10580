//! The two layouts a Cognito user comes in, each read into a [`CognitoUser`].
//!
//! `ListUsers` (and `aws cognito-idp list-users`) writes user objects with `Username`,
//! `Attributes` as `Name`/`Value` pairs (`UserAttributes` in `AdminGetUser`), `Enabled`,
//! `UserStatus` and dates as epoch seconds or ISO 8601 text. The user-import CSV has one
//! column per attribute, `cognito:username` among them; exporter scripts add the API's
//! `UserStatus`, `Enabled`, `UserCreateDate` and `UserLastModifiedDate` as columns, which
//! are read when present.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::user::CognitoUser;
use crate::field_values::{from_epoch_seconds, parse_text_time, text_flag};

/// The CSV column holding the username.
const USERNAME_COLUMN: &str = "cognito:username";

/// Reads one `ListUsers` user object.
pub(crate) fn from_json(record: Value) -> Result<CognitoUser, String> {
    let Value::Object(object) = record else {
        return Err("a user record must be a JSON object".into());
    };

    let mut warnings = Vec::new();
    let pairs = match object
        .get("Attributes")
        .or_else(|| object.get("UserAttributes"))
    {
        Some(Value::Array(pairs)) => pairs.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err("`Attributes` is not a list of Name/Value pairs".into()),
    };
    let mut attributes = BTreeMap::new();
    for pair in pairs {
        let name = pair.get("Name").and_then(Value::as_str);
        let value = match pair.get("Value") {
            Some(Value::String(value)) => Some(value.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        match (name, value) {
            (Some(name), Some(value)) => {
                attributes.insert(name.to_string(), value);
            }
            (Some(_), None) => {}
            (None, _) => warnings.push("an attribute has no `Name`; skipped".into()),
        }
    }

    let mut time = |field: &str| {
        let value = object.get(field).filter(|v| !v.is_null())?;
        let parsed = aws_time(value);
        if parsed.is_none() {
            warnings.push(format!("`{field}` is not a time; left empty"));
        }
        parsed
    };
    let created = time("UserCreateDate");
    let modified = time("UserLastModifiedDate");

    Ok(CognitoUser {
        username: object
            .get("Username")
            .and_then(Value::as_str)
            .map(str::to_string),
        attributes,
        created,
        modified,
        enabled: object.get("Enabled").and_then(Value::as_bool),
        status: object
            .get("UserStatus")
            .and_then(Value::as_str)
            .map(str::to_string),
        raw: object,
        warnings,
    })
}

/// Reads one CSV row, given the header's column names.
pub(crate) fn from_csv(header: &[String], values: Vec<String>) -> Result<CognitoUser, String> {
    if values.len() != header.len() {
        return Err(format!(
            "the row has {} values but the header has {} columns (a comma inside a value \
             must be escaped with a backslash)",
            values.len(),
            header.len()
        ));
    }

    // Cognito treats an empty value as no value.
    let attributes: BTreeMap<String, String> = header
        .iter()
        .cloned()
        .zip(values)
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
    let column = |name: &str| attributes.get(name).map(|value| value.trim().to_string());

    let mut warnings = Vec::new();
    let mut time = |field: &str| {
        let value = column(field)?;
        let parsed = aws_time(&Value::String(value));
        if parsed.is_none() {
            warnings.push(format!("`{field}` is not a time; left empty"));
        }
        parsed
    };
    let created = time("UserCreateDate");
    let modified = time("UserLastModifiedDate");
    let enabled = column("Enabled").and_then(|value| text_flag(&value));

    Ok(CognitoUser {
        username: column(USERNAME_COLUMN),
        created,
        modified,
        enabled,
        status: column("UserStatus"),
        attributes,
        raw: Map::new(),
        warnings,
    })
}

/// Whether a CSV header is one of a Cognito user file: it has the username column.
pub(crate) fn is_cognito_header(header: &[String]) -> bool {
    header.iter().any(|column| column == USERNAME_COLUMN)
}

/// A time as AWS writes one: epoch seconds (a number or its text, with a fraction) or
/// ISO 8601 text.
fn aws_time(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(seconds) => seconds.as_f64().and_then(from_epoch_seconds),
        Value::String(text) => parse_text_time(text)
            .map(|(at, _)| at)
            .or_else(|| text.trim().parse::<f64>().ok().and_then(from_epoch_seconds)),
        _ => None,
    }
}
