//! The test-only routes under `/__sandbox/`: request counts, faults, seeding and a login check.
//!
//! They are not counted and never suffer faults, so a test can always ask what happened.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, ROUTE_KEYS, create};
use crate::body::{self, CreateIdentityBody};
use crate::errors::ApiError;
use crate::faults::FaultRequest;
use crate::hashcheck;
use crate::model::IdentityState;
use crate::normalize;
use crate::store;

/// `GET /__sandbox/stats`: requests per route key and the number of identities.
pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let identities = store::count(state.0.store.pool()).await?;

    let requests = state.0.stats.snapshot();
    Ok(Json(
        json!({ "requests": requests, "identities": identities }),
    ))
}

/// `POST /__sandbox/stats/reset`: forgets the request counts.
pub(crate) async fn reset_stats(State(state): State<AppState>) -> Json<Value> {
    state.0.stats.reset();
    Json(json!({}))
}

/// `POST /__sandbox/faults`: queues a fault for the next requests of a route.
pub(crate) async fn inject_fault(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: FaultRequest = body::decode(&body)?;
    if !ROUTE_KEYS.contains(&request.route.as_str()) {
        return Err(ApiError::bad_request(format!(
            "route {:?} is not a route key; use one of: {}",
            request.route,
            ROUTE_KEYS.join(", ")
        )));
    }

    state.0.faults.inject(request);
    Ok(Json(json!({})))
}

/// `DELETE /__sandbox/faults`: forgets every queued fault.
pub(crate) async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    state.0.faults.clear();
    Json(json!({}))
}

/// The body of `POST /__sandbox/seed`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedBody {
    identities: Vec<CreateIdentityBody>,
}

/// `POST /__sandbox/seed`: creates identities as if they had existed before, all or none.
pub(crate) async fn seed(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: SeedBody = body::decode(&body)?;

    let created = create::create_all(&state, body.identities).await?;
    let ids: Vec<&Value> = created.iter().map(|identity| &identity["id"]).collect();
    Ok(Json(json!({ "ids": ids, "identities": created })))
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
/// Wrong identifiers, wrong passwords, unusable hashes and inactive identities all answer the
/// same 401, as a real login does.
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
    // TODO: identities imported with use_password_migration_hook cannot log in; the sandbox
    // has no migration hook to call.
    let hash = identity
        .credentials
        .get("password")
        .and_then(|credential| credential.config.get("hashed_password"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(refused)?;

    let matches = tokio::task::spawn_blocking(move || hashcheck::verify(&password, &hash))
        .await
        .map_err(|error| ApiError::internal(format!("password check stopped: {error}")))?;
    if !matches || identity.state != IdentityState::Active {
        return Err(refused());
    }
    Ok(Json(json!({ "ok": true, "identity_id": identity.id })))
}
