//! Reads: single identities, lookups by external id or identifier, and keyset pages.

use sqlx::types::Json;
use sqlx::{FromRow, SqliteExecutor, SqlitePool};
use uuid::Uuid;

use super::StoreError;
use crate::model::IdentityRecord;

/// The columns of `IdentityRow`, as a macro so that queries stay `&'static str` literals.
macro_rules! select_identities {
    ($($rest:literal),*) => {
        concat!(
            "select id, schema_id, state, state_changed_at, traits, verifiable_addresses, \
             recovery_addresses, metadata_public, metadata_admin, external_id, organization_id, \
             credentials, created_at, updated_at from identities ",
            $($rest),*
        )
    };
}

/// One page of the identity list.
#[derive(Debug)]
pub(crate) struct ListPage {
    /// The identities, ordered by id.
    pub identities: Vec<IdentityRecord>,
    /// Whether identities follow the last one.
    pub has_more: bool,
}

#[derive(FromRow)]
struct IdentityRow {
    id: String,
    schema_id: String,
    state: String,
    state_changed_at: Option<chrono::DateTime<chrono::Utc>>,
    traits: Json<serde_json::Value>,
    verifiable_addresses: Json<serde_json::Value>,
    recovery_addresses: Json<serde_json::Value>,
    metadata_public: Json<serde_json::Value>,
    metadata_admin: Json<serde_json::Value>,
    external_id: Option<String>,
    organization_id: Option<String>,
    credentials: Json<serde_json::Value>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl IdentityRow {
    /// Rebuilds the record through its JSON form, the same path a JSON-patched document takes.
    fn into_record(self) -> Result<IdentityRecord, StoreError> {
        let id = self.id.clone();
        let document = serde_json::json!({
            "id": self.id,
            "schema_id": self.schema_id,
            "state": self.state,
            "state_changed_at": self.state_changed_at,
            "traits": self.traits.0,
            "verifiable_addresses": self.verifiable_addresses.0,
            "recovery_addresses": self.recovery_addresses.0,
            "metadata_public": self.metadata_public.0,
            "metadata_admin": self.metadata_admin.0,
            "external_id": self.external_id,
            "organization_id": self.organization_id,
            "credentials": self.credentials.0,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        });
        serde_json::from_value(document).map_err(|error| StoreError::Corrupt {
            id,
            reason: error.to_string(),
        })
    }
}

fn records(rows: Vec<IdentityRow>) -> Result<Vec<IdentityRecord>, StoreError> {
    rows.into_iter().map(IdentityRow::into_record).collect()
}

/// The identity with `id`, if any; `executor` is the pool, or a write transaction that is about
/// to replace it.
pub(crate) async fn get<'e>(
    executor: impl SqliteExecutor<'e>,
    id: Uuid,
) -> Result<Option<IdentityRecord>, StoreError> {
    let row: Option<IdentityRow> = sqlx::query_as(select_identities!("where id = $1"))
        .bind(id.to_string())
        .fetch_optional(executor)
        .await?;
    row.map(IdentityRow::into_record).transpose()
}

/// The identity whose external id is `external_id`, if any.
pub(crate) async fn get_by_external_id(
    pool: &SqlitePool,
    external_id: &str,
) -> Result<Option<IdentityRecord>, StoreError> {
    let row: Option<IdentityRow> = sqlx::query_as(select_identities!("where external_id = $1"))
        .bind(external_id)
        .fetch_optional(pool)
        .await?;
    row.map(IdentityRow::into_record).transpose()
}

/// Identities owning a credential identifier: `folded` for the identifier types that Kratos
/// normalises, `exact` for `provider:subject` of OIDC and SAML.
pub(crate) async fn find_by_identifier(
    pool: &SqlitePool,
    folded: &str,
    exact: &str,
) -> Result<Vec<IdentityRecord>, StoreError> {
    let sql = select_identities!(
        "where id in (select identity_id from identity_keys where kind = 'credential' and (",
        "(type in ('oidc', 'saml') and value = $2) ",
        "or (type not in ('oidc', 'saml') and value = $1))) order by id"
    );
    let rows: Vec<IdentityRow> = sqlx::query_as(sql)
        .bind(folded)
        .bind(exact)
        .fetch_all(pool)
        .await?;
    records(rows)
}

/// The identity whose password credential has the (already folded) `identifier`.
pub(crate) async fn find_by_password_identifier(
    pool: &SqlitePool,
    identifier: &str,
) -> Result<Option<IdentityRecord>, StoreError> {
    let sql = select_identities!(
        "where id = (select identity_id from identity_keys ",
        "where kind = 'credential' and type = 'password' and value = $1)"
    );
    let row: Option<IdentityRow> = sqlx::query_as(sql)
        .bind(identifier)
        .fetch_optional(pool)
        .await?;
    row.map(IdentityRow::into_record).transpose()
}

/// Up to `size` identities with ids after `after`, ordered by id.
pub(crate) async fn list_page(
    pool: &SqlitePool,
    after: Option<Uuid>,
    size: u32,
) -> Result<ListPage, StoreError> {
    let sql = select_identities!("where id > $1 order by id limit $2");
    let rows: Vec<IdentityRow> = sqlx::query_as(sql)
        .bind(after.map(|id| id.to_string()).unwrap_or_default())
        .bind(i64::from(size) + 1)
        .fetch_all(pool)
        .await?;

    let mut identities = records(rows)?;
    let has_more = identities.len() > size as usize;
    identities.truncate(size as usize);
    Ok(ListPage {
        identities,
        has_more,
    })
}

/// The identities among `ids` that exist, ordered by id.
pub(crate) async fn list_ids(
    pool: &SqlitePool,
    ids: &[Uuid],
) -> Result<Vec<IdentityRecord>, StoreError> {
    let wanted: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let sql = select_identities!("where id in (select value from json_each($1)) order by id");
    let rows: Vec<IdentityRow> = sqlx::query_as(sql)
        .bind(Json(wanted))
        .fetch_all(pool)
        .await?;
    records(rows)
}

/// How many identities are stored.
pub(crate) async fn count(pool: &SqlitePool) -> Result<i64, StoreError> {
    let (count,): (i64,) = sqlx::query_as("select count(*) from identities")
        .fetch_one(pool)
        .await?;
    Ok(count)
}
