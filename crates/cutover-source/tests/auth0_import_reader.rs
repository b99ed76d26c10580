//! Reading Auth0's bulk-import JSON: every `custom_password_hash` algorithm becomes the
//! right legacy hash, and the awkward records are read, refused or reported as they should.

mod common;

use common::examples::*;
use common::*;
use cutover_source::{HashFamily, LegacyHash, SourceError, open};
use serde_json::json;

/// The kind of legacy hash, without its bytes.
fn kind(hash: &LegacyHash) -> String {
    match hash {
        LegacyHash::Encoded(text) => match text.strip_prefix('$') {
            Some(rest) => format!("encoded {}", rest.split('$').next().unwrap_or_default()),
            None => format!(
                "encoded {}",
                text.split_inclusive('}').next().unwrap_or_default()
            ),
        },
        LegacyHash::Digest {
            algorithm,
            salt,
            salt_position,
            ..
        } => {
            format!(
                "digest {algorithm:?} salt={} {salt_position:?}",
                salt.as_ref().map_or(0, Vec::len)
            )
        }
        LegacyHash::Hmac { algorithm, key, .. } => format!("hmac {algorithm:?} key={}", key.len()),
        LegacyHash::Pbkdf2 {
            algorithm,
            iterations,
            key,
            ..
        } => {
            format!("pbkdf2 {algorithm:?} i={iterations} l={}", key.len())
        }
        other => format!("{other:?}"),
    }
}

#[test]
fn every_algorithm_becomes_the_legacy_hash_it_describes() {
    let items = read_example("auth0_import", "users.json");

    let expected = [
        ("imp-md4", "digest Md4 salt=0 Suffix"),
        ("imp-md5", "digest Md5 salt=6 Prefix"),
        ("imp-sha1", "digest Sha1 salt=8 Suffix"),
        ("imp-sha256", "digest Sha256 salt=0 Suffix"),
        ("imp-sha512", "digest Sha512 salt=16 Suffix"),
        ("imp-bcrypt", "encoded 2b"),
        ("imp-bcrypt-custom", "encoded 2a"),
        ("imp-argon2", "encoded argon2id"),
        ("imp-pbkdf2", "pbkdf2 Sha256 i=10000 l=32"),
        ("imp-pbkdf2-defaults", "pbkdf2 Sha512 i=100000 l=64"),
        ("imp-ldap", "encoded {SSHA}"),
        ("imp-hmac", "hmac Sha256 key=12"),
        ("no.id@example.com", "encoded argon2id"),
    ];
    for (id, want) in expected {
        let password = user(&items, id)
            .password
            .as_ref()
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(kind(&password.hash), want, "{id}");
    }
    let family = |id: &str| user(&items, id).password.as_ref().map(|p| p.family);
    assert_eq!(family("imp-bcrypt"), Some(HashFamily::Bcrypt));
    assert_eq!(family("imp-ldap"), Some(HashFamily::Ssha));
    assert_eq!(family("imp-hmac"), Some(HashFamily::Hmac));
    assert_eq!(family("imp-md5"), Some(HashFamily::Md5));
}

#[test]
fn the_documented_md5_example_is_a_prefix_salted_digest_of_the_hex_bytes() {
    let export = Export::new();
    let record = json!([{
        "email": "doc@example.com",
        "custom_password_hash": {
            "algorithm": "md5",
            "hash": {"value": "67A1E09BB1F83F5007DC119C14D663AA", "encoding": "hex"},
            "salt": {"value": "salt", "position": "prefix"}
        }
    }]);
    let path = export.text("import.json", &record.to_string());

    let items = read_with_secrets("auth0_import", path);

    let hash = &user(&items, "doc@example.com")
        .password
        .as_ref()
        .unwrap()
        .hash;
    let LegacyHash::Digest { digest, salt, .. } = hash else {
        panic!("not a digest")
    };
    assert_eq!(digest[0], 0x67);
    assert_eq!(salt.as_deref(), Some(&b"salt"[..]));
}

#[test]
fn users_are_mapped_with_names_blocks_and_without_hash_fields_in_raw() {
    let items = read_example("auth0_import", "users.json");

    let sean = user(&items, "imp-sha1");
    assert_eq!(
        (
            sean.given_name.as_deref(),
            sean.family_name.as_deref(),
            sean.name.as_deref()
        ),
        (Some("Seán"), Some("O'Connor"), Some("Seán O'Connor"))
    );
    assert!(sean.email_verified);
    assert!(sean.raw.get("custom_password_hash").is_none());
    assert_eq!(user(&items, "imp-md5").raw["app_metadata"]["tier"], "pro");
    let bcrypt = user(&items, "imp-bcrypt");
    assert_eq!(bcrypt.name.as_deref(), Some("Zoë Ångström"));
    assert!(bcrypt.raw.get("password_hash").is_none());
    assert!(user(&items, "imp-blocked").blocked);
    assert_eq!(
        user(&items, "imp-twin").email.as_deref(),
        Some("Mary@Example.com")
    );
    let no_email = user(&items, "imp-no-email");
    assert_eq!(
        (no_email.email.as_deref(), no_email.username.as_deref()),
        (None, Some("nomail"))
    );
}

#[test]
fn a_user_without_user_id_is_known_by_its_email() {
    let items = read_example("auth0_import", "users.json");

    let user = user(&items, "no.id@example.com");
    assert_eq!(user.email.as_deref(), Some("no.id@example.com"));
}

#[test]
fn hashes_that_cannot_be_carried_leave_the_password_unavailable_with_the_reason() {
    let items = read_example("auth0_import", "users.json");
    let warnings = warnings(&items);
    let warning_for = |id: &str| {
        warnings
            .iter()
            .find(|w| w.message.starts_with(&format!("user {id}:")))
            .map(|w| w.message.clone())
            .unwrap_or_else(|| panic!("no warning for {id}"))
    };

    for (id, reason) in [
        ("imp-broken-digest", "`hash.value` that is not hex"),
        ("imp-utf16", "utf16le"),
        (
            "imp-both",
            "both `password_hash` and `custom_password_hash`",
        ),
    ] {
        let user = user(&items, id);
        assert!(user.password.is_none() && user.password_unavailable, "{id}");
        let message = warning_for(id);
        assert!(message.contains(reason), "{message}");
        assert!(message.contains("without a password hash"), "{message}");
    }
    let empty = user(&items, "imp-empty");
    assert!(empty.password.is_none() && !empty.password_unavailable);
}

#[test]
fn records_without_identity_and_broken_json_are_reported_at_their_lines() {
    let items = read_example("auth0_import", "users.json");
    let text = example_text("auth0_import", "users.json");

    let unreadable = unreadable(&items);
    assert_eq!(unreadable.len(), 2, "{unreadable:?}");
    assert_eq!(unreadable[0].line, line_of(&text, "\"ghost\"") - 1);
    assert!(
        unreadable[0]
            .reason
            .contains("neither `user_id` nor `email`")
    );
    assert_eq!(unreadable[1].line, line_of(&text, "imp-broken-json") - 2);
    assert!(
        unreadable[1].reason.starts_with("invalid JSON"),
        "{}",
        unreadable[1].reason
    );
    assert_eq!(users(&items).len(), 20);
}

#[test]
fn the_import_format_takes_no_separate_hash_file() {
    let mut config = config_for("auth0_import", example("auth0_import", "users.json"));
    config.password_hashes = Some(example("auth0_import", "passwords.json"));

    let error = open(&config).err().expect("refused");

    assert!(
        matches!(
            error,
            SourceError::Options {
                format: "auth0_import",
                ..
            }
        ),
        "{error}"
    );
}
