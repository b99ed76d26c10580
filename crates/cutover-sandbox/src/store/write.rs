//! Writes: inserting, replacing and deleting identities together with their unique keys.
//!
//! Each function runs on a connection inside the caller's transaction, so a batch can put every
//! item in one transaction and undo a single conflicting item with a savepoint.

use sqlx::SqliteConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::StoreError;
use crate::model::IdentityRecord;

/// Inserts a new identity and claims its keys; a taken key or external id is `Conflict`.
pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    record: &IdentityRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into identities (id, schema_id, state, state_changed_at, traits, \
         verifiable_addresses, recovery_addresses, metadata_public, metadata_admin, external_id, \
         organization_id, credentials, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(record.id.to_string())
    .bind(&record.schema_id)
    .bind(record.state.as_str())
    .bind(record.state_changed_at)
    .bind(Json(&record.traits))
    .bind(Json(&record.verifiable_addresses))
    .bind(Json(&record.recovery_addresses))
    .bind(Json(&record.metadata_public))
    .bind(Json(&record.metadata_admin))
    .bind(&record.external_id)
    .bind(record.organization_id.map(|id| id.to_string()))
    .bind(Json(&record.credentials))
    .bind(record.created_at)
    .bind(record.updated_at)
    .execute(&mut *conn)
    .await?;

    insert_keys(conn, record).await
}

/// Replaces a stored identity and its keys; `NotFound` when it does not exist.
pub(crate) async fn replace(
    conn: &mut SqliteConnection,
    record: &IdentityRecord,
) -> Result<(), StoreError> {
    let updated = sqlx::query(
        "update identities set schema_id = $2, state = $3, state_changed_at = $4, traits = $5, \
         verifiable_addresses = $6, recovery_addresses = $7, metadata_public = $8, \
         metadata_admin = $9, external_id = $10, organization_id = $11, credentials = $12, \
         updated_at = $13 \
         where id = $1",
    )
    .bind(record.id.to_string())
    .bind(&record.schema_id)
    .bind(record.state.as_str())
    .bind(record.state_changed_at)
    .bind(Json(&record.traits))
    .bind(Json(&record.verifiable_addresses))
    .bind(Json(&record.recovery_addresses))
    .bind(Json(&record.metadata_public))
    .bind(Json(&record.metadata_admin))
    .bind(&record.external_id)
    .bind(record.organization_id.map(|id| id.to_string()))
    .bind(Json(&record.credentials))
    .bind(record.updated_at)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }

    sqlx::query("delete from identity_keys where identity_id = $1")
        .bind(record.id.to_string())
        .execute(&mut *conn)
        .await?;
    insert_keys(conn, record).await
}

/// Deletes an identity and, by cascade, its keys; false when there was none.
pub(crate) async fn delete(conn: &mut SqliteConnection, id: Uuid) -> Result<bool, StoreError> {
    let deleted = sqlx::query("delete from identities where id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

async fn insert_keys(
    conn: &mut SqliteConnection,
    record: &IdentityRecord,
) -> Result<(), StoreError> {
    for key in record.unique_keys() {
        sqlx::query(
            "insert into identity_keys (kind, type, value, identity_id) values ($1, $2, $3, $4)",
        )
        .bind(key.kind)
        .bind(&key.kind_type)
        .bind(&key.value)
        .bind(record.id.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
