//! Password hash formats: which family a legacy hash belongs to, the Ory Kratos import
//! string it converts into (or why there is none and its user goes to the password
//! migration hook), and whether a password matches it, as the source system or as Kratos
//! would decide.
//!
//! Kratos imports hashes in a dozen formats ([`HashFamily`]), recognised by prefix alone
//! ([`detect`]). What it accepts at import is wider than what can ever log a user in:
//! some strings are stored and then fail every login, a few would let any password in,
//! and a few are computed differently from the standard algorithm the source system
//! used. [`validate_for_kratos`] refuses all of those with a reason; [`verify_kratos`]
//! answers a login exactly as Kratos's comparator does.
//!
//! Legacy systems store hashes in many more layouts ([`LegacyHash`]): Django's, passlib's,
//! Werkzeug's, LDAP's, ASP.NET Identity's, crypt(3)'s, or as parts given separately by
//! Keycloak, Firebase and Auth0. [`to_kratos`] converts each into the Kratos string that
//! verifies the same passwords, or says why there is none: a hash Kratos has no format
//! for (phpass, Drupal 7, WordPress 6.8, Django's `bcrypt_sha256`, Argon2d, ...) is
//! [`HashError::NotImportable`], and its user goes to the password migration hook, where
//! [`verify`] checks the password against the legacy hash as the source system did.
//! [`family`] names the family of any of them for reports.
//!
//! | family | read from | converted into |
//! | --- | --- | --- |
//! | `bcrypt` | `$2a$`, `$2b$`, `$2y$`, Django `bcrypt$` | itself (cost 4..=15) |
//! | `argon2id`, `argon2i` | PHC `v=19`, Django `argon2$`, Keycloak parts | `$argon2id$v=19$…` |
//! | `pbkdf2` | Django, passlib, Werkzeug, ASP.NET Identity, Keycloak, Auth0 | `$pbkdf2-sha…$i=…` |
//! | `scrypt` | passlib (`ln` = log2 N), Django, Werkzeug, parts | `$scrypt$ln=<N>,…` |
//! | `firescrypt` | Firebase parts, Supabase `$fbscrypt$` | `$firescrypt$ln=<log2 N>,…` |
//! | `ssha` | LDAP `{SSHA}`, `{SSHA256}`, `{SSHA512}` | itself |
//! | `salted-sha` | SHA-1/256/512, plain or salted; LDAP `{SHA}`; Django `sha1$` | `$sha1$pf=…` |
//! | `md5` | plain or salted MD5, hex; LDAP `{MD5}`, `{SMD5}`; Django `md5$` | `$md5$…` |
//! | `hmac` | HMAC parts, seven digests | `$hmac-<digest>$…` (hex text) |
//! | `md5-crypt` | `$1$`, also inside `{CRYPT}` | `$md5-crypt$…` |
//! | `sha-crypt` | `$5$`, `$6$`, also inside `{CRYPT}` | `$sha256-crypt$…`, `$sha512-crypt$…` |
//!
//! Not importable, verified for the hook: `phpass`, `drupal7`, `wordpress`,
//! `django-bcrypt-sha256`, `bcrypt-2x`, `argon2d`, `pbkdf2-sha224`, `pbkdf2-sha384`,
//! `pbkdf2-md5`, `pbkdf2-md4`, `md4`, `sha224`, `sha384`; also, within importable families,
//! the original bcrypt `$2$`, Argon2 version 1.0, and costs above Kratos's bounds.
//!
//! The cryptography comes from the RustCrypto crates; what lives here is the parsing, the
//! conversions and the Kratos rules (Go's number scanning and base64 flavours, the bounds
//! Kratos enforces).

#![forbid(unsafe_code)]

mod detect;
mod encoding;
mod error;
mod family;
mod kratos;
mod legacy;

pub use detect::detect;
pub use error::{HashError, HashErrorKind};
pub use family::HashFamily;
pub use legacy::{
    Argon2Algorithm, Argon2Version, Digest, FirebaseParams, LegacyHash, SaltPosition,
};

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
/// A string is recognised by its layout (see [`LegacyHash::Encoded`] for the list), a
/// broken one by its prefix alone; parts name their family by their algorithm. Anything
/// unrecognised is [`HashFamily::Unknown`]. Unlike [`detect`], which answers as Kratos
/// would, this knows the legacy layouts too: `$1$…` is `md5-crypt`, `$P$…` is `phpass`.
pub fn family(hash: &LegacyHash) -> HashFamily {
    legacy::scheme::family(hash)
}

/// The string to import into Kratos for a legacy hash, or why there is none.
///
/// A string already in a Kratos import format goes through unchanged once
/// [`validate_for_kratos`] accepts it; everything else is converted (see the crate docs'
/// table), and the result always passes [`validate_for_kratos`] and verifies in
/// [`verify_kratos`] exactly the passwords [`verify`] accepts for the legacy hash
/// (passwords over 72 bytes aside, which Kratos's bcrypt refuses).
///
/// Callers branch on [`HashError::kind`]:
///
/// - [`HashErrorKind::NotImportable`]: the hash is intact but Kratos cannot take it (no
///   format computes it, or a cost exceeds Kratos's bounds); create the identity with the
///   password migration hook, and the reason says why in words a platform engineer knows;
/// - [`HashErrorKind::Broken`]: the hash is recognised but cannot match any password;
/// - [`HashErrorKind::Unknown`]: nothing recognises it.
pub fn to_kratos(hash: &LegacyHash) -> Result<String, HashError> {
    legacy::scheme::to_kratos(hash)
}

/// Whether `password` matches a legacy hash, computed as the source system computed it.
///
/// Works for every family [`to_kratos`] knows, importable or not: this is the check the
/// password migration hook makes. A string in Kratos form is verified with Kratos's
/// meaning (as [`verify_kratos`] would, but without Kratos's cost bounds, which are not
/// the source system's); bcrypt passwords over 72 bytes are truncated as the source
/// systems did. `Err` means the hash cannot be read (unknown or broken), never a wrong
/// password.
///
/// Slow by design for the costly families; call it off the async runtime.
pub fn verify(password: &str, hash: &LegacyHash) -> Result<bool, HashError> {
    legacy::scheme::verify(password.as_bytes(), hash)
}
