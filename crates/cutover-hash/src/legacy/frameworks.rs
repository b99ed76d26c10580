//! The layouts web frameworks store: Django's `<algorithm>$…`, Werkzeug's
//! `<method>:<params>$<salt>$<hex>`, ASP.NET Identity's base64 blobs, and the bare hex MD5
//! of old PHP applications.
//!
//! Django and Werkzeug use the salt as text (its UTF-8 bytes), so converting them means
//! base64-encoding that text; Django writes PBKDF2 and scrypt keys in padded base64,
//! Werkzeug in hex. ASP.NET Identity packs PBKDF2's parameters in front of salt and key.

use super::argon2::Argon2;
use super::bcrypt::Bcrypt;
use super::digest::DigestHash;
use super::pbkdf2::{self, Pbkdf2, Prf, digest_named};
use super::prehash::Prehash;
use super::scheme::Scheme;
use super::scrypt::Scrypt;
use super::{Digest, SaltPosition};
use crate::encoding::legacy_base64;
use crate::{HashError, HashFamily};

/// ASP.NET Identity version 2: PBKDF2-HMAC-SHA1 with these fixed parameters.
const ASPNET_V2_ITERATIONS: u32 = 1000;
const ASPNET_V2_LEN: usize = 1 + 16 + 32;
/// ASP.NET Identity refuses salts and subkeys shorter than 128 bits.
const ASPNET_MIN_LEN: usize = 16;

/// The family of a Django `<algorithm>$…` string, if the algorithm is one Django ships.
pub(super) fn django_family(text: &str) -> Option<HashFamily> {
    let (algorithm, rest) = text.split_once('$')?;
    Some(match algorithm {
        "pbkdf2_sha256" | "pbkdf2_sha1" => HashFamily::Pbkdf2,
        "argon2" => match rest.split('$').next() {
            Some("argon2id") => HashFamily::Argon2id,
            Some("argon2i") => HashFamily::Argon2i,
            Some("argon2d") => HashFamily::Argon2d,
            _ => return None,
        },
        "bcrypt" => HashFamily::Bcrypt,
        "bcrypt_sha256" => HashFamily::DjangoBcryptSha256,
        "scrypt" => HashFamily::Scrypt,
        "sha1" => HashFamily::SaltedSha,
        "md5" => HashFamily::Md5,
        _ => return None,
    })
}

/// Reads a Django `<algorithm>$…` string.
pub(super) fn parse_django(text: &str) -> Result<Scheme, HashError> {
    let family = django_family(text).ok_or(HashError::UnknownFormat)?;
    let (algorithm, rest) = text.split_once('$').ok_or(HashError::UnknownFormat)?;
    let fields: Vec<&str> = rest.split('$').collect();
    match (algorithm, fields.as_slice()) {
        ("pbkdf2_sha256" | "pbkdf2_sha1", [iterations, salt, hash]) => {
            let prf = if algorithm == "pbkdf2_sha1" {
                Prf::Sha1
            } else {
                Prf::Sha256
            };
            let key = decode_base64(family, hash)?;
            Pbkdf2::new(prf, number(family, iterations)?, salt.as_bytes(), &key).map(Scheme::Pbkdf2)
        }
        ("argon2", _) => Argon2::parse_phc(&text["argon2".len()..]).map(Scheme::Argon2),
        ("bcrypt", _) => Bcrypt::parse(rest, family).map(Scheme::Bcrypt),
        ("bcrypt_sha256", _) => {
            let inner = Bcrypt::parse(rest, family)?;
            Ok(Scheme::Prehashed(
                Prehash::DjangoSha256,
                Box::new(Scheme::Bcrypt(inner)),
            ))
        }
        ("scrypt", [n, salt, r, p, hash]) => {
            let key = decode_base64(family, hash)?;
            Scrypt::new(
                u64::from(number(family, n)?),
                number(family, r)?,
                number(family, p)?,
                salt.as_bytes(),
                &key,
            )
            .map(Scheme::Scrypt)
        }
        // Django's salted SHA-1 and MD5 hash the salt first; an empty salt means unsalted.
        ("sha1" | "md5", [salt, hash]) => {
            let digest = if algorithm == "sha1" {
                Digest::Sha1
            } else {
                Digest::Md5
            };
            let bytes = decode_hex(family, hash)?;
            DigestHash::new(digest, &bytes, Some(salt.as_bytes()), SaltPosition::Prefix)
                .map(Scheme::Digest)
        }
        _ => Err(HashError::malformed(
            family,
            format!(
                "has {} `$`-separated fields after `{algorithm}$`, which Django does not write",
                fields.len()
            ),
        )),
    }
}

/// The family of a Werkzeug `pbkdf2:…` or `scrypt:…` string.
pub(super) fn werkzeug_family(text: &str) -> Option<HashFamily> {
    if let Some(rest) = text.strip_prefix("pbkdf2:") {
        let digest = rest.split([':', '$']).next()?;
        Some(pbkdf2::family_of(Prf::of_digest(digest_named(digest)?)))
    } else if text.starts_with("scrypt:") {
        Some(HashFamily::Scrypt)
    } else {
        None
    }
}

/// Reads Werkzeug's `pbkdf2:<digest>:<iterations>$<salt>$<hex>` or
/// `scrypt:<N>:<r>:<p>$<salt>$<hex>`.
pub(super) fn parse_werkzeug(text: &str) -> Result<Scheme, HashError> {
    let family = werkzeug_family(text).ok_or(HashError::UnknownFormat)?;
    let fields: Vec<&str> = text.split('$').collect();
    let [method, salt, hash] = fields.as_slice() else {
        return Err(HashError::field_count(
            family,
            fields.len() - 1,
            "2",
            "`<method>$<salt>$<hex hash>`",
        ));
    };
    let key = decode_hex(family, hash)?;
    let params: Vec<&str> = method.split(':').collect();
    match params.as_slice() {
        ["pbkdf2", digest, iterations] => {
            let digest = digest_named(digest).ok_or(HashError::UnknownFormat)?;
            Pbkdf2::from_parts(digest, number(family, iterations)?, salt.as_bytes(), &key)
                .map(Scheme::Pbkdf2)
        }
        ["pbkdf2", _] => Err(HashError::malformed(
            family,
            "does not give its iteration count, and Werkzeug's default changed between \
             versions; add it as `pbkdf2:<digest>:<iterations>`",
        )),
        ["scrypt", n, r, p] => Scrypt::new(
            u64::from(number(family, n)?),
            number(family, r)?,
            number(family, p)?,
            salt.as_bytes(),
            &key,
        )
        .map(Scheme::Scrypt),
        _ => Err(HashError::malformed(
            family,
            "the method is not `pbkdf2:<digest>:<iterations>` or `scrypt:<N>:<r>:<p>`",
        )),
    }
}

/// Reads an ASP.NET Identity `PasswordHash`, if `text` is one.
///
/// Version 2 blobs are a zero byte, a 16-byte salt and a 32-byte key; version 3 blobs a
/// one byte, then the PRF (0 SHA-1, 1 SHA-256, 2 SHA-512), the iteration count and the
/// salt length as big-endian 32-bit numbers, then salt and key.
pub(super) fn parse_aspnet(text: &str) -> Option<Pbkdf2> {
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    let blob = legacy_base64::decode(text)?;
    match blob.first()? {
        0 if blob.len() == ASPNET_V2_LEN => {
            Pbkdf2::new(Prf::Sha1, ASPNET_V2_ITERATIONS, &blob[1..17], &blob[17..]).ok()
        }
        1 => {
            let word = |at: usize| -> Option<u32> {
                Some(u32::from_be_bytes(blob.get(at..at + 4)?.try_into().ok()?))
            };
            let prf = match word(1)? {
                0 => Prf::Sha1,
                1 => Prf::Sha256,
                2 => Prf::Sha512,
                _ => return None,
            };
            let salt_len = usize::try_from(word(9)?).ok()?;
            let salt = blob.get(13..13usize.checked_add(salt_len)?)?;
            let key = &blob[13 + salt_len..];
            if salt.len() < ASPNET_MIN_LEN || key.len() < ASPNET_MIN_LEN {
                return None;
            }
            Pbkdf2::new(prf, word(5)?, salt, key).ok()
        }
        _ => None,
    }
}

/// Whether `text` is a bare hex MD5 (old PHP applications, Django's unsalted MD5).
pub(super) fn is_hex_md5(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads a bare hex MD5.
pub(super) fn parse_hex_md5(text: &str) -> Result<Scheme, HashError> {
    let digest = decode_hex(HashFamily::Md5, text)?;
    DigestHash::new(Digest::Md5, &digest, None, SaltPosition::Suffix).map(Scheme::Digest)
}

fn number(family: HashFamily, text: &str) -> Result<u32, HashError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HashError::malformed(
            family,
            "a cost parameter is not a number",
        ));
    }
    text.parse()
        .map_err(|_| HashError::malformed(family, "a cost parameter does not fit in 32 bits"))
}

fn decode_base64(family: HashFamily, text: &str) -> Result<Vec<u8>, HashError> {
    legacy_base64::decode(text).ok_or_else(|| HashError::malformed(family, "hash is not base64"))
}

fn decode_hex(family: HashFamily, text: &str) -> Result<Vec<u8>, HashError> {
    hex::decode(text).map_err(|_| HashError::malformed(family, "hash is not hexadecimal"))
}
