//! LDAP salted SHA: `{SSHA}`, `{SSHA256}` or `{SSHA512}` followed by base64(digest ‖ salt).
//!
//! The base64 is padded but, unlike every other Kratos format, its trailing bits are not
//! checked. Kratos splits the decoded bytes at the digest length and needs at least one
//! byte of salt after it; the digest is SHA(password ‖ salt).

use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use crate::encoding::Flavour;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Ssha;

/// An SSHA hash, decoded as Kratos decodes it.
struct Ssha {
    variant: Variant,
    digest: Vec<u8>,
    salt: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
enum Variant {
    Sha1,
    Sha256,
    Sha512,
}

impl Variant {
    fn digest_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Sha1 => "{SSHA} needs a 20-byte SHA-1 digest",
            Self::Sha256 => "{SSHA256} needs a 32-byte SHA-256 digest",
            Self::Sha512 => "{SSHA512} needs a 64-byte SHA-512 digest",
        }
    }
}

fn parse(hash: &str) -> Result<Ssha, HashError> {
    let (variant, encoded) = if let Some(rest) = hash.strip_prefix("{SSHA}") {
        (Variant::Sha1, rest)
    } else if let Some(rest) = hash.strip_prefix("{SSHA256}") {
        (Variant::Sha256, rest)
    } else if let Some(rest) = hash.strip_prefix("{SSHA512}") {
        (Variant::Sha512, rest)
    } else {
        return Err(HashError::malformed(
            FAMILY,
            "the prefix is not {SSHA}, {SSHA256} or {SSHA512}",
        ));
    };

    let mut decoded =
        super::decode_field(FAMILY, "the digest and salt", Flavour::StdLenient, encoded)?;
    let digest_len = variant.digest_len();
    if decoded.len() <= digest_len {
        return Err(HashError::malformed(
            FAMILY,
            format!(
                "the digest and salt decode to {} bytes; {} followed by at least one byte of salt",
                decoded.len(),
                variant.label()
            ),
        ));
    }
    let salt = decoded.split_off(digest_len);
    Ok(Ssha {
        variant,
        digest: decoded,
        salt,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    parse(hash).map(|_| ())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    let computed = match parsed.variant {
        Variant::Sha1 => Sha1::new()
            .chain_update(password)
            .chain_update(&parsed.salt)
            .finalize()
            .to_vec(),
        Variant::Sha256 => Sha256::new()
            .chain_update(password)
            .chain_update(&parsed.salt)
            .finalize()
            .to_vec(),
        Variant::Sha512 => Sha512::new()
            .chain_update(password)
            .chain_update(&parsed.salt)
            .finalize()
            .to_vec(),
    };
    super::constant_time_eq(&parsed.digest, &computed)
}
