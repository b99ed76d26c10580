//! Known vectors for each legacy layout: the family it is named, that the password
//! verifies in the legacy form, and the exact Kratos string it converts into (which then
//! verifies in Kratos) or its refusal as not importable.
//!
//! The strings are in `tests/data/legacy-layouts.json`, each saying what made it: the
//! source systems' own libraries (passlib 1.7.4, Werkzeug 3, argon2-cffi, libxcrypt's
//! crypt(3)) or Python's hashlib where the layout is a plain composition (Django's scrypt
//! and salted SHA-1, ASP.NET Identity, WordPress 6.8, Drupal's `U$`). The expected Kratos
//! strings were computed from them with Python's base64 module, not by this crate.

use cutover_hash::{
    Digest, FirebaseParams, HashErrorKind, HashFamily, LegacyHash, SaltPosition, family, to_kratos,
    validate_for_kratos, verify, verify_kratos,
};
use serde::Deserialize;

const PASSWORD: &str = "correct horse";

/// One vector of `tests/data/legacy-layouts.json`.
#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    /// `encoded` for a self-describing string, `phc-pbkdf2` for a foreign PHC string.
    layout: String,
    hash: String,
    family: HashFamily,
    /// The Kratos string it converts into; `None` if the user goes to the hook.
    kratos: Option<String>,
}

fn file_cases() -> Vec<(String, LegacyHash, HashFamily, Option<String>)> {
    let text = include_str!("data/legacy-layouts.json");
    let cases: Vec<Case> = serde_json::from_str(text).expect("the vector file is JSON");
    cases
        .into_iter()
        .map(|case| {
            let hash = match case.layout.as_str() {
                "encoded" => LegacyHash::Encoded(case.hash),
                "phc-pbkdf2" => LegacyHash::from_phc_pbkdf2(&case.hash).expect(&case.name),
                other => panic!("unknown layout {other}"),
            };
            (case.name, hash, case.family, case.kratos)
        })
        .collect()
}

/// Hashes given as parts, made with Python's hashlib.
fn part_cases() -> Vec<(String, LegacyHash, HashFamily, Option<String>)> {
    let salted_sha256 = concat!(
        "8cb258c07eb871943b4ad0e754a502b5",
        "fc3a389d75fefc91b4e010778ecca018"
    );
    let plain_sha384 = concat!(
        "02b20a6f2ebb1360a9a60f4cf90857363ed419c022b12156",
        "7ce5f91c6e39664fb78fd60234c4a58b5bfc7145ae983292"
    );
    let pbkdf2_sha384 = concat!(
        "33e3aeb928f953d04c2544e3abfcd9283bb1f5cf92b45144",
        "8a068fe82b2c125fb60fe5011aaa177b0c2beab53e9ccb06"
    );
    vec![
        (
            "salted SHA-256 parts, salt first".into(),
            LegacyHash::Digest {
                algorithm: Digest::Sha256,
                digest: hex::decode(salted_sha256).unwrap(),
                salt: Some(b"salt".to_vec()),
                salt_position: SaltPosition::Prefix,
            },
            HashFamily::SaltedSha,
            Some(
                concat!(
                    "$sha256$pf=e1NBTFR9e1BBU1NXT1JEfQ==$c2FsdA==$",
                    "jLJYwH64cZQ7StDnVKUCtfw6OJ11/vyRtOAQd47MoBg="
                )
                .into(),
            ),
        ),
        (
            "plain SHA-384 parts".into(),
            LegacyHash::Digest {
                algorithm: Digest::Sha384,
                digest: hex::decode(plain_sha384).unwrap(),
                salt: None,
                salt_position: SaltPosition::Suffix,
            },
            HashFamily::Sha384,
            None,
        ),
        (
            "real PBKDF2-HMAC-SHA384 parts".into(),
            LegacyHash::Pbkdf2 {
                algorithm: Digest::Sha384,
                iterations: 1000,
                salt: b"saltsalt".to_vec(),
                key: hex::decode(pbkdf2_sha384).unwrap(),
            },
            HashFamily::Pbkdf2Sha384,
            None,
        ),
    ]
}

fn encoded(text: &str) -> LegacyHash {
    LegacyHash::Encoded(text.to_string())
}

#[test]
fn each_layout_converts_to_the_expected_kratos_string_or_goes_to_the_hook() {
    let cases = file_cases().into_iter().chain(part_cases());
    for (name, hash, expected_family, expected) in cases {
        assert_eq!(family(&hash), expected_family, "{name}");
        assert_eq!(verify(PASSWORD, &hash), Ok(true), "{name}");
        assert_eq!(verify("correct horse!", &hash), Ok(false), "{name}");

        match expected {
            Some(kratos) => {
                assert_eq!(to_kratos(&hash).as_ref(), Ok(&kratos), "{name}");
                assert_eq!(validate_for_kratos(&kratos), Ok(expected_family), "{name}");
                assert!(verify_kratos(PASSWORD, &kratos), "{name}");
            }
            None => {
                let error = to_kratos(&hash).expect_err(&name);
                assert_eq!(
                    error.kind(),
                    HashErrorKind::NotImportable,
                    "{name}: {error}"
                );
                assert_eq!(error.family(), expected_family, "{name}");
                assert!(error.to_string().contains("migration hook"), "{error}");
            }
        }
    }
}

#[test]
fn a_real_sha_2_pbkdf2_string_means_sha_3_to_kratos_so_readers_use_parts() {
    let phc = "$pbkdf2-sha224$i=1000,l=28$c2FsdHNhbHQ$8j4LpsGPaqvQC3zs1S0usVDeoDsh/rfTJx3e8A";

    let as_written = LegacyHash::from_phc_pbkdf2(phc).unwrap();
    assert_eq!(family(&as_written), HashFamily::Pbkdf2Sha224);
    assert_eq!(verify(PASSWORD, &as_written), Ok(true));
    let error = to_kratos(&as_written).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::NotImportable);
    assert!(error.to_string().contains("SHA-3"), "{error}");

    // Taken as a Kratos string, the same text means HMAC-SHA3-224: the user would be
    // locked out, which is why readers of foreign PHC strings use `from_phc_pbkdf2`.
    let as_kratos = LegacyHash::Encoded(phc.to_string());
    assert_eq!(family(&as_kratos), HashFamily::Pbkdf2);
    assert_eq!(verify(PASSWORD, &as_kratos), Ok(false));
    assert!(!verify_kratos(PASSWORD, phc));
}

#[test]
fn costs_above_kratos_bounds_go_to_the_hook_without_being_computed() {
    let cost_4 = bcrypt::hash(PASSWORD, 4).unwrap();
    let cost_16 = cost_4.replacen("$04$", "$16$", 1);
    let firebase = LegacyHash::FirebaseScrypt {
        hash: vec![1; 64],
        salt: b"salt".to_vec(),
        params: FirebaseParams {
            signer_key: vec![2; 64],
            salt_separator: vec![7],
            rounds: 8,
            mem_cost: 18,
        },
    };
    let pbkdf2 = LegacyHash::Pbkdf2 {
        algorithm: Digest::Sha256,
        iterations: 20_000_000,
        salt: b"salt".to_vec(),
        key: vec![3; 32],
    };
    let cases = [
        (encoded(&cost_16), HashFamily::Bcrypt, "cost"),
        (firebase, HashFamily::Firescrypt, "log2 N"),
        (pbkdf2, HashFamily::Pbkdf2, "iterations"),
    ];
    for (hash, expected, field) in cases {
        let error = to_kratos(&hash).unwrap_err();
        assert_eq!(error.kind(), HashErrorKind::NotImportable, "{error}");
        assert_eq!(error.family(), expected);
        assert!(error.to_string().contains(field), "{error}");
    }
}

#[test]
fn bcrypt_variants_kratos_computes_differently_go_to_the_hook() {
    let hash = bcrypt::hash(PASSWORD, 4).unwrap();
    let body = &hash["$2b$".len()..];
    for (prefix, expected) in [("$2$", HashFamily::Bcrypt), ("$2x$", HashFamily::Bcrypt2x)] {
        let variant = encoded(&format!("{prefix}{body}"));
        assert_eq!(family(&variant), expected);
        let error = to_kratos(&variant).unwrap_err();
        assert_eq!(error.kind(), HashErrorKind::NotImportable, "{prefix}");
    }
    // For ASCII passwords `$2x$` computed like every other bcrypt; `$2$` never did.
    assert_eq!(verify(PASSWORD, &encoded(&format!("$2x${body}"))), Ok(true));
    assert_eq!(verify(PASSWORD, &encoded(&format!("$2${body}"))), Ok(false));
    // Byte 0xd1 0x91 is "ё": crypt_blowfish's own vector for the sign-extension bug.
    let bug = "$2x$05$6bNw2HLQYeqHYyBfLMsv/OiwqTymGIGzFsA4hOTWebfehXHNprcAS";
    assert_eq!(verify("ё", &encoded(bug)), Ok(true));
    assert_eq!(
        verify("ё", &encoded(&bug.replacen("$2x$", "$2a$", 1))),
        Ok(false)
    );
}
