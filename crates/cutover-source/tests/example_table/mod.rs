//! The example user table of `plans/examples/` as the tests expect it to be read: the same
//! mapping as the example plans, the known passwords, and an independent check (with the
//! RustCrypto crates, not the code under test) that every hash a reader hands over matches
//! its user's password.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cutover_hash::{Digest, SaltPosition};
use cutover_source::{
    Encoding, FieldPaths, FormatOptions, HashDigest, HashScheme, LegacyHash, LegacyUser, Param,
    PasswordColumns, RecordMapping, SaltColumn, SaltPlacement, SchemeChoice, SourceConfig,
    SourceItem, WhenEmpty, open_with_env,
};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

/// The variable the example plans name for the HMAC key, and its value.
pub const HMAC_KEY_ENV: &str = "LEGACY_HMAC_KEY";
/// The example table's HMAC key (an example value, not a secret).
pub const HMAC_KEY: &str = "example-pepper-not-a-secret";

/// `plans/examples` of the repository.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples")
}

/// An environment holding only the example HMAC key.
pub fn env(name: &str) -> Option<String> {
    (name == HMAC_KEY_ENV).then(|| HMAC_KEY.to_string())
}

/// A source of `format` that reads `users` with `mapping`.
pub fn file_source(format: &str, users: PathBuf, mapping: RecordMapping) -> SourceConfig {
    let mut options = FormatOptions::default();
    options.mapping = Some(mapping);
    SourceConfig {
        format: format.into(),
        users,
        options,
        ..SourceConfig::default()
    }
}

/// Every item of a source, read with the example environment.
pub fn read(config: &SourceConfig) -> Vec<SourceItem> {
    open_with_env(config, &env)
        .expect("the export opens")
        .collect()
}

/// The known passwords by legacy id, from a fixture's `passwords.json`.
pub fn passwords(dir: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(examples_dir().join(dir).join("passwords.json"))
        .expect("passwords.json");
    serde_json::from_str(&text).expect("passwords.json is a JSON object of strings")
}

/// Where the table's columns are: `flat` for CSV and SQL, nested paths for the NDJSON export.
pub struct Columns {
    pub given_name: &'static str,
    pub family_name: &'static str,
    pub name: &'static str,
    pub algo: &'static str,
    pub hash: &'static str,
    pub salt: &'static str,
    pub iterations: &'static str,
}

/// The columns of the CSV export and the database table.
pub const FLAT: Columns = Columns {
    given_name: "first_name",
    family_name: "last_name",
    name: "display_name",
    algo: "hash_algo",
    hash: "password_hash",
    salt: "password_salt",
    iterations: "hash_iterations",
};

/// The paths of the NDJSON export.
pub const NESTED: Columns = Columns {
    given_name: "profile.first_name",
    family_name: "profile.last_name",
    name: "profile.display_name",
    algo: "credentials.algo",
    hash: "credentials.hash",
    salt: "credentials.salt",
    iterations: "credentials.iterations",
};

/// The mapping the example plans give, for the columns of one export.
pub fn mapping(c: &Columns) -> RecordMapping {
    let some = |s: &str| Some(s.to_string());
    let fields = FieldPaths {
        legacy_id: "id".into(),
        email: some("email"),
        email_verified: some("email_confirmed"),
        phone: some("phone"),
        phone_verified: None,
        username: some("username"),
        given_name: some(c.given_name),
        family_name: some(c.family_name),
        name: some(c.name),
        created_at: some("signup_at"),
        updated_at: some("updated_at"),
        last_login: some("last_seen_at"),
        blocked: some("is_banned"),
        application: None,
        tenant: some("workspace"),
        social: BTreeMap::from([("google".to_string(), "google_sub".to_string())]),
    };

    let hash = c.hash.to_string();
    let salt = |encoding| SaltColumn {
        path: c.salt.to_string(),
        encoding,
    };
    let encoded = HashScheme::Encoded { hash: hash.clone() };
    let digest =
        |algorithm, encoding, salted: Option<(Encoding, SaltPlacement)>| HashScheme::Digest {
            algorithm,
            hash: hash.clone(),
            encoding,
            salt: salted.map(|(encoding, _)| salt(encoding)),
            salt_position: salted.map_or(SaltPlacement::Suffix, |(_, position)| position),
        };
    let schemes = BTreeMap::from([
        ("bcrypt".to_string(), encoded.clone()),
        ("argon2".to_string(), encoded.clone()),
        ("django".to_string(), encoded.clone()),
        ("phpass".to_string(), encoded.clone()),
        ("ldap".to_string(), encoded),
        (
            "md5".to_string(),
            digest(HashDigest::Md5, Encoding::Hex, None),
        ),
        (
            "sha1".to_string(),
            digest(HashDigest::Sha1, Encoding::Hex, None),
        ),
        (
            "sha256".to_string(),
            digest(
                HashDigest::Sha256,
                Encoding::Hex,
                Some((Encoding::Text, SaltPlacement::Prefix)),
            ),
        ),
        (
            "sha512".to_string(),
            digest(
                HashDigest::Sha512,
                Encoding::Base64,
                Some((Encoding::Hex, SaltPlacement::Suffix)),
            ),
        ),
        (
            "hmac".to_string(),
            HashScheme::Hmac {
                algorithm: HashDigest::Sha256,
                hash: hash.clone(),
                encoding: Encoding::Hex,
                key_env: HMAC_KEY_ENV.into(),
                key_encoding: Encoding::Text,
            },
        ),
        (
            "pbkdf2".to_string(),
            HashScheme::Pbkdf2 {
                algorithm: HashDigest::Sha256,
                hash: hash.clone(),
                encoding: Encoding::Base64,
                salt: salt(Encoding::Base64),
                iterations: Param::Column(c.iterations.to_string()),
            },
        ),
        (
            "scrypt".to_string(),
            HashScheme::Scrypt {
                hash,
                encoding: Encoding::Hex,
                salt: salt(Encoding::Hex),
                n: Param::Fixed(16384),
                r: Param::Fixed(8),
                p: Param::Fixed(1),
            },
        ),
    ]);

    RecordMapping {
        fields,
        password: Some(PasswordColumns {
            schemes: SchemeChoice::PerRecord {
                column: c.algo.to_string(),
                schemes,
            },
            when_empty: WhenEmpty::NoPassword,
        }),
    }
}

/// The users read, by legacy id.
pub fn by_id(items: &[SourceItem]) -> BTreeMap<String, &LegacyUser> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::User(user) => Some((user.legacy_id.clone(), user.as_ref())),
            _ => None,
        })
        .collect()
}

/// The warnings, as "legacy id: message" without the `user N: ` prefix.
pub fn warning_messages(items: &[SourceItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Warning(warning) => Some(warning.message.clone()),
            _ => None,
        })
        .collect()
}

/// Checks what every export of the example table must read as; `file_values` is false for
/// the database, whose typed columns cannot hold user 1022's broken values.
pub fn assert_example_table(items: &[SourceItem], passwords: &BTreeMap<String, String>) {
    let users = by_id(items);
    let expected_ids: Vec<String> = (1001..=1023)
        .filter(|id| *id != 1021)
        .map(|id| id.to_string())
        .collect();
    assert_eq!(users.keys().cloned().collect::<Vec<_>>(), expected_ids);

    let siobhan = users["1001"];
    assert_eq!(siobhan.given_name.as_deref(), Some("Siobhán"));
    assert_eq!(siobhan.family_name.as_deref(), Some("O'Connor"));
    assert_eq!(siobhan.phone.as_deref(), Some("+353871234567"));
    assert_eq!(siobhan.username.as_deref(), Some("siobhan"));
    assert_eq!(siobhan.tenant.as_deref(), Some("beta"));
    assert!(siobhan.email_verified);
    assert_eq!(time(siobhan.created_at), "2017-03-14T09:26:53+00:00");
    assert_eq!(time(siobhan.last_login), "2024-05-06T07:08:09+00:00");
    assert_eq!(users["1016"].name.as_deref(), Some("田中 由紀"));
    assert_eq!(
        users["1020"].email.as_deref(),
        Some("Chloe.Dubois+news@Example.ORG")
    );
    assert_eq!(users["1008"].email, None);
    assert!(!users["1008"].email_verified);
    assert!(users["1009"].blocked);
    assert!(!users["1001"].blocked);
    assert_eq!(users["1010"].social.len(), 1);
    assert_eq!(users["1010"].social[0].connection, "google");
    assert_eq!(users["1010"].social[0].subject, "112233445566778899001");
    assert!(users["1002"].social.is_empty());

    // The raw record keeps the columns no field maps and loses the hash and the salt.
    let raw = &users["1005"].raw;
    let raw_text = raw.to_string();
    assert!(raw_text.contains("\"plan\":\"pro\""), "{raw}");
    assert!(raw_text.contains("pbkdf2"), "{raw}");
    assert!(
        !raw_text.contains("password_hash") && !raw_text.contains("\"hash\""),
        "{raw}"
    );
    assert!(
        !raw_text.contains("password_salt") && !raw_text.contains("\"salt\""),
        "{raw}"
    );

    // Users without a password, and the ones whose hash cannot be read.
    for id in ["1010", "1023"] {
        assert!(users[id].password.is_none(), "{id}");
        assert!(!users[id].password_unavailable, "{id}");
    }
    for id in ["1012", "1013"] {
        assert!(users[id].password.is_none(), "{id}");
        assert!(users[id].password_unavailable, "{id}");
    }
    let warnings = warning_messages(items);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("user 1012: password:") && w.contains("is not hexadecimal")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("user 1013: password:") && w.contains("\"crc32\"")),
        "{warnings:#?}"
    );

    // Every readable hash is handed over so that the user's known password matches it.
    let broken = ["1011", "1012", "1013"];
    for (id, user) in &users {
        let Some(password) = &user.password else {
            continue;
        };
        if broken.contains(&id.as_str()) {
            continue;
        }
        let known = passwords
            .get(id)
            .unwrap_or_else(|| panic!("no password for {id}"));
        assert!(
            verifies(&password.hash, known),
            "user {id}: the {} hash does not match the known password",
            password.family
        );
        assert!(!verifies(&password.hash, "not the password"), "{id}");
    }
    assert!(
        matches!(&users["1011"].password.as_ref().unwrap().hash, LegacyHash::Encoded(h)
            if h == "$2b$04$thisIsNotAFullBcryptHash")
    );
}

fn time(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| at.to_rfc3339()).unwrap_or_default()
}

/// Whether `password` matches `hash`, computed independently of the readers.
pub fn verifies(hash: &LegacyHash, password: &str) -> bool {
    let pw = password.as_bytes();
    match hash {
        LegacyHash::Encoded(text) => verify_encoded(text, password),
        LegacyHash::Digest {
            algorithm,
            digest,
            salt,
            salt_position,
        } => {
            let salt = salt.clone().unwrap_or_default();
            let input = match salt_position {
                SaltPosition::Prefix => [salt.as_slice(), pw].concat(),
                SaltPosition::Suffix => [pw, salt.as_slice()].concat(),
            };
            &digest_of(*algorithm, &input) == digest
        }
        LegacyHash::Hmac {
            algorithm: Digest::Sha256,
            mac,
            key,
        } => {
            let mut hmac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
            hmac.update(pw);
            hmac.finalize().into_bytes().as_slice() == mac.as_slice()
        }
        LegacyHash::Pbkdf2 {
            algorithm: Digest::Sha256,
            iterations,
            salt,
            key,
        } => {
            let mut out = vec![0u8; key.len()];
            pbkdf2::pbkdf2_hmac::<Sha256>(pw, salt, *iterations, &mut out);
            &out == key
        }
        LegacyHash::Scrypt { n, r, p, salt, key } => {
            let log_n = u8::try_from(n.trailing_zeros()).expect("small");
            let params = scrypt::Params::new(log_n, *r, *p).expect("valid params");
            let mut out = vec![0u8; key.len()];
            scrypt::scrypt(pw, salt, &params, &mut out).expect("valid length");
            &out == key
        }
        other => panic!("the example table has no {other:?}"),
    }
}

fn digest_of(algorithm: Digest, input: &[u8]) -> Vec<u8> {
    match algorithm {
        Digest::Md5 => md5::Md5::digest(input).to_vec(),
        Digest::Sha1 => Sha1::digest(input).to_vec(),
        Digest::Sha256 => Sha256::digest(input).to_vec(),
        Digest::Sha512 => Sha512::digest(input).to_vec(),
        other => panic!("the example table has no {other:?} digest"),
    }
}

fn verify_encoded(text: &str, password: &str) -> bool {
    if text.starts_with("$2") {
        return bcrypt::verify(password, text).unwrap_or(false);
    }
    if let Some(ssha) = text.strip_prefix("{SSHA}") {
        let bytes = STANDARD.decode(ssha).expect("base64");
        let (digest, salt) = bytes.split_at(20);
        return Sha1::new()
            .chain_update(password)
            .chain_update(salt)
            .finalize()
            .as_slice()
            == digest;
    }
    if let Some(django) = text.strip_prefix("pbkdf2_sha256$") {
        let parts: Vec<&str> = django.split('$').collect();
        let iterations: u32 = parts[0].parse().expect("iterations");
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(
            password.as_bytes(),
            parts[1].as_bytes(),
            iterations,
            &mut out,
        );
        return STANDARD.encode(out) == parts[2];
    }
    if text.starts_with("$argon2id$") {
        use argon2::PasswordVerifier;
        return argon2::Argon2::default()
            .verify_password(password.as_bytes(), text)
            .is_ok();
    }
    if text.starts_with("$P$") {
        return phpass(text, password);
    }
    panic!("the example table has no such string hash")
}

/// Checks a WordPress phpass string: `$P$`, the log2 count, 8 salt characters, then the MD5
/// chain in phpass's little-endian base64.
fn phpass(text: &str, password: &str) -> bool {
    const ITOA64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let count = ITOA64
        .iter()
        .position(|&c| c == text.as_bytes()[3])
        .expect("count");
    let salt = &text[4..12];

    let mut hash = md5::Md5::new()
        .chain_update(salt)
        .chain_update(password)
        .finalize()
        .to_vec();
    for _ in 0..(1u64 << count) {
        hash = md5::Md5::new()
            .chain_update(&hash)
            .chain_update(password)
            .finalize()
            .to_vec();
    }
    let mut encoded = String::new();
    for chunk in hash.chunks(3) {
        let value = chunk
            .iter()
            .enumerate()
            .fold(0u32, |value, (i, &b)| value | (u32::from(b) << (8 * i)));
        for i in 0..=chunk.len() {
            encoded.push(ITOA64[((value >> (6 * i)) & 0x3f) as usize] as char);
        }
    }
    encoded == text[12..]
}
