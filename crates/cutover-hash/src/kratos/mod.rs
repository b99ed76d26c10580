//! The hash formats Kratos imports: one module per family, each able to parse, validate and
//! verify its strings exactly as Kratos's comparator would.
//!
//! Every module follows the same split. Its parser mirrors the Kratos decoder (field
//! counts, Go's number scanning, the base64 flavour) and fails exactly where Kratos fails.
//! Its validator adds what Kratos does not check but a migration must: text Kratos quietly
//! ignores, digests that can never match, strings that would match any password, and
//! parameters that standard libraries would have treated differently. Its verifier
//! computes the digest with the RustCrypto crates and compares in constant time.

mod argon2;
mod bcrypt;
pub(crate) mod firescrypt;
mod hmac;
mod md5;
mod md5_crypt;
pub(crate) mod pbkdf2;
mod salted_sha;
pub(crate) mod scrypt;
mod sha_crypt;
mod ssha;
mod template;

use subtle::ConstantTimeEq as _;

use crate::detect::{KratosFormat, kratos_format};
use crate::{HashError, HashFamily};

/// Kratos's verdict on `hash` at import, tightened to "and some password can verify it".
pub(crate) fn validate(hash: &str) -> Result<HashFamily, HashError> {
    let format = kratos_format(hash).ok_or(HashError::UnknownFormat)?;
    let family = format.family();
    if hash.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(HashError::malformed(
            family,
            "contains white space or control characters, which no hash format has \
             (Kratos skips some of them while decoding)",
        ));
    }

    match format {
        KratosFormat::Md5Crypt => md5_crypt::validate(hash),
        KratosFormat::Bcrypt => bcrypt::validate(hash),
        KratosFormat::Sha256Crypt | KratosFormat::Sha512Crypt => sha_crypt::validate(hash),
        KratosFormat::Argon2id | KratosFormat::Argon2i => argon2::validate(hash),
        KratosFormat::Pbkdf2 => pbkdf2::validate(hash),
        KratosFormat::Scrypt => scrypt::validate(hash),
        KratosFormat::Ssha => ssha::validate(hash),
        KratosFormat::SaltedSha => salted_sha::validate(hash),
        KratosFormat::Firescrypt => firescrypt::validate(hash),
        KratosFormat::Md5 => md5::validate(hash),
        KratosFormat::Hmac => hmac::validate(hash),
    }?;
    Ok(family)
}

/// Whether Kratos's comparator accepts `password` for `hash`.
pub(crate) fn verify(password: &[u8], hash: &str) -> bool {
    let Some(format) = kratos_format(hash) else {
        return false;
    };
    match format {
        KratosFormat::Md5Crypt => md5_crypt::verify(password, hash),
        KratosFormat::Bcrypt => bcrypt::verify(password, hash),
        KratosFormat::Sha256Crypt | KratosFormat::Sha512Crypt => sha_crypt::verify(password, hash),
        KratosFormat::Argon2id | KratosFormat::Argon2i => argon2::verify(password, hash),
        KratosFormat::Pbkdf2 => pbkdf2::verify(password, hash),
        KratosFormat::Scrypt => scrypt::verify(password, hash),
        KratosFormat::Ssha => ssha::verify(password, hash),
        KratosFormat::SaltedSha => salted_sha::verify(password, hash),
        KratosFormat::Firescrypt => firescrypt::verify(password, hash),
        KratosFormat::Md5 => md5::verify(password, hash),
        KratosFormat::Hmac => hmac::verify(password, hash),
    }
}

/// Splits `hash` on `$` like Go's `strings.Split`, checking the count Kratos requires.
///
/// `fields` counts what follows the leading `$`, so `$scrypt$ln=…$salt$hash` has four.
fn split_fields<'a>(
    hash: &'a str,
    family: HashFamily,
    fields: usize,
    layout: &str,
) -> Result<Vec<&'a str>, HashError> {
    let parts: Vec<&str> = hash.split('$').collect();
    if parts.len() != fields + 1 {
        return Err(HashError::field_count(
            family,
            parts.len() - 1,
            &fields.to_string(),
            layout,
        ));
    }
    Ok(parts)
}

/// Decodes one base64 field, naming it in the error.
fn decode_field(
    family: HashFamily,
    field: &str,
    flavour: crate::encoding::Flavour,
    text: &str,
) -> Result<Vec<u8>, HashError> {
    crate::encoding::go_base64::decode(flavour, text)
        .ok_or_else(|| HashError::malformed(family, format!("{field} is not {flavour}")))
}

/// Kratos's final comparison: equal length and equal bytes, in constant time.
pub(crate) fn constant_time_eq(stored: &[u8], computed: &[u8]) -> bool {
    stored.ct_eq(computed).into()
}
