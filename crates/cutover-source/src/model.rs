//! The normalised legacy user and the items a reader yields.
//!
//! Every reader, whatever the vendor, produces these types, so that the worker, the planner
//! and the checks never look at vendor field names except through `raw`.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::HashFamily;
use cutover_hash::LegacyHash;

/// One user of the legacy system, normalised from the vendor's export.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyUser {
    /// The user's id in the legacy system (Auth0: `user_id`, e.g. `auth0|5dea…`).
    pub legacy_id: String,
    /// The email address exactly as exported (case preserved).
    pub email: Option<String>,
    /// Whether the legacy system considered the email verified.
    pub email_verified: bool,
    /// The phone number as exported (usually E.164).
    pub phone: Option<String>,
    /// Whether the legacy system considered the phone number verified.
    pub phone_verified: bool,
    /// The login name, for systems that allow one besides the email.
    pub username: Option<String>,
    /// The full display name.
    pub name: Option<String>,
    /// The given (first) name.
    pub given_name: Option<String>,
    /// The family (last) name.
    pub family_name: Option<String>,
    /// When the account was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the account was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// When the user last signed in.
    pub last_login: Option<DateTime<Utc>>,
    /// The password hash, when the export has one for this user.
    pub password: Option<LegacyPassword>,
    /// Whether the user has a password in the legacy system that the export cannot carry
    /// (Cognito never exports hashes): `password` is then `None`, and the plan can send the
    /// user to the password migration hook instead of treating them as password-less.
    pub password_unavailable: bool,
    /// Social logins linked to this user.
    pub social: Vec<SocialIdentity>,
    /// The application or connection the user belongs to (Auth0: the connection name).
    pub application: Option<String>,
    /// The tenant the user was exported from, when the export says.
    pub tenant: Option<String>,
    /// Whether the user was blocked in the legacy system.
    pub blocked: bool,
    /// The whole source record as read, with any password-hash field removed.
    pub raw: serde_json::Value,
}

/// A legacy password hash and the family it was recognised as.
///
/// Its `Debug` output redacts the hash so that logging a user never leaks it.
#[derive(Clone, PartialEq)]
pub struct LegacyPassword {
    /// The hash as exported: a string, or its parts for readers that get them separately.
    pub hash: LegacyHash,
    /// The hash family recognised from its prefix.
    pub family: HashFamily,
}

impl LegacyPassword {
    /// A password hash with the family the hash crate recognises it as.
    pub fn new(hash: LegacyHash) -> Self {
        let family = cutover_hash::family(&hash);
        Self { hash, family }
    }
}

impl fmt::Debug for LegacyPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyPassword")
            .field("hash", &"<redacted>")
            .field("family", &self.family)
            .finish()
    }
}

/// A social login linked to a legacy user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialIdentity {
    /// The provider connection as the legacy system names it, e.g. `google-oauth2`.
    pub connection: String,
    /// The user's id at that provider.
    pub subject: String,
}

/// One thing a reader yields: a user, a record it could not read, or a warning.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceItem {
    /// A user read successfully.
    User(Box<LegacyUser>),
    /// A record that could not be read; reading went on after it.
    Unreadable(Unreadable),
    /// Something worth telling the operator that did not stop a user from being read.
    Warning(SourceWarning),
}

/// A record of an export file that could not be turned into a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The file the record is in.
    pub file: PathBuf,
    /// The 1-based line where the record starts.
    pub line: u64,
    /// Why it could not be read (never contains a password hash).
    pub reason: String,
}

/// A problem found while reading that did not make a record unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceWarning {
    /// The file the warning is about.
    pub file: PathBuf,
    /// The 1-based line it is about, when it is about one record.
    pub line: Option<u64>,
    /// What is wrong, for the operator (never contains a password hash).
    pub message: String,
}
