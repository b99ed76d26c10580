//! The hashes of the vendor fixtures: salts derived from a label with SHA-256, so every run
//! writes the same bytes and a regenerated fixture shows no diff, and Firebase's modified
//! scrypt, which only these fixtures use.

use aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit as _, StreamCipher as _};

use crate::common::{self, bytes};

/// The bcrypt cost real systems use by default.
pub const BCRYPT_COST: u32 = 10;

/// Decodes standard base64 written in this program.
pub fn unb64(text: &str) -> Vec<u8> {
    STANDARD
        .decode(text)
        .expect("valid base64 in the generator")
}

/// A bcrypt hash in the `$2a$` or `$2b$` flavour.
pub fn bcrypt(password: &str, label: &str, version: bcrypt::Version) -> String {
    common::bcrypt(password, &bytes(label, 16), BCRYPT_COST, version)
}

/// An Argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn argon2id(password: &str, label: &str) -> String {
    common::argon2id(password, &bytes(label, 16))
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
