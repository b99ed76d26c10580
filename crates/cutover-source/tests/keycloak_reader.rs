//! Reading Keycloak realm exports: the layouts, every field of a user, realms, skipped
//! users and the positions of unreadable records.

mod common;

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use common::*;
use cutover_source::{FormatOptions, KeycloakOptions, SocialIdentity, SourceConfig, open};
use serde_json::{Value, json};

fn keycloak(users: PathBuf, realms: &[&str]) -> SourceConfig {
    let mut options = FormatOptions::default();
    if !realms.is_empty() {
        options.keycloak = Some(KeycloakOptions {
            realms: realms.iter().map(|r| r.to_string()).collect(),
        });
    }
    SourceConfig {
        format: "keycloak".into(),
        users,
        options,
        ..SourceConfig::default()
    }
}

/// A user representation as `kc.sh export` writes one, with no credentials.
fn exported_user(id: &str, username: &str) -> Value {
    json!({
        "id": id,
        "createdTimestamp": 1_614_834_367_890_i64,
        "username": username,
        "enabled": true,
        "totp": false,
        "emailVerified": true,
        "email": format!("{username}@example.com"),
        "credentials": [],
        "disableableCredentialTypes": [],
        "requiredActions": [],
        "realmRoles": ["default-roles-acme"],
        "notBefore": 0,
        "groups": []
    })
}

fn realm(name: &str, users: Vec<Value>) -> Value {
    json!({"id": format!("{name}-id"), "realm": name, "enabled": true, "users": users})
}

fn ids(items: &[cutover_source::SourceItem]) -> Vec<(String, Option<String>)> {
    users(items)
        .iter()
        .map(|u| (u.legacy_id.clone(), u.tenant.clone()))
        .collect()
}

#[test]
fn a_user_is_mapped_field_by_field() {
    let export = Export::new();
    let mut record = exported_user("5b7c-1", "sean.obrien");
    record["firstName"] = json!("Seán");
    record["lastName"] = json!("O'Brien");
    record["email"] = json!("Sean.OBrien@Acme.example");
    record["attributes"] = json!({
        "phoneNumber": ["+353861234567"],
        "phoneNumberVerified": ["true"],
        "department": ["support", "sales"]
    });
    record["groups"] = json!(["/staff"]);
    record["federatedIdentities"] = json!([
        {"identityProvider": "google", "userId": "1098", "userName": "sean@gmail.example"},
        {"identityProvider": "github", "userId": "583231", "userName": "sob"}
    ]);
    let path = export.text("realm.json", &realm("acme", vec![record]).to_string());

    let items = read_all(&keycloak(path, &[]));
    let user = user(&items, "5b7c-1");

    assert_eq!(user.username.as_deref(), Some("sean.obrien"));
    assert_eq!(user.email.as_deref(), Some("Sean.OBrien@Acme.example"));
    assert!(user.email_verified && user.phone_verified && !user.blocked);
    assert_eq!(user.phone.as_deref(), Some("+353861234567"));
    assert_eq!(user.given_name.as_deref(), Some("Seán"));
    assert_eq!(user.family_name.as_deref(), Some("O'Brien"));
    assert_eq!(user.name.as_deref(), Some("Seán O'Brien"));
    let created = Utc.with_ymd_and_hms(2021, 3, 4, 5, 6, 7).unwrap();
    assert_eq!(
        user.created_at,
        Some(created + chrono::Duration::milliseconds(890))
    );
    assert_eq!((user.updated_at, user.last_login), (None, None));
    assert_eq!(user.tenant.as_deref(), Some("acme"));
    assert_eq!(user.application, None);
    assert_eq!(
        user.social,
        vec![
            SocialIdentity {
                connection: "google".into(),
                subject: "1098".into()
            },
            SocialIdentity {
                connection: "github".into(),
                subject: "583231".into()
            },
        ]
    );
    assert!(user.password.is_none() && !user.password_unavailable);
    assert_eq!(user.raw["groups"], json!(["/staff"]));
    assert_eq!(
        user.raw["attributes"]["department"],
        json!(["support", "sales"])
    );
    assert!(warnings(&items).is_empty(), "{:?}", warnings(&items));
}

#[test]
fn enabled_false_or_missing_blocks_the_user() {
    let export = Export::new();
    let mut disabled = exported_user("u1", "dora");
    disabled["enabled"] = json!(false);
    let mut unsaid = exported_user("u2", "una");
    unsaid.as_object_mut().unwrap().remove("enabled");
    let path = export.text(
        "realm.json",
        &realm("acme", vec![disabled, unsaid]).to_string(),
    );

    let items = read_all(&keycloak(path, &[]));

    assert!(user(&items, "u1").blocked);
    assert!(
        user(&items, "u2").blocked,
        "Keycloak creates a user without `enabled` disabled"
    );
}

#[test]
fn an_array_of_realms_gives_each_user_its_realm() {
    let export = Export::new();
    let realms = json!([
        realm("master", vec![exported_user("m1", "admin")]),
        realm(
            "acme",
            vec![exported_user("a1", "ada"), exported_user("a2", "bob")]
        ),
    ]);
    let path = export.text(
        "all-realms.json",
        &serde_json::to_string_pretty(&realms).unwrap(),
    );

    let items = read_all(&keycloak(path, &[]));

    assert_eq!(
        ids(&items),
        vec![
            ("m1".into(), Some("master".into())),
            ("a1".into(), Some("acme".into())),
            ("a2".into(), Some("acme".into())),
        ]
    );
}

#[test]
fn a_directory_export_is_read_file_by_file_in_natural_order() {
    let export = Export::new();
    let dir = export
        .text("placeholder", "")
        .parent()
        .unwrap()
        .join("export");
    std::fs::create_dir(&dir).unwrap();
    let users_file = |n: usize, ids: &[&str]| {
        let users: Vec<Value> = ids.iter().map(|id| exported_user(id, id)).collect();
        let text = json!({"realm": "acme", "users": users}).to_string();
        std::fs::write(dir.join(format!("acme-users-{n}.json")), text).unwrap();
    };
    users_file(10, &["u10"]);
    users_file(9, &["u9"]);
    users_file(0, &["u0a", "u0b"]);
    let settings = json!({"id": "r", "realm": "acme", "clients": [{"clientId": "x"}]});
    std::fs::write(dir.join("acme-realm.json"), settings.to_string()).unwrap();
    std::fs::write(dir.join("notes.txt"), "not an export").unwrap();

    let items = read_all(&keycloak(dir, &[]));

    let order: Vec<String> = ids(&items).into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, ["u0a", "u0b", "u9", "u10"]);
    assert!(unreadable(&items).is_empty());
}

#[test]
fn a_plain_array_of_users_and_a_gzip_file_are_read() {
    let export = Export::new();
    let users = json!([exported_user("u1", "ada"), exported_user("u2", "bob")]).to_string();
    let plain = export.text("users.json", &users);
    let gzip = export.gzip(
        "realm.json.gz",
        &realm("acme", vec![exported_user("g1", "gus")]).to_string(),
    );

    assert_eq!(
        ids(&read_all(&keycloak(plain, &[]))),
        vec![("u1".into(), None), ("u2".into(), None)]
    );
    assert_eq!(
        ids(&read_all(&keycloak(gzip, &[]))),
        vec![("g1".into(), Some("acme".into()))]
    );
}

#[test]
fn unreadable_records_are_reported_at_their_line_and_reading_goes_on() {
    let export = Export::new();
    let text = "{\n  \"realm\" : \"acme\",\n  \"users\" : [ {\n    \"id\" : \"u1\",\n    \
                \"username\" : \"ada\"\n  }, {\n    \"id\" : \"u2\"\n    \"username\" : \"x\"\n  \
                }, {\n    \"username\" : 7\n  }, \"not a user\", {\n    \"id\" : \"u3\",\n    \
                \"username\" : \"bob\"\n  } ]\n}\n";
    let path = export.text("realm.json", text);

    let items = read_all(&keycloak(path.clone(), &[]));

    assert_eq!(
        ids(&items),
        vec![
            ("u1".into(), Some("acme".into())),
            ("u3".into(), Some("acme".into()))
        ]
    );
    let problems: Vec<(u64, &str)> = unreadable(&items)
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(problems[0].0, 6);
    assert!(problems[0].1.starts_with("invalid JSON"), "{problems:?}");
    assert_eq!(problems[1], (9, "the user has neither `id` nor `username`"));
    assert_eq!(problems[2], (11, "a user record must be a JSON object"));
    assert!(unreadable(&items).iter().all(|u| u.file == path));
}

#[test]
fn a_truncated_export_ends_with_one_unreadable_record() {
    let export = Export::new();
    let text = concat!(
        "{\"realm\": \"acme\", \"users\": [\n",
        "{\"id\": \"u1\", \"username\": \"ada\"},\n",
        "{\"id\": \"u2\", \"usern"
    );
    let path = export.text("realm.json", text);

    let items = read_all(&keycloak(path, &[]));

    assert_eq!(users(&items).len(), 1);
    let problems = unreadable(&items);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
    assert!(
        problems[0].reason.contains("ends inside"),
        "{}",
        problems[0].reason
    );
}

#[test]
fn only_the_realms_named_are_read_and_the_rest_is_counted() {
    let export = Export::new();
    let realms = json!([
        realm("master", vec![exported_user("m1", "admin")]),
        realm("acme", vec![exported_user("a1", "ada")]),
        realm(
            "partners",
            vec![exported_user("p1", "pat"), exported_user("p2", "pia")]
        ),
    ]);
    let path = export.text("all.json", &realms.to_string());

    let items = read_all(&keycloak(path, &["acme", "globex"]));

    assert_eq!(ids(&items), vec![("a1".into(), Some("acme".into()))]);
    let messages: Vec<&str> = warnings(&items)
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.contains(
            &"1 users of realm `master` skipped: the realm is not in source.keycloak.realms"
        ),
        "{messages:?}"
    );
    assert!(
        messages.contains(
            &"2 users of realm `partners` skipped: the realm is not in source.keycloak.realms"
        ),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"realm `globex` of source.keycloak.realms has no users in the export"),
        "{messages:?}"
    );
}

#[test]
fn service_accounts_are_skipped_and_counted() {
    let export = Export::new();
    let mut service = exported_user("s1", "service-account-billing");
    service["serviceAccountClientId"] = json!("billing");
    let path = export.text(
        "realm.json",
        &realm("acme", vec![service, exported_user("u1", "ada")]).to_string(),
    );

    let items = read_all(&keycloak(path, &[]));

    assert_eq!(ids(&items), vec![("u1".into(), Some("acme".into()))]);
    let messages: Vec<&str> = warnings(&items)
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("1 service-account users"),
        "{messages:?}"
    );
}

#[test]
fn a_user_without_id_is_known_by_username_and_the_file_says_so_once() {
    let export = Export::new();
    let users: Vec<Value> = ["ada", "bob"]
        .iter()
        .map(|name| json!({"username": name, "enabled": true}))
        .collect();
    let path = export.text("import.json", &realm("workshop", users).to_string());

    let items = read_all(&keycloak(path.clone(), &[]));

    assert_eq!(
        ids(&items),
        vec![
            ("ada".into(), Some("workshop".into())),
            ("bob".into(), Some("workshop".into()))
        ]
    );
    let found = warnings(&items);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].file.clone(), found[0].line), (path, None));
    assert!(
        found[0].message.starts_with("2 users have no `id`"),
        "{}",
        found[0].message
    );
}

#[test]
fn an_empty_directory_and_a_missing_file_cannot_be_opened() {
    let export = Export::new();
    let empty = export
        .text("placeholder", "")
        .parent()
        .unwrap()
        .join("empty");
    std::fs::create_dir(&empty).unwrap();
    let missing = empty.join("nope.json");

    let error = open(&keycloak(empty, &[]))
        .err()
        .expect("an empty directory is refused");
    assert!(
        error.to_string().contains("holds no .json files"),
        "{error}"
    );
    let error = open(&keycloak(missing, &[]))
        .err()
        .expect("a missing file is refused");
    assert!(
        error.to_string().contains("cannot read users file"),
        "{error}"
    );
}

#[test]
fn a_separate_password_hash_file_is_refused_by_the_readers_that_take_none() {
    let export = Export::new();
    let users = export.text("users.json", "[]");
    let hashes = export.text("hashes.ndjson", "");

    for format in ["keycloak", "cognito", "django"] {
        let config = SourceConfig {
            format: format.into(),
            users: users.clone(),
            password_hashes: Some(hashes.clone()),
            ..SourceConfig::default()
        };

        let error = open(&config).err().expect("a hash file is refused");
        assert!(
            error.to_string().contains("remove source.password_hashes"),
            "{error}"
        );
    }
}
