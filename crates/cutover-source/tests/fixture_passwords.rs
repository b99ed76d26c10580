//! The known passwords of the example fixtures (`plans/examples/<format>/passwords.json`)
//! really are the passwords of the hashes the readers hand over.
//!
//! Each hash is checked the way Kratos would check it once converted, by writing it in a
//! Kratos import format here and asking the hash crate's Kratos verifier; plain digests,
//! which Kratos has no unsalted layout for in every algorithm, are recomputed directly. This
//! pins the fixtures (and the readers' decoding of salts, keys and parameters) without
//! depending on the hash crate's own conversions.

mod common;

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use common::examples::*;
use common::*;
use cutover_hash::verify_kratos;
use cutover_source::{Digest, FirebaseParams, LegacyHash, SaltPosition};
use sha2::Digest as _;

/// Whether `password` matches `hash`; `None` for layouts this test cannot check (phpass).
fn verifies(password: &str, hash: &LegacyHash) -> Option<bool> {
    match hash {
        LegacyHash::Encoded(text) if text.starts_with("$P$") => None,
        LegacyHash::Encoded(text) if text.starts_with("$fbscrypt$") => {
            Some(verify_kratos(password, &fbscrypt_as_firescrypt(text)))
        }
        LegacyHash::Encoded(text) if text.starts_with("pbkdf2_sha256$") => {
            let [_, iterations, salt, key] = text.split('$').collect::<Vec<_>>()[..] else {
                panic!("a Django pbkdf2 string");
            };
            let key = STANDARD.decode(key).expect("base64 key");
            let salt = salt.as_bytes();
            Some(verify_kratos(
                password,
                &pbkdf2("sha256", iterations.parse().unwrap(), salt, &key),
            ))
        }
        LegacyHash::Encoded(text) => Some(verify_kratos(password, text)),
        LegacyHash::FirebaseScrypt { hash, salt, params } => {
            Some(verify_kratos(password, &firescrypt(hash, salt, params)))
        }
        LegacyHash::Pbkdf2 {
            algorithm,
            iterations,
            salt,
            key,
        } => {
            let name = match algorithm {
                Digest::Sha1 => "sha1",
                Digest::Sha256 => "sha256",
                Digest::Sha512 => "sha512",
                other => panic!("no fixture uses PBKDF2 with {other:?}"),
            };
            Some(verify_kratos(
                password,
                &pbkdf2(name, *iterations, salt, key),
            ))
        }
        LegacyHash::Hmac {
            algorithm: Digest::Sha256,
            mac,
            key,
        } => {
            let hash = format!(
                "$hmac-sha256${}${}",
                STANDARD.encode(hex::encode(mac)),
                STANDARD.encode(key)
            );
            Some(verify_kratos(password, &hash))
        }
        LegacyHash::Digest {
            algorithm,
            digest,
            salt,
            salt_position,
        } => {
            let salt = salt.clone().unwrap_or_default();
            let data = match salt_position {
                SaltPosition::Prefix => [&salt[..], password.as_bytes()].concat(),
                SaltPosition::Suffix => [password.as_bytes(), &salt[..]].concat(),
            };
            Some(&digest_of(*algorithm, &data) == digest)
        }
        other => panic!("no fixture hash is {other:?}"),
    }
}

fn digest_of(algorithm: Digest, data: &[u8]) -> Vec<u8> {
    match algorithm {
        Digest::Md4 => md4::Md4::digest(data).to_vec(),
        Digest::Md5 => md5::Md5::digest(data).to_vec(),
        Digest::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Digest::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Digest::Sha512 => sha2::Sha512::digest(data).to_vec(),
        other => panic!("no fixture digest is {other:?}"),
    }
}

fn pbkdf2(name: &str, iterations: u32, salt: &[u8], key: &[u8]) -> String {
    format!(
        "$pbkdf2-{name}$i={iterations},l={}${}${}",
        key.len(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(key)
    )
}

fn firescrypt(hash: &[u8], salt: &[u8], params: &FirebaseParams) -> String {
    format!(
        "$firescrypt$ln={},r={},p=1${}${}${}${}",
        params.mem_cost,
        params.rounds,
        STANDARD.encode(salt),
        STANDARD.encode(hash),
        STANDARD.encode(&params.salt_separator),
        STANDARD.encode(&params.signer_key)
    )
}

/// Supabase's `$fbscrypt$v=1,n=..,r=..,p=..,ss=..,sk=..$salt$hash` in Kratos's layout.
fn fbscrypt_as_firescrypt(text: &str) -> String {
    let parts: Vec<&str> = text.split('$').collect();
    let params: BTreeMap<&str, &str> = parts[2]
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    format!(
        "$firescrypt$ln={},r={},p={}${}${}${}${}",
        params["n"], params["r"], params["p"], parts[3], parts[4], params["ss"], params["sk"]
    )
}

/// Checks every known password of `format` against the hashes read from `files`.
fn check_fixture(format: &str, files: &[&str]) {
    let passwords = passwords(format);
    let mut checked = 0;
    for file in files {
        let items = read_example(format, file);
        for user in users(&items) {
            let Some(password) = passwords.get(&user.legacy_id) else {
                continue;
            };
            let hash = &user
                .password
                .as_ref()
                .unwrap_or_else(|| panic!("{format}/{file}: {} has no hash", user.legacy_id))
                .hash;
            if let Some(matched) = verifies(password, hash) {
                assert!(
                    matched,
                    "{format}/{file}: the password of {} does not match",
                    user.legacy_id
                );
                assert!(
                    !verifies("wrong password", hash).unwrap_or(false),
                    "{}",
                    user.legacy_id
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= passwords.len() - 1,
        "{format}: only {checked} of {}",
        passwords.len()
    );
}

#[test]
fn the_firebase_fixture_passwords_match_their_hashes() {
    check_fixture("firebase", &["users.json", "users.csv", "users-2017.csv"]);
}

#[test]
fn the_auth0_import_fixture_passwords_match_their_hashes() {
    check_fixture("auth0_import", &["users.json"]);
}

#[test]
fn the_supabase_fixture_passwords_match_their_hashes() {
    check_fixture("supabase", &["users.json", "users.csv"]);
}

#[test]
fn the_clerk_fixture_passwords_match_their_hashes() {
    check_fixture("clerk", &["users.csv", "users.json"]);
}
