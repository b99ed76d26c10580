//! Changing identities: `PUT` (full replace), `PATCH` (JSON Patch) and `DELETE`.
//!
//! Each change reads the identity inside the write transaction that stores it, so two
//! concurrent updates cannot lose one another, and then derives identifiers and addresses again,
//! because a trait change may change the identity's logins.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{AppState, identity_id};
use crate::body::{self, UpdateIdentityBody};
use crate::errors::ApiError;
use crate::identity;
use crate::jsonpatch::{self, Operation};
use crate::model::{self, IdentityRecord};
use crate::prepare;
use crate::store::{self, StoreError};

/// `PUT /admin/identities/{id}`: replaces traits, metadata and external id, merges credentials.
///
/// TODO: Kratos appends lookup secrets and merges webauthn and passkey credentials by credential
/// id; the sandbox replaces those three types whole.
pub(crate) async fn put(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = identity_id(&id)?;
    let body: UpdateIdentityBody = body::decode(&body)?;
    let state_wanted = body
        .state
        .as_deref()
        .map(|state| prepare::parse_state(Some(state)));
    let state_wanted = state_wanted.transpose()?;
    let now = Utc::now();

    let mut tx = state.0.store.begin_write().await?;
    let existing = store::get(&mut *tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let credentials =
        prepare::import_credentials(body.credentials, existing.credentials.clone(), now).await?;

    let mut record = IdentityRecord {
        schema_id: body.schema_id.unwrap_or_else(|| existing.schema_id.clone()),
        state: state_wanted.unwrap_or(existing.state),
        traits: body.traits,
        metadata_public: body.metadata_public,
        metadata_admin: body.metadata_admin,
        external_id: prepare::non_empty(body.external_id),
        credentials,
        ..existing.clone()
    };
    stamp(&mut record, &existing, now);

    let record = identity::derive(record, &state.0.schemas, now)?;
    store::replace(&mut tx, &record).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Json(model::render(
        &record,
        &state.0.base_url,
        &Default::default(),
    )))
}

/// `PATCH /admin/identities/{id}`: applies an RFC 6902 patch to the stored identity.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = identity_id(&id)?;
    let operations: Vec<Operation> = body::decode(&body)?;
    let now = Utc::now();

    let mut tx = state.0.store.begin_write().await?;
    let existing = store::get(&mut *tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut document = serde_json::to_value(&existing).map_err(|error| {
        ApiError::internal(format!("identity {id} does not serialise: {error}"))
    })?;
    jsonpatch::apply(&mut document, &operations)?;

    let mut record: IdentityRecord = serde_json::from_value(document).map_err(|error| {
        ApiError::bad_request(format!("the patched identity is not valid: {error}"))
    })?;
    record.id = existing.id;
    record.created_at = existing.created_at;
    stamp(&mut record, &existing, now);

    let record = identity::derive(record, &state.0.schemas, now)?;
    store::replace(&mut tx, &record).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Json(model::render(
        &record,
        &state.0.base_url,
        &Default::default(),
    )))
}

/// `DELETE /admin/identities/{id}`: 204, or 404 when there is no such identity.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = identity_id(&id)?;

    let mut tx = state.0.store.begin_write().await?;
    if !store::delete(&mut tx, id).await? {
        return Err(ApiError::not_found());
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks the update time, and the state change time when the state changed.
fn stamp(record: &mut IdentityRecord, existing: &IdentityRecord, now: DateTime<Utc>) {
    record.updated_at = now;
    record.state_changed_at = match record.state == existing.state {
        true => existing.state_changed_at,
        false => Some(now),
    };
}
