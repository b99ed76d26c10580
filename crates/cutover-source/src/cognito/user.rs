//! Turning one Cognito user, from either layout, into a [`LegacyUser`].
//!
//! Cognito never hands out password hashes, so no user gets one. What matters instead is
//! whether the user *has* a password in Cognito: then `password_unavailable` is set, and the
//! plan can send the user to the password migration hook, which checks the password against
//! Cognito at their next login. Users who only ever signed in through a federated provider
//! (`EXTERNAL_PROVIDER`) have none and keep their social logins; users Cognito makes reset
//! their password (`RESET_REQUIRED`, `COMPROMISED`) or archived have none that works.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::field_values::{from_epoch_seconds, text_flag};
use crate::{LegacyUser, SocialIdentity};

/// One Cognito user as a layout reads it, before mapping.
pub(crate) struct CognitoUser {
    /// `Username` (`cognito:username` in the CSV).
    pub username: Option<String>,
    /// Every attribute by name, values as Cognito writes them (strings).
    pub attributes: BTreeMap<String, String>,
    /// `UserCreateDate`.
    pub created: Option<DateTime<Utc>>,
    /// `UserLastModifiedDate`.
    pub modified: Option<DateTime<Utc>>,
    /// `Enabled`.
    pub enabled: Option<bool>,
    /// `UserStatus`.
    pub status: Option<String>,
    /// The record as read; `attributes` is added to it as an object.
    pub raw: Map<String, Value>,
    /// Problems the layout found with single fields.
    pub warnings: Vec<String>,
}

/// What `UserStatus` says about the user's password.
enum Status {
    /// The user has a password Cognito checks (`CONFIRMED`, `UNCONFIRMED`,
    /// `FORCE_CHANGE_PASSWORD`, `UNKNOWN`, or no status given).
    HasPassword,
    /// The user signs in through a federated provider only.
    Federated,
    /// The password must be reset before it works again.
    MustReset,
    /// The user is no longer active.
    Archived,
}

/// Maps one user; an `Err` says why the record cannot be used.
pub(crate) fn map_user(user: CognitoUser) -> Result<(LegacyUser, Vec<String>), String> {
    let attribute = |name: &str| {
        user.attributes
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    };
    let username = user.username.clone().filter(|name| !name.is_empty());
    let legacy_id = attribute("sub")
        .or_else(|| username.clone())
        .ok_or("the user has neither a `sub` attribute nor a username")?;

    let mut warnings = user.warnings;
    let social = identities(attribute("identities").as_deref(), &mut warnings);
    let status = match user.status.as_deref().map(str::trim) {
        None | Some("") => {
            // Cognito names a user created by a federated sign-in `<provider>_<id>`; a
            // native user who linked a provider keeps their own name and their password.
            let federated_name = username.as_deref().is_some_and(|name| {
                social
                    .iter()
                    .any(|s| name.eq_ignore_ascii_case(&format!("{}_{}", s.connection, s.subject)))
            });
            if federated_name {
                Status::Federated
            } else {
                Status::HasPassword
            }
        }
        Some("EXTERNAL_PROVIDER") => Status::Federated,
        Some("RESET_REQUIRED" | "COMPROMISED") => Status::MustReset,
        Some("ARCHIVED") => Status::Archived,
        Some("CONFIRMED" | "UNCONFIRMED" | "FORCE_CHANGE_PASSWORD" | "UNKNOWN") => {
            Status::HasPassword
        }
        Some(_) => {
            warnings.push(
                "`UserStatus` is not one Cognito documents; taken as having a \
                           password"
                    .into(),
            );
            Status::HasPassword
        }
    };

    let updated_at = user.modified.or_else(|| {
        let seconds = attribute("updated_at")?;
        let parsed = seconds.parse::<f64>().ok().and_then(from_epoch_seconds);
        if parsed.is_none() {
            warnings.push("`updated_at` is not epoch seconds; left empty".into());
        }
        parsed
    });

    let mut raw = user.raw;
    let attributes: Map<String, Value> = user
        .attributes
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    raw.insert("attributes".into(), Value::Object(attributes));

    let legacy_user = LegacyUser {
        legacy_id,
        email: attribute("email"),
        email_verified: flag(attribute("email_verified")),
        phone: attribute("phone_number"),
        phone_verified: flag(attribute("phone_number_verified")),
        username,
        name: attribute("name"),
        given_name: attribute("given_name"),
        family_name: attribute("family_name"),
        created_at: user.created,
        updated_at,
        last_login: None,
        password: None,
        password_unavailable: matches!(status, Status::HasPassword),
        social,
        application: None,
        tenant: None,
        blocked: user.enabled == Some(false) || matches!(status, Status::Archived),
        raw: Value::Object(raw),
    };
    Ok((legacy_user, warnings))
}

/// A boolean attribute (`"true"`, `"TRUE"`, `"false"`); anything else is false.
fn flag(value: Option<String>) -> bool {
    value.as_deref().and_then(text_flag).unwrap_or(false)
}

/// The federated identities of the `identities` attribute, a JSON array written as a string:
/// `[{"userId": "…", "providerName": "Google", "providerType": "Google", …}]`.
fn identities(attribute: Option<&str>, warnings: &mut Vec<String>) -> Vec<SocialIdentity> {
    let Some(text) = attribute else {
        return Vec::new();
    };
    let Ok(Value::Array(entries)) = serde_json::from_str::<Value>(text) else {
        warnings.push("the `identities` attribute is not a JSON list; no social logins".into());
        return Vec::new();
    };

    let mut social = Vec::new();
    for entry in &entries {
        let provider = entry.get("providerName").and_then(Value::as_str);
        let subject = match entry.get("userId") {
            Some(Value::String(id)) => Some(id.clone()),
            Some(Value::Number(id)) => Some(id.to_string()),
            _ => None,
        };
        match (provider, subject) {
            (Some(provider), Some(subject)) if !provider.is_empty() && !subject.is_empty() => {
                social.push(SocialIdentity {
                    connection: provider.to_string(),
                    subject,
                });
            }
            _ => warnings
                .push("an entry of `identities` lacks `providerName` or `userId`; skipped".into()),
        }
    }
    social
}
