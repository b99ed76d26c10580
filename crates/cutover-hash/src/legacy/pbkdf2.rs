//! PBKDF2 in the layouts that use Kratos's `$pbkdf2-` prefix: Kratos's own
//! (`i=…,l=…`), passlib's (`$pbkdf2-sha256$<rounds>$<ab64 salt>$<ab64 hash>`) and the
//! standard PHC form others write, where the digest name means what it says.
//!
//! The same letters mean different functions: Kratos computes `pbkdf2-sha224` and
//! `pbkdf2-sha384` with SHA-3, so a real SHA-224 or SHA-384 PBKDF2 cannot be imported,
//! while a Kratos string with those names converts to itself. [`Prf`] keeps the two apart.

use super::scheme::finish;
use super::{Digest, LegacyHash};
use crate::encoding::legacy_base64;
pub(crate) use crate::kratos::pbkdf2::Prf;
use crate::{HashError, HashFamily};

/// The iterations Auth0 assumes when a PHC PBKDF2 string leaves `i=` out.
const AUTH0_DEFAULT_ITERATIONS: u32 = 100_000;

impl Prf {
    /// The function a source system means by a legacy digest.
    pub(crate) fn of_digest(digest: Digest) -> Self {
        match digest {
            Digest::Md4 => Self::Md4,
            Digest::Md5 => Self::Md5,
            Digest::Sha1 => Self::Sha1,
            Digest::Sha224 => Self::Sha224,
            Digest::Sha256 => Self::Sha256,
            Digest::Sha384 => Self::Sha384,
            Digest::Sha512 => Self::Sha512,
        }
    }
}

/// A PBKDF2 hash, decoded.
pub(crate) struct Pbkdf2 {
    prf: Prf,
    iterations: u32,
    salt: Vec<u8>,
    key: Vec<u8>,
}

impl Pbkdf2 {
    /// A PBKDF2 hash computed with `prf`; refuses what no password can ever match.
    pub(crate) fn new(
        prf: Prf,
        iterations: u32,
        salt: &[u8],
        key: &[u8],
    ) -> Result<Self, HashError> {
        let hash = Self {
            prf,
            iterations,
            salt: salt.to_vec(),
            key: key.to_vec(),
        };
        if iterations == 0 {
            return Err(HashError::malformed(
                hash.family(),
                "the iteration count is 0",
            ));
        }
        if key.is_empty() {
            return Err(HashError::malformed(
                hash.family(),
                "the derived key is empty",
            ));
        }
        Ok(hash)
    }

    /// PBKDF2 from parts given by a reader, with the digest as the source system means it.
    pub(crate) fn from_parts(
        digest: Digest,
        iterations: u32,
        salt: &[u8],
        key: &[u8],
    ) -> Result<Self, HashError> {
        Self::new(Prf::of_digest(digest), iterations, salt, key)
    }

    /// Reads `$pbkdf2-<digest>$…` in Kratos's layout or passlib's, and passlib's `$pbkdf2$`.
    pub(crate) fn parse_dollar(text: &str) -> Result<Self, HashError> {
        let fields: Vec<&str> = text.split('$').collect();
        let [_, name, params, salt, key] = fields.as_slice() else {
            return Err(HashError::field_count(
                HashFamily::Pbkdf2,
                fields.len() - 1,
                "4",
                "`$pbkdf2-<digest>$i=<iterations>,l=<length>$<salt>$<hash>` or passlib's \
                 `$pbkdf2-<digest>$<rounds>$<salt>$<hash>`",
            ));
        };
        let digest = name.strip_prefix("pbkdf2").unwrap_or(name);
        if params.starts_with("i=") {
            let iterations = read_params(params)?;
            let prf = Prf::of_kratos_name(digest.strip_prefix('-').unwrap_or(digest));
            return Self::new(prf, iterations, &decode(salt)?, &decode(key)?);
        }

        let prf = match digest {
            "" => Prf::Sha1,
            "-sha256" => Prf::Sha256,
            "-sha512" => Prf::Sha512,
            _ => {
                return Err(HashError::malformed(
                    HashFamily::Pbkdf2,
                    "passlib names PBKDF2 digests pbkdf2, pbkdf2-sha256 or pbkdf2-sha512",
                ));
            }
        };
        let iterations = params.parse().map_err(|_| {
            HashError::malformed(HashFamily::Pbkdf2, "the rounds field is not a number")
        })?;
        let ab64 = |field: &str, text: &str| {
            legacy_base64::decode_ab64(text).ok_or_else(|| {
                HashError::malformed(
                    HashFamily::Pbkdf2,
                    format!("{field} is not passlib's base64 (`./A-Za-z0-9`)"),
                )
            })
        };
        Self::new(prf, iterations, &ab64("salt", salt)?, &ab64("hash", key)?)
    }

    pub(crate) fn family(&self) -> HashFamily {
        family_of(self.prf)
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        let name = match self.prf {
            Prf::Sha1 => "sha1",
            Prf::Sha256 => "sha256",
            Prf::Sha512 => "sha512",
            Prf::Sha3_224 => "sha224",
            Prf::Sha3_384 => "sha384",
            Prf::Sha224 | Prf::Sha384 => {
                return Err(HashError::not_importable(
                    self.family(),
                    "Kratos computes its pbkdf2-sha224 and pbkdf2-sha384 with SHA-3, not with \
                     the SHA-2 this hash was made with",
                ));
            }
            Prf::Md5 | Prf::Md4 => {
                return Err(HashError::not_importable(
                    self.family(),
                    "Kratos's PBKDF2 takes SHA-1, SHA-256 and SHA-512 only",
                ));
            }
        };
        finish(format!(
            "$pbkdf2-{name}$i={},l={}${}${}",
            self.iterations,
            self.key.len(),
            legacy_base64::unpadded(&self.salt),
            legacy_base64::unpadded(&self.key)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let mut derived = vec![0; self.key.len()];
        self.prf
            .derive(password, &self.salt, self.iterations, &mut derived);
        crate::kratos::constant_time_eq(&self.key, &derived)
    }
}

/// Reads a standard PHC PBKDF2 string with real digest names into parts.
pub(super) fn from_phc(text: &str) -> Result<LegacyHash, HashError> {
    let family = HashFamily::Pbkdf2;
    let fields: Vec<&str> = text.split('$').collect();
    let (name, params, salt, key) = match fields.as_slice() {
        [_, name, params, salt, key] => (*name, Some(*params), *salt, *key),
        [_, name, salt, key] => (*name, None, *salt, *key),
        _ => {
            return Err(HashError::field_count(
                family,
                fields.len() - 1,
                "3 or 4",
                "`$pbkdf2-<digest>$i=<iterations>,l=<length>$<salt>$<hash>`",
            ));
        }
    };
    let digest = name
        .strip_prefix("pbkdf2-")
        .and_then(digest_named)
        .ok_or_else(|| {
            HashError::malformed(
                family,
                "the digest is not one of sha1, sha224, sha256, sha384, sha512, md5, md4",
            )
        })?;
    let iterations = match params {
        Some(params) => read_params(params)?,
        None => AUTH0_DEFAULT_ITERATIONS,
    };
    let decode_any = |field: &str, text: &str| {
        legacy_base64::decode_any_alphabet(text)
            .ok_or_else(|| HashError::malformed(family, format!("{field} is not base64")))
    };
    let (salt, key) = (decode_any("salt", salt)?, decode_any("hash", key)?);

    // Refuse here what could never verify, so that a reader reports it at its record.
    Pbkdf2::from_parts(digest, iterations, &salt, &key)?;
    Ok(LegacyHash::Pbkdf2 {
        algorithm: digest,
        iterations,
        salt,
        key,
    })
}

/// The family of PBKDF2 hashes computed with `prf`.
pub(crate) fn family_of(prf: Prf) -> HashFamily {
    match prf {
        Prf::Sha1 | Prf::Sha256 | Prf::Sha512 | Prf::Sha3_224 | Prf::Sha3_384 => HashFamily::Pbkdf2,
        Prf::Sha224 => HashFamily::Pbkdf2Sha224,
        Prf::Sha384 => HashFamily::Pbkdf2Sha384,
        Prf::Md5 => HashFamily::Pbkdf2Md5,
        Prf::Md4 => HashFamily::Pbkdf2Md4,
    }
}

/// The digest a name stands for outside Kratos (`sha256`, `SHA-256`, `RSA-SHA256`, ...).
pub(crate) fn digest_named(name: &str) -> Option<Digest> {
    let name = name.to_ascii_lowercase();
    let name = name.strip_prefix("rsa-").unwrap_or(&name).replace('-', "");
    Some(match name.as_str() {
        "sha1" => Digest::Sha1,
        "sha224" => Digest::Sha224,
        "sha256" => Digest::Sha256,
        "sha384" => Digest::Sha384,
        "sha512" => Digest::Sha512,
        "md5" => Digest::Md5,
        "md4" => Digest::Md4,
        _ => return None,
    })
}

/// Reads `i=<iterations>[,l=<length>]` into the iterations; the length, as in Kratos, is
/// the decoded key's and `l=` is only checked to be a number.
fn read_params(field: &str) -> Result<u32, HashError> {
    let unreadable = || {
        HashError::malformed(
            HashFamily::Pbkdf2,
            "the parameter field is not `i=<iterations>,l=<length>`",
        )
    };
    let number = |text: &str| -> Result<u32, HashError> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable());
        }
        text.parse().map_err(|_| unreadable())
    };
    let mut pairs = field.split(',');
    let iterations = number(
        pairs
            .next()
            .and_then(|p| p.strip_prefix("i="))
            .ok_or_else(unreadable)?,
    )?;
    if let Some(pair) = pairs.next() {
        number(pair.strip_prefix("l=").ok_or_else(unreadable)?)?;
    }
    if pairs.next().is_some() {
        return Err(unreadable());
    }
    Ok(iterations)
}

fn decode(text: &str) -> Result<Vec<u8>, HashError> {
    legacy_base64::decode(text)
        .ok_or_else(|| HashError::malformed(HashFamily::Pbkdf2, "salt or hash is not base64"))
}
