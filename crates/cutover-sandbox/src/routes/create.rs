//! Creating identities: `POST /admin/identities` and the batch `PATCH /admin/identities`.
//!
//! Both run the same pipeline: decode strictly, pre-process (state, credentials, hashes), then
//! validate the traits and derive identifiers, then insert under the write lock. In a batch the
//! pre-processing fails the whole request, while validation and uniqueness fail their item only;
//! every item shares one transaction, and a conflicting item is undone with a savepoint.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::Acquire;
use uuid::Uuid;

use super::AppState;
use crate::body::{self, BatchBody, BatchEntry, CreateIdentityBody};
use crate::errors::{ApiError, ErrorBody};
use crate::identity;
use crate::model::{self, IdentityRecord};
use crate::prepare;
use crate::store::{self, StoreError};

/// The most entries a batch may hold.
const BATCH_LIMIT: usize = 1000;

/// The most entries of a batch that may carry a plaintext password, which is slow to hash.
const BATCH_PLAINTEXT_LIMIT: usize = 200;

/// `POST /admin/identities`: creates one identity, 201 with it, 409 when a key is taken.
pub(crate) async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: CreateIdentityBody = body::decode(&body)?;
    let now = Utc::now();

    let record = prepare::record_from_create(body, now).await?;
    let record = identity::derive(record, &state.0.schemas, now)?;
    let mut tx = state.0.store.begin_write().await?;
    match store::insert(&mut tx, &record).await {
        Err(StoreError::Conflict) => return Err(ApiError::create_conflict()),
        inserted => inserted?,
    }
    tx.commit().await.map_err(StoreError::from)?;

    let location = format!("{}/admin/identities/{}", state.0.base_url, record.id);
    let shown = model::render(&record, &state.0.base_url, &Default::default());
    let mut response = (StatusCode::CREATED, Json(shown)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One slot of the batch response, in request order.
#[derive(Debug, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
enum PatchResult {
    /// The entry's identity was created.
    Create {
        identity: Uuid,
        #[serde(skip_serializing_if = "Option::is_none")]
        patch_id: Option<Uuid>,
    },
    /// The entry failed on its own; the others were still created.
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        patch_id: Option<Uuid>,
        error: ErrorBody,
    },
}

/// A batch entry after the checks that fail the whole request.
enum Prepared {
    /// No `create` body: answered with `null`.
    Skipped,
    /// Ready to insert.
    Valid {
        patch_id: Option<Uuid>,
        record: Box<IdentityRecord>,
    },
    /// Failed schema validation: answered with its error.
    Invalid {
        patch_id: Option<Uuid>,
        error: ApiError,
    },
}

/// `PATCH /admin/identities`: creates up to 1000 identities with per-item results.
pub(crate) async fn batch(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: BatchBody = body::decode(&body)?;
    check_limits(&body)?;
    let now = Utc::now();

    let mut prepared = Vec::with_capacity(body.identities.len());
    for entry in body.identities {
        prepared.push(prepare_entry(&state, entry, now).await?);
    }

    let mut results = Vec::with_capacity(prepared.len());
    let mut tx = state.0.store.begin_write().await?;
    for entry in prepared {
        let result = match entry {
            Prepared::Skipped => None,
            Prepared::Invalid { patch_id, error } => Some(PatchResult::Error {
                patch_id,
                error: error.body(),
            }),
            Prepared::Valid { patch_id, record } => {
                let mut item = tx.begin().await.map_err(StoreError::from)?;
                match store::insert(&mut item, &record).await {
                    Ok(()) => {
                        item.commit().await.map_err(StoreError::from)?;
                        Some(PatchResult::Create {
                            identity: record.id,
                            patch_id,
                        })
                    }
                    Err(StoreError::Conflict) => {
                        item.rollback().await.map_err(StoreError::from)?;
                        let error = ApiError::unique_violation().body();
                        Some(PatchResult::Error { patch_id, error })
                    }
                    Err(other) => return Err(other.into()),
                }
            }
        };
        results.push(result);
    }
    tx.commit().await.map_err(StoreError::from)?;

    Ok(Json(serde_json::json!({ "identities": results })).into_response())
}

fn check_limits(body: &BatchBody) -> Result<(), ApiError> {
    if body.identities.len() > BATCH_LIMIT {
        return Err(ApiError::bad_request(format!(
            "a batch holds at most {BATCH_LIMIT} identities, this one has {}; split it",
            body.identities.len()
        )));
    }

    let plaintext = body
        .identities
        .iter()
        .flatten()
        .filter_map(|entry| entry.create.as_ref())
        .filter(|create| create.has_plaintext_password())
        .count();
    if plaintext > BATCH_PLAINTEXT_LIMIT {
        return Err(ApiError::bad_request(format!(
            "a batch holds at most {BATCH_PLAINTEXT_LIMIT} identities with a plaintext password, \
             this one has {plaintext}; split it or import hashes"
        )));
    }
    Ok(())
}

async fn prepare_entry(
    state: &AppState,
    entry: Option<BatchEntry>,
    now: DateTime<Utc>,
) -> Result<Prepared, ApiError> {
    let Some(BatchEntry {
        patch_id,
        create: Some(create),
    }) = entry
    else {
        return Ok(Prepared::Skipped);
    };

    let record = prepare::record_from_create(create, now).await?;
    Ok(match identity::derive(record, &state.0.schemas, now) {
        Ok(record) => Prepared::Valid {
            patch_id,
            record: Box::new(record),
        },
        Err(error) => Prepared::Invalid { patch_id, error },
    })
}

/// Creates every body or none, as pre-existing identities; any failure fails them all.
pub(crate) async fn create_all(
    state: &AppState,
    bodies: Vec<CreateIdentityBody>,
) -> Result<Vec<Value>, ApiError> {
    let now = Utc::now();

    let mut records = Vec::with_capacity(bodies.len());
    for body in bodies {
        let record = prepare::record_from_create(body, now).await?;
        records.push(identity::derive(record, &state.0.schemas, now)?);
    }

    let mut tx = state.0.store.begin_write().await?;
    for record in &records {
        match store::insert(&mut tx, record).await {
            Err(StoreError::Conflict) => return Err(ApiError::create_conflict()),
            inserted => inserted?,
        }
    }
    tx.commit().await.map_err(StoreError::from)?;

    let none = Default::default();
    Ok(records
        .iter()
        .map(|record| model::render(record, &state.0.base_url, &none))
        .collect())
}
