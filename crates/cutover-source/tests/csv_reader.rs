//! The `csv` reader: the example export, the header checks, dialects, broken rows and the
//! raw record.

mod common;
mod example_table;

use std::path::PathBuf;

use cutover_source::{
    CsvOptions, FieldPaths, HashDigest, HashScheme, LegacyHash, PasswordColumns, RecordMapping,
    SchemeChoice, SourceConfig, SourceError, SourceItem, WhenEmpty, open_with_env,
};
use serde_json::json;

use common::{Export, unreadable, users, warnings};
use example_table::{
    FLAT, HMAC_KEY_ENV, assert_example_table, examples_dir, file_source, mapping, passwords, read,
};

fn config(users: PathBuf, mapping: RecordMapping, csv: Option<CsvOptions>) -> SourceConfig {
    let mut config = file_source("csv", users, mapping);
    config.options.csv = csv;
    config
}

fn open_error(config: &SourceConfig) -> SourceError {
    match open_with_env(config, &example_table::env) {
        Ok(_) => panic!("the export opened"),
        Err(error) => error,
    }
}

/// A mapping of `id`, `email` and an unsalted hex SHA-256 in `hash`.
fn small_mapping() -> RecordMapping {
    RecordMapping {
        fields: FieldPaths {
            legacy_id: "id".into(),
            email: Some("email".into()),
            blocked: Some("blocked".into()),
            ..FieldPaths::default()
        },
        password: Some(PasswordColumns {
            schemes: SchemeChoice::Fixed(HashScheme::Digest {
                algorithm: HashDigest::Sha256,
                hash: "hash".into(),
                encoding: cutover_source::Encoding::Hex,
                salt: None,
                salt_position: cutover_source::SaltPlacement::Suffix,
            }),
            when_empty: WhenEmpty::NoPassword,
        }),
    }
}

const SHA256_OF_SECRET: &str = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

#[test]
fn the_example_export_is_read_with_every_hash_matching_its_known_password() {
    let users_file = examples_dir().join("csv/users.csv");
    let items = read(&config(users_file.clone(), mapping(&FLAT), None));

    assert_example_table(&items, &passwords("csv"));

    let broken = unreadable(&items);
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].file, users_file);
    assert_eq!(broken[0].line, 22);
    assert_eq!(
        broken[0].reason,
        "the row has 20 fields where the header has 19"
    );
    let messages: Vec<&str> = warnings(&items)
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.contains(
            &"user 1022: email_verified: column email_confirmed is not true or false (or 1/0, \
              t/f, yes/no); taken as false"
        ),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("user 1022: updated_at:")),
        "{messages:#?}"
    );
    let line_of_1022 = warnings(&items)
        .iter()
        .find(|w| w.message.starts_with("user 1022"))
        .and_then(|w| w.line);
    assert_eq!(line_of_1022, Some(23));
}

#[test]
fn a_column_the_header_lacks_is_an_error_naming_the_setting() {
    let export = Export::new();
    let file = export.text("users.csv", "id,mail,hash,blocked\n1,a@example.com,,f\n");

    let error = open_error(&config(file, small_mapping(), None));

    let message = error.to_string();
    assert!(
        message.contains("source.fields.email names column \"email\""),
        "{message}"
    );
    assert!(
        message.contains("its columns: id, mail, hash, blocked"),
        "{message}"
    );
}

#[test]
fn an_empty_file_and_a_repeated_column_are_refused() {
    let export = Export::new();
    let empty = export.text("empty.csv", "");
    let message = open_error(&config(empty, small_mapping(), None)).to_string();
    assert!(message.contains("header row"), "{message}");

    let twice = export.text("twice.csv", "id,email,hash,blocked,email\n");
    let message = open_error(&config(twice, small_mapping(), None)).to_string();
    assert!(
        message.contains("names column \"email\" twice"),
        "{message}"
    );
}

#[test]
fn rows_carry_the_line_they_start_on_across_quoted_line_breaks() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        "id,email,hash,blocked,note\n\
         1,a@example.com,,f,\"two\nlines\"\n\
         2,b@example.com,,f,plain\n\
         3,c@example.com,,f\n\
         4,d@example.com,,f,last\n",
    );

    let items = read(&config(file, small_mapping(), None));

    let read_ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(read_ids, ["1", "2", "4"]);
    let broken = unreadable(&items);
    assert_eq!(
        (broken[0].line, broken[0].reason.as_str()),
        (5, "the row has 4 fields where the header has 5")
    );
    let second = items
        .iter()
        .find_map(|item| match item {
            SourceItem::User(user) if user.legacy_id == "1" => Some(user.raw.clone()),
            _ => None,
        })
        .expect("user 1");
    assert_eq!(second["note"], json!("two\nlines"));
}

#[test]
fn a_quote_never_closed_names_the_lines_it_swallowed() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        "id,email,hash,blocked,note\n\
         1,a@example.com,,f,fine\n\
         2,\"b@example.com,,f,open\n\
         3,c@example.com,,f,lost\n\
         4,d@example.com,,f,lost\n",
    );

    let items = read(&config(file, small_mapping(), None));

    let read_ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(read_ids, ["1"]);
    let broken = unreadable(&items);
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].line, 3);
    assert!(
        broken[0]
            .reason
            .contains("runs inside a quoted field from line 3 to line 5"),
        "{}",
        broken[0].reason
    );
}

#[test]
fn a_row_that_is_not_utf8_is_unreadable_and_the_next_is_read() {
    let export = Export::new();
    let mut bytes = b"id,email,hash,blocked\n1,caf\xe9@example.com,,f\n".to_vec();
    bytes.extend_from_slice(b"2,b@example.com,,f\n");
    let path = export.text("users.csv", "");
    std::fs::write(&path, bytes).expect("write");

    let items = read(&config(path, small_mapping(), None));

    let broken = unreadable(&items);
    assert_eq!(broken[0].line, 2);
    assert!(
        broken[0].reason.contains("column \"email\" is not UTF-8"),
        "{}",
        broken[0].reason
    );
    assert_eq!(users(&items).len(), 1);
}

#[test]
fn a_dialect_with_semicolons_backslash_escapes_and_a_null_marker_is_read() {
    let export = Export::new();
    let text = "\u{feff}id;email;hash;blocked;note\n\
                1;a@example.com;\\N;\\N;\"say \\\"hi\\\"\"\n";
    let file = export.gzip("users.csv.gz", text);
    let dialect = CsvOptions {
        delimiter: b';',
        escape: Some(b'\\'),
        null: Some("\\N".into()),
        ..CsvOptions::default()
    };

    let items = read(&config(file, small_mapping(), Some(dialect)));

    let user = users(&items)[0];
    assert_eq!(
        user.legacy_id, "1",
        "the byte order mark is not part of `id`"
    );
    assert_eq!(user.password, None, "\\N is null, so there is no hash");
    assert!(!user.blocked);
    assert_eq!(user.raw["note"], json!("say \"hi\""));
    assert_eq!(user.raw["blocked"], json!(null));
}

#[test]
fn the_raw_record_keeps_every_column_but_the_hash_and_empty_cells_are_null() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        &format!("id,email,hash,blocked,plan,\n7,a@example.com,{SHA256_OF_SECRET},t,,x\n"),
    );

    let items = read(&config(file, small_mapping(), None));

    let user = users(&items)[0];
    assert_eq!(
        user.raw,
        json!({"id": "7", "email": "a@example.com", "blocked": "t", "plan": null})
    );
    assert!(user.blocked);
    let Some(LegacyHash::Digest { digest, salt, .. }) = user.password.as_ref().map(|p| &p.hash)
    else {
        panic!("a digest");
    };
    assert_eq!(hex::encode(digest), SHA256_OF_SECRET);
    assert_eq!(*salt, None);
}

#[test]
fn a_user_without_an_id_is_unreadable_and_an_unknown_blocked_value_keeps_the_user_blocked() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        "id,email,hash,blocked\n,nobody@example.com,,f\n8,b@example.com,,banned\n",
    );

    let items = read(&config(file, small_mapping(), None));

    assert_eq!(
        unreadable(&items)[0].reason,
        "no legacy id: column id is empty"
    );
    let user = users(&items)[0];
    assert!(
        user.blocked,
        "an unreadable blocked flag is taken as blocked"
    );
    assert!(warnings(&items)[0].message.contains("taken as true"));
}

#[test]
fn a_digest_of_the_wrong_length_keeps_the_user_without_a_usable_password() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        "id,email,hash,blocked\n9,c@example.com,5f4dcc3b5aa765d61d8327deb882cf99,f\n",
    );

    let items = read(&config(file, small_mapping(), None));

    let user = users(&items)[0];
    assert_eq!(user.password, None);
    assert!(user.password_unavailable);
    let message = &warnings(&items)[0].message;
    assert_eq!(
        message,
        "user 9: password: column hash holds 16 bytes, where the digest has 32; the user is \
         read without a usable password"
    );
    assert!(
        !message.contains("5f4dcc3b"),
        "a warning never quotes a hash"
    );
}

#[test]
fn an_empty_hash_means_what_when_empty_says() {
    let export = Export::new();
    let file = export.text(
        "users.csv",
        "id,email,hash,blocked\n10,d@example.com,  ,f\n",
    );
    let mut unavailable = small_mapping();
    if let Some(password) = &mut unavailable.password {
        password.when_empty = WhenEmpty::Unavailable;
    }

    let items = read(&config(file.clone(), small_mapping(), None));
    assert!(!users(&items)[0].password_unavailable);
    let items = read(&config(file, unavailable, None));
    assert!(users(&items)[0].password_unavailable);
    assert!(users(&items)[0].password.is_none());
    assert!(warnings(&items).is_empty());
}

#[test]
fn a_missing_hmac_key_variable_stops_the_export_from_opening() {
    let users_file = examples_dir().join("csv/users.csv");
    let config = config(users_file, mapping(&FLAT), None);

    let error = match open_with_env(&config, &|_| None) {
        Ok(_) => panic!("opened without the key"),
        Err(error) => error,
    };

    assert!(matches!(&error, SourceError::MissingSecret { env, .. } if env == HMAC_KEY_ENV));
    assert!(
        error.to_string().contains("source.password.key_env"),
        "{error}"
    );
}
