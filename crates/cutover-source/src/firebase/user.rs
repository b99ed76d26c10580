//! Turning one Firebase account record into a [`LegacyUser`].
//!
//! The record has the shape of `firebase auth:export` JSON (CSV rows are brought into that
//! shape first). The Admin SDK and the REST API spell a few keys differently
//! (`lastLoginAt` for `lastSignedInAt`, URL-safe base64, `tenantId`, `password` and `phone`
//! entries in `providerUserInfo`); those are read too, since people export with scripts.

use cutover_hash::{FirebaseParams, LegacyHash};
use serde_json::Value;

use crate::fields::{Object, base64, flag, parse_json_text, text, time};
use crate::password::Found;
use crate::stream::{MapResult, Mapped, blank_user};
use crate::{LegacyUser, SocialIdentity};

/// How the Firebase Auth emulator's fake hashes begin; the rest holds the plaintext.
pub(crate) const EMULATOR_PREFIX: &str = "fakeHash:";

/// Entries of `providerUserInfo` that are sign-in methods rather than social logins.
const NOT_SOCIAL: [&str; 2] = ["password", "phone"];

/// Maps one account record; an `Err` says why the record is no user.
pub(crate) fn map_user(record: Value, params: &FirebaseParams) -> MapResult {
    let Value::Object(mut object) = record else {
        return Err("an account record must be a JSON object".into());
    };
    let legacy_id = text(&object, "localId").ok_or("missing `localId`")?;
    if is_emulator_fake(&object) {
        return Err(emulator_reason());
    }

    let found = password(&object, params);
    object.remove("passwordHash");
    object.remove("salt");
    let mut warnings = Vec::new();
    parse_json_text(&mut object, "customAttributes", &mut warnings);

    let mut user = LegacyUser {
        email: text(&object, "email"),
        email_verified: flag(&object, "emailVerified"),
        phone: text(&object, "phoneNumber"),
        name: text(&object, "displayName"),
        created_at: time(&object, "createdAt", &mut warnings),
        last_login: time(&object, "lastSignedInAt", &mut warnings)
            .or_else(|| time(&object, "lastLoginAt", &mut warnings)),
        social: social(&object, &mut warnings),
        tenant: text(&object, "tenantId"),
        blocked: flag(&object, "disabled"),
        ..blank_user(legacy_id)
    };
    found.apply(&mut user, &mut warnings);
    user.raw = Value::Object(object);
    Ok(Mapped { user, warnings })
}

/// Whether the record's hash is one of the emulator's plaintext-holding fakes.
pub(crate) fn is_emulator_fake(object: &Object) -> bool {
    text(object, "passwordHash").is_some_and(|hash| hash.starts_with(EMULATOR_PREFIX))
}

/// Why a record with an emulator fake hash is not read.
pub(crate) fn emulator_reason() -> String {
    "the password hash is a Firebase Auth emulator fake that holds the plaintext password; \
     emulator exports are never imported"
        .into()
}

/// The user's Firebase scrypt hash with the project's parameters.
fn password(object: &Object, params: &FirebaseParams) -> Found {
    let Some(hash) = text(object, "passwordHash") else {
        return Found::Nothing;
    };
    let Some(hash) = base64(&hash) else {
        return Found::Unusable("`passwordHash` is not base64".into());
    };
    let salt = match text(object, "salt") {
        Some(salt) => salt,
        None => return Found::Unusable("`passwordHash` comes without its `salt`".into()),
    };
    let Some(salt) = base64(&salt) else {
        return Found::Unusable("`salt` is not base64".into());
    };

    Found::Hash(LegacyHash::FirebaseScrypt {
        hash,
        salt,
        params: params.clone(),
    })
}

/// The social logins in `providerUserInfo`, with the provider id (`google.com`) as the
/// connection and `rawId` (the id at the provider) as the subject.
fn social(object: &Object, warnings: &mut Vec<String>) -> Vec<SocialIdentity> {
    let Some(Value::Array(entries)) = object.get("providerUserInfo") else {
        return Vec::new();
    };

    let mut social = Vec::new();
    for entry in entries.iter().filter_map(Value::as_object) {
        let provider = text(entry, "providerId");
        if provider.as_deref().is_some_and(|p| NOT_SOCIAL.contains(&p)) {
            continue;
        }
        match (provider, text(entry, "rawId")) {
            (Some(connection), Some(subject)) => social.push(SocialIdentity {
                connection,
                subject,
            }),
            _ => {
                warnings.push("a `providerUserInfo` entry lacks its `providerId` or `rawId`".into())
            }
        }
    }
    social
}
