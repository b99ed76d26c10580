//! Turning one Clerk user record into a [`LegacyUser`].
//!
//! The dashboard CSV and the support-provided JSON name the same things differently: the
//! CSV has a primary address and `|`-joined lists of verified and unverified ones, the JSON
//! has one `|`-joined `email_addresses` (the primary first). Records shaped like the
//! Backend API's user (`banned`, `locked`, `external_accounts`, times in epoch
//! milliseconds) are read too, since exports are often assembled from it. The TOTP secret
//! and backup codes are secrets and never reach `raw`, like the digest.

use serde_json::Value;

use crate::fields::{Object, flag, id_text, text, time};
use crate::stream::{MapResult, Mapped, blank_user};
use crate::{LegacyUser, SocialIdentity};

/// Secrets that are removed from `raw`.
const SECRET_FIELDS: [&str; 3] = ["password_digest", "totp_secret", "backup_codes"];

/// Maps one record; an `Err` says why the record is no user.
pub(crate) fn map_user(record: Value) -> MapResult {
    let Value::Object(mut object) = record else {
        return Err("a user record must be a JSON object".into());
    };
    let legacy_id = id_text(&object, "id").ok_or("missing `id`")?;

    let found = super::digest::found(
        text(&object, "password_digest"),
        text(&object, "password_hasher"),
    );
    for field in SECRET_FIELDS {
        object.remove(field);
    }

    let verified_emails = list(&object, "verified_email_addresses");
    let email = text(&object, "primary_email_address")
        .or_else(|| list(&object, "email_addresses").into_iter().next())
        .or_else(|| verified_emails.first().cloned())
        .or_else(|| {
            list(&object, "unverified_email_addresses")
                .into_iter()
                .next()
        });
    let verified_phones = list(&object, "verified_phone_numbers");
    let phone = text(&object, "primary_phone_number")
        .or_else(|| list(&object, "phone_numbers").into_iter().next())
        .or_else(|| verified_phones.first().cloned())
        .or_else(|| list(&object, "unverified_phone_numbers").into_iter().next());

    let mut warnings = Vec::new();
    let mut user = LegacyUser {
        email_verified: contains(&verified_emails, email.as_deref()),
        phone_verified: contains(&verified_phones, phone.as_deref()),
        email,
        phone,
        username: text(&object, "username"),
        given_name: text(&object, "first_name"),
        family_name: text(&object, "last_name"),
        created_at: time(&object, "created_at", &mut warnings),
        updated_at: time(&object, "updated_at", &mut warnings),
        last_login: time(&object, "last_sign_in_at", &mut warnings),
        social: social(&object, &mut warnings),
        blocked: flag(&object, "banned") || flag(&object, "locked"),
        ..blank_user(legacy_id)
    };
    found.apply(&mut user, &mut warnings);
    user.raw = Value::Object(object);
    Ok(Mapped { user, warnings })
}

/// A multi-valued field: `|`-joined text (the CSV and the support JSON) or a JSON list of
/// strings or of `{"email_address"|"phone_number": ...}` objects (the Backend API).
fn list(object: &Object, key: &str) -> Vec<String> {
    match object.get(key) {
        Some(Value::String(joined)) => joined
            .split('|')
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Array(values)) => values
            .iter()
            .filter_map(|value| match value {
                Value::String(text) => Some(text.trim().to_string()),
                Value::Object(entry) => {
                    text(entry, "email_address").or_else(|| text(entry, "phone_number"))
                }
                _ => None,
            })
            .filter(|value| !value.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is in `list`, ignoring case (addresses are compared as the user typed
/// them in one place and as Clerk normalised them in another).
fn contains(list: &[String], value: Option<&str>) -> bool {
    value.is_some_and(|value| list.iter().any(|item| item.eq_ignore_ascii_case(value)))
}

/// Social logins from `external_accounts` (`provider` such as `oauth_google`, and
/// `provider_user_id`, the id at the provider).
fn social(object: &Object, warnings: &mut Vec<String>) -> Vec<SocialIdentity> {
    let Some(Value::Array(accounts)) = object.get("external_accounts") else {
        return Vec::new();
    };

    let mut social = Vec::new();
    for account in accounts.iter().filter_map(Value::as_object) {
        match (
            text(account, "provider"),
            id_text(account, "provider_user_id"),
        ) {
            (Some(connection), Some(subject)) => social.push(SocialIdentity {
                connection,
                subject,
            }),
            _ => warnings
                .push("an external account lacks its `provider` or `provider_user_id`".into()),
        }
    }
    social
}
