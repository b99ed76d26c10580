//! What the legacy round-trip tests share: the end-to-end check of one generated hash,
//! the password and salt strategies, and digests computed with the RustCrypto crates.

#![allow(dead_code)]

use cutover_hash::{
    Digest, HashErrorKind, HashFamily, LegacyHash, family, to_kratos, validate_for_kratos, verify,
    verify_kratos,
};
use proptest::prelude::*;
use sha2::Digest as _;

/// Checks one generated legacy hash end to end.
pub fn round_trip(
    hash: &LegacyHash,
    expected: HashFamily,
    password: &str,
    other: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(family(hash), expected);
    prop_assert_eq!(verify(password, hash), Ok(true));
    prop_assert_eq!(verify(other, hash), Ok(false));
    match to_kratos(hash) {
        Ok(kratos) => {
            prop_assert!(expected.is_importable(), "{} converted", expected);
            prop_assert_eq!(validate_for_kratos(&kratos), Ok(expected));
            prop_assert!(verify_kratos(password, &kratos), "{}", kratos);
            prop_assert!(!verify_kratos(other, &kratos), "{}", kratos);
        }
        Err(error) => {
            prop_assert!(!expected.is_importable(), "{}", error);
            prop_assert_eq!(error.kind(), HashErrorKind::NotImportable);
            prop_assert_eq!(error.family(), expected);
        }
    }
    Ok(())
}

pub fn passwords() -> impl Strategy<Value = (String, String)> {
    ("\\PC{0,24}", "\\PC{0,24}").prop_filter("two different passwords", |(a, b)| a != b)
}

pub fn ascii_passwords() -> impl Strategy<Value = (String, String)> {
    ("[ -~]{0,24}", "[ -~]{0,24}").prop_filter("two different passwords", |(a, b)| a != b)
}

pub fn salts() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 8..24)
}

/// Salts as text, the way Django and Werkzeug store them.
pub fn text_salts() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,16}"
}

pub fn encoded(text: String) -> LegacyHash {
    LegacyHash::Encoded(text)
}

pub fn pbkdf2_key(digest: Digest, password: &str, salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut key = vec![0u8; 32];
    let pw = password.as_bytes();
    match digest {
        Digest::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, salt, iterations, &mut key),
        Digest::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(pw, salt, iterations, &mut key),
        Digest::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(pw, salt, iterations, &mut key),
        Digest::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, salt, iterations, &mut key),
        Digest::Md5 => pbkdf2::pbkdf2_hmac::<md5::Md5>(pw, salt, iterations, &mut key),
        Digest::Md4 => pbkdf2::pbkdf2_hmac::<md4::Md4>(pw, salt, iterations, &mut key),
        Digest::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, salt, iterations, &mut key),
    }
    key
}

pub fn scrypt_key(password: &str, salt: &[u8], log_n: u8, len: usize) -> Vec<u8> {
    let mut key = vec![0u8; len];
    let params = scrypt::Params::new(log_n, 8, 1).unwrap();
    scrypt::scrypt(password.as_bytes(), salt, &params, &mut key).unwrap();
    key
}

pub fn digest_of(digest: Digest, input: &[u8]) -> Vec<u8> {
    match digest {
        Digest::Md4 => md4::Md4::digest(input).to_vec(),
        Digest::Md5 => md5::Md5::digest(input).to_vec(),
        Digest::Sha1 => sha1::Sha1::digest(input).to_vec(),
        Digest::Sha224 => sha2::Sha224::digest(input).to_vec(),
        Digest::Sha256 => sha2::Sha256::digest(input).to_vec(),
        Digest::Sha384 => sha2::Sha384::digest(input).to_vec(),
        Digest::Sha512 => sha2::Sha512::digest(input).to_vec(),
    }
}

pub const DIGESTS: [Digest; 7] = [
    Digest::Md4,
    Digest::Md5,
    Digest::Sha1,
    Digest::Sha224,
    Digest::Sha256,
    Digest::Sha384,
    Digest::Sha512,
];
