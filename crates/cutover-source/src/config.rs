//! What a caller tells a reader: which format, which files, how to join them.
//!
//! The configuration is plain data so that the plan crate (or a test) can build it without
//! knowing anything about the readers; `open()` is the only place that interprets it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The key that joins a user record to its row in a separate password-hash file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinKey {
    /// Join on the legacy user id (Auth0: `auth0|<alt_id or _id.$oid>`), the exact key.
    #[default]
    UserId,
    /// Join on the lowercased email address, as Ory's own Auth0 migration script does.
    Email,
}

/// Where a legacy export lives and how to read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceConfig {
    /// The export format, e.g. `auth0`.
    pub format: String,
    /// The users file (plain or gzip-compressed).
    pub users: PathBuf,
    /// The optional password-hash file delivered separately (Auth0: by support ticket).
    #[serde(default)]
    pub password_hashes: Option<PathBuf>,
    /// How users are joined with rows of the password-hash file.
    #[serde(default)]
    pub join: JoinKey,
}

/// Why a source could not be opened at all.
///
/// Problems with single records never end up here: they are reported as
/// [`crate::SourceItem::Unreadable`] and reading goes on.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The configured format names no reader of this crate.
    #[error("unknown source format `{format}`, expected one of: {known}")]
    UnknownFormat {
        /// The format as configured.
        format: String,
        /// The formats this crate can read, comma-separated.
        known: String,
    },

    /// A file of the export could not be opened or read.
    #[error("cannot read {role} file {}", path.display())]
    Io {
        /// Which file of the export: "users" or "password-hash".
        role: &'static str,
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}
