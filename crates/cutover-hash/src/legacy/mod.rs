//! Legacy password hashes as the source systems store them, before any conversion.
//!
//! Readers of exports do not all hand over a self-describing string: Auth0's bulk-import
//! `custom_password_hash`, Keycloak's credential records, Firebase's per-project
//! parameters and generic CSV columns give the parts separately. [`LegacyHash`] holds
//! either a string in a known layout or those parts, decoded to bytes, so that the
//! conversion into a Kratos string and the verification of a password are written once,
//! here, whatever the reader.
//!
//! The `Debug` output of every type here redacts digests, salts and keys: a legacy user
//! can be logged without leaking its hash.

use std::fmt;

/// A legacy password hash: a string in a known layout, or its parts given separately.
#[derive(Clone, PartialEq, Eq)]
pub enum LegacyHash {
    /// A self-describing string: modular crypt (`$2b$…`, `$1$…`, `$5$…`, `$6$…`, `$P$…`,
    /// `$S$…`, `$wp$…`), PHC (`$argon2id$…`, passlib's `$pbkdf2-sha256$…`), Django
    /// (`pbkdf2_sha256$…`, `bcrypt_sha256$…`, `argon2$…`), LDAP (`{SSHA}…`), Supabase's
    /// `$fbscrypt$…`, or a string already in a Kratos import format.
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
}

/// A message digest algorithm of a legacy scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Where a salt is joined to the password before digesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
