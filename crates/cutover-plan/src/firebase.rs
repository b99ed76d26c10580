//! Checking `source.firebase:`: a Firebase project's password hash parameters.
//!
//! Firebase hashes cannot be verified without the project's `hash_config`, and every value
//! of it must be exactly right or no user can sign in with their password afterwards, so
//! all four are required and checked against the bounds Firebase itself sets. The signer
//! key is a secret: the plan names the environment variable that holds it, and a key
//! written into the plan is refused without its value ever reaching a message.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_saphyr::Spanned;

use crate::model::FirebaseSpec;
use crate::raw::RawSource;
use crate::validate::Checker;

/// The format that takes `source.firebase`.
const FORMAT: &str = "firebase";

/// Checks `source.firebase` against `source.format` and returns the parameters.
pub(crate) fn firebase(raw: &RawSource, check: &mut Checker) -> Option<FirebaseSpec> {
    let is_firebase = raw.format.value == FORMAT;
    let Some(section) = &raw.firebase else {
        if is_firebase {
            let message = "the firebase format needs source.firebase: the project's password \
                           hash parameters (signer_key_env, salt_separator, rounds, mem_cost) \
                           from the Firebase console";
            check.report(&raw.format.referenced, "source.format", message);
        }
        return None;
    };
    if !is_firebase {
        let message = "source.firebase is read only by format firebase; remove it";
        check.report(&section.referenced, "source.firebase", message);
    }

    let f = &section.value;
    if let Some(key) = &f.signer_key {
        let message = "a signer key must not be written in a plan; put base64_signer_key in an \
                       environment variable and give that variable's name as signer_key_env";
        check.report(&key.referenced, "source.firebase.signer_key", message);
    }
    let signer_key_env = match &f.signer_key_env {
        Some(env) => {
            check_env(env, check);
            env.value.clone()
        }
        None => {
            let message = "give signer_key_env: the name of the environment variable holding \
                           the project's base64_signer_key";
            check.report(&section.referenced, "source.firebase", message);
            String::new()
        }
    };

    if STANDARD.decode(f.salt_separator.value.trim()).is_err() {
        let message = "the salt separator is not base64; copy base64_salt_separator from the \
                       project's password hash parameters (often Bw==)";
        check.report(
            &f.salt_separator.referenced,
            "source.firebase.salt_separator",
            message,
        );
    }
    bounded(&f.rounds, 8, "source.firebase.rounds", check);
    bounded(&f.mem_cost, 14, "source.firebase.mem_cost", check);

    Some(FirebaseSpec {
        signer_key_env,
        salt_separator: f.salt_separator.value.trim().to_string(),
        rounds: f.rounds.value,
        mem_cost: f.mem_cost.value,
    })
}

/// Reports a parameter outside `1..=max`, the range Firebase accepts.
fn bounded(value: &Spanned<u32>, max: u32, field: &str, check: &mut Checker) {
    if !(1..=max).contains(&value.value) {
        let name = field.rsplit('.').next().unwrap_or(field);
        let message = format!("{name} must be between 1 and {max}, found {}", value.value);
        check.report(&value.referenced, field, message);
    }
}

/// Checks that `signer_key_env` names a variable; never echoes the value, which may be the
/// key itself.
fn check_env(env: &Spanned<String>, check: &mut Checker) {
    if is_env_name(&env.value) {
        return;
    }
    let message = "not an environment variable name (letters, digits and _, not starting \
                   with a digit); signer_key_env takes the name of the variable holding the \
                   signer key, such as FIREBASE_SIGNER_KEY, never the key";
    check.report(&env.referenced, "source.firebase.signer_key_env", message);
}

/// Whether `name` can name an environment variable: ASCII letters, digits and `_`, not
/// starting with a digit.
pub(crate) fn is_env_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
