//! Joining the Auth0 user export with the password-hash export, by id and by email.

mod common;

use common::*;
use cutover_source::{HashFamily, JoinKey};
use serde_json::json;

const ANA: &str = "5f0000000000000000000001";
const BEN: &str = "5f0000000000000000000002";
const GONE: &str = "5f0000000000000000000009";

#[test]
fn joining_by_user_id_gives_the_hash_its_family_and_the_tenant() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(ANA, "ana@example.com")]);
    let hashes = export.ndjson("hashes.json", &[hash_row(ANA, "ana@example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));
    let ana = user(&items, &format!("auth0|{ANA}"));

    let password = ana.password.as_ref().expect("ana has a hash row");
    assert_eq!(
        (password.hash.as_encoded(), password.family),
        (Some(HASH_A), HashFamily::Bcrypt)
    );
    assert_eq!(ana.tenant.as_deref(), Some("acme-prod"));
    assert!(warnings(&items).is_empty(), "{:?}", warnings(&items));
}

#[test]
fn the_auth0_id_variants_of_the_hash_export_all_join() {
    let export = Export::new();
    let users = [
        database_user("legacy-17", "alt@example.com"),
        database_user(ANA, "ana@example.com"),
        database_user(BEN, "ben@example.com"),
    ];
    let mut alt = hash_row(GONE, "alt@example.com", HASH_A);
    alt["alt_id"] = json!("legacy-17");
    let prefixed = json!({"_id": {"$oid": format!("auth0|{ANA}")}, "email": "ana@example.com",
                          "emailVerified": true, "passwordHash": HASH_A});
    let plain = json!({"_id": BEN, "email": "ben@example.com", "passwordHash": HASH_B});
    let users = export.ndjson("users.json", &users);
    let hashes = export.ndjson("hashes.json", &[alt, prefixed, plain]);

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));

    for id in ["legacy-17", ANA, BEN] {
        assert!(
            user(&items, &format!("auth0|{id}")).password.is_some(),
            "{id} has no hash"
        );
    }
    assert!(warnings(&items).is_empty(), "{:?}", warnings(&items));
}

#[test]
fn a_social_primary_with_a_linked_database_identity_gets_its_hash() {
    let export = Export::new();
    let record = json!({
        "user_id": "google-oauth2|1144", "email": "ana@example.com",
        "identities": [
            {"connection": "google-oauth2", "provider": "google-oauth2",
             "user_id": "1144", "isSocial": true},
            {"connection": "Username-Password-Authentication", "provider": "auth0",
             "user_id": ANA, "isSocial": false}
        ]
    });
    let users = export.ndjson("users.json", &[record]);
    let hashes = export.ndjson("hashes.json", &[hash_row(ANA, "ana@example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));
    let ana = user(&items, "google-oauth2|1144");

    assert!(ana.password.is_some());
    assert_eq!(ana.application.as_deref(), Some("google-oauth2"));
}

#[test]
fn rows_that_match_no_user_are_reported_after_the_users() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(ANA, "ana@example.com")]);
    let rows = [
        hash_row(ANA, "ana@example.com", HASH_A),
        hash_row(GONE, "x@example.com", HASH_B),
    ];
    let hashes = export.ndjson("hashes.json", &rows);

    let items = read_all(&config(users, Some(hashes.clone()), JoinKey::UserId));

    let last = warnings(&items).into_iter().last().expect("one warning");
    assert!(matches!(
        items.last(),
        Some(cutover_source::SourceItem::Warning(_))
    ));
    assert_eq!((&last.file, last.line), (&hashes, Some(2)));
    assert_eq!(
        last.message,
        format!("password-hash row for user id auth0|{GONE} matched no user")
    );
}

#[test]
fn by_user_id_a_changed_email_is_joined_and_reported() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(ANA, "ana.new@example.com")]);
    let hashes = export.ndjson(
        "hashes.json",
        &[hash_row(ANA, "ana.old@example.com", HASH_A)],
    );

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));

    assert!(user(&items, &format!("auth0|{ANA}")).password.is_some());
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(1));
    assert!(
        warnings[0]
            .message
            .contains("matches by user id but has another email")
    );
    assert!(
        !warnings[0].message.contains("ana.old"),
        "no email in messages"
    );
}

#[test]
fn by_user_id_an_email_match_under_another_id_is_reported_not_joined() {
    let export = Export::new();
    let social = json!({"user_id": "github|7", "email": "ANA@example.com",
        "identities": [{"provider": "github", "connection": "github", "user_id": 7,
                        "isSocial": true}]});
    let users = export.ndjson(
        "users.json",
        &[social, database_user(ANA, "ana@example.com")],
    );
    let hashes = export.ndjson("hashes.json", &[hash_row(ANA, "ana@example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));

    assert!(user(&items, "github|7").password.is_none());
    assert!(user(&items, &format!("auth0|{ANA}")).password.is_some());
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .message
            .starts_with("user github|7: no password-hash row has this")
    );
}

#[test]
fn by_email_the_join_ignores_case_and_reports_a_different_id() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(BEN, "Ana@Example.com")]);
    let hashes = export.ndjson("hashes.json", &[hash_row(ANA, "ana@example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::Email));

    assert!(user(&items, &format!("auth0|{BEN}")).password.is_some());
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .message
            .contains(&format!("belongs to user id auth0|{ANA}"))
    );
}

#[test]
fn by_email_duplicates_differing_in_case_each_get_their_own_row() {
    let export = Export::new();
    let users = [
        database_user(ANA, "Ana@example.com"),
        database_user(BEN, "ana@example.com"),
    ];
    let rows = [
        hash_row(ANA, "Ana@example.com", HASH_A),
        hash_row(BEN, "ana@example.com", HASH_B),
    ];
    let users = export.ndjson("users.json", &users);
    let hashes = export.ndjson("hashes.json", &rows);

    let items = read_all(&config(users, Some(hashes), JoinKey::Email));

    let hash_of = |id: &str| {
        user(&items, id)
            .password
            .as_ref()
            .and_then(|p| p.hash.as_encoded().map(str::to_string))
    };
    assert_eq!(hash_of(&format!("auth0|{ANA}")).as_deref(), Some(HASH_A));
    assert_eq!(hash_of(&format!("auth0|{BEN}")).as_deref(), Some(HASH_B));
    assert!(warnings(&items).is_empty(), "{:?}", warnings(&items));
}

#[test]
fn by_email_an_id_match_with_another_email_is_reported_not_joined() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(ANA, "ana.new@example.com")]);
    let hashes = export.ndjson(
        "hashes.json",
        &[hash_row(ANA, "ana.old@example.com", HASH_A)],
    );

    let items = read_all(&config(users, Some(hashes), JoinKey::Email));

    assert!(user(&items, &format!("auth0|{ANA}")).password.is_none());
    let warnings = warnings(&items);
    assert_eq!(
        warnings.len(),
        1,
        "reported once, not again as unmatched: {warnings:?}"
    );
    assert!(
        warnings[0]
            .message
            .contains("matches by user id but not by email")
    );
}

#[test]
fn by_email_a_user_without_email_is_joined_by_id() {
    let export = Export::new();
    let mut record = database_user(ANA, "unused@example.com");
    record.as_object_mut().unwrap().remove("email");
    let mut row = hash_row(ANA, "unused@example.com", HASH_A);
    row.as_object_mut().unwrap().remove("email");
    let users = export.ndjson("users.json", &[record]);
    let hashes = export.ndjson("hashes.json", &[row]);

    let items = read_all(&config(users, Some(hashes), JoinKey::Email));

    assert!(user(&items, &format!("auth0|{ANA}")).password.is_some());
}

#[test]
fn unreadable_hash_rows_and_repeated_ids_are_reported_with_their_lines() {
    let export = Export::new();
    let users = export.ndjson("users.json", &[database_user(ANA, "ana@example.com")]);
    let text = [
        hash_row(ANA, "ana@example.com", HASH_A).to_string(),
        "{\"_id\": {\"$oid\": \"5f00\"}, \"passwordHash\": \"$2b$10$trunc".into(),
        json!({"_id": {"$oid": BEN}, "email": "ben@example.com"}).to_string(),
        json!({"email": "c@example.com", "passwordHash": HASH_B}).to_string(),
        hash_row(ANA, "ana@example.com", HASH_B).to_string(),
    ];
    let hashes = export.text("hashes.json", &(text.join("\n") + "\n"));

    let items = read_all(&config(users, Some(hashes.clone()), JoinKey::UserId));

    let unreadable = unreadable(&items);
    let found: Vec<(u64, &str)> = unreadable.iter().map(|u| (u.line, &u.reason[..])).collect();
    assert_eq!(
        found[1..],
        [(3, "missing `passwordHash`"), (4, "missing `_id`")]
    );
    assert_eq!(found[0].0, 2);
    assert!(
        unreadable
            .iter()
            .all(|u| u.file == hashes && !u.reason.contains("$2b$"))
    );
    let password = user(&items, &format!("auth0|{ANA}"))
        .password
        .clone()
        .unwrap();
    assert_eq!(
        password.hash.as_encoded(),
        Some(HASH_A),
        "the first of two rows for one id is used"
    );
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(5));
}

#[test]
fn by_email_a_social_only_user_never_takes_a_database_hash() {
    let export = Export::new();
    let social = json!({"user_id": "google-oauth2|1144", "email": "ana@example.com",
        "identities": [{"provider": "google-oauth2", "connection": "google-oauth2",
                        "user_id": "1144", "isSocial": true}]});
    let users = export.ndjson(
        "users.json",
        &[social, database_user(ANA, "ana@example.com")],
    );
    let hashes = export.ndjson("hashes.json", &[hash_row(ANA, "ana@example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::Email));

    assert!(user(&items, "google-oauth2|1144").password.is_none());
    assert!(user(&items, &format!("auth0|{ANA}")).password.is_some());
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .message
            .starts_with("user google-oauth2|1144: no password-hash row")
    );
}
