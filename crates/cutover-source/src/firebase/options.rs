//! The Firebase project's password hash parameters, as the `firebase` reader takes them.
//!
//! Firebase does not put them in its export: they are shown once per project in the console
//! (Authentication, Users, "Password hash parameters"), and the signer key among them is a
//! secret that lets anyone with the export test passwords offline. The options therefore
//! name the environment variable that holds the signer key instead of holding it; the
//! variable is read, and every parameter decoded, only when the reader opens.

use serde::{Deserialize, Serialize};

use crate::fields::base64;
use crate::{FirebaseParams, SourceError};

/// The setting that names the signer key's variable, as errors name it.
const SIGNER_KEY_SETTING: &str = "source.firebase.signer_key_env";

/// The `hash_config` of a Firebase project: where `base64_signer_key` is found, and
/// `base64_salt_separator`, `rounds` and `mem_cost`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirebaseOptions {
    /// The name of the environment variable holding the signer key in base64.
    pub signer_key_env: String,
    /// The salt separator in base64 (`base64_salt_separator`), `Bw==` in most projects.
    pub salt_separator: String,
    /// The scrypt block size r (`rounds`), 8 in most projects.
    pub rounds: u32,
    /// log2 of scrypt's cost N (`mem_cost`), 14 in most projects.
    pub mem_cost: u32,
}

impl FirebaseOptions {
    /// Reads the signer key through `secrets` and decodes every parameter, naming the
    /// setting that is wrong (never a value).
    pub(crate) fn params(&self, secrets: crate::Env<'_>) -> Result<FirebaseParams, SourceError> {
        let wrong = |reason: String| SourceError::Options {
            format: super::FORMAT,
            reason,
        };

        let env = &self.signer_key_env;
        let key_text = secrets(env)
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| SourceError::MissingSecret {
                env: env.clone(),
                setting: SIGNER_KEY_SETTING,
            })?;
        let signer_key = base64(&key_text).ok_or_else(|| {
            wrong(format!(
                "the signer key in the environment variable {env} is not base64; copy \
                 base64_signer_key from the project's password hash parameters"
            ))
        })?;
        if signer_key.is_empty() {
            return Err(wrong(format!("the signer key in {env} decodes to nothing")));
        }
        let salt_separator = base64(&self.salt_separator)
            .ok_or_else(|| wrong("source.firebase.salt_separator is not base64".to_string()))?;

        // The bounds Firebase itself puts on SCRYPT parameters.
        if !(1..=8).contains(&self.rounds) {
            return Err(wrong(
                "source.firebase.rounds must be between 1 and 8".into(),
            ));
        }
        if !(1..=14).contains(&self.mem_cost) {
            return Err(wrong(
                "source.firebase.mem_cost must be between 1 and 14".into(),
            ));
        }

        Ok(FirebaseParams {
            signer_key,
            salt_separator,
            rounds: self.rounds,
            mem_cost: self.mem_cost,
        })
    }
}
