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
//! `supabase` (`auth.users` as JSON or CSV), `clerk` (the dashboard CSV or the JSON export)
//! and `django` (`manage.py dumpdata` of the user model). Every file may be gzip-compressed.

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
mod input;
mod keycloak;
mod model;
mod nested;
mod password;
mod records;
mod stream;
mod supabase;
mod table;

pub use config::{FormatOptions, JoinKey, SourceConfig, SourceError};
pub use cutover_hash::{Digest, FirebaseParams, HashFamily, LegacyHash, SaltPosition};
pub use firebase::FirebaseOptions;
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
];

/// Looks up a secret setting by the name of the environment variable a plan gives for it;
/// `None` when the variable is not set.
pub type SecretLookup = dyn Fn(&str) -> Option<String> + Sync;

/// Opens the export described by `config` and returns its items, read lazily.
///
/// Only problems that prevent reading at all (an unknown format, a missing file, a missing
/// secret) are errors; problems with single records arrive as [`SourceItem::Unreadable`] or
/// [`SourceItem::Warning`] in the stream. Secrets (the Firebase signer key) are read from
/// the environment variables the configuration names.
pub fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    open_with_secrets(config, &|name| std::env::var(name).ok())
}

/// Opens the export like [`open`], looking secrets up through `secrets` instead of the
/// process environment (for a secret manager, or for tests).
pub fn open_with_secrets(
    config: &SourceConfig,
    secrets: &SecretLookup,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    match config.format.as_str() {
        auth0::FORMAT => auth0::open(config),
        keycloak::FORMAT => keycloak::open(config),
        cognito::FORMAT => cognito::open(config),
        django::FORMAT => django::open(config),
        auth0::import::FORMAT => auth0::import::open(config),
        firebase::FORMAT => firebase::open(config, secrets),
        supabase::FORMAT => supabase::open(config),
        clerk::FORMAT => clerk::open(config),
        other => Err(SourceError::UnknownFormat {
            format: other.to_string(),
            known: FORMATS.join(", "),
        }),
    }
}
