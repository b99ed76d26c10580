//! The Firebase project's password hash parameters, as the `firebase` reader takes them.
//!
//! Firebase does not put them in its export: they are shown once per project in the console
//! (Authentication, Users, "Password hash parameters"), and the signer key among them is a
//! secret that lets anyone with the export test passwords offline. The options therefore
//! carry the base64 text as the console shows it, keep the signer key out of `Debug` and out
//! of serialised output, and are decoded only when the reader opens.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::{FirebaseParams, SourceError};

/// The `hash_config` of a Firebase project: `base64_signer_key`, `base64_salt_separator`,
/// `rounds` and `mem_cost`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirebaseOptions {
    /// The signer key in base64 (`base64_signer_key`); a secret, never serialised or printed.
    #[serde(skip_serializing)]
    pub signer_key: String,
    /// The salt separator in base64 (`base64_salt_separator`), `Bw==` in most projects.
    pub salt_separator: String,
    /// The scrypt block size r (`rounds`), 8 in most projects.
    pub rounds: u32,
    /// log2 of scrypt's cost N (`mem_cost`), 14 in most projects.
    pub mem_cost: u32,
}

impl fmt::Debug for FirebaseOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FirebaseOptions")
            .field("signer_key", &"<redacted>")
            .field("salt_separator", &self.salt_separator)
            .field("rounds", &self.rounds)
            .field("mem_cost", &self.mem_cost)
            .finish()
    }
}

impl FirebaseOptions {
    /// Decodes the parameters, naming the setting that is wrong (never its value).
    pub(crate) fn params(&self) -> Result<FirebaseParams, SourceError> {
        let wrong = |reason: &str| SourceError::Options {
            format: super::FORMAT,
            reason: reason.to_string(),
        };
        let signer_key = STANDARD
            .decode(self.signer_key.trim())
            .map_err(|_| wrong("the signer key is not standard base64"))?;
        if signer_key.is_empty() {
            return Err(wrong("the signer key is empty"));
        }
        let salt_separator = STANDARD
            .decode(self.salt_separator.trim())
            .map_err(|_| wrong("the salt separator is not standard base64"))?;
        // The bounds Firebase itself puts on imported SCRYPT parameters.
        if !(1..=8).contains(&self.rounds) {
            return Err(wrong("rounds must be between 1 and 8"));
        }
        if !(1..=14).contains(&self.mem_cost) {
            return Err(wrong("mem_cost must be between 1 and 14"));
        }

        Ok(FirebaseParams {
            signer_key,
            salt_separator,
            rounds: self.rounds,
            mem_cost: self.mem_cost,
        })
    }
}
