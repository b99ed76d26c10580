//! Auth0's `custom_password_hash` object turned into a [`LegacyHash`].
//!
//! The bulk-import schema describes a hash by algorithm and parts: `hash.value` with its
//! `encoding`, an optional `salt` with its own encoding and position, an HMAC `digest` and
//! `key`, and the byte `encoding` of the password that was hashed. Self-describing strings
//! (bcrypt, Argon2 and LDAP) are handed over as they are; digests, HMACs and PBKDF2 become
//! parts, decoded to bytes. PBKDF2 is taken apart although Auth0 writes it as a PHC string,
//! and never handed over as that string, because Auth0 means real SHA-2 where Kratos's
//! `$pbkdf2-sha224$`/`-sha384$` mean SHA-3, and because Auth0 fills in `i` and `l` when they
//! are left out.
//!
//! Errors name fields and never quote a value.

use cutover_hash::{Digest, LegacyHash, SaltPosition};
use serde_json::Value;

use crate::fields::{Object, base64, hex, text};

/// The iteration count Auth0 assumes when a PBKDF2 string has no `i`.
const PBKDF2_ITERATIONS: u32 = 100_000;

/// The key length in bytes Auth0 assumes when a PBKDF2 string has no `l`.
const PBKDF2_KEY_LENGTH: usize = 64;

/// The hash a `custom_password_hash` object describes, or why it cannot be carried.
pub(crate) fn legacy_hash(spec: &Object) -> Result<LegacyHash, String> {
    let algorithm = text(spec, "algorithm").ok_or("has no `algorithm`")?;
    let hash = match spec.get("hash") {
        Some(Value::Object(hash)) => hash,
        _ => return Err("has no `hash` object".into()),
    };
    let value = text(hash, "value").ok_or("has no `hash.value`")?;
    password_encoding(spec)?;

    match algorithm.to_ascii_lowercase().as_str() {
        "bcrypt" | "argon2" | "ldap" => Ok(LegacyHash::Encoded(value)),
        "pbkdf2" => pbkdf2(&value),
        "hmac" => hmac(hash, &value),
        // TODO: Auth0's docs list `scrypt` too, without its parameters' layout; such users
        // are read as password-unavailable until a sample shows it.
        name => match digest_named(name) {
            Some(algorithm) if name != "sha224" && name != "sha384" => {
                digest(spec, hash, &value, algorithm)
            }
            _ => Err(format!(
                "uses algorithm {name:?}, whose layout cutover does not know"
            )),
        },
    }
}

/// Accepts only passwords hashed as UTF-8, the one encoding every hash layout assumes.
///
/// `ascii`, `latin1` and `binary` give the same bytes as UTF-8 for ASCII passwords only;
/// carrying such a hash would lock out exactly the users with other characters in their
/// password, without anyone noticing. They are refused like `utf16le` and `ucs2`.
fn password_encoding(spec: &Object) -> Result<(), String> {
    let encoding = match spec.get("password") {
        Some(Value::Object(password)) => text(password, "encoding"),
        _ => None,
    };
    match encoding.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("utf8" | "utf-8") => Ok(()),
        Some(other) => Err(format!(
            "was computed from the password encoded as {other}, which no hash layout of the \
             target can express"
        )),
    }
}

/// The digest algorithm of a name Auth0 accepts (OpenSSL aliases such as `RSA-SHA256` too).
fn digest_named(name: &str) -> Option<Digest> {
    let name = name.to_ascii_lowercase();
    let name = name.strip_prefix("rsa-").unwrap_or(&name).replace('-', "");
    match name.as_str() {
        "md4" => Some(Digest::Md4),
        "md5" => Some(Digest::Md5),
        "sha1" => Some(Digest::Sha1),
        "sha224" => Some(Digest::Sha224),
        "sha256" => Some(Digest::Sha256),
        "sha384" => Some(Digest::Sha384),
        "sha512" => Some(Digest::Sha512),
        _ => None,
    }
}

/// The length in bytes of a digest.
fn digest_length(algorithm: Digest) -> usize {
    match algorithm {
        Digest::Md4 | Digest::Md5 => 16,
        Digest::Sha1 => 20,
        Digest::Sha224 => 28,
        Digest::Sha256 => 32,
        Digest::Sha384 => 48,
        Digest::Sha512 => 64,
    }
}

/// A plain or salted digest: `md4`, `md5`, `sha1`, `sha256` or `sha512`.
fn digest(
    spec: &Object,
    hash: &Object,
    value: &str,
    algorithm: Digest,
) -> Result<LegacyHash, String> {
    let digest = digest_bytes(hash, value, algorithm)?;
    let (salt, salt_position) = match spec.get("salt") {
        None | Some(Value::Null) => (None, SaltPosition::default()),
        Some(Value::Object(salt)) => {
            let position = match text(salt, "position").as_deref() {
                Some("prefix") => SaltPosition::Prefix,
                Some("suffix") => SaltPosition::Suffix,
                Some(_) => return Err("has a `salt.position` other than prefix or suffix".into()),
                None => return Err("has a `salt` without its `position`".into()),
            };
            let value = text(salt, "value").ok_or("has a `salt` without its `value`")?;
            (Some(decode(salt, &value, "salt")?), position)
        }
        Some(_) => return Err("has a `salt` that is not an object".into()),
    };

    Ok(LegacyHash::Digest {
        algorithm,
        digest,
        salt,
        salt_position,
    })
}

/// An HMAC of the password: `hash.digest` names the digest, `hash.key` holds the key.
fn hmac(hash: &Object, value: &str) -> Result<LegacyHash, String> {
    let name = text(hash, "digest").ok_or("is an HMAC without `hash.digest`")?;
    let algorithm = digest_named(&name).ok_or_else(|| {
        format!("is an HMAC with digest {name:?}, which no hash layout of the target has")
    })?;
    let key = match hash.get("key") {
        Some(Value::Object(key)) => key,
        _ => return Err("is an HMAC without `hash.key`".into()),
    };
    let key_value = key
        .get("value")
        .and_then(Value::as_str)
        .ok_or("is an HMAC without `hash.key.value`")?;

    Ok(LegacyHash::Hmac {
        algorithm,
        mac: digest_bytes(hash, value, algorithm)?,
        key: decode(key, key_value, "hash.key")?,
    })
}

/// Decodes `hash.value` as the digest bytes of `algorithm`, checking their length.
///
/// Without `hash.encoding` the text is read as hex when it is hex of the right length and
/// as base64 otherwise; Auth0 accepts both and the lengths tell them apart.
fn digest_bytes(hash: &Object, value: &str, algorithm: Digest) -> Result<Vec<u8>, String> {
    let length = digest_length(algorithm);
    let bytes = match text(hash, "encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("hex") => hex(value).ok_or("has a `hash.value` that is not hex")?,
        Some("base64") => base64(value).ok_or("has a `hash.value` that is not base64")?,
        Some("utf8") => return Err("gives a digest as utf8 text, which cannot hold one".into()),
        Some(_) => return Err("has an unknown `hash.encoding`".into()),
        None => hex(value)
            .filter(|bytes| bytes.len() == length)
            .or_else(|| base64(value))
            .ok_or("has a `hash.value` that is neither hex nor base64")?,
    };
    if bytes.len() != length {
        return Err(format!(
            "has a `hash.value` of {} bytes where the digest has {length}",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// Decodes a `{value, encoding}` object's value (`utf8` by default).
fn decode(part: &Object, value: &str, field: &str) -> Result<Vec<u8>, String> {
    match text(part, "encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("utf8" | "utf-8") => Ok(value.as_bytes().to_vec()),
        Some("hex") => hex(value).ok_or_else(|| format!("has a `{field}.value` that is not hex")),
        Some("base64") => {
            base64(value).ok_or_else(|| format!("has a `{field}.value` that is not base64"))
        }
        Some(_) => Err(format!("has an unknown `{field}.encoding`")),
    }
}

/// PBKDF2 as Auth0 writes it: `$pbkdf2-<digest>$i=<iterations>,l=<key length>$<salt>$<key>`,
/// base64 without padding, with `i` and `l` optional.
///
/// A digest the hash crate has no name for (`ripemd160`, `whirlpool`) cannot be carried: as
/// a string it would be read with Kratos's meaning of the layout, and no check, Kratos's or
/// the migration hook's, can compute it; only Auth0 can.
fn pbkdf2(value: &str) -> Result<LegacyHash, String> {
    let parts: Vec<&str> = value.split('$').collect();
    let (name, params, salt, key) = match parts.as_slice() {
        ["", name, params, salt, key] => (*name, *params, *salt, *key),
        ["", name, salt, key] => (*name, "", *salt, *key),
        _ => return Err("has a pbkdf2 `hash.value` that is not `$pbkdf2-<digest>$...`".into()),
    };
    let Some(algorithm) = name.strip_prefix("pbkdf2-").map(digest_named) else {
        return Err("has a pbkdf2 `hash.value` that does not start with `$pbkdf2-`".into());
    };
    let Some(algorithm) = algorithm else {
        let digest = name.trim_start_matches("pbkdf2-");
        return Err(format!(
            "uses PBKDF2 over {digest:?}, a digest cutover cannot compute"
        ));
    };

    let mut iterations = PBKDF2_ITERATIONS;
    let mut length = PBKDF2_KEY_LENGTH;
    for param in params.split(',').filter(|p| !p.is_empty()) {
        match param.split_once('=') {
            Some(("i", number)) => {
                iterations = number
                    .parse()
                    .map_err(|_| "has a pbkdf2 `i` that is no count")?;
            }
            Some(("l", number)) => {
                length = number
                    .parse()
                    .map_err(|_| "has a pbkdf2 `l` that is no length")?;
            }
            _ => return Err("has a pbkdf2 parameter other than `i` and `l`".into()),
        }
    }
    let salt = base64(salt).ok_or("has a pbkdf2 salt that is not base64")?;
    let key = base64(key).ok_or("has a pbkdf2 hash that is not base64")?;
    if key.len() != length || iterations == 0 {
        return Err(format!(
            "has a pbkdf2 hash of {} bytes where `l` says {length}, or no iterations",
            key.len()
        ));
    }

    Ok(LegacyHash::Pbkdf2 {
        algorithm,
        iterations,
        salt,
        key,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn hash_of(spec: Value) -> Result<LegacyHash, String> {
        legacy_hash(spec.as_object().expect("an object"))
    }

    #[test]
    fn auth0s_documented_salted_md5_example_becomes_a_prefix_salted_digest() {
        let hash = hash_of(json!({
            "algorithm": "md5",
            "hash": {"value": "67A1E09BB1F83F5007DC119C14D663AA", "encoding": "hex"},
            "salt": {"value": "salt", "position": "prefix"}
        }));

        let expected = LegacyHash::Digest {
            algorithm: Digest::Md5,
            digest: hex("67a1e09bb1f83f5007dc119c14d663aa").unwrap(),
            salt: Some(b"salt".to_vec()),
            salt_position: SaltPosition::Prefix,
        };
        assert_eq!(hash, Ok(expected));
    }

    #[test]
    fn pbkdf2_takes_auth0s_defaults_for_missing_parameters() {
        let key =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, [7u8; 64]);
        let value = format!("$pbkdf2-sha512$$c2FsdA${key}");

        let hash = hash_of(json!({"algorithm": "pbkdf2", "hash": {"value": value}}));

        let expected = LegacyHash::Pbkdf2 {
            algorithm: Digest::Sha512,
            iterations: 100_000,
            salt: b"salt".to_vec(),
            key: vec![7; 64],
        };
        assert_eq!(hash, Ok(expected));
    }

    #[test]
    fn a_pbkdf2_digest_cutover_cannot_compute_is_not_carried() {
        let value = "$pbkdf2-ripemd160$i=1000,l=20$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAA";

        let hash = hash_of(json!({"algorithm": "pbkdf2", "hash": {"value": value}}));

        assert_eq!(
            hash,
            Err("uses PBKDF2 over \"ripemd160\", a digest cutover cannot compute".into())
        );
    }

    #[test]
    fn pbkdf2_over_sha384_means_sha2_not_kratoss_sha3() {
        let key =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, [9u8; 48]);
        let value = format!("$pbkdf2-sha384$i=1000,l=48$c2FsdA${key}");

        let hash = hash_of(json!({"algorithm": "pbkdf2", "hash": {"value": value}}));

        let expected = LegacyHash::Pbkdf2 {
            algorithm: Digest::Sha384,
            iterations: 1000,
            salt: b"salt".to_vec(),
            key: vec![9; 48],
        };
        assert_eq!(hash, Ok(expected));
    }

    #[test]
    fn a_password_hashed_in_another_encoding_than_utf8_is_refused() {
        let reason = hash_of(json!({
            "algorithm": "md5", "password": {"encoding": "utf16le"},
            "hash": {"value": "67A1E09BB1F83F5007DC119C14D663AA", "encoding": "hex"}
        }))
        .expect_err("utf16le");

        assert!(reason.contains("utf16le"), "{reason}");
    }

    #[test]
    fn a_digest_of_the_wrong_length_is_refused_without_quoting_it() {
        let reason = hash_of(json!({
            "algorithm": "sha256", "hash": {"value": "abcdef", "encoding": "hex"}
        }))
        .expect_err("3 bytes");

        assert_eq!(
            reason,
            "has a `hash.value` of 3 bytes where the digest has 32"
        );
    }
}
