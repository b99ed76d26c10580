//! The password hashes of the example table, computed with the RustCrypto crates exactly as
//! the applications that write them do, with salts derived from the user id so that every
//! run writes the same bytes.
//!
//! The layouts nobody publishes a crate for (phpass, Django's PBKDF2 string, LDAP `{SSHA}`)
//! are written here and checked against published vectors before anything is generated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use sha2::{Digest, Sha256};

use crate::common::{self, Algo, Prf, b64, digest, salted};

/// The HMAC key of the example table (`LEGACY_HMAC_KEY`); an example value, not a secret.
pub const HMAC_KEY: &str = "example-pepper-not-a-secret";

/// The scrypt parameters of the example table.
pub const SCRYPT_LOG_N: u8 = 14;
/// scrypt's r.
pub const SCRYPT_R: u32 = 8;
/// scrypt's p.
pub const SCRYPT_P: u32 = 1;

/// The PBKDF2 iteration count the table stores beside those hashes.
pub const PBKDF2_ITERATIONS: u32 = 27_500;

/// The crypt(3)-style base64 alphabet of phpass.
const ITOA64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` bytes derived from the user id and a label, standing in for a random salt.
pub fn salt(id: u32, label: &str, n: usize) -> Vec<u8> {
    let digest = Sha256::digest(format!("cutover-example-salt:{label}:{id}").as_bytes());
    digest[..n].to_vec()
}

/// A salt written as text from the example alphabet, as many applications store one.
pub fn text_salt(id: u32, label: &str, n: usize) -> String {
    salt(id, label, n)
        .iter()
        .map(|b| ITOA64[usize::from(b % 62) + 2] as char)
        .collect()
}

/// bcrypt at cost 4 with `$2b$` or `$2y$` as PHP writes it.
pub fn bcrypt(id: u32, password: &str, php: bool) -> String {
    let version = if php {
        bcrypt::Version::TwoY
    } else {
        bcrypt::Version::TwoB
    };
    common::bcrypt(password, &salt(id, "bcrypt", 16), 4, version)
}

/// Argon2id in PHC form with OWASP's parameters (19 MiB, 2 passes).
pub fn argon2id(id: u32, password: &str) -> String {
    common::argon2id(password, &salt(id, "argon2", 16))
}

/// SHA-256 of `salt ‖ password`.
pub fn sha256_prefixed(salt: &[u8], password: &str) -> Vec<u8> {
    salted(Algo::Sha256, password, salt, true)
}

/// SHA-512 of `password ‖ salt`.
pub fn sha512_suffixed(salt: &[u8], password: &str) -> Vec<u8> {
    salted(Algo::Sha512, password, salt, false)
}

/// Unsalted MD5.
pub fn md5(password: &str) -> Vec<u8> {
    digest(Algo::Md5, password.as_bytes())
}

/// Unsalted SHA-1.
pub fn sha1(password: &str) -> Vec<u8> {
    digest(Algo::Sha1, password.as_bytes())
}

/// HMAC-SHA-256 of the password under [`HMAC_KEY`].
pub fn hmac_sha256(password: &str) -> Vec<u8> {
    common::hmac_sha256(password, HMAC_KEY.as_bytes())
}

/// PBKDF2-HMAC-SHA-256 with a 32-byte key.
pub fn pbkdf2_sha256(salt: &[u8], password: &str, iterations: u32) -> Vec<u8> {
    common::pbkdf2(Prf::Sha256, password, salt, iterations, 32)
}

/// scrypt with the table's parameters and a 64-byte key.
pub fn scrypt(salt: &[u8], password: &str) -> Vec<u8> {
    let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P).expect("valid params");
    let mut key = [0u8; 64];
    scrypt::scrypt(password.as_bytes(), salt, &params, &mut key).expect("64 bytes is valid");
    key.to_vec()
}

/// Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`; the salt is used as text.
pub fn django_pbkdf2(salt: &str, password: &str, iterations: u32) -> String {
    let hash = pbkdf2_sha256(salt.as_bytes(), password, iterations);
    format!("pbkdf2_sha256${iterations}${salt}${}", b64(&hash))
}

/// LDAP `{SSHA}`: base64 of SHA-1(password ‖ salt) followed by the salt.
pub fn ssha(salt: &[u8], password: &str) -> String {
    common::ssha(password, salt)
}

/// phpass's portable hash as WordPress writes it: `$P$`, the log2 count, 8 salt
/// characters and the encoded MD5 chain.
pub fn phpass(salt: &str, password: &str, log2_count: u32) -> String {
    assert_eq!(salt.len(), 8, "phpass salts have 8 characters");
    let mut hash = Md5::new()
        .chain_update(salt)
        .chain_update(password)
        .finalize()
        .to_vec();
    for _ in 0..(1u32 << log2_count) {
        hash = Md5::new()
            .chain_update(&hash)
            .chain_update(password)
            .finalize()
            .to_vec();
    }
    let count = ITOA64[log2_count as usize] as char;
    format!("$P${count}{salt}{}", phpass_base64(&hash))
}

/// phpass's own base64 (little-endian groups of three bytes, crypt alphabet).
fn phpass_base64(input: &[u8]) -> String {
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let mut value = u32::from(chunk[0]);
        if let Some(&b) = chunk.get(1) {
            value |= u32::from(b) << 8;
        }
        if let Some(&b) = chunk.get(2) {
            value |= u32::from(b) << 16;
        }
        for i in 0..=chunk.len() {
            out.push(ITOA64[((value >> (6 * i)) & 0x3f) as usize] as char);
        }
    }
    out
}

/// Checks the hand-written layouts against published vectors; panics on a mismatch.
pub fn self_check() {
    let phpass_vector = "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0";
    assert_eq!(phpass("IQRaTwmf", "test12345", 11), phpass_vector);

    let django_vector = "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=";
    assert_eq!(django_pbkdf2("seasalt", "lètmein", 30_000), django_vector);

    let ssha_vector = "{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7";
    let salt = STANDARD.decode(&ssha_vector[6..]).expect("base64")[20..].to_vec();
    assert_eq!(ssha(&salt, "secret"), ssha_vector);

    assert_eq!(
        hex::encode(md5("password")),
        "5f4dcc3b5aa765d61d8327deb882cf99"
    );
}
