//! The job ledger of a cutover run: a durable record of every legacy user, every batch sent to
//! the target, every identity created and every lifecycle event.
//!
//! The ledger is what makes a run resumable and idempotent. The worker writes its intent (the
//! users of a batch are `in_flight`) before a request leaves and the per-user outcome after it,
//! each in one transaction, so after a crash at any point the ledger says which users may have
//! reached the target and must be looked up before anything is resent.
//!
//! It also holds what the operator decided: each segment's go-live state, which identity
//! cutover activated or deleted, and an append-only trail of events chained by hash so that
//! tampering with it shows (see [`Ledger::verify_audit`]).
//!
//! The ledger stores; it calls no one. It is a SQLite file today; the schema lives in the
//! top-level `migrations/` folder and is embedded in the binary.

mod audit;
mod batches;
mod error;
mod events;
mod golive;
mod lock;
mod model;
mod password;
mod problems;
mod query;
mod report;
mod rollback;
mod runs;
mod sync;
mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use audit::{AuditFinding, FindingKind};
pub use error::LedgerError;
pub use events::{Event, EventCounts, EventKind, NewEvent, TargetChanges};
pub use golive::{Activation, GoLiveState, RollbackMode, SegmentState, TargetUser, Transition};
pub use lock::LedgerLock;
pub use model::{
    BatchOutcome, IntakeRow, IntakeStats, Outcome, ReasonCode, Run, UserRow, UserState,
};
pub use password::{PasswordRoute, PasswordRouteCount, UserPassword};
pub use problems::SourceProblem;
pub use report::{StateCounts, StatusRow};
pub use rollback::Marker;
pub use sync::{
    Disappeared, Fingerprints, IntakeEnd, IntakeFingerprints, SyncChange, SyncRecord, sync_change,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// A handle on an open ledger database.
#[derive(Clone, Debug)]
pub struct Ledger {
    pool: SqlitePool,
}

impl Ledger {
    /// Opens the ledger file at `path`, creating it if needed, and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        Self::connect(options, path.display().to_string()).await
    }

    /// Opens a private in-memory ledger, for tests and dry runs.
    pub async fn in_memory() -> Result<Ledger, LedgerError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(|source| LedgerError::Open {
                path: "memory".into(),
                source,
            })?
            .foreign_keys(true);
        Self::connect(options, "memory".into()).await
    }

    async fn connect(options: SqliteConnectOptions, path: String) -> Result<Ledger, LedgerError> {
        // One connection: the worker writes one batch at a time, and SQLite serialises writers
        // anyway. A single connection also keeps an in-memory ledger a single database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|source| LedgerError::Open {
                path: path.clone(),
                source,
            })?;

        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source| LedgerError::Migrate { path, source })?;
        let ledger = Ledger { pool };
        ledger.seal_legacy_events().await?;
        Ok(ledger)
    }

    /// Closes the database cleanly, checkpointing the write-ahead log.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
