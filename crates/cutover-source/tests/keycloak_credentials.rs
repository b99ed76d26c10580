//! Keycloak password credentials: both layouts, every built-in algorithm, the credential
//! Keycloak would use among several, and the ones that cannot be used.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use cutover_hash::{Argon2Algorithm, Argon2Version, Digest};
use cutover_source::{HashFamily, LegacyHash, LegacyUser, SourceConfig, SourceItem};
use serde_json::{Value, json};

/// Reads one user with these credentials (and `extra` fields) from a realm export.
fn read_user(credentials: Value, extra: Value) -> (Vec<SourceItem>, LegacyUser) {
    let export = Export::new();
    let mut user =
        json!({"id": "u1", "username": "ada", "enabled": true, "credentials": credentials});
    if let (Value::Object(user), Value::Object(extra)) = (&mut user, extra) {
        user.extend(extra);
    }
    let realm = json!({"realm": "acme", "users": [user]});
    let path = export.text("realm.json", &realm.to_string());
    let config = SourceConfig {
        format: "keycloak".into(),
        users: path,
        ..SourceConfig::default()
    };
    let items = read_all(&config);
    let user = users(&items)[0].clone();
    (items, user)
}

/// A credential in the current layout, with `secretData` and `credentialData` as strings.
fn credential(algorithm: &str, iterations: i64, value: &[u8], salt: &[u8], params: Value) -> Value {
    let secret = json!({
        "value": STANDARD.encode(value),
        "salt": STANDARD.encode(salt),
        "additionalParameters": {}
    });
    let data = json!({
        "hashIterations": iterations,
        "algorithm": algorithm,
        "additionalParameters": params
    });
    json!({
        "id": "c1",
        "type": "password",
        "createdDate": 1_700_000_000_000_i64,
        "secretData": secret.to_string(),
        "credentialData": data.to_string(),
        "priority": 10
    })
}

/// A credential of `kind` with its two documents given as the strings Keycloak writes.
fn stored(kind: &str, secret_data: &str, credential_data: &str) -> Value {
    json!({"type": kind, "secretData": secret_data, "credentialData": credential_data})
}

fn messages(items: &[SourceItem]) -> Vec<String> {
    warnings(items).iter().map(|w| w.message.clone()).collect()
}

fn pbkdf2_sha256(password: &str, salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut key = vec![0u8; 64];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, iterations, &mut key);
    key
}

fn argon2id(password: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Vec<u8> {
    let params = argon2::Params::new(m, t, p, Some(32)).unwrap();
    let mut tag = vec![0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut tag)
        .unwrap();
    tag
}

#[test]
fn pbkdf2_credentials_become_parts_with_their_digest() {
    for (algorithm, digest) in [
        ("pbkdf2", Digest::Sha1),
        ("pbkdf2-sha256", Digest::Sha256),
        ("pbkdf2-sha512", Digest::Sha512),
    ] {
        let (_, user) = read_user(
            json!([credential(
                algorithm,
                27_500,
                b"derived-key",
                b"salty",
                json!({})
            )]),
            json!({}),
        );

        let password = user.password.expect("a password");
        assert_eq!(password.family, HashFamily::Pbkdf2);
        assert_eq!(
            password.hash,
            LegacyHash::Pbkdf2 {
                algorithm: digest,
                iterations: 27_500,
                salt: b"salty".to_vec(),
                key: b"derived-key".to_vec(),
            },
            "{algorithm}"
        );
    }
}

#[test]
fn the_pbkdf2_parts_verify_the_password_they_were_made_from() {
    let salt = b"0123456789abcdef";
    let key = pbkdf2_sha256("Seán's pass", salt, 1_000);
    let (_, user) = read_user(
        json!([credential("pbkdf2-sha256", 1_000, &key, salt, json!({}))]),
        json!({}),
    );

    let LegacyHash::Pbkdf2 {
        iterations,
        salt,
        key,
        ..
    } = user.password.unwrap().hash
    else {
        panic!("not pbkdf2 parts");
    };
    assert_eq!(pbkdf2_sha256("Seán's pass", &salt, iterations), key);
    assert_ne!(pbkdf2_sha256("Sean's pass", &salt, iterations), key);
}

#[test]
fn argon2_credentials_become_argon2_parts_that_convert_and_verify() {
    let salt = b"0123456789abcdef";
    let tag = argon2id("zoë", salt, 7_168, 5, 1);
    let params = json!({
        "hashLength": ["32"],
        "memory": ["7168"],
        "type": ["id"],
        "version": ["1.3"],
        "parallelism": ["1"]
    });
    let (items, user) = read_user(
        json!([credential("argon2", 5, &tag, salt, params)]),
        json!({}),
    );

    let password = user.password.expect("a password");
    let expected = LegacyHash::Argon2 {
        algorithm: Argon2Algorithm::Argon2id,
        version: Argon2Version::V13,
        memory_kib: 7_168,
        iterations: 5,
        parallelism: 1,
        salt: salt.to_vec(),
        hash: tag,
    };
    assert_eq!(password.hash, expected);
    assert_eq!(password.family, HashFamily::Argon2id);
    let kratos = cutover_hash::to_kratos(&password.hash).expect("Kratos imports it");
    assert!(
        kratos.starts_with("$argon2id$v=19$m=7168,t=5,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"),
        "{kratos}"
    );
    assert!(cutover_hash::verify_kratos("zoë", &kratos));
    assert!(!cutover_hash::verify_kratos("zoe", &kratos));
    assert!(messages(&items).is_empty(), "{:?}", messages(&items));
}

#[test]
fn missing_argon2_parameters_take_keycloaks_defaults_and_are_named() {
    let salt = b"fedcba9876543210";
    let tag = argon2id("defaults", salt, 7_168, 5, 1);
    let secret = json!({"value": STANDARD.encode(&tag), "salt": STANDARD.encode(salt)});
    let data = json!({"algorithm": "argon2", "additionalParameters": {"type": ["id"]}});
    let credential = stored("password", &secret.to_string(), &data.to_string());

    let (items, user) = read_user(json!([credential]), json!({}));

    let hash = user.password.unwrap().hash;
    assert!(
        matches!(
            hash,
            LegacyHash::Argon2 {
                version: Argon2Version::V13,
                memory_kib: 7_168,
                iterations: 5,
                parallelism: 1,
                ..
            }
        ),
        "Keycloak's defaults"
    );
    let kratos = cutover_hash::to_kratos(&hash).expect("Kratos imports it");
    assert!(cutover_hash::verify_kratos("defaults", &kratos));
    assert_eq!(
        messages(&items),
        [
            "user u1: argon2 parameters missing from the credential, taken at Keycloak's \
             defaults: version, memory, parallelism, hashIterations"
        ]
    );
}

#[test]
fn other_argon2_variants_and_versions_keep_their_algorithm_and_version() {
    let cases = [
        (
            json!({"type": ["i"], "version": ["1.3"], "memory": ["65536"], "parallelism": ["2"]}),
            (Argon2Algorithm::Argon2i, Argon2Version::V13, 65_536, 2),
            HashFamily::Argon2i,
        ),
        (
            json!({"type": ["d"], "version": ["1.3"], "memory": ["7168"], "parallelism": ["1"]}),
            (Argon2Algorithm::Argon2d, Argon2Version::V13, 7_168, 1),
            HashFamily::Argon2d,
        ),
        (
            json!({"type": ["id"], "version": ["1.0"], "memory": ["7168"], "parallelism": ["1"]}),
            (Argon2Algorithm::Argon2id, Argon2Version::V10, 7_168, 1),
            HashFamily::Argon2id,
        ),
    ];
    for (params, expected, family) in cases {
        let (_, user) = read_user(
            json!([credential(
                "argon2",
                3,
                b"tag-bytes-tag-bytes",
                b"salt-salt",
                params
            )]),
            json!({}),
        );

        let password = user.password.unwrap();
        let LegacyHash::Argon2 {
            algorithm,
            version,
            memory_kib,
            iterations,
            parallelism,
            ..
        } = password.hash
        else {
            panic!("not Argon2 parts: {:?}", password.hash);
        };
        assert_eq!(
            (algorithm, version, memory_kib, parallelism),
            expected,
            "{family}"
        );
        assert_eq!(iterations, 3);
        assert_eq!(password.family, family);
    }
}

#[test]
fn the_old_hashed_salted_value_layout_is_read() {
    let salt = b"old-salt";
    let key = b"old-derived-key";
    let credential = json!({
        "type": "password",
        "hashedSaltedValue": STANDARD.encode(key),
        "salt": STANDARD.encode(salt),
        "hashIterations": 20_000,
        "counter": 0,
        "algorithm": "pbkdf2",
        "digits": 0,
        "period": 0,
        "createdDate": 1_500_000_000_000_i64,
        "config": {}
    });

    let (_, user) = read_user(json!([credential]), json!({}));

    assert_eq!(
        user.password.unwrap().hash,
        LegacyHash::Pbkdf2 {
            algorithm: Digest::Sha1,
            iterations: 20_000,
            salt: salt.to_vec(),
            key: key.to_vec(),
        }
    );
    assert_eq!(user.raw["credentials"][0]["algorithm"], "pbkdf2");
    assert!(
        user.raw["credentials"][0]
            .get("hashedSaltedValue")
            .is_none()
    );
    assert!(user.raw["credentials"][0].get("salt").is_none());
}

#[test]
fn of_several_password_credentials_the_one_keycloak_checks_first_is_taken() {
    let mut old = credential("pbkdf2-sha256", 27_500, b"old-key", b"old-salt", json!({}));
    old["priority"] = json!(20);
    let current = credential("pbkdf2-sha512", 210_000, b"new-key", b"new-salt", json!({}));
    let mut otp = stored("otp", r#"{"value":"JBSWY3DP"}"#, r#"{"subType":"totp"}"#);
    otp["priority"] = json!(5);

    let (items, user) = read_user(json!([otp, old, current]), json!({}));

    let LegacyHash::Pbkdf2 { algorithm, key, .. } = user.password.unwrap().hash else {
        panic!("not pbkdf2 parts");
    };
    assert_eq!((algorithm, key), (Digest::Sha512, b"new-key".to_vec()));
    assert_eq!(
        messages(&items),
        ["user u1: 2 password credentials; the one of priority 10 is used, as Keycloak would"]
    );
}

#[test]
fn custom_algorithms_are_handed_over_as_stored() {
    let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    let secret = json!({"value": bcrypt, "salt": "", "additionalParameters": {}});
    let data = json!({"hashIterations": 10, "algorithm": "bcrypt", "additionalParameters": {}});
    let bcrypt_credential = stored("password", &secret.to_string(), &data.to_string());
    let (_, user) = read_user(json!([bcrypt_credential]), json!({}));
    let password = user.password.unwrap();
    assert_eq!(password.hash, LegacyHash::Encoded(bcrypt.into()));
    assert_eq!(password.family, HashFamily::Bcrypt);

    let md5 = credential("md5-custom", 1, b"digest", b"", json!({"rounds": ["1"]}));
    let (_, user) = read_user(json!([md5]), json!({}));
    let password = user.password.unwrap();
    let stored: Value = serde_json::from_str(password.hash.as_encoded().unwrap()).unwrap();
    assert_eq!(password.family, HashFamily::Unknown);
    assert_eq!(stored["algorithm"], "md5-custom");
    assert_eq!(stored["hashIterations"], 1);
    assert_eq!(stored["value"], STANDARD.encode(b"digest"));
    assert_eq!(stored["additionalParameters"], json!({"rounds": ["1"]}));
}

#[test]
fn a_credential_that_cannot_be_used_leaves_the_password_unavailable() {
    let broken =
        json!({"type": "password", "secretData": "{\"value\":\"q0B", "credentialData": "{}"});
    let empty = credential("pbkdf2-sha256", 27_500, b"", b"salt", json!({}));
    let bad_base64 = stored(
        "password",
        r#"{"value":"*not base64*","salt":"c2FsdA=="}"#,
        r#"{"hashIterations":1,"algorithm":"pbkdf2"}"#,
    );
    let no_iterations = stored(
        "password",
        r#"{"value":"a2V5","salt":"c2FsdA=="}"#,
        r#"{"algorithm":"pbkdf2-sha256"}"#,
    );
    let cases = [
        (broken, "`secretData` is not a JSON document"),
        (empty, "the hash value in `secretData` is empty"),
        (bad_base64, "the hash value is not base64"),
        (
            no_iterations,
            "`hashIterations` is missing or not a positive whole number",
        ),
    ];

    for (credential, reason) in cases {
        let (items, user) = read_user(json!([credential]), json!({}));

        assert!(user.password.is_none());
        assert!(user.password_unavailable, "{reason}");
        let messages = messages(&items);
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].contains(reason),
            "{messages:?} should say {reason}"
        );
        assert!(
            !messages[0].contains("q0B") && !messages[0].contains("a2V5"),
            "{messages:?}"
        );
    }
}

#[test]
fn a_plaintext_password_of_an_import_file_is_never_imported_nor_kept() {
    let plaintext = json!({"type": "password", "value": "hunter2", "temporary": false});

    let (items, user) = read_user(json!([plaintext]), json!({}));

    assert!(user.password.is_none() && user.password_unavailable);
    assert!(!user.raw.to_string().contains("hunter2"));
    assert!(
        messages(&items)[0].contains("plaintext"),
        "{:?}",
        messages(&items)
    );
}

#[test]
fn a_federated_directory_user_has_a_password_the_export_lacks() {
    let (items, user) = read_user(json!([]), json!({"federationLink": "ldap-provider-id"}));

    assert!(user.password.is_none() && user.password_unavailable);
    assert!(messages(&items).is_empty());
}

#[test]
fn no_secret_reaches_the_raw_record() {
    let salt = b"secret-salt-1234";
    let key = b"secret-derived-key";
    let mut otp = stored(
        "otp",
        r#"{"value":"JBSWY3DPEHPK3PXP"}"#,
        r#"{"subType":"totp","digits":6}"#,
    );
    otp["userLabel"] = json!("phone");
    let (_, user) = read_user(
        json!([credential("pbkdf2-sha256", 1, key, salt, json!({})), otp]),
        json!({}),
    );

    let raw = user.raw.to_string();
    for secret in [
        STANDARD.encode(key),
        STANDARD.encode(salt),
        "JBSWY3DPEHPK3PXP".to_string(),
    ] {
        assert!(!raw.contains(&secret), "{raw}");
    }
    assert_eq!(user.raw["credentials"][1]["type"], "otp");
    assert_eq!(user.raw["credentials"][1]["userLabel"], "phone");
    let data: Value = serde_json::from_str(
        user.raw["credentials"][0]["credentialData"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(data["algorithm"], "pbkdf2-sha256");
}
