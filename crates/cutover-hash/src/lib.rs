//! Password hash formats: which family a legacy hash belongs to, whether Ory Kratos can
//! import it as it is, and whether a password matches it the way Kratos would decide.
//!
//! Kratos imports hashes in a dozen formats ([`HashFamily`]), recognised by prefix alone
//! ([`detect`]). What it accepts at import is wider than what can ever log a user in:
//! some strings are stored and then fail every login, a few would let any password in,
//! and a few are computed differently from the standard algorithm the source system
//! used. [`validate_for_kratos`] refuses all of those with a reason; [`verify_kratos`]
//! answers a login exactly as Kratos's comparator does.
//!
//! The cryptography comes from the RustCrypto crates; what lives here is the parsing and
//! the Kratos rules (Go's number scanning and base64 flavours, the bounds Kratos enforces).
//! Legacy formats Kratos cannot import (phpass, Drupal 7, Django's own layouts) and their
//! conversion into Kratos strings are not handled yet; they will get their own families
//! and modules beside `kratos`.

#![forbid(unsafe_code)]

mod detect;
mod encoding;
mod error;
mod family;
mod kratos;
mod legacy;

pub use detect::detect;
pub use error::HashError;
pub use family::HashFamily;
pub use legacy::{Digest, FirebaseParams, LegacyHash, SaltPosition};

/// Whether `hash` can be imported into Kratos as it is, with its family if so.
///
/// `Ok` means Kratos accepts the string at import (with the cost bounds of Kratos master)
/// and some password verifies against it. Everything else is an `Err` that says what is
/// wrong without quoting the hash: an unknown prefix, a wrong layout or base64 flavour, a
/// parameter out of bounds, a digest that can never match, a string Kratos would match
/// with any password, and parameters that standard libraries would have treated
/// differently from Kratos (so the source system's users could not log in).
///
/// Whether a *given* password matches is not part of the verdict: a well-formed hash of
/// another password is `Ok` here and `false` in [`verify_kratos`].
pub fn validate_for_kratos(hash: &str) -> Result<HashFamily, HashError> {
    kratos::validate(hash)
}

/// Whether Kratos's password comparator would accept `password` for `hash`.
///
/// Mirrors Kratos, quirks included: a malformed or unknown hash never matches, bcrypt
/// passwords over 72 bytes never match, and the final comparison is constant-time. The
/// only departures are strings that [`validate_for_kratos`] refuses as non-standard
/// (sha-crypt with rounds outside 1000..=999999999 or salts over 16 characters, Argon2
/// with salts under 8 bytes, tags under 4 bytes or memory under 8 KiB per lane, bcrypt
/// salts with line breaks): Kratos computes its own variant for those, this returns false.
///
/// Slow by design for the costly families; call it off the async runtime.
pub fn verify_kratos(password: &str, hash: &str) -> bool {
    kratos::verify(password.as_bytes(), hash)
}

/// The family of a legacy hash, whether it came as a string or as parts.
///
/// A string is recognised by its prefix as Kratos would ([`detect`]); parts name their
/// family by their shape. Legacy families Kratos cannot import are not told apart yet and
/// come out as [`HashFamily::Unknown`].
pub fn family(hash: &LegacyHash) -> HashFamily {
    match hash {
        LegacyHash::Encoded(text) => detect(text),
        LegacyHash::Digest { algorithm, .. } => match algorithm {
            Digest::Md5 => HashFamily::Md5,
            Digest::Sha1 | Digest::Sha256 | Digest::Sha512 => HashFamily::SaltedSha,
            Digest::Md4 | Digest::Sha224 | Digest::Sha384 => HashFamily::Unknown,
        },
        LegacyHash::Hmac { .. } => HashFamily::Hmac,
        LegacyHash::Pbkdf2 { .. } => HashFamily::Pbkdf2,
        LegacyHash::Scrypt { .. } => HashFamily::Scrypt,
        LegacyHash::FirebaseScrypt { .. } => HashFamily::Firescrypt,
    }
}

/// The string to import into Kratos for a legacy hash, or why there is none.
///
/// A string already in a Kratos import format passes through once [`validate_for_kratos`]
/// accepts it. Conversion of other layouts comes with the legacy families; until then they
/// are refused as an unknown format.
pub fn to_kratos(hash: &LegacyHash) -> Result<String, HashError> {
    match hash {
        LegacyHash::Encoded(text) => validate_for_kratos(text).map(|_| text.clone()),
        _ => Err(HashError::UnknownFormat),
    }
}
