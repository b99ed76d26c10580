//! The `jsonl` reader: the example export with dotted paths, broken lines, and hashes given
//! as parts inside nested objects.

mod common;
mod example_table;

use std::path::PathBuf;

use cutover_source::{
    Encoding, FieldPaths, HashDigest, HashScheme, LegacyHash, Param, PasswordColumns,
    RecordMapping, SaltColumn, SchemeChoice, SourceConfig, WhenEmpty,
};
use serde_json::json;

use common::{Export, unreadable, users, warnings};
use example_table::{
    NESTED, assert_example_table, examples_dir, file_source, mapping, passwords, read,
};

fn config(users: PathBuf, mapping: RecordMapping) -> SourceConfig {
    file_source("jsonl", users, mapping)
}

#[test]
fn the_example_export_is_read_with_every_hash_matching_its_known_password() {
    let users_file = examples_dir().join("jsonl/users.jsonl");
    let items = read(&config(users_file.clone(), mapping(&NESTED)));

    assert_example_table(&items, &passwords("jsonl"));

    let broken = unreadable(&items);
    assert_eq!(broken.len(), 1);
    assert_eq!((broken[0].file.clone(), broken[0].line), (users_file, 21));
    // The reason gives the line in the file (serde_json's own count starts at the record).
    assert!(
        broken[0]
            .reason
            .starts_with("invalid JSON at line 21, column 240: EOF"),
        "{}",
        broken[0].reason
    );
    let messages: Vec<&str> = warnings(&items)
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("user 1022: email_verified:")),
        "{messages:#?}"
    );
}

#[test]
fn nested_hash_parts_are_read_and_removed_from_the_raw_record() {
    let export = Export::new();
    let file = export.ndjson(
        "users.jsonl",
        &[json!({
            "id": 42,
            "email": "a@example.com",
            "auth": {"pbkdf2": {"key": "AAECAw==", "salt": "c2FsdA", "rounds": "1000"}},
            "roles": ["admin"]
        })],
    );
    let mapping = RecordMapping {
        fields: FieldPaths {
            legacy_id: "id".into(),
            email: Some("email".into()),
            application: Some("roles.0".into()),
            ..FieldPaths::default()
        },
        password: Some(PasswordColumns {
            schemes: SchemeChoice::Fixed(HashScheme::Pbkdf2 {
                algorithm: HashDigest::Sha512,
                hash: "auth.pbkdf2.key".into(),
                encoding: Encoding::Base64,
                salt: SaltColumn {
                    path: "auth.pbkdf2.salt".into(),
                    encoding: Encoding::Base64,
                },
                iterations: Param::Column("auth.pbkdf2.rounds".into()),
            }),
            when_empty: WhenEmpty::NoPassword,
        }),
    };

    let items = read(&config(file, mapping));

    let user = users(&items)[0];
    assert_eq!(user.legacy_id, "42", "a numeric id becomes text");
    assert_eq!(user.application.as_deref(), Some("admin"));
    assert_eq!(
        user.password.as_ref().map(|p| p.hash.clone()),
        Some(LegacyHash::Pbkdf2 {
            algorithm: cutover_hash::Digest::Sha512,
            iterations: 1000,
            salt: b"salt".to_vec(),
            key: vec![0, 1, 2, 3],
        })
    );
    assert_eq!(
        user.raw,
        json!({"id": 42, "email": "a@example.com", "auth": {"pbkdf2": {"rounds": "1000"}},
               "roles": ["admin"]})
    );
}

#[test]
fn a_record_that_is_not_an_object_or_lacks_its_id_is_unreadable() {
    let export = Export::new();
    let file = export.text(
        "users.jsonl",
        "42\n{\"email\": \"x@example.com\"}\n{\"id\": true}\n{\"id\": \"ok\"}\n",
    );
    let mapping = RecordMapping {
        fields: FieldPaths {
            legacy_id: "id".into(),
            ..FieldPaths::default()
        },
        password: None,
    };

    let items = read(&config(file, mapping));

    let reasons: Vec<(u64, &str)> = unreadable(&items)
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (1, "a user record must be a JSON object"),
            (2, "no legacy id: column id is empty"),
            (3, "the legacy id in column id is a boolean, not text"),
        ]
    );
    assert_eq!(users(&items)[0].legacy_id, "ok");
}
