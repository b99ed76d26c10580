//! Argon2 in every form the source systems write: PHC strings of all three algorithms
//! and both versions (`$argon2id$v=19$…`, `$argon2i$m=…` without a version), Django's
//! `argon2$argon2id$…`, and Keycloak's parts.
//!
//! Kratos imports Argon2i and Argon2id of version 1.3 only, within its cost bounds.
//! Argon2d and version 1.0 compute something else, so those users go to the hook.

use argon2::{Algorithm, Params, Version};

use super::scheme::finish;
use super::{Argon2Algorithm, Argon2Version};
use crate::encoding::legacy_base64;
use crate::{HashError, HashFamily};

/// The shortest salt the Argon2 reference implementation (and RustCrypto's) accepts.
const MIN_SALT: usize = 8;

/// An Argon2 hash, decoded.
pub(crate) struct Argon2 {
    algorithm: Argon2Algorithm,
    version: Argon2Version,
    memory: u32,
    passes: u32,
    lanes: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl Argon2 {
    /// An Argon2 hash from its parts, `[memory KiB, passes, lanes]` as in `m=,t=,p=`.
    pub(crate) fn new(
        algorithm: Argon2Algorithm,
        version: Argon2Version,
        [memory, passes, lanes]: [u32; 3],
        salt: &[u8],
        hash: &[u8],
    ) -> Result<Self, HashError> {
        let family = family_of(algorithm);
        if Params::new(memory, passes, lanes, Some(hash.len())).is_err()
            || u64::from(memory) < 8 * u64::from(lanes)
        {
            return Err(HashError::malformed(
                family,
                format!(
                    "parameters m={memory},t={passes},p={lanes} with a {}-byte tag are outside \
                     what Argon2 allows (m at least 8 KiB per lane, t and p at least 1, a tag \
                     of at least 4 bytes)",
                    hash.len()
                ),
            ));
        }
        super::check_memory(family, u128::from(memory) * 1024)?;
        if salt.len() < MIN_SALT {
            return Err(HashError::malformed(
                family,
                format!(
                    "salt is {} bytes where Argon2 needs at least {MIN_SALT}",
                    salt.len()
                ),
            ));
        }
        Ok(Self {
            algorithm,
            version,
            memory,
            passes,
            lanes,
            salt: salt.to_vec(),
            hash: hash.to_vec(),
        })
    }

    /// Reads a PHC string: `$argon2<type>$[v=<16|19>$]m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`.
    pub(crate) fn parse_phc(text: &str) -> Result<Self, HashError> {
        let fields: Vec<&str> = text.split('$').collect();
        let algorithm = match fields.get(1).copied() {
            Some("argon2id") => Argon2Algorithm::Argon2id,
            Some("argon2i") => Argon2Algorithm::Argon2i,
            Some("argon2d") => Argon2Algorithm::Argon2d,
            _ => {
                return Err(HashError::malformed(
                    HashFamily::Argon2id,
                    "does not start with $argon2id$, $argon2i$ or $argon2d$",
                ));
            }
        };
        let family = family_of(algorithm);
        let (version, rest) = match fields.as_slice() {
            [_, _, version, params, salt, hash] => {
                (read_version(family, version)?, [*params, *salt, *hash])
            }
            [_, _, params, salt, hash] => (Argon2Version::V10, [*params, *salt, *hash]),
            _ => {
                return Err(HashError::field_count(
                    family,
                    fields.len() - 1,
                    "4 or 5",
                    "`$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`",
                ));
            }
        };
        let [params, salt, hash] = rest;
        let costs = read_costs(family, params)?;
        let decode = |field: &str, text: &str| {
            legacy_base64::decode(text)
                .ok_or_else(|| HashError::malformed(family, format!("{field} is not base64")))
        };
        Self::new(
            algorithm,
            version,
            costs,
            &decode("salt", salt)?,
            &decode("hash", hash)?,
        )
    }

    pub(crate) fn family(&self) -> HashFamily {
        family_of(self.algorithm)
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        let name = match self.algorithm {
            Argon2Algorithm::Argon2id => "argon2id",
            Argon2Algorithm::Argon2i => "argon2i",
            Argon2Algorithm::Argon2d => {
                return Err(HashError::not_importable(
                    HashFamily::Argon2d,
                    "Kratos imports Argon2i and Argon2id only",
                ));
            }
        };
        if self.version == Argon2Version::V10 {
            return Err(HashError::not_importable(
                self.family(),
                "it is Argon2 version 1.0 (v=16 or no version), and Kratos computes version 1.3 \
                 only, which gives another result",
            ));
        }
        finish(format!(
            "${name}$v=19$m={},t={},p={}${}${}",
            self.memory,
            self.passes,
            self.lanes,
            legacy_base64::unpadded(&self.salt),
            legacy_base64::unpadded(&self.hash)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let algorithm = match self.algorithm {
            Argon2Algorithm::Argon2d => Algorithm::Argon2d,
            Argon2Algorithm::Argon2i => Algorithm::Argon2i,
            Argon2Algorithm::Argon2id => Algorithm::Argon2id,
        };
        let version = match self.version {
            Argon2Version::V10 => Version::V0x10,
            Argon2Version::V13 => Version::V0x13,
        };
        let Ok(params) = Params::new(self.memory, self.passes, self.lanes, Some(self.hash.len()))
        else {
            return false;
        };
        let mut derived = vec![0; self.hash.len()];
        argon2::Argon2::new(algorithm, version, params)
            .hash_password_into(password, &self.salt, &mut derived)
            .is_ok()
            && crate::kratos::constant_time_eq(&self.hash, &derived)
    }
}

fn family_of(algorithm: Argon2Algorithm) -> HashFamily {
    match algorithm {
        Argon2Algorithm::Argon2d => HashFamily::Argon2d,
        Argon2Algorithm::Argon2i => HashFamily::Argon2i,
        Argon2Algorithm::Argon2id => HashFamily::Argon2id,
    }
}

fn read_version(family: HashFamily, field: &str) -> Result<Argon2Version, HashError> {
    match field {
        "v=19" => Ok(Argon2Version::V13),
        "v=16" => Ok(Argon2Version::V10),
        _ => Err(HashError::malformed(
            family,
            "the version field is not v=19 or v=16",
        )),
    }
}

/// Reads `m=…,t=…,p=…`, refusing a secret key id or associated data it cannot use.
fn read_costs(family: HashFamily, field: &str) -> Result<[u32; 3], HashError> {
    let unreadable = || {
        HashError::malformed(
            family,
            "the parameter field is not `m=<KiB>,t=<passes>,p=<lanes>`",
        )
    };
    let mut costs = [None; 3];
    for pair in field.split(',') {
        let (name, value) = pair.split_once('=').ok_or_else(unreadable)?;
        let slot = match name {
            "m" => 0,
            "t" => 1,
            "p" => 2,
            "keyid" | "data" => {
                return Err(HashError::malformed(
                    family,
                    "it uses a secret key (keyid=) or associated data (data=), which the hash \
                     does not carry, so no password can be checked against it here",
                ));
            }
            _ => return Err(unreadable()),
        };
        if costs[slot].is_some() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable());
        }
        costs[slot] = Some(value.parse::<u32>().map_err(|_| unreadable())?);
    }
    match costs {
        [Some(m), Some(t), Some(p)] => Ok([m, t, p]),
        _ => Err(unreadable()),
    }
}
