//! A Keycloak user's password credential, turned into the legacy hash it stands for.
//!
//! Keycloak keeps a password as a credential of type `password` in one of two layouts: since
//! the credential refactor, `secretData` (`value`, `salt`) and `credentialData`
//! (`hashIterations`, `algorithm`, `additionalParameters`) are JSON documents written as
//! strings; older exports put `hashedSaltedValue`, `salt`, `hashIterations` and `algorithm`
//! on the credential itself. Both become the same stored password here, and then a
//! [`LegacyHash`]: PBKDF2 and Argon2 as their parts, and anything else
//! (custom providers) handed over as it is, so that the hash crate can say whether Kratos
//! can take it. Messages name fields and algorithms, never hash material.

use serde_json::{Map, Value, json};

use crate::field_values::{base64, quoted, text};
use crate::{LegacyHash, LegacyPassword};
use cutover_hash::{Argon2Algorithm, Argon2Version, Digest};

/// The parameters Keycloak writes into every Argon2 credential, and the value its Argon2
/// provider uses for each when it hashes a new password (`Argon2Parameters` defaults).
const ARGON2_DEFAULTS: [(&str, &str); 4] = [
    ("type", "id"),
    ("version", "1.3"),
    ("memory", "7168"),
    ("parallelism", "1"),
];

/// Keycloak's default Argon2 time cost, used when `hashIterations` is missing.
const ARGON2_DEFAULT_ITERATIONS: u32 = 5;

/// What a user's credentials say about their password.
#[derive(Default)]
pub(crate) struct Password {
    /// The hash of the credential Keycloak would check first, when it could be read.
    pub password: Option<LegacyPassword>,
    /// Whether the user has a password credential that could not be carried over.
    pub unavailable: bool,
    /// What the operator should know, naming fields only.
    pub warnings: Vec<String>,
}

/// Reads the password credential Keycloak would use among `credentials`.
///
/// Keycloak checks a password against the first password credential in priority order
/// (lowest `priority` first, the order an export writes them in), so that one is taken and
/// the others are mentioned in a warning.
pub(crate) fn password(credentials: &[Value]) -> Password {
    let mut candidates: Vec<(i64, usize, &Map<String, Value>)> = credentials
        .iter()
        .enumerate()
        .filter_map(|(index, credential)| Some((index, credential.as_object()?)))
        .filter(|(_, credential)| {
            credential.get("type").and_then(Value::as_str) == Some("password")
        })
        .map(|(index, credential)| {
            let priority = credential.get("priority").and_then(Value::as_i64);
            (priority.unwrap_or(i64::MAX), index, credential)
        })
        .collect();
    candidates.sort_by_key(|&(priority, index, _)| (priority, index));

    let mut outcome = Password::default();
    let Some(&(priority, _, chosen)) = candidates.first() else {
        return outcome;
    };
    if candidates.len() > 1 {
        let which = if priority == i64::MAX {
            "the first one".to_string()
        } else {
            format!("the one of priority {priority}")
        };
        outcome.warnings.push(format!(
            "{} password credentials; {which} is used, as Keycloak would",
            candidates.len()
        ));
    }

    match read_stored(chosen).and_then(|stored| to_hash(&stored)) {
        Ok((hash, notes)) => {
            outcome.password = Some(LegacyPassword::new(hash));
            outcome.warnings.extend(notes);
        }
        Err(reason) => {
            outcome.unavailable = true;
            outcome.warnings.push(format!(
                "the password credential cannot be used ({reason}); no password hash is \
                 carried over"
            ));
        }
    }
    outcome
}

/// A password credential in either layout, before its algorithm is interpreted.
struct Stored {
    algorithm: Option<String>,
    iterations: Option<i64>,
    /// The hash value as Keycloak stores it (base64 for the built-in providers).
    value: String,
    /// The salt in base64, when there is one.
    salt: Option<String>,
    /// `credentialData.additionalParameters`.
    params: Map<String, Value>,
}

/// Reads the stored password of a credential, whichever layout it has.
fn read_stored(credential: &Map<String, Value>) -> Result<Stored, String> {
    if credential.contains_key("secretData") {
        let secret = document(credential, "secretData")?;
        let data = document(credential, "credentialData")?;
        let value = match secret.get("value") {
            Some(Value::String(value)) if !value.is_empty() => value.clone(),
            Some(Value::String(_)) => return Err("the hash value in `secretData` is empty".into()),
            _ => return Err("`secretData` has no `value`".into()),
        };
        let params = match data.get("additionalParameters") {
            Some(Value::Object(params)) => params.clone(),
            _ => Map::new(),
        };
        return Ok(Stored {
            algorithm: text(&data, "algorithm"),
            iterations: data.get("hashIterations").and_then(Value::as_i64),
            value,
            salt: text(&secret, "salt"),
            params,
        });
    }

    if let Some(value) = credential.get("hashedSaltedValue") {
        let Some(value) = value.as_str().filter(|v| !v.is_empty()) else {
            return Err("`hashedSaltedValue` is empty or not a string".into());
        };
        return Ok(Stored {
            algorithm: text(credential, "algorithm"),
            iterations: credential.get("hashIterations").and_then(Value::as_i64),
            value: value.to_string(),
            salt: text(credential, "salt"),
            params: Map::new(),
        });
    }

    if credential.get("value").is_some_and(Value::is_string) {
        return Err(
            "it holds a plaintext `value`, as realm import files may; plaintext \
                    passwords are never imported"
                .into(),
        );
    }
    Err("it has neither `secretData` nor `hashedSaltedValue`".into())
}

/// A JSON document field, written as a string (what Keycloak exports) or as an object.
fn document(credential: &Map<String, Value>, key: &str) -> Result<Map<String, Value>, String> {
    let parsed = match credential.get(key) {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .map_err(|error| format!("`{key}` is not a JSON document: {error}"))?,
        Some(Value::Object(object)) => Value::Object(object.clone()),
        Some(_) => return Err(format!("`{key}` is not a JSON document")),
        None => return Err(format!("`{key}` is missing")),
    };
    match parsed {
        Value::Object(object) => Ok(object),
        _ => Err(format!("`{key}` is not a JSON object")),
    }
}

/// The legacy hash of a stored password, with notes for the operator.
fn to_hash(stored: &Stored) -> Result<(LegacyHash, Vec<String>), String> {
    let digest = match stored.algorithm.as_deref() {
        Some("pbkdf2") => Some(Digest::Sha1),
        Some("pbkdf2-sha256") => Some(Digest::Sha256),
        Some("pbkdf2-sha512") => Some(Digest::Sha512),
        _ => None,
    };
    if let Some(digest) = digest {
        return pbkdf2(stored, digest).map(|hash| (hash, Vec::new()));
    }

    match stored.algorithm.as_deref() {
        Some("argon2") => argon2(stored),
        Some(_) => Ok((as_stored(stored), Vec::new())),
        None => Ok((
            as_stored(stored),
            vec![
                "the password credential names no algorithm; Keycloak would have used the \
                  realm's hashing policy, which the export does not say"
                    .into(),
            ],
        )),
    }
}

/// PBKDF2 as parts: the derived key is as long as Keycloak made it (32 or 64 bytes).
fn pbkdf2(stored: &Stored, algorithm: Digest) -> Result<LegacyHash, String> {
    let iterations = stored
        .iterations
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n > 0)
        .ok_or("`hashIterations` is missing or not a positive whole number")?;
    let salt = stored
        .salt
        .as_deref()
        .ok_or("the salt is missing")
        .and_then(|salt| base64(salt).ok_or("the salt is not base64"))?;
    let key = base64(&stored.value).ok_or("the hash value is not base64")?;

    Ok(LegacyHash::Pbkdf2 {
        algorithm,
        iterations,
        salt,
        key,
    })
}

/// Argon2 as its parts, which the hash crate takes as Keycloak gives them; the tag length is
/// the length of the stored value.
///
/// Keycloak writes every parameter into `additionalParameters` and cannot check a
/// credential that lacks one; a missing parameter is taken at the value Keycloak hashes new
/// passwords with, and said so. An unknown variant or version is handed over as stored.
fn argon2(stored: &Stored) -> Result<(LegacyHash, Vec<String>), String> {
    let mut assumed = Vec::new();
    let mut param = |name: &'static str| -> String {
        match first_value(&stored.params, name) {
            Some(value) => value,
            None => {
                assumed.push(name);
                let default = ARGON2_DEFAULTS.iter().find(|(key, _)| *key == name);
                default
                    .map(|(_, value)| (*value).to_string())
                    .unwrap_or_default()
            }
        }
    };
    let algorithm = match param("type").as_str() {
        "id" => Argon2Algorithm::Argon2id,
        "i" => Argon2Algorithm::Argon2i,
        "d" => Argon2Algorithm::Argon2d,
        _ => return Ok((as_stored(stored), Vec::new())),
    };
    let version = match param("version").as_str() {
        "1.3" => Argon2Version::V13,
        "1.0" => Argon2Version::V10,
        _ => return Ok((as_stored(stored), Vec::new())),
    };
    let memory = positive(&param("memory"), "memory")?;
    let parallelism = positive(&param("parallelism"), "parallelism")?;
    let iterations = match stored.iterations {
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|&n| n > 0)
            .ok_or("`hashIterations` is not a positive whole number")?,
        None => {
            assumed.push("hashIterations");
            ARGON2_DEFAULT_ITERATIONS
        }
    };

    let salt = stored
        .salt
        .as_deref()
        .ok_or("the salt is missing")
        .and_then(|salt| base64(salt).ok_or("the salt is not base64"))?;
    let hash = base64(&stored.value).ok_or("the hash value is not base64")?;

    let mut notes = Vec::new();
    if !assumed.is_empty() {
        notes.push(format!(
            "argon2 parameters missing from the credential, taken at Keycloak's defaults: {}",
            assumed.join(", ")
        ));
    }
    if let Some(length) = first_value(&stored.params, "hashLength")
        && length.parse::<usize>().ok() != Some(hash.len())
    {
        notes.push(format!(
            "argon2 `hashLength` says {} but the hash has {} bytes; the hash is carried as it is",
            quoted(&length),
            hash.len()
        ));
    }

    let hash = LegacyHash::Argon2 {
        algorithm,
        version,
        memory_kib: memory,
        iterations,
        parallelism,
        salt,
        hash,
    };
    Ok((hash, notes))
}

/// The credential of an algorithm cutover does not interpret, handed over unchanged.
///
/// A value that describes itself (a modular-crypt `$…` string, as bcrypt providers store, or
/// an LDAP-style `{…}` one) goes as it is; anything else goes as one JSON document with the
/// algorithm, iterations, parameters, value and salt, the way Keycloak's two data fields
/// hold them, so that nothing needed to interpret it later is lost.
fn as_stored(stored: &Stored) -> LegacyHash {
    if stored.value.starts_with('$') || stored.value.starts_with('{') {
        return LegacyHash::Encoded(stored.value.clone());
    }

    let document = json!({
        "algorithm": stored.algorithm,
        "hashIterations": stored.iterations,
        "additionalParameters": stored.params,
        "value": stored.value,
        "salt": stored.salt,
    });
    LegacyHash::Encoded(document.to_string())
}

/// The first value of a multivalued parameter (`{"memory": ["7168"]}`); a plain string or
/// number is taken too.
fn first_value(params: &Map<String, Value>, name: &str) -> Option<String> {
    let value = match params.get(name)? {
        Value::Array(values) => values.first()?,
        other => other,
    };
    match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A positive whole-number parameter.
fn positive(text: &str, name: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("argon2 parameter `{name}` is not a positive whole number"))
}
