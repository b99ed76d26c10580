//! Real password hashes of known passwords, computed with the RustCrypto crates.
//!
//! Salts are derived from a label with SHA-256, so every run writes the same bytes and a
//! regenerated fixture shows no diff.

use aes::Aes256;
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit as _, StreamCipher as _};
use hmac::{Hmac, KeyInit as _, Mac as _};
use md4::Md4;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

/// The bcrypt cost real systems use by default.
pub const BCRYPT_COST: u32 = 10;

/// `n` deterministic pseudo-random bytes for `label`.
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

/// Decodes standard base64 written in this program.
pub fn unb64(text: &str) -> Vec<u8> {
    STANDARD
        .decode(text)
        .expect("valid base64 in the generator")
}

/// Standard base64 without padding, as PHC strings write it.
pub fn b64_raw(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}

/// A bcrypt hash in the `$2a$` or `$2b$` flavour.
pub fn bcrypt(password: &str, label: &str, version: bcrypt::Version) -> String {
    let salt: [u8; 16] = bytes(label, 16).try_into().expect("16 bytes");
    bcrypt::hash_with_salt(password, BCRYPT_COST, salt)
        .expect("bcrypt hashes any password under 72 bytes")
        .format_for_version(version)
}

/// An Argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn argon2id(password: &str, label: &str) -> String {
    let (m, t, p) = (19_456, 2, 1);
    let salt = bytes(label, 16);
    let params = Params::new(m, t, p, Some(32)).expect("valid argon2 parameters");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, &mut out)
        .expect("argon2 hashes");
    format!(
        "$argon2id$v=19$m={m},t={t},p={p}${}${}",
        b64_raw(&salt),
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

/// PBKDF2-HMAC of the password.
pub fn pbkdf2(algo: Algo, password: &str, salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    let password = password.as_bytes();
    match algo {
        Algo::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut out),
        Algo::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out),
        Algo::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut out),
        Algo::Md4 | Algo::Md5 => unreachable!("the fixtures use PBKDF2 with SHA only"),
    }
    out
}

/// `{SSHA}`: base64 of SHA-1(password ‖ salt) ‖ salt.
pub fn ssha(password: &str, salt: &[u8]) -> String {
    let mut blob = salted(Algo::Sha1, password, salt, false);
    blob.extend_from_slice(salt);
    format!("{{SSHA}}{}", b64(&blob))
}

/// A Firebase project's hash parameters.
pub struct FirebaseProject {
    pub signer_key: Vec<u8>,
    pub salt_separator: Vec<u8>,
    pub rounds: u32,
    pub mem_cost: u32,
}

/// Firebase's modified scrypt: the signer key encrypted with AES-256-CTR under the scrypt
/// key of the password, salted with the user's salt and the project's separator.
pub fn firebase_scrypt(password: &str, salt: &[u8], project: &FirebaseProject) -> Vec<u8> {
    let log_n = u8::try_from(project.mem_cost).expect("small mem_cost");
    let params = scrypt::Params::new(log_n, project.rounds, 1).expect("valid scrypt parameters");
    let mut key = [0u8; 32];
    let salted = [salt, &project.salt_separator].concat();
    scrypt::scrypt(password.as_bytes(), &salted, &params, &mut key).expect("32-byte key");

    let mut hash = project.signer_key.clone();
    Ctr128BE::<Aes256>::new(&key.into(), &[0u8; 16].into()).apply_keystream(&mut hash);
    hash
}
