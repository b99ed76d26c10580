//! The password hashes and encodings every fixture generator writes, computed with the
//! RustCrypto crates. Each generator derives its own salts, so that a rerun writes the same
//! bytes; what is computed from a salt is the same everywhere.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, KeyInit as _, Mac as _};
use md4::Md4;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

/// `n` deterministic pseudo-random bytes for `label`: SHA-256 of the label and a counter,
/// block after block.
pub fn bytes(label: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut counter = 0u32;
    while out.len() < n {
        let block = Sha256::new()
            .chain_update(label.as_bytes())
            .chain_update(counter.to_be_bytes())
            .finalize();
        out.extend_from_slice(&block);
        counter += 1;
    }
    out.truncate(n);
    out
}

/// Standard base64 with padding.
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64 without padding, as PHC strings write it.
pub fn b64_raw(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}

/// A bcrypt hash of `password` with `salt` at `cost`, written with `version`'s prefix.
pub fn bcrypt(password: &str, salt: &[u8], cost: u32, version: bcrypt::Version) -> String {
    let salt: [u8; 16] = salt.try_into().expect("a 16-byte bcrypt salt");
    bcrypt::hash_with_salt(password, cost, salt)
        .expect("bcrypt hashes any password under 72 bytes at a valid cost")
        .format_for_version(version)
}

/// An Argon2id PHC string with OWASP's parameters (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn argon2id(password: &str, salt: &[u8]) -> String {
    let (m, t, p) = (19_456, 2, 1);
    let params = Params::new(m, t, p, Some(32)).expect("valid argon2 parameters");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .expect("argon2 hashes");
    format!(
        "$argon2id$v=19$m={m},t={t},p={p}${}${}",
        b64_raw(salt),
        b64_raw(&out)
    )
}

/// The digests the fixtures use.
#[derive(Clone, Copy)]
pub enum Algo {
    Md4,
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

/// A plain digest of `data`.
pub fn digest(algo: Algo, data: &[u8]) -> Vec<u8> {
    match algo {
        Algo::Md4 => Md4::digest(data).to_vec(),
        Algo::Md5 => Md5::digest(data).to_vec(),
        Algo::Sha1 => Sha1::digest(data).to_vec(),
        Algo::Sha256 => Sha256::digest(data).to_vec(),
        Algo::Sha512 => Sha512::digest(data).to_vec(),
    }
}

/// `digest(salt ‖ password)` when `prefix`, else `digest(password ‖ salt)`.
pub fn salted(algo: Algo, password: &str, salt: &[u8], prefix: bool) -> Vec<u8> {
    let data = if prefix {
        [salt, password.as_bytes()].concat()
    } else {
        [password.as_bytes(), salt].concat()
    };
    digest(algo, &data)
}

/// HMAC-SHA256 of the password under `key`.
pub fn hmac_sha256(password: &str, key: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("any key length");
    mac.update(password.as_bytes());
    mac.finalize().into_bytes().to_vec()
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
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut key),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut key),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut key),
    }
    key
}

/// LDAP `{SSHA}`: base64 of SHA-1(password ‖ salt) followed by the salt.
pub fn ssha(password: &str, salt: &[u8]) -> String {
    let mut blob = salted(Algo::Sha1, password, salt, false);
    blob.extend_from_slice(salt);
    format!("{{SSHA}}{}", b64(&blob))
}
