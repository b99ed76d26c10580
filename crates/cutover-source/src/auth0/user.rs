//! Turning one Auth0 user-export record into a [`LegacyUser`].
//!
//! Auth0's bulk export writes Management-API user objects; only the requested fields are
//! present and absent ones may be missing or `null`, so every field here is optional except
//! `user_id`, without which a record cannot be tracked through a migration.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::{LegacyUser, SocialIdentity};

/// Fields that would hold a password hash if someone exported users in Auth0's import
/// format; they are removed from `raw` so a hash never travels beyond `password`.
const HASH_FIELDS: [&str; 4] = [
    "password",
    "password_hash",
    "passwordHash",
    "custom_password_hash",
];

/// How the ids of database-connection users begin; only they can have a password.
const DATABASE_PREFIX: &str = "auth0|";

/// A user read from the export, before the password-hash file is consulted.
pub(crate) struct MappedUser {
    /// The user, with `password` and `tenant` still empty.
    pub user: LegacyUser,
    /// Every id under which the user may have a database password: the `user_id` when it is
    /// a database (`auth0|`) id and each linked `auth0` identity (a social primary can have
    /// a database account linked). Empty for social-only and enterprise users.
    pub hash_ids: Vec<String>,
    /// Whether the record itself said whether the email is verified.
    pub states_email_verified: bool,
    /// Fields that were present but could not be used.
    pub warnings: Vec<String>,
}

/// Maps one record; an `Err` says why the record is unusable.
pub(crate) fn map_user(record: Value) -> Result<MappedUser, String> {
    let Value::Object(mut object) = record else {
        return Err("a user record must be a JSON object".into());
    };

    let legacy_id = match object.get("user_id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        Some(Value::String(_)) => return Err("`user_id` is empty".into()),
        Some(Value::Null) | None => return Err("missing `user_id`".into()),
        Some(_) => return Err("`user_id` is not a string".into()),
    };
    for field in HASH_FIELDS {
        object.remove(field);
    }

    let mut warnings = Vec::new();
    let mut time = |field: &str| timestamp(&object, field, &mut warnings);
    let created_at = time("created_at");
    let updated_at = time("updated_at");
    let last_login = time("last_login");

    let identities = Identities::read(&object, &legacy_id, &mut warnings);
    let user = LegacyUser {
        email: text(&object, "email"),
        email_verified: flag(&object, "email_verified"),
        phone: text(&object, "phone_number"),
        phone_verified: flag(&object, "phone_verified"),
        username: text(&object, "username"),
        name: text(&object, "name"),
        given_name: text(&object, "given_name"),
        family_name: text(&object, "family_name"),
        created_at,
        updated_at,
        last_login,
        password: None,
        password_unavailable: false,
        social: identities.social,
        application: identities.application,
        tenant: None,
        blocked: flag(&object, "blocked"),
        legacy_id,
        raw: Value::Null,
    };
    let states_email_verified = object.get("email_verified").is_some_and(Value::is_boolean);

    Ok(MappedUser {
        user: LegacyUser {
            raw: Value::Object(object),
            ..user
        },
        hash_ids: identities.hash_ids,
        states_email_verified,
        warnings,
    })
}

/// What the `identities[]` array tells about a user.
struct Identities {
    application: Option<String>,
    social: Vec<SocialIdentity>,
    hash_ids: Vec<String>,
}

impl Identities {
    fn read(user: &Map<String, Value>, legacy_id: &str, warnings: &mut Vec<String>) -> Self {
        let entries: Vec<&Map<String, Value>> = match user.get("identities") {
            Some(Value::Array(entries)) => entries.iter().filter_map(Value::as_object).collect(),
            _ => Vec::new(),
        };

        // The primary identity is the one `user_id` is made of; linked ones follow it.
        let full_id = |entry: &Map<String, Value>| {
            Some(format!("{}|{}", text(entry, "provider")?, subject(entry)?))
        };
        let primary = entries
            .iter()
            .find(|entry| full_id(entry).as_deref() == Some(legacy_id))
            .or(entries.first());
        let application = primary.and_then(|entry| text(entry, "connection"));

        let mut social = Vec::new();
        // Database users, including custom-database connections, are always `auth0|`.
        let mut hash_ids = Vec::new();
        if legacy_id.starts_with(DATABASE_PREFIX) {
            hash_ids.push(legacy_id.to_string());
        }
        for entry in &entries {
            if flag(entry, "isSocial") {
                let connection = text(entry, "connection").or_else(|| text(entry, "provider"));
                match (connection, subject(entry)) {
                    (Some(connection), Some(subject)) => {
                        social.push(SocialIdentity {
                            connection,
                            subject,
                        });
                    }
                    _ => warnings.push("a social identity lacks its connection or id".into()),
                }
            } else if text(entry, "provider").as_deref() == Some("auth0")
                && let Some(id) = full_id(entry)
                && !hash_ids.contains(&id)
            {
                hash_ids.push(id);
            }
        }

        Self {
            application,
            social,
            hash_ids,
        }
    }
}

/// The id of an identity at its provider; some providers (GitHub) give a number.
fn subject(entry: &Map<String, Value>) -> Option<String> {
    match entry.get("user_id")? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// Reads an ISO-8601 timestamp, warning when one is present but unreadable.
fn timestamp(
    user: &Map<String, Value>,
    field: &str,
    warnings: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    let value = user.get(field).filter(|value| !value.is_null())?;
    let parsed = value
        .as_str()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok());
    if parsed.is_none() {
        warnings.push(format!(
            "`{field}` is not an ISO-8601 timestamp; left empty"
        ));
    }
    parsed.map(|at| at.with_timezone(&Utc))
}

/// A non-empty string field.
fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object
        .get(key)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A boolean field, false when absent or not a boolean.
fn flag(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool).unwrap_or(false)
}
