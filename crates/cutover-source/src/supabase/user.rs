//! Turning one row of Supabase's `auth.users` into a [`LegacyUser`].
//!
//! Besides the columns, Supabase keeps profile data in `raw_user_meta_data` (filled from
//! the first identity: `full_name`, `sub`, ... for OAuth users, whatever the app put there
//! at sign-up otherwise) and the sign-in providers in `raw_app_meta_data`. Names and social
//! logins are read from there. Token columns are secrets and, like the password hash, never
//! reach `raw`.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::fields::{Object, boolean, id_text, parse_json_text, present, text, time};
use crate::password::Found;
use crate::stream::{MapResult, Mapped, blank_user};
use crate::{LegacyHash, LegacyUser, SocialIdentity};

/// The password hash and the one-time tokens: secrets that are removed from `raw`.
const SECRET_COLUMNS: [&str; 7] = [
    "encrypted_password",
    "confirmation_token",
    "recovery_token",
    "email_change_token_new",
    "email_change_token_current",
    "phone_change_token",
    "reauthentication_token",
];

/// Columns holding JSON, which a CSV dump writes as JSON text.
const JSON_COLUMNS: [&str; 3] = ["raw_app_meta_data", "raw_user_meta_data", "identities"];

/// Boolean columns, which a CSV dump writes as `t`/`f` or `true`/`false`.
const BOOLEAN_COLUMNS: [&str; 3] = ["is_super_admin", "is_sso_user", "is_anonymous"];

/// Providers that are sign-in methods of Supabase itself, not social logins.
const NOT_SOCIAL: [&str; 3] = ["email", "phone", "anonymous"];

/// Maps one row; `now` decides whether a ban is still in force.
pub(crate) fn map_user(record: Value, now: DateTime<Utc>) -> MapResult {
    let Value::Object(mut object) = record else {
        return Err("a user row must be a JSON object".into());
    };
    let legacy_id = id_text(&object, "id").ok_or("missing `id`")?;

    let found = match text(&object, "encrypted_password") {
        Some(hash) => Found::Hash(LegacyHash::Encoded(hash)),
        None => Found::Nothing,
    };
    for column in SECRET_COLUMNS {
        object.remove(column);
    }
    let mut warnings = Vec::new();
    normalise(&mut object, &mut warnings);

    let empty = Map::new();
    let meta = column_object(&object, "raw_user_meta_data").unwrap_or(&empty);
    let app = column_object(&object, "raw_app_meta_data").unwrap_or(&empty);
    let first = |keys: &[&str], object: &Object| keys.iter().find_map(|k| text(object, k));

    let mut user = LegacyUser {
        email: text(&object, "email"),
        email_verified: email_verified(&object),
        phone: text(&object, "phone"),
        phone_verified: present(&object, "phone_confirmed_at"),
        username: first(&["username", "user_name", "preferred_username"], meta),
        name: first(&["full_name", "name"], meta),
        given_name: first(&["first_name", "given_name"], meta)
            .or_else(|| text(&object, "first_name")),
        family_name: first(&["last_name", "family_name"], meta)
            .or_else(|| text(&object, "last_name")),
        created_at: time(&object, "created_at", &mut warnings),
        updated_at: time(&object, "updated_at", &mut warnings),
        last_login: time(&object, "last_sign_in_at", &mut warnings),
        social: social(&object, app, meta, &mut warnings),
        application: text(app, "provider"),
        blocked: banned(&object, now, &mut warnings),
        ..blank_user(legacy_id)
    };
    if present(&object, "deleted_at") {
        user.blocked = true;
        warnings.push("the user was deleted in Supabase (`deleted_at`); read as blocked".into());
    }
    found.apply(&mut user, &mut warnings);
    user.raw = Value::Object(object);
    Ok(Mapped { user, warnings })
}

/// Gives JSON and boolean columns their JSON types when a CSV dump wrote them as text.
fn normalise(object: &mut Object, warnings: &mut Vec<String>) {
    for column in JSON_COLUMNS {
        parse_json_text(object, column, warnings);
    }
    for column in BOOLEAN_COLUMNS {
        if let Some(flag) = object.get(column).and_then(boolean) {
            object.insert(column.to_string(), Value::Bool(flag));
        }
    }
}

/// A metadata column, when it holds an object.
fn column_object<'a>(object: &'a Object, column: &str) -> Option<&'a Object> {
    object.get(column)?.as_object()
}

/// Whether the email is confirmed: `email_confirmed_at`, or in tables from before 2021,
/// which lack that column, `confirmed_at` (which now also counts phone confirmations).
fn email_verified(object: &Object) -> bool {
    if object.contains_key("email_confirmed_at") {
        return present(object, "email_confirmed_at");
    }
    present(object, "confirmed_at")
}

/// Whether a ban is in force: `banned_until` after `now` (Postgres's `infinity` included).
fn banned(object: &Object, now: DateTime<Utc>, warnings: &mut Vec<String>) -> bool {
    if text(object, "banned_until").is_some_and(|until| until == "infinity") {
        return true;
    }
    time(object, "banned_until", warnings).is_some_and(|until| until > now)
}

/// The social logins: from an `identities` column when the dump joined `auth.identities`,
/// otherwise the primary provider of `raw_app_meta_data` with the subject Supabase copied
/// into `raw_user_meta_data`.
fn social(
    object: &Object,
    app: &Object,
    meta: &Object,
    warnings: &mut Vec<String>,
) -> Vec<SocialIdentity> {
    if let Some(Value::Array(identities)) = object.get("identities") {
        return from_identities(identities, warnings);
    }

    let primary = text(app, "provider");
    let providers: Vec<String> = match app.get("providers") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => primary.iter().cloned().collect(),
    };

    let mut social = Vec::new();
    for provider in providers
        .into_iter()
        .filter(|p| !NOT_SOCIAL.contains(&p.as_str()))
    {
        let subject = (primary.as_deref() == Some(provider.as_str()))
            .then(|| text(meta, "sub").or_else(|| text(meta, "provider_id")))
            .flatten();
        match subject {
            Some(subject) => social.push(SocialIdentity {
                connection: provider,
                subject,
            }),
            None => warnings.push(format!(
                "the id at provider {provider:?} is not in auth.users; export auth.identities \
                 with the users (an `identities` column) to carry this social login"
            )),
        }
    }
    social
}

/// Social logins from rows of `auth.identities`: `provider` and the id at the provider
/// (`provider_id`, or `identity_data.sub`, or `id` in tables from before 2023).
fn from_identities(identities: &[Value], warnings: &mut Vec<String>) -> Vec<SocialIdentity> {
    let mut social = Vec::new();
    for identity in identities.iter().filter_map(Value::as_object) {
        let Some(provider) = text(identity, "provider") else {
            warnings.push("an identity has no `provider`".into());
            continue;
        };
        if NOT_SOCIAL.contains(&provider.as_str()) {
            continue;
        }
        let data = identity.get("identity_data").and_then(Value::as_object);
        let subject = id_text(identity, "provider_id")
            .or_else(|| data.and_then(|d| text(d, "sub")))
            .or_else(|| id_text(identity, "id"));
        match subject {
            Some(subject) => social.push(SocialIdentity {
                connection: provider,
                subject,
            }),
            None => warnings.push(format!("the {provider} identity has no id at the provider")),
        }
    }
    social
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::fields::flag;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    fn blocked(banned_until: &str) -> bool {
        let row = json!({"id": "u1", "banned_until": banned_until});
        map_user(row, now()).expect("a user").user.blocked
    }

    #[test]
    fn a_ban_is_in_force_only_until_banned_until() {
        assert!(blocked("2025-06-01 12:00:01+00"));
        assert!(blocked("infinity"));
        assert!(!blocked("2025-06-01 12:00:00+00"));
        assert!(!blocked("2025-05-31T12:00:00Z"));
    }

    #[test]
    fn the_old_confirmed_at_counts_only_where_email_confirmed_at_is_not_a_column() {
        let old = json!({"id": "u1", "confirmed_at": "2020-01-01 00:00:00+00"});
        let phone_only = json!({
            "id": "u2", "email_confirmed_at": null, "confirmed_at": "2024-01-01 00:00:00+00"
        });

        assert!(map_user(old, now()).unwrap().user.email_verified);
        assert!(!map_user(phone_only, now()).unwrap().user.email_verified);
    }

    #[test]
    fn flag_helper_reads_normalised_booleans() {
        let row = json!({"id": "u1", "is_sso_user": "t"});

        let user = map_user(row, now()).unwrap().user;
        assert!(flag(user.raw.as_object().unwrap(), "is_sso_user"));
        assert_eq!(user.raw["is_sso_user"], true);
    }
}
