//! The source-system vectors (`tests/data/source-hash-vectors.json`, copied from the
//! reference notes): every one verifies in its legacy form, names its family, and either
//! converts into a Kratos string that Kratos's rules accept and verify, or is refused as
//! not importable because its family has no Kratos format.
//!
//! Each vector was checked by the notes' authors with independent implementations
//! (Python's hashlib, bcrypt, argon2-cffi, passlib), so a pass here means cutover agrees
//! with the source systems, not only with itself.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cutover_hash::{
    Argon2Algorithm, Argon2Version, Digest, FirebaseParams, HashErrorKind, HashFamily, LegacyHash,
    family, to_kratos, validate_for_kratos, verify, verify_kratos,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
struct Vector {
    system: String,
    format: String,
    password: String,
    hash: String,
    params: Value,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("data/source-hash-vectors.json");
    let file: Vectors = serde_json::from_str(text).expect("the vector file is JSON");
    assert_eq!(file.vectors.len(), 42);
    file.vectors
}

fn b64(value: &Value) -> Vec<u8> {
    STANDARD
        .decode(value.as_str().expect("a base64 string"))
        .expect("valid base64")
}

fn number(value: &Value) -> u32 {
    u32::try_from(value.as_u64().expect("a number")).expect("fits in 32 bits")
}

/// The hash as a reader would hand it over, and the family it must be recognised as.
fn legacy_hash(vector: &Vector) -> (LegacyHash, HashFamily) {
    let params = &vector.params;
    if vector.system == "firebase" {
        let hash = LegacyHash::FirebaseScrypt {
            hash: STANDARD.decode(&vector.hash).unwrap(),
            salt: b64(&params["salt"]),
            params: FirebaseParams {
                signer_key: b64(&params["signer_key"]),
                salt_separator: b64(&params["salt_separator"]),
                rounds: number(&params["rounds"]),
                mem_cost: number(&params["mem_cost"]),
            },
        };
        return (hash, HashFamily::Firescrypt);
    }
    if vector.system == "auth0" && vector.format.contains("hmac") {
        let hash = LegacyHash::Hmac {
            algorithm: Digest::Sha1,
            mac: STANDARD.decode(&vector.hash).unwrap(),
            key: hex::decode(params["key"].as_str().unwrap()).unwrap(),
        };
        return (hash, HashFamily::Hmac);
    }
    if vector.system == "keycloak" && vector.format.contains("argon2") {
        let hash = LegacyHash::Argon2 {
            algorithm: Argon2Algorithm::Argon2id,
            version: Argon2Version::V13,
            memory_kib: number(&params["memory_kib"]),
            iterations: number(&params["iterations"]),
            parallelism: number(&params["parallelism"]),
            salt: b64(&params["salt"]),
            hash: STANDARD.decode(&vector.hash).unwrap(),
        };
        return (hash, HashFamily::Argon2id);
    }
    if vector.system == "keycloak" {
        let algorithm = match params["digest"].as_str() {
            Some("sha1") => Digest::Sha1,
            Some("sha256") => Digest::Sha256,
            other => panic!("unexpected Keycloak digest {other:?}"),
        };
        let hash = LegacyHash::Pbkdf2 {
            algorithm,
            iterations: number(&params["iterations"]),
            salt: b64(&params["salt"]),
            key: STANDARD.decode(&vector.hash).unwrap(),
        };
        return (hash, HashFamily::Pbkdf2);
    }

    let text = vector.hash.as_str();
    let expected = [
        ("$firescrypt$", HashFamily::Firescrypt),
        ("$fbscrypt$", HashFamily::Firescrypt),
        ("$2", HashFamily::Bcrypt),
        ("$argon2id$", HashFamily::Argon2id),
        ("$argon2i$", HashFamily::Argon2i),
        ("$pbkdf2-", HashFamily::Pbkdf2),
        ("$md5$", HashFamily::Md5),
        ("$hmac-", HashFamily::Hmac),
        ("pbkdf2_", HashFamily::Pbkdf2),
        ("md5$", HashFamily::Md5),
        ("scrypt$", HashFamily::Scrypt),
        ("argon2$argon2i$", HashFamily::Argon2i),
        ("bcrypt_sha256$", HashFamily::DjangoBcryptSha256),
        ("$P$", HashFamily::Phpass),
        ("$H$", HashFamily::Phpass),
        ("$S$", HashFamily::Drupal7),
        ("{SSHA", HashFamily::Ssha),
        ("{SHA}", HashFamily::SaltedSha),
        ("{MD5}", HashFamily::Md5),
    ]
    .into_iter()
    .find(|(prefix, _)| text.starts_with(prefix))
    .map(|(_, family)| family)
    .or((vector.system == "aspnet-identity").then_some(HashFamily::Pbkdf2))
    .unwrap_or_else(|| panic!("no expected family for {}", vector.format));
    (LegacyHash::Encoded(vector.hash.clone()), expected)
}

#[test]
fn every_vector_is_recognised_as_its_family() {
    for vector in vectors() {
        let (hash, expected) = legacy_hash(&vector);
        assert_eq!(family(&hash), expected, "{}", vector.format);
    }
}

#[test]
fn every_vector_verifies_in_its_legacy_form() {
    for vector in vectors() {
        let (hash, _) = legacy_hash(&vector);
        assert_eq!(
            verify(&vector.password, &hash),
            Ok(true),
            "{}",
            vector.format
        );
        let wrong = format!("{}!", vector.password);
        assert_eq!(verify(&wrong, &hash), Ok(false), "{}", vector.format);
    }
}

#[test]
fn every_convertible_vector_verifies_in_kratos_after_conversion() {
    let mut converted = 0;
    for vector in vectors() {
        let (hash, expected) = legacy_hash(&vector);
        let context = &vector.format;
        match to_kratos(&hash) {
            Ok(kratos) => {
                assert!(expected.is_importable(), "{context} converted: {kratos}");
                assert_eq!(validate_for_kratos(&kratos), Ok(expected), "{context}");
                assert!(
                    verify_kratos(&vector.password, &kratos),
                    "{context}: {kratos}"
                );
                assert!(!verify_kratos("wrong", &kratos), "{context}");
                converted += 1;
            }
            Err(error) => {
                assert!(!expected.is_importable(), "{context}: {error}");
                assert_eq!(error.kind(), HashErrorKind::NotImportable, "{context}");
                assert!(error.is_recognised());
                assert_eq!(error.family(), expected, "{context}");
            }
        }
    }
    // phpass twice, Drupal 7 and Django's bcrypt_sha256 are the only ones Kratos lacks.
    assert_eq!(converted, 38);
}

#[test]
fn the_reference_conversions_come_out_as_documented() {
    let django = "pbkdf2_sha256$260000$seasalt123$oKSwNWmMcZVYrOxSDuY20rRTJeKH+ZeGseXSIIEaDUQ=";
    assert_eq!(
        to_kratos(&LegacyHash::Encoded(django.into())).unwrap(),
        "$pbkdf2-sha256$i=260000,l=32$c2Vhc2FsdDEyMw$oKSwNWmMcZVYrOxSDuY20rRTJeKH+ZeGseXSIIEaDUQ"
    );

    let hex_md5 = LegacyHash::Encoded("098f6bcd4621d373cade4e832627b4f6".into());
    assert_eq!(
        to_kratos(&hex_md5).unwrap(),
        "$md5$CY9rzUYh03PK3k6DJie09g=="
    );

    let hmac = LegacyHash::Hmac {
        algorithm: Digest::Md5,
        mac: hex::decode("fe8697f742d080405d1270e6163316f9").unwrap(),
        key: b"12345".to_vec(),
    };
    assert_eq!(
        to_kratos(&hmac).unwrap(),
        "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNDU="
    );
}
