//! The fixtures of the Keycloak, Cognito and Django example plans, read as a plan reads
//! them: what each holds, and that every known password in `passwords.json` verifies
//! against the hash the reader hands over.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use common::*;
use cutover_hash::{Argon2Algorithm, Argon2Version, Digest};
use cutover_source::{FormatOptions, KeycloakOptions, LegacyHash, SourceConfig, SourceItem};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples")
}

fn read(format: &str, users: PathBuf, options: FormatOptions) -> Vec<SourceItem> {
    read_all(&SourceConfig {
        format: format.into(),
        users,
        options,
        ..SourceConfig::default()
    })
}

fn passwords(fixture: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(examples().join(fixture).join("passwords.json"))
        .expect("passwords.json beside the fixture");
    serde_json::from_str(&text).expect("passwords.json is a JSON object")
}

/// Whether `password` gives `key` by PBKDF2, checked through the hash crate's Kratos
/// verifier (whose PBKDF2 is built optimised; a debug build of it here would crawl through
/// the fixtures' hundreds of thousands of iterations).
fn pbkdf2_verifies(
    digest: Digest,
    password: &str,
    salt: &[u8],
    iterations: u32,
    key: &[u8],
) -> bool {
    let name = match digest {
        Digest::Sha1 => "sha1",
        Digest::Sha256 => "sha256",
        Digest::Sha512 => "sha512",
        other => panic!("no fixture uses PBKDF2 with {other:?}"),
    };
    let phc = format!(
        "$pbkdf2-{name}$i={iterations},l={}${}${}",
        key.len(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(key)
    );
    cutover_hash::verify_kratos(password, &phc)
}

/// Whether `password` matches a Keycloak user's legacy hash, computed independently.
fn keycloak_verifies(password: &str, hash: &LegacyHash) -> bool {
    match hash {
        LegacyHash::Pbkdf2 {
            algorithm,
            iterations,
            salt,
            key,
        } => pbkdf2_verifies(*algorithm, password, salt, *iterations, key),
        LegacyHash::Argon2 {
            algorithm,
            version,
            memory_kib,
            iterations,
            parallelism,
            salt,
            hash,
        } => {
            let algorithm = match algorithm {
                Argon2Algorithm::Argon2d => argon2::Algorithm::Argon2d,
                Argon2Algorithm::Argon2i => argon2::Algorithm::Argon2i,
                Argon2Algorithm::Argon2id => argon2::Algorithm::Argon2id,
            };
            let version = match version {
                Argon2Version::V10 => argon2::Version::V0x10,
                Argon2Version::V13 => argon2::Version::V0x13,
            };
            let params =
                argon2::Params::new(*memory_kib, *iterations, *parallelism, Some(hash.len()))
                    .expect("valid argon2 parameters");
            let mut tag = vec![0; hash.len()];
            argon2::Argon2::new(algorithm, version, params)
                .hash_password_into(password.as_bytes(), salt, &mut tag)
                .expect("an argon2 hash");
            tag == *hash
        }
        LegacyHash::Encoded(text) if text.starts_with("$argon2") => {
            cutover_hash::verify_kratos(password, text)
        }
        LegacyHash::Encoded(text) if text.starts_with("$2") => {
            bcrypt::verify(password, text).expect("a bcrypt hash")
        }
        LegacyHash::Encoded(text) => {
            let stored: serde_json::Value =
                serde_json::from_str(text).expect("a stored credential");
            assert_eq!(stored["algorithm"], "md5");
            stored["value"] == hex::encode(Md5::digest(password.as_bytes())).as_str()
        }
        other => panic!("unexpected hash {other:?}"),
    }
}

#[test]
fn the_keycloak_fixture_reads_as_its_readme_says() {
    let mut options = FormatOptions::default();
    options.keycloak = Some(KeycloakOptions {
        realms: vec!["acme".into()],
    });
    let export = examples().join("keycloak/export");

    let items = read("keycloak", export.clone(), options);

    assert_eq!(users(&items).len(), 18);
    assert!(
        users(&items)
            .iter()
            .all(|u| u.tenant.as_deref() == Some("acme"))
    );
    let problems = unreadable(&items);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].file, export.join("acme-users-1.json"));
    assert_eq!(problems[0].line, 107);
    let per_line: Vec<(Option<u64>, bool)> = warnings(&items)
        .iter()
        .map(|w| (w.line, w.message.contains("skipped")))
        .collect();
    assert_eq!(
        per_line,
        [
            (Some(27), false),
            (Some(51), false),
            (Some(75), false),
            (Some(180), false),
            (None, true),
            (None, true)
        ]
    );
    let unavailable: Vec<&str> = users(&items)
        .iter()
        .filter(|u| u.password_unavailable)
        .filter_map(|u| u.username.as_deref())
        .collect();
    assert_eq!(
        unavailable,
        ["broken.credential", "empty.password", "ldap.user"]
    );
}

#[test]
fn every_known_keycloak_password_verifies_against_the_hash_read() {
    let items = read(
        "keycloak",
        examples().join("keycloak/export"),
        FormatOptions::default(),
    );
    let known = passwords("keycloak");
    assert_eq!(known.len(), 14);

    for (legacy_id, password) in &known {
        let user = user(&items, legacy_id);
        let hash = &user.password.as_ref().expect("a hash").hash;
        assert!(keycloak_verifies(password, hash), "{legacy_id}");
        assert!(!keycloak_verifies("not the password", hash), "{legacy_id}");
    }
}

#[test]
fn the_cognito_fixtures_read_as_their_readme_says() {
    let items = read(
        "cognito",
        examples().join("cognito/list-users.json"),
        FormatOptions::default(),
    );

    assert_eq!(users(&items).len(), 12);
    assert!(users(&items).iter().all(|u| u.password.is_none()));
    let lines: Vec<u64> = unreadable(&items).iter().map(|u| u.line).collect();
    assert_eq!(lines, [256]);
    let without_password: Vec<&str> = users(&items)
        .iter()
        .filter(|u| !u.password_unavailable)
        .map(|u| u.raw["UserStatus"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        without_password,
        [
            "RESET_REQUIRED",
            "EXTERNAL_PROVIDER",
            "EXTERNAL_PROVIDER",
            "ARCHIVED"
        ]
    );

    let items = read(
        "cognito",
        examples().join("cognito/user-import.csv"),
        FormatOptions::default(),
    );
    let names: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(names, ["maire", "darcy", "nomail", "MaireTwin"]);
    let lines: Vec<u64> = unreadable(&items).iter().map(|u| u.line).collect();
    assert_eq!(lines, [5]);
    assert_eq!(
        user(&items, "maire").raw["attributes"]["address"],
        "1 Sráid na Mainistreach, Baile Átha Cliath"
    );
}

#[test]
fn the_django_fixture_reads_as_its_readme_says() {
    let items = read(
        "django",
        examples().join("django/dumpdata.json"),
        FormatOptions::default(),
    );

    assert_eq!(users(&items).len(), 18);
    let lines: Vec<u64> = unreadable(&items).iter().map(|u| u.line).collect();
    assert_eq!(lines, [142, 219]);
    let summaries: Vec<&str> = warnings(&items)
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(summaries.len(), 3, "{summaries:?}");
    assert!(summaries[0].starts_with("4 records of other models skipped"));
    let without: Vec<&str> = users(&items)
        .iter()
        .filter(|u| u.password.is_none())
        .map(|u| u.legacy_id.as_str())
        .collect();
    assert_eq!(without, ["11", "12", "16"]);
}

/// Whether `password` matches a Django password string, computed independently; `None` for
/// the formats no crate here computes (DES crypt, scrypt), which are known test vectors.
fn django_verifies(password: &str, stored: &str) -> Option<bool> {
    let parts: Vec<&str> = stored.split('$').collect();
    let base64 = |text: &str| STANDARD.decode(text).expect("base64");
    let verified = match parts.as_slice() {
        ["pbkdf2_sha256", iterations, salt, hash] | ["pbkdf2_sha1", iterations, salt, hash] => {
            let digest = if parts[0] == "pbkdf2_sha1" {
                Digest::Sha1
            } else {
                Digest::Sha256
            };
            let iterations = iterations.parse().expect("a number of iterations");
            pbkdf2_verifies(digest, password, salt.as_bytes(), iterations, &base64(hash))
        }
        ["argon2", ..] => cutover_hash::verify_kratos(password, &stored["argon2".len()..]),
        ["bcrypt_sha256", ..] => {
            let prehash = hex::encode(Sha256::digest(password.as_bytes()));
            bcrypt::verify(prehash, &stored["bcrypt_sha256$".len()..]).unwrap()
        }
        ["bcrypt", ..] => bcrypt::verify(password, &stored["bcrypt$".len()..]).unwrap(),
        ["sha1", "", hash] => hex::encode(Sha1::digest(password.as_bytes())) == *hash,
        ["sha1", salt, hash] => hex::encode(Sha1::digest(format!("{salt}{password}"))) == *hash,
        ["md5", salt, hash] => hex::encode(Md5::digest(format!("{salt}{password}"))) == *hash,
        [bare] if bare.len() == 32 => hex::encode(Md5::digest(password.as_bytes())) == *bare,
        ["crypt", ..] | ["scrypt", ..] => return None,
        _ => panic!("unexpected Django password layout"),
    };
    Some(verified)
}

#[test]
fn every_known_django_password_verifies_against_the_hash_read() {
    let items = read(
        "django",
        examples().join("django/dumpdata.json"),
        FormatOptions::default(),
    );
    let known = passwords("django");
    assert_eq!(known.len(), 14);

    let mut vectors = Vec::new();
    for (pk, password) in &known {
        let hash = &user(&items, pk).password.as_ref().expect("a hash").hash;
        let stored = hash.as_encoded().expect("Django hashes are strings");
        match django_verifies(password, stored) {
            Some(verified) => {
                assert!(verified, "pk {pk}");
                assert_eq!(
                    django_verifies("not the password", stored),
                    Some(false),
                    "pk {pk}"
                );
            }
            None => vectors.push(pk.as_str()),
        }
    }
    assert_eq!(
        vectors,
        ["10", "17"],
        "only the known vectors go unverified here"
    );
}
