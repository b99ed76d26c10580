//! The test-only password routes under `/__sandbox/`: a login as Kratos would decide it, and
//! a password check that says which way a stored identity signs in.
//!
//! Neither is part of Kratos's API. A real Kratos logs users in through its public self-service
//! flows, with CSRF tokens and sessions; these routes exist so that tests and rehearsals can
//! show a migrated user signing in with their old password, and see which identities would
//! call the password migration hook, without a browser or a second server. Both read the
//! password credential exactly as Kratos's login does: a stored hash is compared (off the
//! async runtime, since hashes are slow by design), an empty hash with the migration-hook flag
//! means the hook, and anything else cannot sign in with a password.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::AppState;
use crate::body;
use crate::errors::ApiError;
use crate::hashcheck;
use crate::model::{IdentityRecord, IdentityState};
use crate::normalize;
use crate::store;

/// Which way a password meets a stored identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordVerdict {
    /// The stored hash matches the password.
    Match,
    /// The stored hash does not match (or can never match) the password.
    Mismatch,
    /// No hash is stored and the migration-hook flag is set: Kratos would ask the hook.
    Hook,
    /// The identity has no password to sign in with.
    NoPassword,
}

impl PasswordVerdict {
    /// The word the check route answers with.
    fn as_str(self) -> &'static str {
        match self {
            PasswordVerdict::Match => "match",
            PasswordVerdict::Mismatch => "mismatch",
            PasswordVerdict::Hook => "hook",
            PasswordVerdict::NoPassword => "no_password",
        }
    }
}

/// Compares `password` with the identity's password credential as Kratos's login does.
async fn verdict(identity: &IdentityRecord, password: String) -> Result<PasswordVerdict, ApiError> {
    let config = identity
        .credentials
        .get("password")
        .map(|credential| &credential.config);
    let hash = config
        .and_then(|config| config.get("hashed_password"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let hook = config
        .and_then(|config| config.get("use_password_migration_hook"))
        .and_then(Value::as_bool)
        .unwrap_or(false);

    // A stored hash wins over the flag: Kratos calls the hook only while no hash is stored.
    if hash.is_empty() {
        return Ok(match hook {
            true => PasswordVerdict::Hook,
            false => PasswordVerdict::NoPassword,
        });
    }
    let matches = tokio::task::spawn_blocking(move || hashcheck::verify(&password, &hash))
        .await
        .map_err(|error| ApiError::internal(format!("password check stopped: {error}")))?;
    Ok(match matches {
        true => PasswordVerdict::Match,
        false => PasswordVerdict::Mismatch,
    })
}

/// The body of `POST /__sandbox/login`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    identifier: String,
    password: String,
}

/// `POST /__sandbox/login`: whether a password login would succeed, as Kratos would decide it.
///
/// Wrong identifiers, wrong passwords, unusable hashes, identities without a password and
/// inactive identities all answer the same 401, as a real login does. An identity that would
/// call the password migration hook answers a 500, as a Kratos without the hook configured
/// does: the sandbox has no hook to call (`/__sandbox/check-password` tells these apart).
pub(crate) async fn login(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let LoginBody {
        identifier,
        password,
    } = body::decode(&body)?;
    let refused = || {
        let reason = "the provided credentials are invalid or the identity is inactive";
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The request could not be authorized",
            Some(reason.into()),
        )
    };

    let folded = normalize::identifier(&identifier);
    let identity = store::find_by_password_identifier(state.0.store.pool(), &folded)
        .await?
        .ok_or_else(refused)?;

    match verdict(&identity, password).await? {
        PasswordVerdict::Match if identity.state == IdentityState::Active => {}
        PasswordVerdict::Hook => {
            return Err(ApiError::internal(
                "the identity signs in through the password migration hook, and the sandbox \
                 has no hook configured; POST /__sandbox/check-password shows such identities",
            ));
        }
        _ => return Err(refused()),
    }
    Ok(Json(json!({ "ok": true, "identity_id": identity.id })))
}

/// The body of `POST /__sandbox/check-password`: the identity by login identifier, by id, or
/// by both (which must then name the same identity), and the password to check.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    identity_id: Option<Uuid>,
    password: String,
}

/// `POST /__sandbox/check-password`: which way `password` meets a stored identity.
///
/// Answers `{"identity_id", "state", "password"}` where `password` is `match`, `mismatch`,
/// `hook` (no hash stored, the migration-hook flag set) or `no_password`. The identity's state
/// is reported, not applied: an inactive identity whose password matches says `match`.
pub(crate) async fn check_password(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let CheckBody {
        identifier,
        identity_id,
        password,
    } = body::decode(&body)?;
    let pool = state.0.store.pool();

    let by_identifier = match &identifier {
        Some(identifier) => {
            let folded = normalize::identifier(identifier);
            Some(store::find_by_password_identifier(pool, &folded).await?)
        }
        None => None,
    };
    let identity = match (by_identifier, identity_id) {
        (None, None) => {
            return Err(ApiError::bad_request(
                "give identifier (a login identifier such as an email) or identity_id",
            ));
        }
        (Some(found), None) => found,
        (None, Some(id)) => store::get(pool, id).await?,
        (Some(found), Some(id)) => match found {
            Some(found) if found.id != id => {
                return Err(ApiError::bad_request(format!(
                    "identifier names identity {}, not identity_id {id}",
                    found.id
                )));
            }
            other => other,
        },
    };
    let identity = identity.ok_or_else(ApiError::not_found)?;

    let verdict = verdict(&identity, password).await?;
    Ok(Json(json!({
        "identity_id": identity.id,
        "state": identity.state.as_str(),
        "password": verdict.as_str(),
    })))
}
