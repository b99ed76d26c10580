//! phpass portable hashes (`$P$`, `$H$`: WordPress before 6.8, phpBB 3) and Drupal 7's
//! `$S$`, which is the same construction over SHA-512.
//!
//! The string is the prefix, one character giving log2 of the iteration count, eight
//! characters of salt, then the digest in crypt(3)'s alphabet with little-endian groups.
//! The digest starts as D(salt ‖ password) and is replaced 2^count times by
//! D(digest ‖ password). Drupal cuts the whole string at 55 characters, keeping 43 of the
//! 86 characters of a SHA-512. No Kratos format iterates a digest this way.

use md5::Md5;
use sha2::Sha512;

use crate::encoding::crypt64;
use crate::{HashError, HashFamily};

/// The range of log2 iteration counts phpass and Drupal accept.
const LOG2_COUNT: std::ops::RangeInclusive<usize> = 7..=30;
const SALT_CHARS: usize = 8;
/// phpass refuses longer passwords outright.
const PHPASS_MAX_PASSWORD: usize = 4096;
/// Drupal refuses longer passwords outright.
const DRUPAL_MAX_PASSWORD: usize = 512;

/// The digest a hash iterates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Iterated {
    /// phpass `$P$` and `$H$`.
    Md5,
    /// Drupal 7 `$S$`.
    Sha512,
}

/// A phpass or Drupal 7 hash, split.
pub(crate) struct Phpass {
    iterated: Iterated,
    log2_count: usize,
    salt: String,
    hash: String,
}

impl Phpass {
    /// Reads `$P$…`, `$H$…` or `$S$…`; errors name `family`, the scheme it is in.
    pub(crate) fn parse(text: &str, family: HashFamily) -> Result<Self, HashError> {
        let (iterated, hash_chars) = if text.starts_with("$S$") {
            (Iterated::Sha512, 43)
        } else if text.starts_with("$P$") || text.starts_with("$H$") {
            (Iterated::Md5, 22)
        } else {
            return Err(HashError::malformed(
                family,
                "does not start with $P$, $H$ or $S$",
            ));
        };
        let expected = 4 + SALT_CHARS + hash_chars;
        if text.len() != expected || !text.is_ascii() {
            return Err(HashError::malformed(
                family,
                format!(
                    "is {} characters where this layout has {expected}",
                    text.len()
                ),
            ));
        }
        let log2_count = crypt64::value_of_char(text.as_bytes()[3])
            .filter(|count| LOG2_COUNT.contains(count))
            .ok_or_else(|| {
                HashError::malformed(
                    family,
                    "the iteration character is not a log2 count between 7 and 30",
                )
            })?;
        let hash = &text[4 + SALT_CHARS..];
        if !hash.bytes().all(|b| crypt64::value_of_char(b).is_some()) {
            return Err(HashError::malformed(
                family,
                "the digest is not in crypt(3)'s alphabet (`./0-9A-Za-z`)",
            ));
        }
        Ok(Self {
            iterated,
            log2_count,
            salt: text[4..4 + SALT_CHARS].to_string(),
            hash: hash.to_string(),
        })
    }

    pub(crate) fn family(&self) -> HashFamily {
        match self.iterated {
            Iterated::Md5 => HashFamily::Phpass,
            Iterated::Sha512 => HashFamily::Drupal7,
        }
    }

    /// Why Kratos cannot import these hashes.
    pub(crate) fn not_importable(&self) -> HashError {
        let reason = match self.iterated {
            Iterated::Md5 => {
                "phpass repeats MD5 over the password thousands of times, which no Kratos \
                 format computes"
            }
            Iterated::Sha512 => {
                "Drupal 7 repeats SHA-512 over the password thousands of times, which no \
                 Kratos format computes"
            }
        };
        HashError::not_importable(self.family(), reason)
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let max = match self.iterated {
            Iterated::Md5 => PHPASS_MAX_PASSWORD,
            Iterated::Sha512 => DRUPAL_MAX_PASSWORD,
        };
        if password.len() > max {
            return false;
        }
        let digest = match self.iterated {
            Iterated::Md5 => iterate::<Md5>(self.salt.as_bytes(), password, self.log2_count),
            Iterated::Sha512 => iterate::<Sha512>(self.salt.as_bytes(), password, self.log2_count),
        };
        let encoded = crypt64::encode_little_endian(&digest);
        let computed = encoded.get(..self.hash.len()).unwrap_or_default();
        crate::kratos::constant_time_eq(self.hash.as_bytes(), computed.as_bytes())
    }
}

/// D(salt ‖ password), then 2^log2_count times D(previous ‖ password).
fn iterate<D: sha2::Digest>(salt: &[u8], password: &[u8], log2_count: usize) -> Vec<u8> {
    let mut digest = D::new()
        .chain_update(salt)
        .chain_update(password)
        .finalize();
    for _ in 0..1u64 << log2_count {
        digest = D::new()
            .chain_update(&digest)
            .chain_update(password)
            .finalize();
    }
    digest.to_vec()
}
