//! The sandbox's SQLite store: opening, migrating and the error type of its operations.
//!
//! Identities are rows with JSON columns; their unique keys (credential identifiers, addresses)
//! are rows of `identity_keys` whose primary key makes SQLite refuse a duplicate, and
//! `external_id` is a unique column. Writers take the database lock up front with
//! `BEGIN IMMEDIATE`, so concurrent writers wait on the busy timeout instead of failing.
//!
//! The migrations are the sandbox's own (`crates/cutover-sandbox/migrations`), embedded in the
//! crate and unrelated to the ledger's.

mod read;
mod write;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::errors::{ApiError, SandboxError};
use crate::server::Store;

pub(crate) use read::{
    count, find_by_identifier, find_by_password_identifier, get, get_by_external_id, list_ids,
    list_page,
};
pub(crate) use write::{delete, insert, replace};

/// How long a writer waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections of a file store; readers share them with the one writer WAL allows.
const FILE_CONNECTIONS: u32 = 4;

/// What a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    /// A unique key or the external id is taken.
    #[error("a unique identifier, address or external id is already taken")]
    Conflict,
    /// No identity has this id.
    #[error("no such identity")]
    NotFound,
    /// A stored document does not read back.
    #[error("stored identity {id} is not readable: {reason}")]
    Corrupt { id: String, reason: String },
    /// Any other database error, e.g. the external_id length check.
    #[error("sandbox database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(database) if database.is_unique_violation() => {
                StoreError::Conflict
            }
            _ => StoreError::Database(error),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => ApiError::unique_violation(),
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Corrupt { .. } => ApiError::internal(error.to_string()),
            StoreError::Database(source) => {
                tracing::warn!(error = %source, "sandbox database error");
                ApiError::internal(format!("database error: {source}"))
            }
        }
    }
}

/// The handle on the identity database.
#[derive(Debug, Clone)]
pub(crate) struct IdentityStore {
    pool: SqlitePool,
}

impl IdentityStore {
    /// Opens (creating if needed) and migrates the store.
    pub(crate) async fn open(store: &Store) -> Result<Self, SandboxError> {
        let (options, pool_options, location) = match store {
            // One connection that never closes: each SQLite memory connection is its own database.
            Store::Memory => (
                SqliteConnectOptions::from_str("sqlite::memory:").map_err(|source| {
                    SandboxError::OpenStore {
                        location: "memory".into(),
                        source,
                    }
                })?,
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None),
                "memory".to_owned(),
            ),
            Store::File(path) => (
                SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal),
                SqlitePoolOptions::new().max_connections(FILE_CONNECTIONS),
                path.display().to_string(),
            ),
        };
        let options = options.busy_timeout(BUSY_TIMEOUT).foreign_keys(true);

        let pool = pool_options
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|source| SandboxError::OpenStore {
                location: location.clone(),
                source,
            })?;

        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|source| SandboxError::Migrate { location, source })?;
        Ok(IdentityStore { pool })
    }

    /// Closes every connection, so a file store is complete on disk when the sandbox stops.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool, for reads.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction holding the database's write lock from its first statement.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}
