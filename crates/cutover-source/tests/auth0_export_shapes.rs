//! The full shapes Auth0 writes: every Management-API field of the bulk export, and the
//! variants of the password-hash export seen from Auth0 and from third-party tools.
//!
//! The records are our own, written to look like what a tenant's export contains, so that
//! a reader change that trips over any real-world field shows up here.

mod common;

use common::*;
use cutover_source::{HashFamily, JoinKey};
use serde_json::{Value, json};

/// A database user with every field requested, `null`s where Auth0 writes them.
fn database_user_all_fields(oid: &str, email: &str) -> Value {
    json!({
        "user_id": format!("auth0|{oid}"), "email": email, "email_verified": true,
        "username": null, "phone_number": null, "phone_verified": false,
        "name": "Inès Núñez", "given_name": "Inès", "family_name": "Núñez",
        "nickname": "ines.nunez", "picture": "https://cdn.example/avatars/1.png",
        "identities": [
            {"connection": "Username-Password-Authentication", "provider": "auth0",
             "user_id": oid, "isSocial": false},
            {"connection": "google-oauth2", "provider": "google-oauth2",
             "user_id": "101234567890123456789", "isSocial": true}
        ],
        "app_metadata": {"roles": ["user"], "tenant": "globex"},
        "user_metadata": {"preferences": {"theme": "dark", "notifications": true}},
        "created_at": "2022-02-09T16:34:22.611Z", "updated_at": "2024-09-14T20:29:42.043Z",
        "last_login": "2024-04-23T07:28:53.270Z", "last_ip": "192.0.2.10",
        "logins_count": 135, "multifactor": [], "blocked": false
    })
}

/// A social-only user whose provider id is written as a string, as GitHub's is.
fn social_user_all_fields() -> Value {
    json!({
        "user_id": "github|31415926", "email": "octo@example.org", "email_verified": false,
        "username": "octo", "phone_number": "+15550100001", "phone_verified": false,
        "name": "王芳", "given_name": "芳", "family_name": "王", "nickname": "octo",
        "identities": [{"connection": "github", "provider": "github",
                        "user_id": "31415926", "isSocial": true}],
        "app_metadata": {}, "user_metadata": {}, "created_at": "2023-09-25T21:22:55.401Z",
        "updated_at": "2023-10-13T00:07:47.153Z", "last_login": null, "logins_count": 0,
        "blocked": false
    })
}

const PLAIN: &str = "5dea9f9c82dd7c0e76e4ec01";
const PREFIXED: &str = "64db9dba7f18450dc2502301";
const CUSTOM: &str = "64db9dba7f18450dc2502302";
const NEWER: &str = "64db9dba7f18450dc2502303";

/// One row per variant: Auth0's own, `alt_id`, a `_id` already carrying `auth0|` with
/// camelCase keys, and a newer export keeping the email in `identifiers[]`.
fn hash_rows() -> Vec<Value> {
    let mut alt = hash_row("5dea9f9c82dd7c0e76e4ecff", "legacy@example.com", HASH_B);
    alt["alt_id"] = json!("legacy-euclid");
    vec![
        hash_row(PLAIN, "ines@example.com", HASH_A),
        alt,
        json!({"_id": {"$oid": format!("auth0|{PREFIXED}")}, "firstName": "Test",
               "lastName": "User", "email": "prefixed@example.com", "emailVerified": true,
               "passwordHash": HASH_A}),
        json!({"_id": {"$oid": CUSTOM}, "email": "custom@example.com",
               "passwordHash": HASH_B, "tenant": "acme-prod",
               "connection": "Legacy-Database", "_tmp_is_unique": false}),
        json!({"_id": {"$oid": NEWER}, "passwordHash": HASH_A,
               "identifiers": [{"type": "email", "value": "newer@example.com",
                                "verified": true}],
               "password_set_date": {"$date": "2023-01-02T03:04:05.006Z"}}),
    ]
}

fn users() -> Vec<Value> {
    let mut newer = database_user(NEWER, "newer@example.com");
    newer.as_object_mut().unwrap().remove("email_verified");
    vec![
        database_user_all_fields(PLAIN, "ines@example.com"),
        social_user_all_fields(),
        database_user("legacy-euclid", "legacy@example.com"),
        database_user(PREFIXED, "prefixed@example.com"),
        database_user(CUSTOM, "custom@example.com"),
        newer,
    ]
}

#[test]
fn every_shape_reads_without_unreadable_records_or_warnings_under_either_key() {
    let export = Export::new();
    let users_file = export.ndjson("users.ndjson", &users());
    let hashes_file = export.ndjson("hashes.ndjson", &hash_rows());

    for join in [JoinKey::UserId, JoinKey::Email] {
        let items = read_all(&config(users_file.clone(), Some(hashes_file.clone()), join));

        assert!(
            unreadable(&items).is_empty(),
            "{join:?}: {:?}",
            unreadable(&items)
        );
        assert!(
            warnings(&items).is_empty(),
            "{join:?}: {:?}",
            warnings(&items)
        );
        assert_eq!(common::users(&items).len(), 6);
        let with_hash = common::users(&items)
            .iter()
            .filter(|u| u.password.is_some())
            .count();
        assert_eq!(with_hash, 5, "{join:?}: every database user is joined");
    }
}

#[test]
fn a_full_database_user_keeps_its_linked_social_login_and_gets_its_hash() {
    let export = Export::new();
    let users_file = export.ndjson("users.ndjson", &users());
    let hashes_file = export.ndjson("hashes.ndjson", &hash_rows());

    let items = read_all(&config(users_file, Some(hashes_file), JoinKey::UserId));
    let ines = user(&items, &format!("auth0|{PLAIN}"));

    assert_eq!(
        ines.password.as_ref().map(|p| p.family),
        Some(HashFamily::Bcrypt)
    );
    assert_eq!(ines.social.len(), 1);
    assert_eq!(ines.social[0].connection, "google-oauth2");
    assert_eq!(ines.username, None, "a null username is no username");
    assert_eq!(
        ines.raw["logins_count"],
        json!(135),
        "unmapped fields stay in raw"
    );
}

#[test]
fn a_social_only_user_has_its_login_and_no_password() {
    let export = Export::new();
    let users_file = export.ndjson("users.ndjson", &users());
    let hashes_file = export.ndjson("hashes.ndjson", &hash_rows());

    let items = read_all(&config(users_file, Some(hashes_file), JoinKey::UserId));
    let octo = user(&items, "github|31415926");

    assert!(octo.password.is_none());
    assert_eq!(
        (
            octo.social[0].connection.as_str(),
            octo.social[0].subject.as_str()
        ),
        ("github", "31415926")
    );
    assert_eq!(octo.last_login, None);
    assert_eq!(octo.name.as_deref(), Some("王芳"));
}

#[test]
fn the_verified_flag_comes_from_the_hash_row_only_when_the_user_record_lacks_it() {
    let export = Export::new();
    let users_file = export.ndjson("users.ndjson", &users());
    let hashes_file = export.ndjson("hashes.ndjson", &hash_rows());

    let items = read_all(&config(users_file, Some(hashes_file), JoinKey::UserId));

    assert!(
        user(&items, &format!("auth0|{NEWER}")).email_verified,
        "from identifiers[]"
    );
    assert_eq!(
        user(&items, &format!("auth0|{CUSTOM}")).tenant.as_deref(),
        Some("acme-prod")
    );
}
