//! Reading Auth0 user exports: layouts, compression, field mapping, unreadable records.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use cutover_source::{JoinKey, SocialIdentity, SourceConfig, SourceError, open};
use serde_json::json;

fn full_user() -> serde_json::Value {
    json!({
        "user_id": "auth0|5dea9f9c82dd7c0e76e4ec93",
        "email": "Zoë.OBrien@Example.com",
        "email_verified": true,
        "username": "zoe",
        "phone_number": "+15550100000",
        "phone_verified": true,
        "name": "Zoë O'Brien",
        "given_name": "Zoë",
        "family_name": "O'Brien",
        "identities": [
            {"connection": "google-oauth2", "provider": "google-oauth2",
             "user_id": "109876543210987654321", "isSocial": true},
            {"connection": "Username-Password-Authentication", "provider": "auth0",
             "user_id": "5dea9f9c82dd7c0e76e4ec93", "isSocial": false},
            {"connection": "github", "provider": "github", "user_id": 22182844, "isSocial": true}
        ],
        "app_metadata": {"plan": "pro"},
        "created_at": "2019-12-06T18:36:12.412Z",
        "updated_at": "2024-01-02T03:04:05.000Z",
        "last_login": "2024-05-06T07:08:09.010Z",
        "blocked": true
    })
}

#[test]
fn an_ndjson_user_is_mapped_field_by_field() {
    let export = Export::new();
    let record = full_user();
    let path = export.ndjson("users.json", std::slice::from_ref(&record));

    let items = read_all(&config(path, None, JoinKey::UserId));
    let user = user(&items, "auth0|5dea9f9c82dd7c0e76e4ec93");

    assert_eq!(user.email.as_deref(), Some("Zoë.OBrien@Example.com"));
    assert!(user.email_verified && user.phone_verified && user.blocked);
    assert_eq!(user.phone.as_deref(), Some("+15550100000"));
    assert_eq!(user.username.as_deref(), Some("zoe"));
    assert_eq!(user.name.as_deref(), Some("Zoë O'Brien"));
    assert_eq!(user.given_name.as_deref(), Some("Zoë"));
    assert_eq!(user.family_name.as_deref(), Some("O'Brien"));
    let created = Utc.with_ymd_and_hms(2019, 12, 6, 18, 36, 12).unwrap();
    assert_eq!(
        user.created_at,
        Some(created + chrono::Duration::milliseconds(412))
    );
    assert!(user.updated_at.is_some() && user.last_login.is_some());
    assert_eq!(
        user.application.as_deref(),
        Some("Username-Password-Authentication")
    );
    assert_eq!((&user.password, &user.tenant), (&None, &None));
    assert_eq!(user.raw, record);
}

#[test]
fn social_identities_keep_the_connection_name_and_a_string_subject() {
    let export = Export::new();
    let path = export.ndjson("users.json", &[full_user()]);

    let items = read_all(&config(path, None, JoinKey::UserId));
    let social = &user(&items, "auth0|5dea9f9c82dd7c0e76e4ec93").social;

    let expected = [
        ("google-oauth2", "109876543210987654321"),
        ("github", "22182844"),
    ];
    let expected: Vec<SocialIdentity> = expected
        .iter()
        .map(|(c, s)| SocialIdentity {
            connection: c.to_string(),
            subject: s.to_string(),
        })
        .collect();
    assert_eq!(social, &expected);
}

#[test]
fn a_social_only_user_belongs_to_its_social_connection() {
    let export = Export::new();
    let record = json!({
        "user_id": "github|22182844", "email": "octo@example.com",
        "identities": [{"connection": "github", "provider": "github",
                        "user_id": 22182844, "isSocial": true}]
    });
    let path = export.ndjson("users.json", &[record]);

    let items = read_all(&config(path, None, JoinKey::UserId));
    let user = user(&items, "github|22182844");

    assert_eq!(user.application.as_deref(), Some("github"));
    assert_eq!(user.social.len(), 1);
    assert!(user.password.is_none());
}

#[test]
fn a_json_array_reads_like_ndjson() {
    let export = Export::new();
    let records = [
        full_user(),
        database_user("64db9dba7f18450dc2502340", "b@example.com"),
    ];
    let ndjson = export.ndjson("users.ndjson", &records);
    let pretty = serde_json::to_string_pretty(&json!(records)).unwrap();
    let array = export.text("users.json", &pretty);

    let from_lines = read_all(&config(ndjson, None, JoinKey::UserId));
    let from_array = read_all(&config(array, None, JoinKey::UserId));

    assert_eq!(users(&from_lines), users(&from_array));
    assert_eq!(users(&from_array).len(), 2);
}

#[test]
fn a_gzip_export_is_recognised_by_content_not_by_name() {
    let export = Export::new();
    let line = full_user().to_string() + "\n";
    let gzipped = export.gzip("tenant.json", &line);
    let plain_named_gz = export.text("plain.json.gz", &line);

    for path in [gzipped, plain_named_gz] {
        let items = read_all(&config(path, None, JoinKey::UserId));
        assert_eq!(users(&items).len(), 1);
        assert!(unreadable(&items).is_empty());
    }
}

#[test]
fn unreadable_lines_are_reported_with_their_line_and_reading_goes_on() {
    let export = Export::new();
    let good = database_user("64db9dba7f18450dc2502341", "a@example.com").to_string();
    let text = format!(
        "{good}\n\n{{\"user_id\": \"auth0|x\", \"email\": \n{}\n[1, 2]\n{good}\n",
        json!({"email": "no-id@example.com"})
    );
    let path = export.text("users.json", &text);

    let items = read_all(&config(path.clone(), None, JoinKey::UserId));
    let unreadable = unreadable(&items);

    let lines: Vec<u64> = unreadable.iter().map(|u| u.line).collect();
    assert_eq!(lines, vec![3, 4, 5]);
    assert!(
        unreadable[0].reason.starts_with("invalid JSON"),
        "{}",
        unreadable[0].reason
    );
    assert_eq!(unreadable[1].reason, "missing `user_id`");
    assert_eq!(unreadable[2].reason, "a user record must be a JSON object");
    assert!(unreadable.iter().all(|u| u.file == path));
    assert_eq!(users(&items).len(), 2);
}

#[test]
fn an_unreadable_timestamp_is_a_warning_not_an_unreadable_user() {
    let export = Export::new();
    let mut record = database_user("64db9dba7f18450dc2502342", "a@example.com");
    record["last_login"] = json!("yesterday");
    let path = export.ndjson("users.json", &[record]);

    let items = read_all(&config(path, None, JoinKey::UserId));

    assert_eq!(
        user(&items, "auth0|64db9dba7f18450dc2502342").last_login,
        None
    );
    let warnings = warnings(&items);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(1));
    assert!(
        warnings[0].message.contains("`last_login`"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn hash_fields_in_a_user_record_never_reach_raw() {
    let export = Export::new();
    let mut record = database_user("64db9dba7f18450dc2502343", "a@example.com");
    record["password_hash"] = json!(HASH_A);
    let path = export.ndjson("users.json", &[record]);

    let items = read_all(&config(path, None, JoinKey::UserId));
    let raw = user(&items, "auth0|64db9dba7f18450dc2502343")
        .raw
        .to_string();

    assert!(!raw.contains(HASH_A) && !raw.contains("password_hash"));
}

#[test]
fn an_unknown_format_and_a_missing_file_are_errors() {
    let export = Export::new();
    let path = export.text("users.json", "");
    let unknown = SourceConfig {
        format: "okta".into(),
        ..config(path, None, JoinKey::UserId)
    };
    let missing = config(
        export.text("x", "").with_file_name("nope.json"),
        None,
        JoinKey::Email,
    );

    let unknown = open(&unknown).err().expect("okta is not a format");
    let missing = open(&missing).err().expect("the users file does not exist");

    assert!(matches!(unknown, SourceError::UnknownFormat { .. }));
    assert_eq!(
        unknown.to_string(),
        "unknown source format `okta`, expected one of: auth0, csv, jsonl, sql"
    );
    assert!(matches!(missing, SourceError::Io { role: "users", .. }));
    assert!(missing.to_string().contains("nope.json"));
}
