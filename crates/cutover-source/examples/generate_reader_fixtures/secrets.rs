//! Salts, ids and the password hashes only these fixtures use.
//!
//! Everything random-looking is derived from a label with SHA-256, so a rerun writes the
//! same bytes and a changed generator shows up as a diff of the fixtures.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::common::{self, Algo, digest};

/// `n` bytes derived from `label`, the same on every run.
pub fn bytes(label: &str, n: usize) -> Vec<u8> {
    common::bytes(&format!("cutover-fixture:{label}"), n)
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
    let salt = bytes(&format!("bcrypt:{label}"), 16);
    common::bcrypt(secret, &salt, cost, bcrypt::Version::TwoB)
}

/// The hex SHA-1 of `input`.
pub fn sha1_hex(input: &str) -> String {
    hex::encode(digest(Algo::Sha1, input.as_bytes()))
}

/// The hex SHA-256 of `input`.
pub fn sha256_hex(input: &str) -> String {
    hex::encode(digest(Algo::Sha256, input.as_bytes()))
}

/// The hex MD5 of `input`.
pub fn md5_hex(input: &str) -> String {
    hex::encode(digest(Algo::Md5, input.as_bytes()))
}
