//! Pre-processing of create and update bodies: the checks that fail a whole batch.
//!
//! Kratos turns each body into an identity before it touches the database, and an error there
//! (a bad state, an unparsable hash, a plaintext it cannot hash, a passkey without a user
//! handle) aborts the whole request, batch included. Schema validation and uniqueness come
//! later and fail only their own item; those live in `identity` and `store`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::body::{
    CreateIdentityBody, ImportCredentials, ImportRecoveryAddress, ImportVerifiableAddress,
    PasswordConfigImport, ProviderImport,
};
use crate::errors::ApiError;
use crate::hashcheck;
use crate::model::{Credential, IdentityRecord, IdentityState, RecoveryAddress, VerifiableAddress};

/// The bcrypt cost of Kratos's default hasher, used for plaintext passwords.
const BCRYPT_COST: u32 = 12;

/// The longest password bcrypt takes without truncating it.
const BCRYPT_MAX_BYTES: usize = 72;

/// Turns a create body into an identity whose identifiers and addresses are not derived yet.
pub(crate) async fn record_from_create(
    body: CreateIdentityBody,
    now: DateTime<Utc>,
) -> Result<IdentityRecord, ApiError> {
    let state = parse_state(body.state.as_deref())?;
    let credentials = import_credentials(body.credentials, BTreeMap::new(), now).await?;

    Ok(IdentityRecord {
        id: Uuid::new_v4(),
        schema_id: body.schema_id,
        state,
        state_changed_at: Some(now),
        traits: body.traits,
        verifiable_addresses: supplied_verifiable(
            body.verifiable_addresses.unwrap_or_default(),
            now,
        ),
        recovery_addresses: supplied_recovery(body.recovery_addresses.unwrap_or_default(), now),
        metadata_public: body.metadata_public,
        metadata_admin: body.metadata_admin,
        external_id: non_empty(body.external_id),
        organization_id: body.organization_id,
        credentials,
        created_at: now,
        updated_at: now,
    })
}

/// An identity state from a body: empty or missing means active, anything else but the two
/// states Kratos knows is a 400.
pub(crate) fn parse_state(state: Option<&str>) -> Result<IdentityState, ApiError> {
    match state.unwrap_or("") {
        "" | "active" => Ok(IdentityState::Active),
        "inactive" => Ok(IdentityState::Inactive),
        other => Err(ApiError::bad_request(format!(
            "identity state {other:?} is not valid, expected \"active\" or \"inactive\""
        ))),
    }
}

/// Kratos stores an empty external id as none.
pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.is_empty())
}

/// Merges imported credentials into `existing`: password, totp, webauthn, passkey and
/// lookup_secret are replaced; OIDC and SAML providers are appended.
pub(crate) async fn import_credentials(
    import: Option<ImportCredentials>,
    mut existing: BTreeMap<String, Credential>,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Credential>, ApiError> {
    let Some(import) = import else {
        return Ok(existing);
    };

    if let Some(password) = import.password {
        let config = password_config(password.config).await?;
        let mut credential = Credential::new("password", config, now);
        if let Some(previous) = existing.get("password") {
            credential.identifiers = previous.identifiers.clone();
            credential.created_at = previous.created_at;
        }
        existing.insert("password".into(), credential);
    }

    for (kind, providers) in [("oidc", import.oidc), ("saml", import.saml)] {
        if let Some(providers) = providers {
            append_providers(&mut existing, kind, providers.config.providers, now);
        }
    }

    if let Some(passkey) = &import.passkey {
        let handle = passkey.config.get("user_handle");
        if handle.is_none_or(|handle| handle.is_null() || handle == "") {
            return Err(ApiError::bad_request(
                "passkey credentials need a user_handle",
            ));
        }
    }

    let stored_as_given = [
        ("totp", import.totp),
        ("webauthn", import.webauthn),
        ("passkey", import.passkey),
        ("lookup_secret", import.lookup_secret),
    ];
    for (kind, config) in stored_as_given {
        if let Some(config) = config {
            existing.insert(kind.into(), Credential::new(kind, config.config, now));
        }
    }
    Ok(existing)
}

/// The stored password config: the hook flag, a bcrypt hash of a plaintext, or a checked hash.
///
/// With the hook flag set, Kratos ignores any hash or plaintext given beside it (unchecked)
/// and stores an empty hash with the flag, which is what its login reads as "ask the hook".
async fn password_config(config: PasswordConfigImport) -> Result<Value, ApiError> {
    if config.use_password_migration_hook == Some(true) {
        return Ok(json!({ "hashed_password": "", "use_password_migration_hook": true }));
    }

    if let Some(plaintext) = config.password.filter(|plaintext| !plaintext.is_empty()) {
        if plaintext.len() > BCRYPT_MAX_BYTES {
            return Err(ApiError::bad_request(format!(
                "the plaintext password is longer than bcrypt's {BCRYPT_MAX_BYTES} bytes"
            )));
        }
        let hashed = tokio::task::spawn_blocking(move || bcrypt::hash(plaintext, BCRYPT_COST))
            .await
            .map_err(|error| ApiError::internal(format!("password hashing stopped: {error}")))?
            .map_err(|error| ApiError::internal(format!("password hashing failed: {error}")))?;
        return Ok(json!({ "hashed_password": hashed }));
    }

    if let Some(hash) = config.hashed_password.filter(|hash| !hash.is_empty()) {
        hashcheck::validate(&hash).map_err(|reason| {
            ApiError::bad_request(format!("the imported password hash is not valid: {reason}"))
        })?;
        return Ok(json!({ "hashed_password": hash }));
    }

    Err(ApiError::bad_request(
        "credentials.password.config is empty: give hashed_password, password or \
         use_password_migration_hook, or leave out credentials.password",
    ))
}

fn append_providers(
    credentials: &mut BTreeMap<String, Credential>,
    kind: &str,
    providers: Vec<ProviderImport>,
    now: DateTime<Utc>,
) {
    let credential = credentials
        .entry(kind.to_owned())
        .or_insert_with(|| Credential::new(kind, json!({ "providers": [] }), now));

    let mut listed: Vec<Value> = credential
        .config
        .get("providers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for provider in providers {
        // Provider and subject are case-sensitive, so the identifier is kept exactly.
        let identifier = format!("{}:{}", provider.provider, provider.subject);
        if !credential.identifiers.contains(&identifier) {
            credential.identifiers.push(identifier);
        }
        listed.push(serde_json::to_value(&provider).unwrap_or(Value::Null));
    }

    credential.config = json!({ "providers": listed });
    credential.updated_at = now;
}

/// Imported verifiable addresses, completed as Kratos's persister completes them.
fn supplied_verifiable(
    addresses: Vec<ImportVerifiableAddress>,
    now: DateTime<Utc>,
) -> Vec<VerifiableAddress> {
    addresses
        .into_iter()
        .map(|address| {
            let status = match (address.status.as_str(), address.verified) {
                ("", true) => "completed".to_owned(),
                ("", false) => "pending".to_owned(),
                (status, _) => status.to_owned(),
            };
            let verified_at = match address.verified {
                true => address.verified_at.or(Some(now)),
                false => address.verified_at,
            };
            VerifiableAddress {
                id: Uuid::new_v4(),
                value: address.value.to_lowercase(),
                verified: address.verified,
                via: address.via,
                status,
                verified_at,
                created_at: now,
                updated_at: now,
            }
        })
        .collect()
}

fn supplied_recovery(
    addresses: Vec<ImportRecoveryAddress>,
    now: DateTime<Utc>,
) -> Vec<RecoveryAddress> {
    addresses
        .into_iter()
        .map(|address| RecoveryAddress {
            id: Uuid::new_v4(),
            value: address.value.to_lowercase(),
            via: address.via,
            created_at: now,
            updated_at: now,
        })
        .collect()
}
