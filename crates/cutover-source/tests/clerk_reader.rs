//! Reading Clerk exports: the dashboard CSV with its `|`-joined cells and a digest of every
//! hasher, and the JSON export with metadata, bans and social logins.

mod common;

use common::examples::*;
use common::*;
use cutover_source::{Digest, HashFamily, LegacyHash, SocialIdentity};

#[test]
fn each_hasher_becomes_the_legacy_hash_it_names() {
    let items = read_example("clerk", "users.csv");
    let hash = |id: &str| {
        user(&items, id)
            .password
            .as_ref()
            .map(|p| p.hash.clone())
            .unwrap_or_else(|| panic!("{id} has no hash"))
    };

    assert!(matches!(hash("user_2ada"), LegacyHash::Encoded(h) if h.starts_with("$2a$10$")));
    assert!(matches!(hash("user_2zoe"), LegacyHash::Encoded(h) if h.starts_with("$argon2id$")));
    assert!(matches!(
        hash("user_2pat"),
        LegacyHash::Pbkdf2 { algorithm: Digest::Sha256, iterations: 10_000, ref salt, ref key }
            if salt.len() == 16 && key.len() == 32
    ));
    let django = "pbkdf2_sha256$600000$seasalt1$";
    assert!(matches!(hash("user_2dj"), LegacyHash::Encoded(h) if h.starts_with(django)));
    assert!(matches!(
        hash("user_2sha1"),
        LegacyHash::Pbkdf2 { algorithm: Digest::Sha1, iterations: 10_000, ref salt, ref key }
            if salt.len() == 8 && key.len() == 20
    ));
    assert!(matches!(
        hash("user_2md5"),
        LegacyHash::Digest {
            algorithm: Digest::Md5,
            salt: None,
            ..
        }
    ));
    assert!(matches!(
        hash("user_2sha"),
        LegacyHash::Digest {
            algorithm: Digest::Sha256,
            salt: None,
            ..
        }
    ));
    assert!(matches!(
        hash("user_2fb"),
        LegacyHash::FirebaseScrypt { ref params, .. }
            if params.rounds == 8 && params.mem_cost == 14 && params.salt_separator == [7]
    ));
    assert!(matches!(hash("user_2php"), LegacyHash::Encoded(h) if h.starts_with("$P$")));
    let family = |id: &str| user(&items, id).password.as_ref().map(|p| p.family);
    assert_eq!(family("user_2ada"), Some(HashFamily::Bcrypt));
    assert_eq!(family("user_2fb"), Some(HashFamily::Firescrypt));
}

#[test]
fn a_peppered_or_broken_digest_leaves_the_password_unavailable() {
    let items = read_example("clerk", "users.csv");
    let all = warnings(&items);

    for (id, reason) in [
        ("user_2pepper", "pepper"),
        ("user_2broken", "is not 32 hexadecimal digits"),
    ] {
        let user = user(&items, id);
        assert!(user.password.is_none() && user.password_unavailable, "{id}");
        let warning = all
            .iter()
            .find(|w| w.message.starts_with(&format!("user {id}:")))
            .unwrap_or_else(|| panic!("no warning for {id}"));
        assert!(warning.message.contains(reason), "{}", warning.message);
        assert!(
            !warning.message.contains("not-a-digest"),
            "{}",
            warning.message
        );
    }
    let nopw = user(&items, "user_2nopw");
    assert!(nopw.password.is_none() && !nopw.password_unavailable);
}

#[test]
fn addresses_are_read_from_the_primary_and_the_verified_lists() {
    let items = read_example("clerk", "users.csv");

    let ada = user(&items, "user_2ada");
    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    assert!(ada.email_verified);
    assert_eq!(
        ada.raw["verified_email_addresses"],
        "ada@example.com|ada.work@example.com"
    );
    let unverified = user(&items, "user_2unverified");
    assert_eq!(unverified.email.as_deref(), Some("unverified@example.com"));
    assert!(!unverified.email_verified);
    let twin = user(&items, "user_2twin");
    assert_eq!(twin.email.as_deref(), Some("ADA@EXAMPLE.COM"));
    assert!(twin.email_verified);
    let phone = user(&items, "user_2phone");
    assert_eq!(
        (phone.email.as_deref(), phone.phone.as_deref()),
        (None, Some("+15555550123"))
    );
    assert!(phone.phone_verified);
    let zoe = user(&items, "user_2zoe");
    assert_eq!(
        (zoe.given_name.as_deref(), zoe.family_name.as_deref()),
        (Some("Zoë"), Some("O'Brien"))
    );
}

#[test]
fn the_totp_secret_and_digest_never_reach_raw() {
    let items = read_example("clerk", "users.csv");

    let tom = user(&items, "user_2totp");
    assert!(tom.raw.get("totp_secret").is_none());
    assert!(tom.raw.get("password_digest").is_none());
    assert_eq!(tom.raw["password_hasher"], "bcrypt");
    assert_eq!(tom.username.as_deref(), Some("totp_tom"));
}

#[test]
fn a_csv_row_with_missing_cells_is_reported_at_its_line() {
    let items = read_example("clerk", "users.csv");
    let text = example_text("clerk", "users.csv");

    let broken = unreadable(&items);
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].line, line_of(&text, "user_2short"));
    assert_eq!(
        broken[0].reason,
        "the row has 3 fields where the header has 13"
    );
    assert_eq!(users(&items).len(), 16);
}

#[test]
fn the_json_export_gives_metadata_bans_and_social_logins() {
    let items = read_example("clerk", "users.json");

    let ada = user(&items, "user_2ada");
    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    assert!(
        !ada.email_verified,
        "the JSON export does not say what is verified"
    );
    assert_eq!(ada.raw["public_metadata"]["plan"], "pro");
    assert!(user(&items, "user_2banned").blocked);
    assert_eq!(
        user(&items, "user_2grace").social,
        vec![SocialIdentity {
            connection: "oauth_google".into(),
            subject: "109876543210987654321".into()
        }]
    );
    assert_eq!(
        user(&items, "user_2linus").social[0].connection,
        "oauth_github"
    );
    assert!(user(&items, "user_2fb").password.is_some());
}

#[test]
fn broken_and_anonymous_json_records_are_reported_at_their_lines() {
    let items = read_example("clerk", "users.json");
    let text = example_text("clerk", "users.json");

    let lines: Vec<(u64, String)> = unreadable(&items)
        .iter()
        .map(|u| (u.line, u.reason.clone()))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0, line_of(&text, "user_2brokenjson") - 1);
    assert_eq!(
        lines[1],
        (
            line_of(&text, "no.id@example.com") - 2,
            "missing `id`".to_string()
        )
    );
    assert_eq!(users(&items).len(), 9);
}
