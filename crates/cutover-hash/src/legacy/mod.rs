//! Legacy password hashes as the source systems store them, before any conversion.
//!
//! Readers of exports do not all hand over a self-describing string: Auth0's bulk-import
//! `custom_password_hash`, Keycloak's credential records, Firebase's per-project
//! parameters and generic CSV columns give the parts separately. [`LegacyHash`] holds
//! either a string in a known layout or those parts, decoded to bytes, so that the
//! conversion into a Kratos string and the verification of a password are written once,
//! here, whatever the reader.
//!
//! Every hash, whatever its shape, is first read into a [`Scheme`](scheme::Scheme): what it
//! computes, with its parameters decoded. From there one module per family converts it
//! into a Kratos string or verifies a password against it.
//!
//! The `Debug` output of every type here redacts digests, salts and keys: a legacy user
//! can be logged without leaking its hash.

mod argon2;
mod bcrypt;
mod digest;
mod firebase;
mod frameworks;
mod ldap;
mod pbkdf2;
mod phpass;
mod prehash;
mod recognise;
pub(crate) mod scheme;
mod scrypt;

use std::fmt;

use crate::{HashError, HashFamily};

/// The most memory one password check may take (4 GiB): far above what any real system
/// configures, and low enough that a corrupt cost parameter cannot exhaust the machine.
const MAX_MEMORY: u64 = 4 << 30;

/// Refuses a hash whose check would need more than [`MAX_MEMORY`] bytes.
fn check_memory(family: HashFamily, bytes: u128) -> Result<(), HashError> {
    if bytes > u128::from(MAX_MEMORY) {
        return Err(HashError::unusable(
            family,
            format!(
                "its cost parameters ask for {} MiB of memory per password check, more than \
                 the {} MiB cutover allows; no real system uses this, so the hash is likely \
                 corrupt",
                bytes >> 20,
                MAX_MEMORY >> 20
            ),
        ));
    }
    Ok(())
}

// TODO: a password hashed in another encoding than UTF-8 (Auth0's `password.encoding`,
// Clerk's `hmac_sha256_utf16_b64`) or with a pepper (Devise) has no variant yet.
/// A legacy password hash: a string in a known layout, or its parts given separately.
///
/// Readers produce [`LegacyHash::Encoded`] whenever the export has one self-describing
/// string, and the other variants when it gives the parts separately (or when the string
/// means something else than its look-alike, see [`LegacyHash::from_phc_pbkdf2`]).
#[derive(Clone, PartialEq, Eq)]
pub enum LegacyHash {
    /// A self-describing string, recognised by its layout:
    ///
    /// - a string already in a Kratos import format, with Kratos's meaning (so
    ///   `$pbkdf2-sha384$…` is PBKDF2 over SHA3-384, as Kratos computes it);
    /// - modular crypt: bcrypt `$2a$`/`$2b$`/`$2y$`/`$2$`/`$2x$`, `$1$`, `$5$`, `$6$`,
    ///   phpass `$P$`/`$H$`, Drupal 7 `$S$` and `U$…`, WordPress 6.8 `$wp$…`;
    /// - PHC: `$argon2id$`/`$argon2i$`/`$argon2d$` (also `v=16` or without `v=`), passlib's
    ///   `$pbkdf2$`/`$pbkdf2-sha256$`/`$pbkdf2-sha512$` and `$scrypt$` (`ln` = log2 N),
    ///   Supabase's `$fbscrypt$`;
    /// - Django: `pbkdf2_sha256$`, `pbkdf2_sha1$`, `argon2$`, `bcrypt$`, `bcrypt_sha256$`,
    ///   `scrypt$`, `sha1$`, `md5$`, and a bare 32-digit hex MD5;
    /// - Werkzeug: `pbkdf2:<digest>:<iterations>$…` and `scrypt:<N>:<r>:<p>$…`;
    /// - LDAP (RFC 2307, any case): `{SSHA}`, `{SSHA256}`, `{SSHA384}`, `{SSHA512}`,
    ///   `{SHA}`, `{SHA256}`, `{SHA384}`, `{SHA512}`, `{MD5}`, `{SMD5}`, and `{CRYPT}`
    ///   followed by a modular crypt string;
    /// - an ASP.NET Identity `PasswordHash`: base64 of a version 2 (`0x00`) or version 3
    ///   (`0x01`) blob.
    Encoded(String),

    /// A plain or salted message digest of the password, such as a CSV column of hex SHA-1
    /// with a salt column.
    Digest {
        /// The digest algorithm.
        algorithm: Digest,
        /// The digest bytes.
        digest: Vec<u8>,
        /// The salt bytes, if the scheme is salted.
        salt: Option<Vec<u8>>,
        /// Where the salt goes relative to the password; ignored without a salt.
        salt_position: SaltPosition,
    },

    /// An HMAC of the password under a key.
    Hmac {
        /// The digest algorithm of the HMAC.
        algorithm: Digest,
        /// The MAC bytes.
        mac: Vec<u8>,
        /// The HMAC key.
        key: Vec<u8>,
    },

    /// PBKDF2 given as parts (Keycloak, Auth0 bulk import).
    Pbkdf2 {
        /// The HMAC digest the PRF uses, as the source system means it (real SHA-2).
        algorithm: Digest,
        /// The iteration count.
        iterations: u32,
        /// The salt bytes.
        salt: Vec<u8>,
        /// The derived key bytes.
        key: Vec<u8>,
    },

    /// Plain scrypt given as parts, with N written out (not its logarithm).
    Scrypt {
        /// The CPU/memory cost N.
        n: u64,
        /// The block size r.
        r: u32,
        /// The parallelism p.
        p: u32,
        /// The salt bytes.
        salt: Vec<u8>,
        /// The derived key bytes.
        key: Vec<u8>,
    },

    /// Firebase's modified scrypt: the user's hash and salt with the project's parameters.
    FirebaseScrypt {
        /// The user's password hash bytes (`passwordHash`).
        hash: Vec<u8>,
        /// The user's salt bytes (`salt`).
        salt: Vec<u8>,
        /// The project's hash parameters.
        params: FirebaseParams,
    },

    /// Argon2 given as parts (Keycloak's `argon2` credentials).
    Argon2 {
        /// Argon2d, Argon2i or Argon2id.
        algorithm: Argon2Algorithm,
        /// The Argon2 version (Keycloak's `version` `1.3` is [`Argon2Version::V13`]).
        version: Argon2Version,
        /// The memory cost in KiB (`m`).
        memory_kib: u32,
        /// The number of passes (`t`; Keycloak's `hashIterations`).
        iterations: u32,
        /// The number of lanes (`p`; Keycloak's `parallelism`).
        parallelism: u32,
        /// The salt bytes.
        salt: Vec<u8>,
        /// The tag bytes; its length is the tag length.
        hash: Vec<u8>,
    },
}

/// One of the three Argon2 algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Argon2Algorithm {
    /// Argon2d: data-dependent memory access. Kratos cannot import it.
    Argon2d,
    /// Argon2i: data-independent memory access.
    Argon2i,
    /// Argon2id: the hybrid, and the usual choice.
    Argon2id,
}

/// A version of the Argon2 algorithm, as PHC strings write it after `v=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Argon2Version {
    /// Version 1.0 (`v=16`, or no `v=` at all). Kratos cannot import it.
    V10,
    /// Version 1.3 (`v=19`), the current one.
    V13,
}

/// A message digest algorithm of a legacy scheme, written in snake case in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    /// MD4 (as in NTLM-style schemes).
    Md4,
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224 (SHA-2).
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384 (SHA-2).
    Sha384,
    /// SHA-512.
    Sha512,
}

/// Where a salt is joined to the password before digesting, written in snake case in
/// configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaltPosition {
    /// `salt ‖ password`.
    Prefix,
    /// `password ‖ salt`, the more common layout.
    #[default]
    Suffix,
}

/// A Firebase project's password hash parameters (`auth:export` hash config).
#[derive(Clone, PartialEq, Eq)]
pub struct FirebaseParams {
    /// The project's signer key bytes (`base64_signer_key`).
    pub signer_key: Vec<u8>,
    /// The salt separator bytes (`base64_salt_separator`).
    pub salt_separator: Vec<u8>,
    /// The scrypt block size r (`rounds`).
    pub rounds: u32,
    /// log2 of scrypt's N (`mem_cost`).
    pub mem_cost: u32,
}

impl LegacyHash {
    /// The hash string, when the hash was exported as one.
    pub fn as_encoded(&self) -> Option<&str> {
        match self {
            Self::Encoded(text) => Some(text),
            _ => None,
        }
    }

    /// Reads a standard PHC PBKDF2 string, `$pbkdf2-<digest>$i=<n>,l=<len>$<salt>$<hash>`,
    /// where the digest name means what it says (real SHA-224 and SHA-384, also MD5 and
    /// MD4), into [`LegacyHash::Pbkdf2`] parts.
    ///
    /// Use it for PHC strings written by anything but Kratos, such as Auth0's bulk-import
    /// `custom_password_hash` with `algorithm: pbkdf2`: as an [`LegacyHash::Encoded`]
    /// string, `$pbkdf2-sha384$…` would be read with Kratos's meaning (SHA3-384) and its
    /// users could never log in. The parameter field may be left out or give only `i=`
    /// (Auth0 then assumes 100,000 iterations); salt and hash are base64 in the standard
    /// or URL-safe alphabet, padded or not. OpenSSL digest aliases (`RSA-SHA256`, `sha-256`)
    /// are accepted.
    pub fn from_phc_pbkdf2(text: &str) -> Result<Self, HashError> {
        pbkdf2::from_phc(text)
    }
}

impl fmt::Debug for LegacyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Encoded(_) => "Encoded",
            Self::Digest { .. } => "Digest",
            Self::Hmac { .. } => "Hmac",
            Self::Pbkdf2 { .. } => "Pbkdf2",
            Self::Scrypt { .. } => "Scrypt",
            Self::FirebaseScrypt { .. } => "FirebaseScrypt",
            Self::Argon2 { .. } => "Argon2",
        };
        write!(f, "LegacyHash::{kind}(<redacted>)")
    }
}

impl fmt::Debug for FirebaseParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FirebaseParams")
            .field("signer_key", &"<redacted>")
            .field("salt_separator", &"<redacted>")
            .field("rounds", &self.rounds)
            .field("mem_cost", &self.mem_cost)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_hash_material() {
        let hash = LegacyHash::Digest {
            algorithm: Digest::Sha1,
            digest: b"secret-digest".to_vec(),
            salt: Some(b"secret-salt".to_vec()),
            salt_position: SaltPosition::Suffix,
        };
        let encoded = LegacyHash::Encoded("$2b$04$secretsecretsecretsecr".into());

        for text in [format!("{hash:?}"), format!("{encoded:?}")] {
            assert!(!text.contains("secret"), "{text}");
            assert!(text.contains("redacted"), "{text}");
        }
    }
}
