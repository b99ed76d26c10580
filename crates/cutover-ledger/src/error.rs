//! Errors of the ledger. Every message names the ledger operation that failed.

/// What went wrong while reading or writing the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The database file could not be opened or created.
    #[error("cannot open the ledger {path}")]
    Open {
        path: String,
        #[source]
        source: sqlx::Error,
    },

    /// The schema migrations failed; the ledger may belong to a newer cutover.
    #[error("cannot bring the ledger {path} up to date (is it from a newer cutover?)")]
    Migrate {
        path: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    /// Another cutover command works on the same ledger.
    #[error(
        "the ledger {path} is in use by another cutover run, go-live or rollback: wait for it to \
         finish, then run this command again"
    )]
    Busy { path: String },

    /// The file that stands for the ledger's lock could not be created or locked.
    #[error("cannot lock the ledger at {path} (does its directory exist and is it writable?)")]
    Lock {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A query failed.
    #[error("ledger {operation} failed")]
    Query {
        operation: &'static str,
        #[source]
        source: sqlx::Error,
    },

    /// A guarded update found the row in another state than expected: another worker or an
    /// earlier run changed it, and this result must not overwrite it.
    #[error("ledger {operation}: {detail}")]
    Conflict {
        operation: &'static str,
        detail: String,
    },

    /// A stored value is not one this version understands.
    #[error("ledger holds an unknown {what} value {value:?}")]
    Corrupt { what: &'static str, value: String },
}

/// Attaches the operation name to a sqlx error.
pub(crate) trait QueryContext<T> {
    fn during(self, operation: &'static str) -> Result<T, LedgerError>;
}

impl<T> QueryContext<T> for Result<T, sqlx::Error> {
    fn during(self, operation: &'static str) -> Result<T, LedgerError> {
        self.map_err(|source| LedgerError::Query { operation, source })
    }
}
