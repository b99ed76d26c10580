//! Reading Supabase `auth.users` dumps: JSON and CSV give the same users, hashes are handed
//! over as exported, secrets never reach `raw`, bans and social logins are read.

mod common;

use chrono::{TimeZone, Utc};
use common::examples::*;
use common::*;
use cutover_source::{HashFamily, LegacyHash, LegacyUser, SocialIdentity};

fn id(n: u32) -> String {
    format!("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a{n:04}")
}

#[test]
fn a_row_is_mapped_field_by_field() {
    let items = read_example("supabase", "users.json");
    let ada = user(&items, &id(1));

    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    assert!(ada.email_verified && !ada.phone_verified && !ada.blocked);
    assert_eq!(ada.name.as_deref(), Some("Ada Lovelace"));
    let created = Utc.with_ymd_and_hms(2023, 3, 4, 5, 6, 7).unwrap();
    assert_eq!(
        ada.created_at,
        Some(created + chrono::Duration::microseconds(123_456))
    );
    assert!(ada.updated_at.is_some() && ada.last_login.is_some());
    assert_eq!(ada.application.as_deref(), Some("email"));
    assert_eq!(
        ada.password.as_ref().map(|p| p.family),
        Some(HashFamily::Bcrypt)
    );
    assert!(ada.social.is_empty());
}

#[test]
fn hashes_are_handed_over_as_the_table_holds_them() {
    let items = read_example("supabase", "users.json");
    let encoded = |n: u32| match user(&items, &id(n)).password.as_ref().map(|p| &p.hash) {
        Some(LegacyHash::Encoded(text)) => text.clone(),
        other => panic!("user {n}: {other:?}"),
    };

    assert!(encoded(2).starts_with("$argon2id$"));
    assert!(encoded(3).starts_with("$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==,sk="));
    assert!(encoded(9).starts_with("$2y$10$"));
    assert_eq!(encoded(10), "$2a$10$tooshort");
    let grace = user(&items, &id(4));
    assert!(grace.password.is_none() && !grace.password_unavailable);
}

#[test]
fn secrets_never_reach_raw_and_jsonb_columns_are_objects() {
    let items = read_example("supabase", "users.json");
    let unconfirmed = user(&items, &id(11));

    for column in ["encrypted_password", "confirmation_token", "recovery_token"] {
        assert!(
            unconfirmed.raw.get(column).is_none(),
            "{column} left in raw"
        );
    }
    assert!(!unconfirmed.email_verified);
    let zoe = user(&items, &id(2));
    assert_eq!(zoe.raw["raw_user_meta_data"]["first_name"], "Zoë");
    assert_eq!(
        (zoe.given_name.as_deref(), zoe.family_name.as_deref()),
        (Some("Zoë"), Some("O'Brien"))
    );
    assert_eq!(
        zoe.template_context()["raw_app_meta_data"]["provider"],
        "email"
    );
}

#[test]
fn bans_in_force_and_deleted_users_are_blocked() {
    let items = read_example("supabase", "users.json");

    assert!(user(&items, &id(7)).blocked, "banned until 2999");
    assert!(!user(&items, &id(8)).blocked, "a ban that ended in 2020");
    assert!(user(&items, &id(12)).blocked, "deleted");
    let deleted = warnings(&items).into_iter().any(|w| {
        w.message
            == format!(
                "user {}: the user was deleted in Supabase (`deleted_at`); read as blocked",
                id(12)
            )
    });
    assert!(deleted);
}

#[test]
fn social_logins_come_from_the_provider_metadata() {
    let items = read_example("supabase", "users.json");

    assert_eq!(
        user(&items, &id(4)).social,
        vec![SocialIdentity {
            connection: "google".into(),
            subject: "109876543210987654321".into()
        }]
    );
    let sso = &user(&items, &id(13)).social;
    assert_eq!(
        sso[0].connection,
        "sso:0e1f2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7"
    );
    assert_eq!(sso[0].subject, "saml-subject-123");
    assert!(user(&items, &id(5)).social.is_empty());
    let github = warnings(&items)
        .into_iter()
        .find(|w| w.message.starts_with(&format!("user {}:", id(5))))
        .expect("a warning about the github login");
    assert!(github.message.contains("\"github\""), "{}", github.message);
}

#[test]
fn identities_rows_joined_into_the_dump_give_every_social_login() {
    let export = Export::new();
    let row = serde_json::json!([{
        "id": "u-1", "email": "multi@example.com",
        "raw_app_meta_data": {"provider": "email", "providers": ["email", "github", "google"]},
        "identities": [
            {"provider": "email", "provider_id": "u-1"},
            {"provider": "github", "provider_id": "22182844"},
            {"provider": "google", "identity_data": {"sub": "1098"}}
        ]
    }]);
    let path = export.text("users.json", &row.to_string());

    let items = read_with_secrets("supabase", path);

    let connections: Vec<(&str, &str)> = user(&items, "u-1")
        .social
        .iter()
        .map(|s| (s.connection.as_str(), s.subject.as_str()))
        .collect();
    assert_eq!(
        connections,
        vec![("github", "22182844"), ("google", "1098")]
    );
    assert!(warnings(&items).is_empty());
}

#[test]
fn the_csv_dump_gives_the_same_users_as_the_json_one() {
    let json = read_example("supabase", "users.json");
    let csv = read_example("supabase", "users.csv");

    let normalised = |user: &LegacyUser| LegacyUser {
        raw: serde_json::Value::Null,
        ..user.clone()
    };
    let json_users: Vec<LegacyUser> = users(&json).into_iter().map(normalised).collect();
    let csv_users: Vec<LegacyUser> = users(&csv).into_iter().map(normalised).collect();
    assert_eq!(csv_users, json_users);
    let zoe = user(&csv, &id(2));
    assert_eq!(zoe.raw["raw_user_meta_data"]["full_name"], "Zoë O'Brien");
    assert_eq!(zoe.raw["is_sso_user"], false);
}

#[test]
fn unreadable_rows_are_reported_at_their_lines() {
    let json = read_example("supabase", "users.json");
    let text = example_text("supabase", "users.json");
    let lines: Vec<u64> = unreadable(&json).iter().map(|u| u.line).collect();
    assert_eq!(
        lines,
        vec![
            line_of(&text, "6b2a0099") - 1,
            line_of(&text, "no.id@example.com") - 1
        ]
    );
    assert_eq!(users(&json).len(), 13);

    let csv = read_example("supabase", "users.csv");
    let text = example_text("supabase", "users.csv");
    let broken = unreadable(&csv);
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].line, line_of(&text, "a row cut short"));
    assert_eq!(
        broken[0].reason,
        "the row has 3 fields where the header has 35"
    );
}
