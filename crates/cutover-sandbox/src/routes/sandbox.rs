//! The test-only routes under `/__sandbox/` for requests and data: request counts, faults and
//! seeding (the password routes live in `password`).
//!
//! They are not counted and never suffer faults, so a test can always ask what happened.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, ROUTE_KEYS, create};
use crate::body::{self, CreateIdentityBody};
use crate::errors::ApiError;
use crate::faults::FaultRequest;
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
