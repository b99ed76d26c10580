//! A stand-in for the `cutover-hash` crate's hash-family detection until that crate lands.
//!
//! TODO: replace with `pub use cutover_hash::HashFamily` in lib.rs and `cutover_hash::detect`
//! in the Auth0 reader, then delete this module.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The family of a password hash, recognised from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HashFamily {
    /// `$2a$`, `$2b$`, `$2y$` and the other bcrypt prefixes.
    Bcrypt,
    /// `$argon2id$`.
    Argon2id,
    /// Anything not recognised.
    Unknown,
}

impl fmt::Display for HashFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bcrypt => "bcrypt",
            Self::Argon2id => "argon2id",
            Self::Unknown => "unknown",
        })
    }
}

/// Recognises the family of `hash` from its prefix.
pub fn detect(hash: &str) -> HashFamily {
    if hash.starts_with("$2") {
        HashFamily::Bcrypt
    } else if hash.starts_with("$argon2id$") {
        HashFamily::Argon2id
    } else {
        HashFamily::Unknown
    }
}
