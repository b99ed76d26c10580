//! Salts, ids and password hashes for the fixtures, computed with the RustCrypto crates.
//!
//! Everything random-looking is derived from a label with SHA-256, so a rerun writes the
//! same bytes and a changed generator shows up as a diff of the fixtures.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use md5::Md5;
use pbkdf2::pbkdf2_hmac;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

/// `n` bytes derived from `label`, the same on every run.
pub fn bytes(label: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut counter = 0u32;
    while out.len() < n {
        let block = Sha256::new()
            .chain_update(b"cutover-fixture:")
            .chain_update(label.as_bytes())
            .chain_update(counter.to_be_bytes())
            .finalize();
        out.extend_from_slice(&block);
        counter += 1;
    }
    out.truncate(n);
    out
}

/// A version-4-shaped UUID derived from `label`, as Keycloak and Cognito ids look.
pub fn uuid(label: &str) -> String {
    let mut b = bytes(&format!("uuid:{label}"), 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A salt of `n` letters and digits, as Django's `get_random_string` makes them.
pub fn text_salt(label: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    bytes(&format!("salt:{label}"), n)
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Standard base64 with padding, as Java's encoder writes it.
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64 without padding, as PHC strings write it.
pub fn b64_raw(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}

/// The PBKDF2 digests the fixtures use.
#[derive(Clone, Copy)]
pub enum Prf {
    Sha1,
    Sha256,
    Sha512,
}

/// PBKDF2-HMAC of `password` with a derived key of `length` bytes.
pub fn pbkdf2(prf: Prf, password: &str, salt: &[u8], iterations: u32, length: usize) -> Vec<u8> {
    let mut key = vec![0u8; length];
    let password = password.as_bytes();
    match prf {
        Prf::Sha1 => pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut key),
        Prf::Sha256 => pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut key),
        Prf::Sha512 => pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut key),
    }
    key
}

/// Argon2 parameters: variant, memory in KiB, time cost, lanes, tag length.
pub struct Argon {
    pub algorithm: Algorithm,
    pub memory: u32,
    pub time: u32,
    pub lanes: u32,
    pub length: usize,
}

/// The Argon2 (version 1.3) tag of `password`.
pub fn argon2(params: &Argon, password: &str, salt: &[u8]) -> Vec<u8> {
    let argon_params = Params::new(
        params.memory,
        params.time,
        params.lanes,
        Some(params.length),
    )
    .expect("valid argon2 parameters");
    let mut tag = vec![0u8; params.length];
    Argon2::new(params.algorithm, Version::V0x13, argon_params)
        .hash_password_into(password.as_bytes(), salt, &mut tag)
        .expect("argon2 hashes");
    tag
}

/// A bcrypt hash of `secret` with a derived salt, written with the `$2b$` prefix.
pub fn bcrypt(label: &str, secret: &str, cost: u32) -> String {
    let salt: [u8; 16] = bytes(&format!("bcrypt:{label}"), 16)
        .try_into()
        .expect("16 bytes");
    bcrypt::hash_with_salt(secret, cost, salt)
        .expect("a valid bcrypt cost")
        .format_for_version(bcrypt::Version::TwoB)
}

/// The hex SHA-1 of `input`.
pub fn sha1_hex(input: &str) -> String {
    hex::encode(Sha1::digest(input.as_bytes()))
}

/// The hex SHA-256 of `input`.
pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

/// The hex MD5 of `input`.
pub fn md5_hex(input: &str) -> String {
    hex::encode(Md5::digest(input.as_bytes()))
}
