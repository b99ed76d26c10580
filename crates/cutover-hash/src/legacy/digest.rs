//! Plain and salted message digests of the password, and HMACs of it.
//!
//! Kratos has no plain SHA format and no salted digest format in the usual sense, but its
//! `$md5$` and `$sha1$`/`$sha256$`/`$sha512$` formats take a template: `{PASSWORD}` alone
//! gives a plain digest (with an empty salt field), `{SALT}{PASSWORD}` and
//! `{PASSWORD}{SALT}` give the two salt positions. So MD5, SHA-1, SHA-256 and SHA-512 all
//! convert, salted or not; MD4, SHA-224 and SHA-384 digests have no Kratos format.
//! HMACs convert for all seven digests Kratos knows, written as base64 of the hex text.

use hmac::{Hmac, KeyInit, Mac};
use md4::Md4;
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use super::scheme::finish;
use super::{Digest, SaltPosition};
use crate::encoding::legacy_base64;
use crate::{HashError, HashFamily};

impl Digest {
    /// The digest's output length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Md4 | Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The lowercase name Kratos and most systems use (`md5`, `sha256`, ...).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Md4 => "md4",
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The digest of the concatenation of `parts`.
    pub(crate) fn of(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut digest = D::new();
            for part in parts {
                digest.update(part);
            }
            digest.finalize().to_vec()
        }
        match self {
            Self::Md4 => run::<Md4>(parts),
            Self::Md5 => run::<Md5>(parts),
            Self::Sha1 => run::<Sha1>(parts),
            Self::Sha224 => run::<Sha224>(parts),
            Self::Sha256 => run::<Sha256>(parts),
            Self::Sha384 => run::<Sha384>(parts),
            Self::Sha512 => run::<Sha512>(parts),
        }
    }

    /// The HMAC of `message` under `key`.
    fn hmac(self, key: &[u8], message: &[u8]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
            // HMAC takes keys of any length, so this cannot fail.
            let mut mac = <M as KeyInit>::new_from_slice(key).expect("hmac accepts any key");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Self::Md4 => run::<Hmac<Md4>>(key, message),
            Self::Md5 => run::<Hmac<Md5>>(key, message),
            Self::Sha1 => run::<Hmac<Sha1>>(key, message),
            Self::Sha224 => run::<Hmac<Sha224>>(key, message),
            Self::Sha256 => run::<Hmac<Sha256>>(key, message),
            Self::Sha384 => run::<Hmac<Sha384>>(key, message),
            Self::Sha512 => run::<Hmac<Sha512>>(key, message),
        }
    }

    /// The family of plain or salted digests of this algorithm.
    pub(crate) const fn family(self) -> HashFamily {
        match self {
            Self::Md5 => HashFamily::Md5,
            Self::Sha1 | Self::Sha256 | Self::Sha512 => HashFamily::SaltedSha,
            Self::Md4 => HashFamily::Md4,
            Self::Sha224 => HashFamily::Sha224,
            Self::Sha384 => HashFamily::Sha384,
        }
    }
}

/// A plain or salted digest of the password.
pub(crate) struct DigestHash {
    algorithm: Digest,
    digest: Vec<u8>,
    salt: Option<(Vec<u8>, SaltPosition)>,
}

impl DigestHash {
    /// A digest hash; an empty salt counts as none.
    pub(crate) fn new(
        algorithm: Digest,
        digest: &[u8],
        salt: Option<&[u8]>,
        position: SaltPosition,
    ) -> Result<Self, HashError> {
        if digest.len() != algorithm.output_len() {
            return Err(HashError::malformed(
                algorithm.family(),
                format!(
                    "digest is {} bytes where {} digests are {}",
                    digest.len(),
                    algorithm.name(),
                    algorithm.output_len()
                ),
            ));
        }
        Ok(Self {
            algorithm,
            digest: digest.to_vec(),
            salt: salt
                .filter(|salt| !salt.is_empty())
                .map(|salt| (salt.to_vec(), position)),
        })
    }

    pub(crate) fn family(&self) -> HashFamily {
        self.algorithm.family()
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        let name = match self.algorithm {
            Digest::Md5 if self.salt.is_none() => {
                return finish(format!("$md5${}", legacy_base64::padded(&self.digest)));
            }
            Digest::Md5 | Digest::Sha1 | Digest::Sha256 | Digest::Sha512 => self.algorithm.name(),
            Digest::Md4 | Digest::Sha224 | Digest::Sha384 => {
                return Err(HashError::not_importable(
                    self.family(),
                    "Kratos's digest formats take MD5, SHA-1, SHA-256 and SHA-512 only",
                ));
            }
        };
        let (template, salt): (&str, &[u8]) = match &self.salt {
            None => ("{PASSWORD}", &[]),
            Some((salt, SaltPosition::Prefix)) => ("{SALT}{PASSWORD}", salt),
            Some((salt, SaltPosition::Suffix)) => ("{PASSWORD}{SALT}", salt),
        };
        finish(format!(
            "${name}$pf={}${}${}",
            legacy_base64::padded(template.as_bytes()),
            legacy_base64::padded(salt),
            legacy_base64::padded(&self.digest)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = match &self.salt {
            None => self.algorithm.of(&[password]),
            Some((salt, SaltPosition::Prefix)) => self.algorithm.of(&[salt, password]),
            Some((salt, SaltPosition::Suffix)) => self.algorithm.of(&[password, salt]),
        };
        crate::kratos::constant_time_eq(&self.digest, &computed)
    }
}

/// An HMAC of the password under a key.
pub(crate) struct HmacHash {
    algorithm: Digest,
    mac: Vec<u8>,
    key: Vec<u8>,
}

impl HmacHash {
    /// An HMAC hash; refuses a MAC of the wrong length for its digest.
    pub(crate) fn new(algorithm: Digest, mac: &[u8], key: &[u8]) -> Result<Self, HashError> {
        if mac.len() != algorithm.output_len() {
            return Err(HashError::malformed(
                HashFamily::Hmac,
                format!(
                    "the MAC is {} bytes where HMAC-{} gives {}",
                    mac.len(),
                    algorithm.name(),
                    algorithm.output_len()
                ),
            ));
        }
        Ok(Self {
            algorithm,
            mac: mac.to_vec(),
            key: key.to_vec(),
        })
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        finish(format!(
            "$hmac-{}${}${}",
            self.algorithm.name(),
            legacy_base64::padded(hex::encode(&self.mac).as_bytes()),
            legacy_base64::padded(&self.key)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = self.algorithm.hmac(&self.key, password);
        crate::kratos::constant_time_eq(&self.mac, &computed)
    }
}
