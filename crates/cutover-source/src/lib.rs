//! Readers that turn a legacy login system's user export into a stream of legacy users.
//!
//! Each vendor writes its own formats; this crate owns knowing them and hides them behind
//! one normalised [`LegacyUser`], so that planning, checking and migrating never depend on
//! a vendor's field names. A reader is a lazy iterator of [`SourceItem`]s: users, records
//! it could not read, and warnings, in file order, so that one broken line never stops a
//! migration of millions and memory does not grow with the user file.
//!
//! The formats: `auth0` (the bulk user export, NDJSON or a JSON array, optionally joined
//! with the password-hash file Auth0 support delivers), `auth0_import` (Auth0's bulk-import
//! JSON with inline hashes), `firebase` (`auth:export` JSON or CSV), `keycloak` (realm
//! exports), `cognito` (the user-import CSV and `ListUsers` JSON, which carry no hashes),
//! `supabase` (`auth.users` as JSON or CSV), `clerk` (the dashboard CSV or the JSON export),
//! `django` (`manage.py dumpdata` of the user model), and the generic `csv`, `jsonl` and
//! `sql` (a query against PostgreSQL, MySQL/MariaDB or SQLite) for home-grown user tables,
//! whose columns and hash schemes the plan maps. Every file may be gzip-compressed.

#![forbid(unsafe_code)]

mod auth0;
mod clerk;
mod cognito;
mod config;
mod context;
mod django;
mod field_values;
mod fields;
mod firebase;
mod generic;
mod input;
mod keycloak;
mod model;
mod nested;
mod password;
mod records;
mod stream;
mod supabase;
mod table;
mod value_end;

pub use config::{FormatOptions, JoinKey, SourceConfig, SourceError};
pub use cutover_hash::{Digest, FirebaseParams, HashFamily, LegacyHash, SaltPosition};
pub use firebase::FirebaseOptions;
pub use generic::{
    BinaryText, CsvOptions, Encoding, FieldPaths, HashDigest, HashScheme, Param, PasswordColumns,
    RecordMapping, SaltColumn, SaltPlacement, SchemeChoice, SqlOptions, WhenEmpty,
};
pub use keycloak::KeycloakOptions;
pub use model::{
    LegacyPassword, LegacyUser, SocialIdentity, SourceItem, SourceWarning, Unreadable,
};

/// The formats [`open`] understands, as written in a plan.
pub const FORMATS: &[&str] = &[
    auth0::FORMAT,
    auth0::import::FORMAT,
    firebase::FORMAT,
    keycloak::FORMAT,
    cognito::FORMAT,
    supabase::FORMAT,
    clerk::FORMAT,
    django::FORMAT,
    generic::CSV_FORMAT,
    generic::JSONL_FORMAT,
    generic::SQL_FORMAT,
];

/// Looks up the value of an environment variable that a configuration names (a Firebase
/// signer key, an HMAC key, a connection string); `None` when it is not set.
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
        keycloak::FORMAT => keycloak::open(config),
        cognito::FORMAT => cognito::open(config),
        django::FORMAT => django::open(config),
        auth0::import::FORMAT => auth0::import::open(config),
        firebase::FORMAT => firebase::open(config, env),
        supabase::FORMAT => supabase::open(config),
        clerk::FORMAT => clerk::open(config),
        generic::CSV_FORMAT => generic::open_csv(config, env),
        generic::JSONL_FORMAT => generic::open_jsonl(config, env),
        generic::SQL_FORMAT => generic::open_sql(config, env),
        other => Err(SourceError::UnknownFormat {
            format: other.to_string(),
            known: FORMATS.join(", "),
        }),
    }
}
