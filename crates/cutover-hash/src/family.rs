//! The families of password hashes cutover recognises, by the names used everywhere.
//!
//! A family is what a hash *is* (bcrypt, salted SHA, ...), not the exact string layout:
//! `$sha256-crypt$` and `$sha512-crypt$` are both [`HashFamily::ShaCrypt`]. The same
//! lowercase names appear in plans, reports, logs and JSON, so they are fixed here once.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The family of a password hash, recognised from its prefix.
///
/// Marked non-exhaustive because legacy families that Kratos cannot import (phpass,
/// Drupal 7, Django's own PBKDF2 layout, ...) will be added beside the Kratos ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum HashFamily {
    /// bcrypt: `$2$`, `$2a$`, `$2b$`, `$2y$` and `$2z$`.
    #[serde(rename = "bcrypt")]
    Bcrypt,
    /// Argon2id in PHC form: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
    #[serde(rename = "argon2id")]
    Argon2id,
    /// Argon2i in PHC form: `$argon2i$v=19$m=…,t=…,p=…$salt$hash`.
    #[serde(rename = "argon2i")]
    Argon2i,
    /// PBKDF2-HMAC: `$pbkdf2-sha<N>$i=…,l=…$salt$hash`.
    #[serde(rename = "pbkdf2")]
    Pbkdf2,
    /// scrypt with N written out: `$scrypt$ln=<N>,r=…,p=…$salt$hash`.
    #[serde(rename = "scrypt")]
    Scrypt,
    /// Firebase's modified scrypt: `$firescrypt$ln=<log2 N>,r=…,p=…$…` with four fields.
    #[serde(rename = "firescrypt")]
    Firescrypt,
    /// LDAP salted SHA: `{SSHA}`, `{SSHA256}` and `{SSHA512}`.
    #[serde(rename = "ssha")]
    Ssha,
    /// SHA with a salting template: `$sha1$`, `$sha256$`, `$sha512$` with `pf=`.
    #[serde(rename = "salted-sha")]
    SaltedSha,
    /// MD5, plain (`$md5$hash`) or with a salting template (`$md5$pf=…$salt$hash`).
    #[serde(rename = "md5")]
    Md5,
    /// crypt(3) MD5 with Kratos's prefix: `$md5-crypt$salt$hash`.
    #[serde(rename = "md5-crypt")]
    Md5Crypt,
    /// crypt(3) SHA-256/512 with Kratos's prefixes: `$sha256-crypt$`, `$sha512-crypt$`.
    #[serde(rename = "sha-crypt")]
    ShaCrypt,
    /// HMAC of the password: `$hmac-<digest>$hex-text$key`.
    #[serde(rename = "hmac")]
    Hmac,
    /// Nothing cutover recognises.
    #[serde(rename = "unknown")]
    Unknown,
}

impl HashFamily {
    /// The lowercase name of the family, as written in plans, reports and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bcrypt => "bcrypt",
            Self::Argon2id => "argon2id",
            Self::Argon2i => "argon2i",
            Self::Pbkdf2 => "pbkdf2",
            Self::Scrypt => "scrypt",
            Self::Firescrypt => "firescrypt",
            Self::Ssha => "ssha",
            Self::SaltedSha => "salted-sha",
            Self::Md5 => "md5",
            Self::Md5Crypt => "md5-crypt",
            Self::ShaCrypt => "sha-crypt",
            Self::Hmac => "hmac",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for HashFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
