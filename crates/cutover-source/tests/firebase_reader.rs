//! Reading Firebase `auth:export` files: the JSON envelope, both CSV layouts, hashes with the
//! project's parameters, and the exports that must be refused.

mod common;

use chrono::{TimeZone, Utc};
use common::examples::*;
use common::*;
use cutover_source::{
    FirebaseParams, HashFamily, LegacyHash, SocialIdentity, SourceError, open_with_env,
};
use serde_json::json;

/// The salt of Firebase's published scrypt vector.
fn published_salt() -> Vec<u8> {
    base64_decode("42xEC+ixf3L2lw==")
}

fn params() -> FirebaseParams {
    FirebaseParams {
        signer_key: base64_decode(FIREBASE_SIGNER_KEY),
        salt_separator: vec![0x07],
        rounds: 8,
        mem_cost: 14,
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

#[test]
fn a_json_account_is_mapped_field_by_field_with_the_projects_parameters() {
    let items = read_example("firebase", "users.json");
    let ada = user(&items, "uid-ada");

    assert_eq!(ada.email.as_deref(), Some("ada@lovelace.example"));
    assert!(ada.email_verified);
    assert_eq!(ada.name.as_deref(), Some("Lovelace, Ada"));
    assert_eq!(
        ada.created_at,
        Utc.timestamp_millis_opt(1_589_000_000_000).single()
    );
    assert_eq!(
        ada.last_login,
        Utc.timestamp_millis_opt(1_714_000_000_000).single()
    );
    assert!(!ada.blocked && ada.social.is_empty() && ada.tenant.is_none());
    let password = ada.password.as_ref().expect("a password");
    assert_eq!(password.family, HashFamily::Firescrypt);
    let expected = LegacyHash::FirebaseScrypt {
        hash: base64_decode(
            "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198J\
             AdRuid5lQ==",
        ),
        salt: published_salt(),
        params: params(),
    };
    assert_eq!(password.hash, expected);
}

#[test]
fn the_raw_record_keeps_everything_but_the_hash_and_parses_custom_attributes() {
    let items = read_example("firebase", "users.json");
    let admin = user(&items, "uid-admin");

    assert!(admin.raw.get("passwordHash").is_none() && admin.raw.get("salt").is_none());
    assert_eq!(
        admin.raw["customAttributes"],
        json!({"role": "admin", "plan": "pro"})
    );
    assert_eq!(admin.raw["displayName"], "Adèle Admin");
    let context = admin.template_context();
    assert_eq!(context["customAttributes"]["role"], "admin");
}

#[test]
fn awkward_accounts_keep_their_names_social_logins_and_blocks() {
    let items = read_example("firebase", "users.json");

    assert_eq!(user(&items, "uid-zoe").name.as_deref(), Some("Zoë O'Brien"));
    assert_eq!(
        user(&items, "uid-zoe-twin").email.as_deref(),
        Some("Zoe.OBrien@Example.com")
    );
    let phone = user(&items, "uid-phone");
    assert_eq!(
        (phone.email.as_deref(), phone.phone.as_deref()),
        (None, Some("+15555550123"))
    );
    let grace = user(&items, "uid-grace");
    assert_eq!(
        grace.social,
        vec![SocialIdentity {
            connection: "google.com".into(),
            subject: "109876543210987654321".into()
        }]
    );
    assert!(grace.password.is_none());
    let linus = user(&items, "uid-linus");
    assert_eq!(linus.social[0].connection, "github.com");
    assert!(linus.password.is_some());
    let mallory = user(&items, "uid-mallory");
    assert!(mallory.blocked && mallory.last_login.is_none());
}

#[test]
fn a_broken_hash_makes_the_password_unavailable_and_an_empty_one_means_none() {
    let items = read_example("firebase", "users.json");

    let broken = user(&items, "uid-broken-hash");
    assert!(broken.password.is_none() && broken.password_unavailable);
    let warning = warnings(&items)
        .into_iter()
        .find(|w| w.message.starts_with("user uid-broken-hash:"))
        .expect("a warning about the broken hash");
    assert!(
        warning.message.contains("`passwordHash` is not base64"),
        "{}",
        warning.message
    );
    assert!(
        !warning.message.contains("not*base64!"),
        "{}",
        warning.message
    );
    let empty = user(&items, "uid-empty-hash");
    assert!(empty.password.is_none() && !empty.password_unavailable);
}

#[test]
fn unreadable_accounts_are_reported_at_their_lines_and_reading_goes_on() {
    let items = read_example("firebase", "users.json");
    let text = example_text("firebase", "users.json");

    let lines: Vec<(u64, String)> = unreadable(&items)
        .into_iter()
        .map(|u| (u.line, u.reason.clone()))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0, line_of(&text, "uid-broken-json") - 1);
    let at = line_of(&text, "\"broken@example.com\"");
    assert!(
        lines[0].1.starts_with(&format!(
            "invalid JSON at line {at}, column 3: expected `,`"
        )),
        "{}",
        lines[0].1
    );
    assert_eq!(
        lines[1],
        (
            line_of(&text, "no.local.id@example.com") - 1,
            "missing `localId`".into()
        )
    );
    assert_eq!(users(&items).len(), 11);
}

#[test]
fn the_current_csv_layout_gives_the_same_users_as_the_json() {
    let json = read_example("firebase", "users.json");
    let csv = read_example("firebase", "users.csv");

    let json_users = users(&json);
    let csv_users = users(&csv);
    assert_eq!(csv_users.len(), json_users.len());
    for (from_csv, from_json) in csv_users.iter().zip(&json_users) {
        assert_eq!(from_csv, from_json);
    }
}

#[test]
fn a_csv_row_broken_by_an_unescaped_display_name_is_reported_at_its_line() {
    let items = read_example("firebase", "users.csv");
    let text = example_text("firebase", "users.csv");

    let broken = unreadable(&items);
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].line, line_of(&text, "uid-broken-csv"));
    assert!(broken[0].reason.contains("fields"), "{}", broken[0].reason);
}

#[test]
fn a_csv_quote_never_closed_names_the_lines_it_swallowed() {
    let text = example_text("firebase", "users.csv");
    let lines: Vec<&str> = text.lines().collect();
    // A quote opened in the second field of a row swallows the lines up to the next quote.
    let at = (0..lines.len() - 1)
        .find(|&i| !lines[i].contains('"') && !lines[i + 1].contains('"'))
        .expect("two rows without quotes");
    let opened = lines[at].replacen(',', ",\"", 1);
    let export = Export::new();
    let file = export.text("users.csv", &text.replacen(lines[at], &opened, 1));

    let items = read_with_secrets("firebase", file);

    let line = at as u64 + 1;
    let broken = unreadable(&items);
    let swallowing = broken
        .iter()
        .find(|b| b.line == line)
        .expect("the row is reported");
    assert!(
        swallowing.reason.contains(&format!(
            "runs inside a quoted field from line {line} to line"
        )),
        "{}",
        swallowing.reason
    );
}

#[test]
fn the_2017_csv_layout_is_detected_from_where_the_times_are() {
    let items = read_example("firebase", "users-2017.csv");

    assert!(unreadable(&items).is_empty());
    let ada = user(&items, "uid-2017-ada");
    assert_eq!(
        ada.created_at,
        Utc.timestamp_millis_opt(1_508_893_925_000).single()
    );
    assert!(!ada.blocked && !ada.email_verified);
    assert!(matches!(
        ada.password.as_ref().map(|p| &p.hash),
        Some(LegacyHash::FirebaseScrypt { salt, .. }) if salt == &published_salt()
    ));
    let disabled = user(&items, "uid-2017-disabled");
    assert!(disabled.blocked);
    assert_eq!(disabled.phone.as_deref(), Some("+15555550199"));
    assert_eq!(disabled.social[0].connection, "google.com");
    assert!(disabled.raw.get("customAttributes").is_none());
    assert!(user(&items, "uid-2017-bare").created_at.is_none());
}

#[test]
fn admin_sdk_spellings_are_read_too() {
    let export = Export::new();
    let record = json!({
        "localId": "sdk-1", "email": "sdk@example.com", "emailVerified": "true",
        "passwordHash": "lSrfV15cpx95_sZS2W9c9Kp6i_LVgQNDNC_qzrCnh1SAyZvqmZqAjTdn3a\
                         oItz-VHjoZilo78198JAdRuid5lQ==",
        "salt": "42xEC-ixf3L2lw==", "lastLoginAt": "1714000000000", "tenantId": "eu-tenant-1",
        "providerUserInfo": [
            {"providerId": "password", "rawId": "sdk@example.com"},
            {"providerId": "apple.com", "rawId": "001234.abcd"}
        ]
    });
    let path = export.text("users.json", &json!({"users": [record]}).to_string());

    let items = read_with_secrets("firebase", path);
    let sdk = user(&items, "sdk-1");

    assert_eq!(sdk.tenant.as_deref(), Some("eu-tenant-1"));
    assert!(sdk.email_verified && sdk.last_login.is_some());
    assert_eq!(sdk.social.len(), 1);
    assert_eq!(sdk.social[0].connection, "apple.com");
    let Some(LegacyHash::FirebaseScrypt { salt, .. }) = sdk.password.as_ref().map(|p| &p.hash)
    else {
        panic!("no Firebase hash");
    };
    assert_eq!(salt, &published_salt());
}

#[test]
fn an_emulator_export_is_refused_before_any_user_is_read() {
    let export = Export::new();
    let text = json!({
        "kind": "identitytoolkit#DownloadAccountResponse",
        "users": [
            {"localId": "a", "email": "a@example.com", "providerUserInfo": []},
            {"localId": "b", "passwordHash": "fakeHash:salt=c2FsdA==:password=hunter2",
             "salt": "c2FsdA=="}
        ]
    });
    let path = export.text("accounts.json", &text.to_string());

    let error = open_with_env(&config_for("firebase", path), &fixture_secrets)
        .err()
        .expect("an emulator export is refused");

    assert!(
        matches!(error, SourceError::EmulatorExport { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("emulator"), "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[test]
fn a_fake_hash_after_real_ones_makes_its_record_unreadable_without_the_plaintext() {
    let export = Export::new();
    let real = json!({"localId": "real", "passwordHash": "AAAA", "salt": "AAAA"});
    let fake = json!({"localId": "fake", "passwordHash": "fakeHash:salt=x:password=hunter2"});
    let path = export.text("users.json", &json!({"users": [real, fake]}).to_string());

    let items = read_with_secrets("firebase", path);

    assert_eq!(users(&items).len(), 1);
    let fake = unreadable(&items);
    assert_eq!(fake.len(), 1);
    assert!(fake[0].reason.contains("emulator"), "{}", fake[0].reason);
    assert!(!format!("{items:?}").contains("hunter2"));
}

#[test]
fn an_unset_signer_key_variable_is_refused_naming_it() {
    let config = config_for("firebase", example("firebase", "users.json"));

    let error = open_with_env(&config, &|_| None).err().expect("no key");

    let SourceError::MissingSecret { env, setting } = &error else {
        panic!("not a missing secret: {error}");
    };
    assert_eq!(
        (env.as_str(), *setting),
        (FIREBASE_KEY_ENV, "source.firebase.signer_key_env")
    );
    assert!(error.to_string().contains(FIREBASE_KEY_ENV), "{error}");
    let empty = open_with_env(&config, &|_| Some("  ".into()))
        .err()
        .expect("empty key");
    assert!(
        matches!(empty, SourceError::MissingSecret { .. }),
        "{empty}"
    );
}

#[test]
fn a_signer_key_that_is_not_base64_is_refused_without_echoing_it() {
    let config = config_for("firebase", example("firebase", "users.json"));

    let error = open_with_env(&config, &|_| Some("s3cr%t-key".into()))
        .err()
        .expect("a bad key");

    assert!(matches!(error, SourceError::Options { .. }), "{error}");
    assert!(!error.to_string().contains("s3cr%t-key"), "{error}");
}

#[test]
fn the_firebase_format_needs_its_parameters_and_takes_no_hash_file() {
    let mut config = config_for("firebase", example("firebase", "users.json"));
    config.options.firebase = None;
    let error = open_with_env(&config, &fixture_secrets)
        .err()
        .expect("no parameters");
    assert!(error.to_string().contains("source.firebase"), "{error}");

    let mut config = config_for("firebase", example("firebase", "users.json"));
    config.password_hashes = Some(example("firebase", "users.csv"));
    let error = open_with_env(&config, &fixture_secrets)
        .err()
        .expect("a hash file");
    assert!(error.to_string().contains("password_hashes"), "{error}");
}
