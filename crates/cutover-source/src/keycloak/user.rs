//! Turning one Keycloak user representation into a [`LegacyUser`].
//!
//! An export writes every user with `id`, `username`, `enabled`, `createdTimestamp` and
//! whatever else is set; hand-written realm import files often leave out ids and timestamps.
//! The realm the user came from becomes the tenant. The credentials' secrets are read into
//! the password and removed from the raw record, which keeps everything else (attributes,
//! groups, roles, required actions) for segment rules and templates.

use serde_json::{Map, Value};

use super::credential;
use crate::field_values::{flag, full_name, millis_field, text, text_flag};
use crate::{LegacyUser, SocialIdentity};

/// Fields of a credential that hold a hash, a salt, an OTP secret or a plaintext password;
/// they never reach `raw`.
const SECRET_FIELDS: [&str; 4] = ["secretData", "hashedSaltedValue", "salt", "value"];

/// Attribute names under which Keycloak setups keep a phone number, in the order tried.
const PHONE_ATTRIBUTES: [&str; 2] = ["phoneNumber", "phone_number"];

/// Attribute names under which they keep whether it was verified.
const PHONE_VERIFIED_ATTRIBUTES: [&str; 2] = ["phoneNumberVerified", "phone_number_verified"];

/// What one user record turned out to be.
pub(crate) enum Mapped {
    /// A person, with what the operator should know about the record.
    User {
        /// The user.
        user: Box<LegacyUser>,
        /// Problems with single fields, naming fields only.
        warnings: Vec<String>,
        /// Whether the record had no `id`, so that its username is its legacy id.
        id_from_username: bool,
    },
    /// The service account of a client (`serviceAccountClientId`): not a person, skipped.
    ServiceAccount,
}

/// Maps one record of the realm `realm`; an `Err` says why the record is unusable.
pub(crate) fn map_user(record: Value, realm: Option<&str>) -> Result<Mapped, String> {
    let Value::Object(mut object) = record else {
        return Err("a user record must be a JSON object".into());
    };
    if object.contains_key("serviceAccountClientId") {
        return Ok(Mapped::ServiceAccount);
    }

    let username = text(&object, "username");
    let (legacy_id, id_from_username) = match (text(&object, "id"), &username) {
        (Some(id), _) => (id, false),
        (None, Some(username)) => (username.clone(), true),
        (None, None) => return Err("the user has neither `id` nor `username`".into()),
    };

    let mut warnings = Vec::new();
    let credentials = match object.get("credentials") {
        Some(Value::Array(credentials)) => credentials.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            warnings.push("`credentials` is not a list; the user has no password".into());
            &[]
        }
    };
    let password = credential::password(credentials);
    warnings.extend(password.warnings);
    // A user of an LDAP or Kerberos federation signs in against the directory, whose
    // password an export never holds.
    let federated = text(&object, "federationLink").is_some();
    let password_unavailable = password.password.is_none() && (password.unavailable || federated);
    redact_credentials(&mut object);

    let created_at = millis_field(&object, "createdTimestamp").unwrap_or_else(|_| {
        warnings.push("`createdTimestamp` is not epoch milliseconds; left empty".into());
        None
    });
    let attributes = object.get("attributes").and_then(Value::as_object);
    let phone = attributes.and_then(|a| first_attribute(a, &PHONE_ATTRIBUTES));
    let phone_verified = attributes
        .and_then(|a| first_attribute(a, &PHONE_VERIFIED_ATTRIBUTES))
        .and_then(|v| text_flag(&v))
        .unwrap_or(false);
    let given_name = text(&object, "firstName");
    let family_name = text(&object, "lastName");

    let user = LegacyUser {
        legacy_id,
        email: text(&object, "email"),
        email_verified: flag(&object, "emailVerified").unwrap_or(false),
        phone,
        phone_verified,
        username,
        name: full_name(given_name.as_deref(), family_name.as_deref()),
        given_name,
        family_name,
        created_at,
        updated_at: None,
        last_login: None,
        password: password.password,
        password_unavailable,
        social: social_identities(&object, &mut warnings),
        application: None,
        tenant: realm.map(str::to_string),
        // Keycloak creates a user without `enabled` disabled, so only `true` is enabled.
        blocked: flag(&object, "enabled") != Some(true),
        raw: Value::Null,
    };
    Ok(Mapped::User {
        user: Box::new(LegacyUser {
            raw: Value::Object(object),
            ..user
        }),
        warnings,
        id_from_username,
    })
}

/// Removes every secret from the credentials, keeping their type, label, dates, priority and
/// `credentialData` (algorithm and parameters, no secret), so rules can still ask which
/// kinds of credential a user has.
fn redact_credentials(user: &mut Map<String, Value>) {
    let Some(Value::Array(credentials)) = user.get_mut("credentials") else {
        user.remove("credentials");
        return;
    };
    for credential in credentials.iter_mut() {
        match credential {
            Value::Object(fields) => {
                for field in SECRET_FIELDS {
                    fields.remove(field);
                }
            }
            other => *other = Value::Null,
        }
    }
}

/// The social logins: `federatedIdentities`, or the `socialLinks` of very old exports.
fn social_identities(user: &Map<String, Value>, warnings: &mut Vec<String>) -> Vec<SocialIdentity> {
    let (entries, provider_key, subject_key) = match user.get("federatedIdentities") {
        Some(Value::Array(entries)) => (entries, "identityProvider", "userId"),
        _ => match user.get("socialLinks") {
            Some(Value::Array(entries)) => (entries, "socialProvider", "socialUserId"),
            _ => return Vec::new(),
        },
    };

    let mut social = Vec::new();
    for entry in entries {
        let Some(entry) = entry.as_object() else {
            warnings.push("a federated identity is not an object; skipped".into());
            continue;
        };
        match (text(entry, provider_key), text(entry, subject_key)) {
            (Some(connection), Some(subject)) => social.push(SocialIdentity {
                connection,
                subject,
            }),
            _ => warnings.push(format!(
                "a federated identity lacks `{provider_key}` or `{subject_key}`; skipped"
            )),
        }
    }
    social
}

/// The first value of the first of `names` that the attributes have (values are lists).
fn first_attribute(attributes: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let value = match attributes.get(*name)? {
            Value::Array(values) => values.first()?,
            other => other,
        };
        value
            .as_str()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    })
}
