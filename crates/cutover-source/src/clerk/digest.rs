//! Clerk's `password_digest` and `password_hasher` turned into a [`LegacyHash`].
//!
//! Clerk stores a digest in the format of the hasher it came with, since users imported
//! into Clerk keep their old hash until they next sign in. Self-describing strings (bcrypt,
//! Argon2, phpass, Django's layouts, `{SSHA}`) are handed over as they are. Clerk's own
//! layouts are taken apart, because they look like others but mean something else:
//! `pbkdf2_sha256$<iterations>$<salt>$<hash>` has a base64 salt where Django's identical
//! looking string has a raw one, and `scrypt_firebase` packs the Firebase project's
//! parameters into the digest. Schemes no hash layout can express (a bcrypt pepper, a
//! Cognito reference) are refused with the reason.

use cutover_hash::{Digest, FirebaseParams, LegacyHash};

use crate::fields::{base64, hex};
use crate::password::Found;

/// What a digest of `hasher` is, or why it cannot be carried.
pub(crate) fn found(digest: Option<String>, hasher: Option<String>) -> Found {
    let Some(digest) = digest else {
        return Found::Nothing;
    };
    let Some(hasher) = hasher else {
        // Without a hasher the digest can only be recognised by its prefix, as any string.
        return Found::Hash(LegacyHash::Encoded(digest));
    };

    match parse(&digest, &hasher.to_ascii_lowercase()) {
        Ok(hash) => Found::Hash(hash),
        Err(reason) => Found::Unusable(format!("the {hasher} `password_digest` {reason}")),
    }
}

/// Parses a digest of a known hasher.
fn parse(digest: &str, hasher: &str) -> Result<LegacyHash, String> {
    match hasher {
        "bcrypt"
        | "argon2i"
        | "argon2id"
        | "bcrypt_sha256_django"
        | "pbkdf2_sha256_django"
        | "phpass"
        | "md5_phpass"
        | "ldap_ssha"
        | "scrypt_werkzeug" => Ok(LegacyHash::Encoded(digest.to_string())),
        "md5" => plain(digest, Digest::Md5, 16),
        "sha256" => plain(digest, Digest::Sha256, 32),
        "pbkdf2_sha256" => pbkdf2_base64(digest, "pbkdf2_sha256", Digest::Sha256),
        "pbkdf2_sha512" => pbkdf2_base64(digest, "pbkdf2_sha512", Digest::Sha512),
        "pbkdf2_sha1" => pbkdf2_sha1(digest),
        "scrypt_firebase" => scrypt_firebase(digest),
        "bcrypt_peppered" => Err("needs its pepper appended to the password, which no hash \
                                  layout of the target can express"
            .into()),
        "awscognito" => Err(
            "refers to a Cognito user pool and holds no hash; the password \
                             stays in Cognito"
                .into(),
        ),
        // TODO: Clerk also names `md5_salted`, `sha256_salted`, `sha512_symfony`,
        // `hmac_sha256_utf16_b64` and `pbkdf2_sha512_hex` without documenting their digest
        // layouts; their users are read as password-unavailable until a sample shows them.
        _ => Err("has a layout cutover does not know".into()),
    }
}

/// An unsalted digest in hex.
fn plain(digest: &str, algorithm: Digest, length: usize) -> Result<LegacyHash, String> {
    let digest = hex(digest)
        .filter(|bytes| bytes.len() == length)
        .ok_or_else(|| format!("is not {} hexadecimal digits", length * 2))?;
    Ok(LegacyHash::Digest {
        algorithm,
        digest,
        salt: None,
        salt_position: Default::default(),
    })
}

/// `<prefix>$<iterations>$<base64 salt>$<base64 hash>`.
fn pbkdf2_base64(digest: &str, prefix: &str, algorithm: Digest) -> Result<LegacyHash, String> {
    let parts: Vec<&str> = digest.split('$').collect();
    let [name, iterations, salt, key] = parts.as_slice() else {
        return Err(format!("is not `{prefix}$<iterations>$<salt>$<hash>`"));
    };
    if *name != prefix {
        return Err(format!("does not start with `{prefix}$`"));
    }

    Ok(LegacyHash::Pbkdf2 {
        algorithm,
        iterations: count(iterations)?,
        salt: base64(salt).ok_or("has a salt that is not base64")?,
        key: base64(key).ok_or("has a hash that is not base64")?,
    })
}

/// `pbkdf2_sha1$<iterations>$<salt>$<hex hash>[$<key length>]`, where the salt is hex when
/// it reads as hex and raw text otherwise, as Clerk documents.
fn pbkdf2_sha1(digest: &str) -> Result<LegacyHash, String> {
    let parts: Vec<&str> = digest.split('$').collect();
    let (iterations, salt, key, length) = match parts.as_slice() {
        ["pbkdf2_sha1", iterations, salt, key] => (*iterations, *salt, *key, None),
        ["pbkdf2_sha1", iterations, salt, key, length] => (*iterations, *salt, *key, Some(*length)),
        _ => return Err("is not `pbkdf2_sha1$<iterations>$<salt>$<hash>[$<length>]`".into()),
    };
    let key = hex(key).ok_or("has a hash that is not hex")?;
    if let Some(length) = length
        && length.parse::<usize>().ok() != Some(key.len())
    {
        return Err("has a hash whose length differs from the key length it gives".into());
    }

    Ok(LegacyHash::Pbkdf2 {
        algorithm: Digest::Sha1,
        iterations: count(iterations)?,
        salt: hex(salt).unwrap_or_else(|| salt.as_bytes().to_vec()),
        key,
    })
}

/// `<hash>$<salt>$<signer key>$<salt separator>$<rounds>$<memory cost>`, all base64 but
/// the two numbers.
fn scrypt_firebase(digest: &str) -> Result<LegacyHash, String> {
    let parts: Vec<&str> = digest.split('$').collect();
    let [hash, salt, signer_key, separator, rounds, mem_cost] = parts.as_slice() else {
        return Err("does not have the six `$`-separated parts".into());
    };
    let decode =
        |text: &str, part: &str| base64(text).ok_or(format!("has a {part} that is not base64"));

    Ok(LegacyHash::FirebaseScrypt {
        hash: decode(hash, "hash")?,
        salt: decode(salt, "salt")?,
        params: FirebaseParams {
            signer_key: decode(signer_key, "signer key")?,
            salt_separator: decode(separator, "salt separator")?,
            rounds: count(rounds)?,
            mem_cost: count(mem_cost)?,
        },
    })
}

/// A positive count written in decimal.
fn count(text: &str) -> Result<u32, String> {
    text.parse()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| "has a count that is not a positive number".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(digest: &str, hasher: &str) -> Result<LegacyHash, String> {
        parse(digest, hasher)
    }

    #[test]
    fn clerks_pbkdf2_sha256_has_a_base64_salt_unlike_djangos() {
        let clerk = hash("pbkdf2_sha256$1000$c2FsdA==$AAEC", "pbkdf2_sha256");
        let django = hash("pbkdf2_sha256$1000$c2FsdA==$AAEC", "pbkdf2_sha256_django");

        let expected = LegacyHash::Pbkdf2 {
            algorithm: Digest::Sha256,
            iterations: 1000,
            salt: b"salt".to_vec(),
            key: vec![0, 1, 2],
        };
        assert_eq!(clerk, Ok(expected));
        assert_eq!(
            django,
            Ok(LegacyHash::Encoded(
                "pbkdf2_sha256$1000$c2FsdA==$AAEC".into()
            ))
        );
    }

    #[test]
    fn a_pbkdf2_sha1_salt_is_hex_when_it_reads_as_hex_and_text_otherwise() {
        let salt = |digest: &str| match hash(digest, "pbkdf2_sha1") {
            Ok(LegacyHash::Pbkdf2 { salt, .. }) => salt,
            other => panic!("not pbkdf2: {other:?}"),
        };

        assert_eq!(salt("pbkdf2_sha1$10$0a0b$ff"), vec![0x0a, 0x0b]);
        assert_eq!(salt("pbkdf2_sha1$10$seasalt$ff"), b"seasalt".to_vec());
        assert!(hash("pbkdf2_sha1$10$0a0b$ffff$3", "pbkdf2_sha1").is_err());
    }

    #[test]
    fn scrypt_firebase_carries_the_project_parameters_of_the_digest() {
        let found = hash("AAEC$AwQ=$BQY=$Bw==$8$14", "scrypt_firebase");

        let expected = LegacyHash::FirebaseScrypt {
            hash: vec![0, 1, 2],
            salt: vec![3, 4],
            params: FirebaseParams {
                signer_key: vec![5, 6],
                salt_separator: vec![7],
                rounds: 8,
                mem_cost: 14,
            },
        };
        assert_eq!(found, Ok(expected));
    }

    #[test]
    fn a_peppered_bcrypt_is_refused_rather_than_imported_as_plain_bcrypt() {
        let digest = "$2a$10$C9hB01.YxRSTcn/ZOOo4j.TW7xCKKFKBSF.C7E0xiUwumqIDqWUXG$pepper";

        let reason = hash(digest, "bcrypt_peppered").expect_err("peppered");
        assert!(reason.contains("pepper"), "{reason}");
    }
}
