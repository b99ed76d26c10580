//! What a legacy hash computes, with its parameters decoded: the common ground between
//! reading a hash (from a string or from parts), converting it and verifying a password.
//!
//! Many layouts compute the same thing: Django's `pbkdf2_sha256$…`, passlib's
//! `$pbkdf2-sha256$…`, Keycloak's credential parts and an ASP.NET Identity blob are all
//! PBKDF2 with a salt, an iteration count and a key. Reading each of them into one
//! [`Scheme`] means the conversion into Kratos's string and the password check are
//! written once per algorithm, and a conversion can be checked against the verifier of
//! the very same value.

use super::argon2::Argon2;
use super::bcrypt::Bcrypt;
use super::digest::{DigestHash, HmacHash};
use super::firebase::Firebase;
use super::pbkdf2::Pbkdf2;
use super::phpass::Phpass;
use super::prehash::Prehash;
use super::scrypt::Scrypt;
use super::{Argon2Algorithm, LegacyHash, recognise};
use crate::detect::{KratosFormat, kratos_format};
use crate::{HashError, HashFamily};

/// A legacy hash read into what it computes.
pub(crate) enum Scheme {
    /// A string Kratos imports as it is (at most with its crypt(3) prefix rewritten) and
    /// verifies exactly as the source system did: MD5, salted SHA, SSHA, HMAC, md5-crypt
    /// and sha-crypt in Kratos form. These have no cost bounds that could refuse them.
    Kratos(String),
    /// bcrypt, any variant.
    Bcrypt(Bcrypt),
    /// Argon2, any algorithm and version.
    Argon2(Argon2),
    /// PBKDF2 with any pseudorandom function.
    Pbkdf2(Pbkdf2),
    /// Plain scrypt.
    Scrypt(Scrypt),
    /// Firebase's modified scrypt.
    Firebase(Firebase),
    /// A plain or salted message digest.
    Digest(DigestHash),
    /// An HMAC of the password.
    Hmac(HmacHash),
    /// phpass or Drupal 7's iterated digest.
    Phpass(Phpass),
    /// Another scheme applied to a transformed password (WordPress 6.8, Django
    /// `bcrypt_sha256`, Drupal's `U$`).
    Prehashed(Prehash, Box<Scheme>),
}

impl Scheme {
    /// Reads a legacy hash, or says why it cannot be read.
    pub(crate) fn read(hash: &LegacyHash) -> Result<Self, HashError> {
        match hash {
            LegacyHash::Encoded(text) => recognise::parse(text),
            LegacyHash::Digest {
                algorithm,
                digest,
                salt,
                salt_position,
            } => DigestHash::new(*algorithm, digest, salt.as_deref(), *salt_position)
                .map(Self::Digest),
            LegacyHash::Hmac {
                algorithm,
                mac,
                key,
            } => HmacHash::new(*algorithm, mac, key).map(Self::Hmac),
            LegacyHash::Pbkdf2 {
                algorithm,
                iterations,
                salt,
                key,
            } => Pbkdf2::from_parts(*algorithm, *iterations, salt, key).map(Self::Pbkdf2),
            LegacyHash::Scrypt { n, r, p, salt, key } => {
                Scrypt::new(*n, *r, *p, salt, key).map(Self::Scrypt)
            }
            LegacyHash::FirebaseScrypt { hash, salt, params } => {
                Firebase::from_parts(hash, salt, params).map(Self::Firebase)
            }
            LegacyHash::Argon2 {
                algorithm,
                version,
                memory_kib,
                iterations,
                parallelism,
                salt,
                hash,
            } => Argon2::new(
                *algorithm,
                *version,
                [*memory_kib, *iterations, *parallelism],
                salt,
                hash,
            )
            .map(Self::Argon2),
        }
    }

    /// The family this scheme belongs to, which must be the one recognised for it.
    #[cfg(test)]
    pub(crate) fn family(&self) -> HashFamily {
        match self {
            Self::Kratos(text) => crate::detect(text),
            Self::Bcrypt(bcrypt) => bcrypt.family(),
            Self::Argon2(argon2) => argon2.family(),
            Self::Pbkdf2(pbkdf2) => pbkdf2.family(),
            Self::Scrypt(_) => HashFamily::Scrypt,
            Self::Firebase(_) => HashFamily::Firescrypt,
            Self::Digest(digest) => digest.family(),
            Self::Hmac(_) => HashFamily::Hmac,
            Self::Phpass(phpass) => phpass.family(),
            Self::Prehashed(prehash, _) => prehash.family(),
        }
    }

    /// The Kratos import string for this scheme, or why there is none.
    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        match self {
            Self::Kratos(text) => finish(text.clone()),
            Self::Bcrypt(bcrypt) => bcrypt.to_kratos(),
            Self::Argon2(argon2) => argon2.to_kratos(),
            Self::Pbkdf2(pbkdf2) => pbkdf2.to_kratos(),
            Self::Scrypt(scrypt) => scrypt.to_kratos(),
            Self::Firebase(firebase) => firebase.to_kratos(),
            Self::Digest(digest) => digest.to_kratos(),
            Self::Hmac(hmac) => hmac.to_kratos(),
            Self::Phpass(phpass) => Err(phpass.not_importable()),
            Self::Prehashed(prehash, _) => Err(prehash.not_importable()),
        }
    }

    /// Whether `password` matches, computed as the source system computed it.
    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, HashError> {
        Ok(match self {
            Self::Kratos(text) => {
                crate::validate_for_kratos(text)?;
                crate::kratos::verify(password, text)
            }
            Self::Bcrypt(bcrypt) => bcrypt.verify(password),
            Self::Argon2(argon2) => argon2.verify(password),
            Self::Pbkdf2(pbkdf2) => pbkdf2.verify(password),
            Self::Scrypt(scrypt) => scrypt.verify(password),
            Self::Firebase(firebase) => firebase.verify(password),
            Self::Digest(digest) => digest.verify(password),
            Self::Hmac(hmac) => hmac.verify(password),
            Self::Phpass(phpass) => phpass.verify(password),
            Self::Prehashed(prehash, inner) => return inner.verify(&prehash.apply(password)),
        })
    }
}

/// Whether `text` is a Kratos import string that goes to Kratos exactly as it is.
///
/// Kratos-form strings are taken with Kratos's meaning, except the original bcrypt `$2$`,
/// which only the 1997 OpenBSD bcrypt wrote and which Kratos computes differently.
fn passes_as_is(text: &str) -> bool {
    kratos_format(text).is_some_and(|format| {
        !(format == KratosFormat::Bcrypt && text.starts_with("$2$"))
            && crate::validate_for_kratos(text).is_ok()
    })
}

/// Checks a converted string with Kratos's rules before it is handed out.
///
/// A parameter that the algorithm allows but Kratos bounds (a bcrypt cost of 16, N of
/// 2^18, ...) makes the hash intact but not importable, so the user goes to the hook.
pub(crate) fn finish(text: String) -> Result<String, HashError> {
    match crate::validate_for_kratos(&text) {
        Ok(_) => Ok(text),
        Err(HashError::OutOfBounds {
            family,
            field,
            value,
            min,
            max,
        }) => Err(HashError::not_importable(
            family,
            format!("its {field} is {value}, outside the {min}..={max} Kratos accepts"),
        )),
        Err(other) => Err(other),
    }
}

/// The family of a legacy hash; see [`crate::family`].
pub(crate) fn family(hash: &LegacyHash) -> HashFamily {
    match hash {
        LegacyHash::Encoded(text) => recognise::family(text),
        LegacyHash::Digest { algorithm, .. } => algorithm.family(),
        LegacyHash::Hmac { .. } => HashFamily::Hmac,
        LegacyHash::Pbkdf2 { algorithm, .. } => {
            super::pbkdf2::family_of(super::pbkdf2::Prf::of_digest(*algorithm))
        }
        LegacyHash::Scrypt { .. } => HashFamily::Scrypt,
        LegacyHash::FirebaseScrypt { .. } => HashFamily::Firescrypt,
        LegacyHash::Argon2 { algorithm, .. } => match algorithm {
            Argon2Algorithm::Argon2d => HashFamily::Argon2d,
            Argon2Algorithm::Argon2i => HashFamily::Argon2i,
            Argon2Algorithm::Argon2id => HashFamily::Argon2id,
        },
    }
}

/// The Kratos import string of a legacy hash; see [`crate::to_kratos`].
pub(crate) fn to_kratos(hash: &LegacyHash) -> Result<String, HashError> {
    if let LegacyHash::Encoded(text) = hash
        && passes_as_is(text)
    {
        return Ok(text.clone());
    }
    Scheme::read(hash)?.to_kratos()
}

/// Whether a password matches a legacy hash; see [`crate::verify`].
pub(crate) fn verify(password: &[u8], hash: &LegacyHash) -> Result<bool, HashError> {
    Scheme::read(hash)?.verify(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One string of every layout, each readable.
    const LAYOUTS: [&str; 24] = [
        "$2b$04$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        "$2x$04$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        "$wp$2y$04$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        "bcrypt$$2b$04$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        "$P$6abcdefghRJFCMvnAbZH2hCiFPRxpk.",
        "$S$D0jOAf3SWo8LZbI3hnATd81YG0Q7XzQ9.hxtRfgcAO74X2qplNME",
        "U$S$C12345678IHnHmM3U8nvUda3s4/5SFfnM2C9XNAilxzh3EO.MHlx",
        "$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$CE423UmmMnCMx2OGHtu1ww",
        "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
        "$pbkdf2$1000$MDEyMzQ1Njc4OWFiY2RlZg$aUfE2vx5Q7zgbb0jx49AaNpXUQQ",
        "$pbkdf2-sha384$i=1,l=4$c2FsdA$aGFzaA",
        "pbkdf2:sha384:1000$salt$00ff",
        "pbkdf2_sha1$30000$seasalt2$pMzU1zNPcydf6wjnJFbiVKwgULc=",
        "AQAAAAAAAAPoAAAAEDAxMjM0NTY3ODlhYmNkZWZpR8Ta/HlDvOBtvSPHj0Bo2ldRBA==",
        "$scrypt$ln=4,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$OAkZqUBelG6VIYdTJfYSENL5OmZRxMa3GwXn5oFliTg",
        "scrypt:1024:8:1$salt$00ff",
        "$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==,sk=aGFzaA==$c2FsdA==$aGFzaA==",
        "{SSHA384}arqI2tYcglPTZ0mg6pcQ1y5KTFxuekLQsW7JhjKsaWZduNdfgx0H7SSYv1qF368Uc2FsdA==",
        "{SMD5}D4rOOyuX/Dgg3vClp5z5OnNhbHQ=",
        "{sha}L55TUjtiq8FBorTWAZ0jy6g129A=",
        "{CRYPT}$1$saltsalt$NuzA7WTAelpl95xgBGWN60",
        "md5$$098f6bcd4621d373cade4e832627b4f6",
        "098f6bcd4621d373cade4e832627b4f6",
    ];

    #[test]
    fn a_read_hash_belongs_to_the_family_its_layout_announces() {
        for text in LAYOUTS {
            let scheme = recognise::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            assert_eq!(scheme.family(), recognise::family(text), "{text}");
            assert_ne!(scheme.family(), HashFamily::Unknown, "{text}");
        }
    }
}
