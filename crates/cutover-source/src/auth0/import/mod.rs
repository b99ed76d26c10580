//! The `auth0_import` reader: Auth0's bulk-import JSON, with hashes inline.
//!
//! This is the file Auth0 itself imports (a JSON array of users, each with `email` and
//! either `password_hash`, a bcrypt string, or `custom_password_hash`, a hash described by
//! its parts), which makes it a common hand-over format: home-grown systems are exported
//! to it, and so are Auth0 tenants prepared for another import. It is a format of its own
//! rather than a variant of `auth0`, because it means different things: the hashes are in
//! the users file, the email is the key Auth0 imports by, and `user_id` is optional.
//!
//! The legacy id of a user is its `user_id` when the record has one, else its `email` as
//! written. NDJSON is accepted as well as an array.

mod custom_hash;

use serde_json::Value;

use crate::fields::{flag, id_text, text, time};
use crate::password::Found;
use crate::records::Records;
use crate::stream::{
    Items, MapResult, Mapped, UserStream, blank_user, open_users, users_error, users_file_only,
};
use crate::{LegacyHash, LegacyUser, SourceConfig, SourceError};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "auth0_import";

/// Fields that hold a password or its hash; they never reach `raw`.
const HASH_FIELDS: [&str; 3] = ["password", "password_hash", "custom_password_hash"];

/// Opens the import file named by `config`.
pub(crate) fn open(config: &SourceConfig) -> Result<Items, SourceError> {
    users_file_only(config, FORMAT)?;
    let input = open_users(config)?;
    let records = Records::new(input).map_err(|e| users_error(config, e))?;
    Ok(UserStream::items(config.users.clone(), records, map_user))
}

/// Maps one import record; an `Err` says why the record is no user.
fn map_user(record: Value) -> MapResult {
    let Value::Object(mut object) = record else {
        return Err("a user record must be a JSON object".into());
    };
    let legacy_id = id_text(&object, "user_id")
        .or_else(|| text(&object, "email"))
        .ok_or("the record has neither `user_id` nor `email`, so it cannot be tracked")?;

    let found = password(&object);
    for field in HASH_FIELDS {
        object.remove(field);
    }

    let mut warnings = Vec::new();
    let mut user = LegacyUser {
        email: text(&object, "email"),
        email_verified: flag(&object, "email_verified"),
        phone: text(&object, "phone_number"),
        phone_verified: flag(&object, "phone_verified"),
        username: text(&object, "username"),
        name: text(&object, "name"),
        given_name: text(&object, "given_name"),
        family_name: text(&object, "family_name"),
        created_at: time(&object, "created_at", &mut warnings),
        updated_at: time(&object, "updated_at", &mut warnings),
        last_login: time(&object, "last_login", &mut warnings),
        blocked: flag(&object, "blocked"),
        ..blank_user(legacy_id)
    };
    found.apply(&mut user, &mut warnings);
    user.raw = Value::Object(object);
    Ok(Mapped { user, warnings })
}

/// The hash of `password_hash` or `custom_password_hash`, which Auth0 takes one at a time.
fn password(object: &serde_json::Map<String, Value>) -> Found {
    let plain = object.get("password_hash").filter(|v| !v.is_null());
    let custom = object.get("custom_password_hash").filter(|v| !v.is_null());

    match (plain, custom) {
        (Some(_), Some(_)) => Found::Unusable(
            "both `password_hash` and `custom_password_hash` are given, which Auth0 refuses".into(),
        ),
        (Some(Value::String(hash)), None) if hash.trim().is_empty() => Found::Nothing,
        (Some(Value::String(hash)), None) => Found::Hash(LegacyHash::Encoded(hash.clone())),
        (Some(_), None) => Found::Unusable("`password_hash` is not a string".into()),
        (None, Some(Value::Object(spec))) => match custom_hash::legacy_hash(spec) {
            Ok(hash) => Found::Hash(hash),
            Err(reason) => Found::Unusable(format!("`custom_password_hash` {reason}")),
        },
        (None, Some(_)) => Found::Unusable("`custom_password_hash` is not an object".into()),
        (None, None) => Found::Nothing,
    }
}
