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
    /// The users file (plain or gzip-compressed); empty for `sql`, which reads no file.
    pub users: PathBuf,
    /// The optional password-hash file delivered separately (Auth0: by support ticket).
    #[serde(default)]
    pub password_hashes: Option<PathBuf>,
    /// How users are joined with rows of the password-hash file.
    #[serde(default)]
    pub join: JoinKey,
    /// Settings that only some formats take, one field per format.
    #[serde(default)]
    pub options: FormatOptions,
}

/// The settings of the formats that need more than file names, one optional field each.
///
/// A reader reads its own field and refuses to open when a setting it needs is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FormatOptions {
    /// The Firebase project's password hash parameters, which the `firebase` reader needs.
    #[serde(default)]
    pub firebase: Option<crate::firebase::FirebaseOptions>,
    /// The realms to read, which the `keycloak` reader takes (all realms without it).
    #[serde(default)]
    pub keycloak: Option<crate::keycloak::KeycloakOptions>,
    /// Where the fields and the password hash are in a record, for `csv`, `jsonl` and `sql`.
    #[serde(default)]
    pub mapping: Option<crate::generic::RecordMapping>,
    /// The CSV dialect, for `csv` (the default dialect when absent).
    #[serde(default)]
    pub csv: Option<crate::generic::CsvOptions>,
    /// The database and the query, which `sql` needs.
    #[serde(default)]
    pub sql: Option<crate::generic::SqlOptions>,
}

impl SourceConfig {
    /// Refuses a separate password-hash file for a format whose export carries its hashes
    /// (or has none), so that a file named in a plan is never silently left unread.
    pub(crate) fn refuse_password_hashes(&self, format: &'static str) -> Result<(), SourceError> {
        match &self.password_hashes {
            None => Ok(()),
            Some(path) => Err(SourceError::Options {
                format,
                reason: format!(
                    "the {format} reader takes no separate password-hash file ({}); the \
                     export holds whatever hashes there are, so remove \
                     source.password_hashes",
                    path.display()
                ),
            }),
        }
    }
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

    /// A format's settings are missing or unusable (a setting is named, never its value).
    #[error("cannot read the {format} export: {reason}")]
    Options {
        /// The format whose settings are wrong.
        format: &'static str,
        /// What is missing or wrong.
        reason: String,
    },

    /// A secret setting comes from an environment variable that is not set.
    #[error("the environment variable {env} named by {setting} is not set or empty")]
    MissingSecret {
        /// The variable's name.
        env: String,
        /// The setting that names it, such as `source.firebase.signer_key_env`.
        setting: &'static str,
    },

    /// The database of an `sql` source could not be reached, or refused the query.
    ///
    /// The connection string is never part of the message (it may hold a password): the
    /// variable that holds it is named instead.
    #[error("cannot {action} the database named by {env} (source.sql.url_env): {reason}")]
    Database {
        /// The environment variable holding the connection string.
        env: String,
        /// What failed: "connect to" or "run source.sql.query on".
        action: &'static str,
        /// The database's or the driver's reason.
        reason: String,
    },

    /// The file is a Firebase emulator export, whose fake hashes hold plaintext passwords.
    #[error(
        "{} is a Firebase Auth emulator export; its password hashes are fakes that hold the \
         plaintext passwords, and it is never imported (export the real project with \
         `firebase auth:export` instead)",
        path.display()
    )]
    EmulatorExport {
        /// The file involved.
        path: PathBuf,
    },
}
