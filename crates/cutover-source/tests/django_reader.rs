//! Reading Django `dumpdata` files: the user model whatever its name, passwords as stored,
//! other models counted, and unreadable records located.

mod common;

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use common::*;
use cutover_source::{HashFamily, LegacyHash, SourceConfig, SourceItem};
use serde_json::{Value, json};

fn django(users: PathBuf) -> SourceConfig {
    SourceConfig {
        format: "django".into(),
        users,
        ..SourceConfig::default()
    }
}

/// An `auth.user` record as `dumpdata` writes it.
fn auth_user(pk: i64, username: &str, password: &str) -> Value {
    json!({
        "model": "auth.user",
        "pk": pk,
        "fields": {
            "password": password,
            "last_login": "2024-05-06T07:08:09.123Z",
            "is_superuser": false,
            "username": username,
            "first_name": "",
            "last_name": "",
            "email": format!("{username}@example.com"),
            "is_staff": false,
            "is_active": true,
            "date_joined": "2020-01-02T03:04:05Z",
            "groups": [],
            "user_permissions": []
        }
    })
}

/// Writes the records as `dumpdata` without `--indent` does: one JSON array on one line.
fn read_dump(records: &[Value]) -> Vec<SourceItem> {
    let export = Export::new();
    let path = export.text("dump.json", &Value::Array(records.to_vec()).to_string());
    read_all(&django(path))
}

fn messages(items: &[SourceItem]) -> Vec<String> {
    warnings(items).iter().map(|w| w.message.clone()).collect()
}

const PBKDF2: &str =
    "pbkdf2_sha256$600000$Xk3bGfUv0mYQ8ZrTq1cVnA$ZWZmZWN0aXZlbHkgYSBoYXNoIG9mIDMyIGJ5dGU=";

#[test]
fn a_user_is_mapped_field_by_field() {
    let mut record = auth_user(42, "siobhan", PBKDF2);
    record["fields"]["first_name"] = json!("Siobhán");
    record["fields"]["last_name"] = json!("O'Connor");
    record["fields"]["email"] = json!("Siobhan@Acme.example");
    record["fields"]["is_staff"] = json!(true);

    let items = read_dump(&[record]);
    let user = user(&items, "42");

    assert_eq!(user.username.as_deref(), Some("siobhan"));
    assert_eq!(user.email.as_deref(), Some("Siobhan@Acme.example"));
    assert!(!user.email_verified, "Django's user model does not say");
    assert_eq!(user.given_name.as_deref(), Some("Siobhán"));
    assert_eq!(user.family_name.as_deref(), Some("O'Connor"));
    assert_eq!(user.name.as_deref(), Some("Siobhán O'Connor"));
    assert_eq!(
        user.created_at,
        Some(Utc.with_ymd_and_hms(2020, 1, 2, 3, 4, 5).unwrap())
    );
    let login = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap();
    assert_eq!(
        user.last_login,
        Some(login + chrono::Duration::milliseconds(123))
    );
    assert!(!user.blocked);
    let password = user.password.as_ref().expect("a password");
    assert_eq!(password.hash, LegacyHash::Encoded(PBKDF2.into()));
    assert_eq!(
        password.family,
        HashFamily::Pbkdf2,
        "Django's PBKDF2 is recognised"
    );
    assert!(!user.password_unavailable);
    assert_eq!(user.raw["fields"]["is_staff"], true);
    assert_eq!(user.raw["model"], "auth.user");
    assert_eq!(user.raw["password_state"], "hashed");
    assert!(user.raw["fields"].get("password").is_none());
    assert!(messages(&items).is_empty(), "{:?}", messages(&items));
}

#[test]
fn every_django_layout_is_handed_over_exactly_as_stored() {
    let stored = [
        "pbkdf2_sha1$600000$salt$pMzU1zNPcydf6wjnJFbiVKwgULc=",
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "bcrypt_sha256$$2b$12$LZSJchsWG/DrBy1erNs4eeYo6tZNlLFQmONdxN9HPesa1EyXVcTXK",
        "bcrypt$$2b$12$LZSJchsWG/DrBy1erNs4ee31eJ7DaWiuwhDOC7aqIyqGGggfu6Y/.",
        "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8",
        "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3",
        "3f86d0d3d465b7b458c231bf3555c0e3",
        "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b",
        "crypt$$abN/qM.L/H8EQ",
        "foo$bar",
    ];
    let records: Vec<Value> = (1..)
        .zip(stored)
        .map(|(pk, hash)| auth_user(pk, &format!("user{pk}"), hash))
        .collect();

    let items = read_dump(&records);

    for (pk, hash) in (1..).zip(stored) {
        let read = user(&items, &pk.to_string())
            .password
            .as_ref()
            .expect("a password");
        assert_eq!(read.hash, LegacyHash::Encoded(hash.into()), "pk {pk}");
    }
}

#[test]
fn unusable_and_empty_passwords_mean_no_password_and_are_counted_once() {
    let unusable = "!qQ0vB1xA7uUcP3zR9mK2wY5tE8nL4jH6gF0dS1aZ";
    let records = [
        auth_user(1, "social", unusable),
        auth_user(2, "social2", &format!("{unusable}x")),
        auth_user(3, "empty", ""),
        auth_user(4, "real", PBKDF2),
    ];

    let items = read_dump(&records);

    for pk in ["1", "2", "3"] {
        let user = user(&items, pk);
        assert!(
            user.password.is_none() && !user.password_unavailable,
            "pk {pk}"
        );
        assert!(!user.raw.to_string().contains(unusable));
    }
    assert_eq!(user(&items, "1").raw["password_state"], "unusable");
    assert_eq!(user(&items, "3").raw["password_state"], "empty");
    assert_eq!(
        messages(&items),
        [
            "2 users have an unusable password (Django's `!` marker, for users who sign in \
             another way) and get no password",
            "1 users have an empty password field and get no password",
        ]
    );
}

#[test]
fn an_inactive_user_is_blocked() {
    let mut record = auth_user(7, "ina", PBKDF2);
    record["fields"]["is_active"] = json!(false);

    assert!(user(&read_dump(&[record]), "7").blocked);
}

#[test]
fn records_of_other_models_are_counted_in_one_warning() {
    let group =
        json!({"model": "auth.group", "pk": 1, "fields": {"name": "support", "permissions": []}});
    let permission = |pk| {
        let fields = json!({"name": "x", "content_type": 1, "codename": "x"});
        json!({"model": "auth.permission", "pk": pk, "fields": fields})
    };
    let records = [
        permission(1),
        group,
        permission(2),
        auth_user(1, "ada", PBKDF2),
    ];

    let items = read_dump(&records);

    assert_eq!(users(&items).len(), 1);
    assert!(unreadable(&items).is_empty());
    assert_eq!(
        messages(&items),
        ["3 records of other models skipped: auth.group (1), auth.permission (2)"]
    );
}

#[test]
fn a_dump_without_users_says_what_to_dump() {
    let group = json!({"model": "auth.group", "pk": 1, "fields": {"name": "support"}});

    let messages = messages(&read_dump(&[group]));

    assert!(
        messages
            .iter()
            .any(|m| m.contains("manage.py dumpdata auth.user")),
        "{messages:?}"
    );
}

#[test]
fn a_custom_user_model_with_email_login_and_uuid_keys_is_read() {
    let record = json!({
        "model": "accounts.customer",
        "pk": "7c0c3b9e-2f6a-4b8e-9d2c-1e5f3a7b9c0d",
        "fields": {
            "password": PBKDF2,
            "last_login": null,
            "email": "zoe@example.com",
            "email_verified": true,
            "phone_number": "+15550100123",
            "is_active": true,
            "date_joined": "2021-06-07T08:09:10.000Z"
        }
    });

    let items = read_dump(&[record]);
    let user = user(&items, "7c0c3b9e-2f6a-4b8e-9d2c-1e5f3a7b9c0d");

    assert_eq!(user.username, None);
    assert_eq!(user.email.as_deref(), Some("zoe@example.com"));
    assert!(user.email_verified);
    assert_eq!(user.phone.as_deref(), Some("+15550100123"));
    assert_eq!(user.last_login, None);
    assert_eq!(user.raw["model"], "accounts.customer");
}

#[test]
fn a_dump_with_natural_primary_keys_uses_the_username() {
    let mut record = auth_user(1, "ada", PBKDF2);
    record.as_object_mut().unwrap().remove("pk");

    let items = read_dump(&[record]);

    assert_eq!(users(&items)[0].legacy_id, "ada");
    assert!(
        messages(&items)[0].starts_with("1 users have no `pk`"),
        "{:?}",
        messages(&items)
    );
}

#[test]
fn times_without_a_zone_are_read_as_utc_and_said_so_once() {
    let mut a = auth_user(1, "ada", PBKDF2);
    a["fields"]["date_joined"] = json!("2012-01-13 00:14:00");
    let mut b = auth_user(2, "bob", PBKDF2);
    b["fields"]["last_login"] = json!("2012-01-13T00:14:00.5");

    let items = read_dump(&[a, b]);

    assert_eq!(
        user(&items, "1").created_at,
        Some(Utc.with_ymd_and_hms(2012, 1, 13, 0, 14, 0).unwrap())
    );
    assert_eq!(
        messages(&items),
        ["2 users have times without a time zone (USE_TZ = False); they were read as UTC"]
    );
}

#[test]
fn unreadable_records_of_a_one_line_dump_are_located_by_position() {
    let export = Export::new();
    let text = format!(
        "[{}, {}, {}, {}, {}]",
        auth_user(1, "ada", PBKDF2),
        r#"{"model": "auth.user", "pk": 2 "fields": {}}"#,
        r#"{"model": "auth.user", "pk": 3, "fields": "oops"}"#,
        r#"{"pk": 4}"#,
        auth_user(5, "eve", PBKDF2)
    );

    let items = read_all(&django(export.text("dump.json", &text)));

    let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(ids, ["1", "5"]);
    let problems: Vec<(u64, &str)> = unreadable(&items)
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(problems.len(), 3);
    assert!(
        problems[0]
            .1
            .starts_with("record 2 of the dump: invalid JSON"),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        (
            1,
            "record 3 of the dump: the auth.user record has no `fields` object"
        )
    );
    assert_eq!(
        problems[2],
        (1, "record 4 of the dump: the record has no `model`")
    );
}

#[test]
fn json_lines_from_dumpdata_format_jsonl_are_read() {
    let export = Export::new();
    let path = export.ndjson(
        "dump.jsonl",
        &[auth_user(1, "ada", PBKDF2), auth_user(2, "bob", "")],
    );

    let items = read_all(&django(path));

    assert_eq!(users(&items).len(), 2);
}

#[test]
fn a_password_that_is_not_a_string_is_a_warning() {
    let mut record = auth_user(1, "ada", PBKDF2);
    record["fields"]["password"] = Value::Null;

    let items = read_dump(&[record]);

    assert!(users(&items)[0].password.is_none());
    assert_eq!(
        messages(&items),
        ["user 1: `password` is null; no password"]
    );
}
