//! What a legacy user shows to templates and to logs: never its password hash.

mod common;

use common::*;
use cutover_source::{HashFamily, JoinKey, LegacyPassword, LegacyUser};
use serde_json::json;

const OID: &str = "5f0000000000000000000001";

fn joined_user() -> LegacyUser {
    let export = Export::new();
    let mut record = database_user(OID, "Ana@Example.com");
    record["user_metadata"] = json!({"plan": "pro"});
    record["social"] = json!("a raw key that collides with a field");
    record["raw"] = json!("a raw key named raw");
    let users = export.ndjson("users.json", &[record]);
    let hashes = export.ndjson("hashes.json", &[hash_row(OID, "Ana@Example.com", HASH_A)]);

    let items = read_all(&config(users, Some(hashes), JoinKey::UserId));
    user(&items, &format!("auth0|{OID}")).clone()
}

#[test]
fn the_template_context_names_every_field_and_the_password_family_only() {
    let user = joined_user();

    let context = user.template_context();

    assert_eq!(context["legacy_id"], json!(format!("auth0|{OID}")));
    assert_eq!(context["email"], json!("Ana@Example.com"));
    assert_eq!(context["created_at"], json!("2021-03-04T05:06:07.123Z"));
    assert_eq!(
        context["application"],
        json!("Username-Password-Authentication")
    );
    assert_eq!(context["tenant"], json!("acme-prod"));
    assert_eq!(
        context["password_family"],
        json!(HashFamily::Bcrypt.to_string())
    );
    assert_eq!(context["social"], json!([]));
    let fields = [
        "email_verified",
        "phone",
        "phone_verified",
        "username",
        "name",
        "given_name",
        "family_name",
        "updated_at",
        "last_login",
        "blocked",
    ];
    for field in fields {
        assert!(context.get(field).is_some(), "{field} is missing");
    }
    assert!(context.get("password").is_none());
}

#[test]
fn the_template_context_adds_raw_keys_without_overriding_fields() {
    let user = joined_user();

    let context = user.template_context();

    assert_eq!(context["user_metadata"]["plan"], json!("pro"));
    assert_eq!(context["identities"][0]["provider"], json!("auth0"));
    assert_eq!(
        context["social"],
        json!([]),
        "the field wins over the raw key"
    );
    assert_eq!(context["raw"], user.raw, "`raw` is the whole record");
}

#[test]
fn the_template_context_never_contains_the_hash() {
    let user = joined_user();
    assert_eq!(
        user.password.as_ref().and_then(|p| p.hash.as_encoded()),
        Some(HASH_A)
    );

    let context = user.template_context().to_string();

    assert!(!context.contains(HASH_A), "{context}");
}

#[test]
fn debug_output_redacts_the_hash() {
    let user = joined_user();
    let password = LegacyPassword {
        hash: cutover_source::LegacyHash::Encoded(HASH_B.into()),
        family: HashFamily::Bcrypt,
    };

    let debug_user = format!("{user:?} {user:#?}");
    let debug_password = format!("{password:?}");

    assert!(!debug_user.contains(HASH_A), "{debug_user}");
    assert!(debug_user.contains("<redacted>"));
    assert!(!debug_password.contains(HASH_B) && debug_password.contains("Bcrypt"));
}
