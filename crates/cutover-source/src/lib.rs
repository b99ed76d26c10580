//! Readers that turn a legacy login system's user export into a stream of legacy users.
//!
//! Each vendor writes its own formats; this crate owns knowing them and hides them behind
//! one normalised [`LegacyUser`], so that planning, checking and migrating never depend on
//! a vendor's field names. A reader is a lazy iterator of [`SourceItem`]s: users, records
//! it could not read, and warnings, in file order, so that one broken line never stops a
//! migration of millions and memory does not grow with the user file.
//!
//! The formats: `auth0` (the bulk user export, NDJSON or a JSON array, plain or gzip,
//! optionally joined with the password-hash file Auth0 support delivers), and the generic
//! `csv`, `jsonl` and `sql` (a query against PostgreSQL, MySQL/MariaDB or SQLite) for
//! home-grown user tables, whose columns and hash schemes the plan maps.

#![forbid(unsafe_code)]

mod auth0;
mod config;
mod context;
mod firebase;
mod generic;
mod input;
mod model;
mod records;

pub use config::{FormatOptions, JoinKey, SourceConfig, SourceError};
pub use cutover_hash::{FirebaseParams, HashFamily, LegacyHash};
pub use firebase::FirebaseOptions;
pub use generic::{
    BinaryText, CsvOptions, Encoding, FieldPaths, HashDigest, HashScheme, Param, PasswordColumns,
    RecordMapping, SaltColumn, SaltPlacement, SchemeChoice, SqlOptions, WhenEmpty,
};
pub use model::{
    LegacyPassword, LegacyUser, SocialIdentity, SourceItem, SourceWarning, Unreadable,
};

/// The formats [`open`] understands, as written in a plan.
pub const FORMATS: &[&str] = &[
    auth0::FORMAT,
    generic::CSV_FORMAT,
    generic::JSONL_FORMAT,
    generic::SQL_FORMAT,
];

/// Looks up the value of an environment variable that a configuration names (an HMAC key,
/// a connection string); `None` when it is not set.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Opens the export described by `config` and returns its items, read lazily.
///
/// Only problems that prevent reading at all (an unknown format, a missing file) are
/// errors; problems with single records arrive as [`SourceItem::Unreadable`] or
/// [`SourceItem::Warning`] in the stream. Secrets that `config` names by environment
/// variable are read from the process environment.
pub fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    open_with_env(config, &|name| std::env::var(name).ok())
}

/// Opens the export like [`open`], looking secrets up with `env` instead of in the process
/// environment (tests, and callers that keep secrets elsewhere).
pub fn open_with_env(
    config: &SourceConfig,
    env: Env<'_>,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    match config.format.as_str() {
        auth0::FORMAT => auth0::open(config),
        generic::CSV_FORMAT => generic::open_csv(config, env),
        generic::JSONL_FORMAT => generic::open_jsonl(config, env),
        generic::SQL_FORMAT => generic::open_sql(config, env),
        other => Err(SourceError::UnknownFormat {
            format: other.to_string(),
            known: FORMATS.join(", "),
        }),
    }
}
