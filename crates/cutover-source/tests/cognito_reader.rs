//! Reading Cognito users from `ListUsers` JSON: the layouts, every field, what the user
//! status says about the password, federated users and unreadable records.

mod common;

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use common::*;
use cutover_source::{LegacyUser, SocialIdentity, SourceConfig, SourceItem};
use serde_json::{Value, json};

fn cognito(users: PathBuf) -> SourceConfig {
    SourceConfig {
        format: "cognito".into(),
        users,
        ..SourceConfig::default()
    }
}

/// A user object as `aws cognito-idp list-users` prints it.
fn listed(sub: &str, status: &str, attributes: &[(&str, &str)]) -> Value {
    let mut pairs = vec![json!({"Name": "sub", "Value": sub})];
    pairs.extend(
        attributes
            .iter()
            .map(|(name, value)| json!({"Name": name, "Value": value})),
    );
    json!({
        "Username": sub,
        "Attributes": pairs,
        "UserCreateDate": "2022-02-03T04:05:06.789000+00:00",
        "UserLastModifiedDate": 1_717_230_600.25,
        "Enabled": true,
        "UserStatus": status
    })
}

fn read_page(users: Vec<Value>) -> Vec<SourceItem> {
    let export = Export::new();
    let page = json!({"Users": users});
    let path = export.text(
        "list-users.json",
        &serde_json::to_string_pretty(&page).unwrap(),
    );
    read_all(&cognito(path))
}

fn only_user(items: &[SourceItem]) -> LegacyUser {
    let found = users(items);
    assert_eq!(found.len(), 1, "{items:?}");
    found[0].clone()
}

#[test]
fn a_listed_user_is_mapped_field_by_field() {
    let items = read_page(vec![listed(
        "db94b2f2",
        "CONFIRMED",
        &[
            ("email", "Maire@Acme.example"),
            ("email_verified", "true"),
            ("phone_number", "+353861234567"),
            ("phone_number_verified", "TRUE"),
            ("name", "Máire Ní Bhraonáin"),
            ("given_name", "Máire"),
            ("family_name", "Ní Bhraonáin"),
            ("custom:tier", "pro"),
        ],
    )]);
    let user = only_user(&items);

    assert_eq!(user.legacy_id, "db94b2f2");
    assert_eq!(user.username.as_deref(), Some("db94b2f2"));
    assert_eq!(user.email.as_deref(), Some("Maire@Acme.example"));
    assert!(user.email_verified && user.phone_verified && !user.blocked);
    assert_eq!(user.phone.as_deref(), Some("+353861234567"));
    assert_eq!(user.name.as_deref(), Some("Máire Ní Bhraonáin"));
    assert_eq!(user.given_name.as_deref(), Some("Máire"));
    assert_eq!(user.family_name.as_deref(), Some("Ní Bhraonáin"));
    let created = Utc.with_ymd_and_hms(2022, 2, 3, 4, 5, 6).unwrap();
    assert_eq!(
        user.created_at,
        Some(created + chrono::Duration::milliseconds(789))
    );
    assert_eq!(
        user.updated_at.map(|at| at.timestamp_millis()),
        Some(1_717_230_600_250)
    );
    assert!(user.password.is_none(), "Cognito never exports a hash");
    assert!(user.password_unavailable);
    assert!(user.social.is_empty());
    assert_eq!((user.application, user.tenant), (None, None));
    assert_eq!(user.raw["attributes"]["custom:tier"], "pro");
    assert_eq!(user.raw["UserStatus"], "CONFIRMED");
    assert!(warnings(&items).is_empty());
}

#[test]
fn the_user_status_decides_whether_a_password_exists_and_who_is_blocked() {
    let cases = [
        ("CONFIRMED", true, false),
        ("UNCONFIRMED", true, false),
        ("FORCE_CHANGE_PASSWORD", true, false),
        ("UNKNOWN", true, false),
        ("RESET_REQUIRED", false, false),
        ("COMPROMISED", false, false),
        ("EXTERNAL_PROVIDER", false, false),
        ("ARCHIVED", false, true),
    ];
    for (status, unavailable, blocked) in cases {
        let user = only_user(&read_page(vec![listed(
            "s1",
            status,
            &[("email", "a@example.com")],
        )]));

        assert_eq!(user.password_unavailable, unavailable, "{status}");
        assert_eq!(user.blocked, blocked, "{status}");
    }
}

#[test]
fn a_disabled_user_is_blocked() {
    let mut record = listed("s1", "CONFIRMED", &[]);
    record["Enabled"] = json!(false);

    let user = only_user(&read_page(vec![record]));

    assert!(user.blocked && user.password_unavailable);
}

#[test]
fn federated_identities_become_social_logins() {
    let identities = json!([{
        "userId": "118177152947813486925",
        "providerName": "Google",
        "providerType": "Google",
        "issuer": null,
        "primary": true,
        "dateCreated": 1_642_699_117_273_i64
    }])
    .to_string();
    let mut federated = listed("s1", "EXTERNAL_PROVIDER", &[("identities", &identities)]);
    federated["Username"] = json!("Google_118177152947813486925");

    let user = only_user(&read_page(vec![federated]));

    assert_eq!(
        user.social,
        vec![SocialIdentity {
            connection: "Google".into(),
            subject: "118177152947813486925".into()
        }]
    );
    assert!(!user.password_unavailable);
    assert_eq!(
        user.username.as_deref(),
        Some("Google_118177152947813486925")
    );
}

#[test]
fn a_broken_identities_attribute_is_a_warning_not_a_lost_user() {
    let user_record = listed("s1", "CONFIRMED", &[("identities", "[{not json")]);

    let items = read_page(vec![user_record]);

    assert!(only_user(&items).social.is_empty());
    let found = warnings(&items);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("`identities`"),
        "{}",
        found[0].message
    );
}

#[test]
fn admin_get_user_output_with_user_attributes_is_read() {
    let record = json!({
        "Username": "ada",
        "UserAttributes": [
            {"Name": "sub", "Value": "s-ada"},
            {"Name": "email", "Value": "ada@example.com"}
        ],
        "UserCreateDate": 1_548_097_570.947,
        "Enabled": true,
        "UserStatus": "CONFIRMED"
    });

    let user = only_user(&read_page(vec![record]));

    assert_eq!(user.legacy_id, "s-ada");
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(
        user.created_at.map(|at| at.timestamp_millis()),
        Some(1_548_097_570_947)
    );
}

#[test]
fn json_lines_of_users_and_of_pages_are_read() {
    let export = Export::new();
    let a = listed("s1", "CONFIRMED", &[]);
    let b = listed("s2", "CONFIRMED", &[]);
    let page = json!({
        "Users": [listed("s3", "CONFIRMED", &[]), listed("s4", "CONFIRMED", &[])],
        "PaginationToken": "x"
    });
    let path = export.ndjson("users.jsonl", &[a, b, page]);

    let items = read_all(&cognito(path));

    let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4"]);
}

#[test]
fn a_broken_json_line_is_reported_and_the_next_is_read() {
    let export = Export::new();
    let good = listed("s1", "CONFIRMED", &[]).to_string();
    let path = export.text(
        "users.jsonl",
        &format!("{good}\n{{\"Username\": \n{good}\n"),
    );

    let items = read_all(&cognito(path));

    assert_eq!(users(&items).len(), 2);
    let problems = unreadable(&items);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 2);
}

#[test]
fn an_array_of_users_and_concatenated_pages_are_read() {
    let export = Export::new();
    let array = json!([
        listed("s1", "CONFIRMED", &[]),
        listed("s2", "CONFIRMED", &[])
    ]);
    let array_path = export.text("users.json", &serde_json::to_string_pretty(&array).unwrap());
    let pages = format!(
        "{}\n{}\n",
        serde_json::to_string_pretty(&json!({"Users": [listed("p1", "CONFIRMED", &[])]})).unwrap(),
        serde_json::to_string_pretty(&json!({"Users": [listed("p2", "CONFIRMED", &[])]})).unwrap()
    );
    let pages_path = export.text("pages.json", &pages);

    for (path, expected) in [(array_path, ["s1", "s2"]), (pages_path, ["p1", "p2"])] {
        let items = read_all(&cognito(path));
        let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
        assert_eq!(ids, expected);
    }
}

#[test]
fn unreadable_users_are_reported_at_their_line() {
    let mut no_ids = listed("s2", "CONFIRMED", &[]);
    no_ids["Attributes"] = json!([]);
    no_ids.as_object_mut().unwrap().remove("Username");
    let mut bad_attributes = listed("s3", "CONFIRMED", &[]);
    bad_attributes["Attributes"] = json!("email=x@example.com");
    let users_in = vec![
        listed("s1", "CONFIRMED", &[]),
        no_ids,
        bad_attributes,
        listed("s4", "CONFIRMED", &[]),
    ];
    let text = serde_json::to_string_pretty(&json!({"Users": users_in})).unwrap();
    // Each user object of the pretty-printed page opens on a line of its own.
    let starts: Vec<u64> = (1..)
        .zip(text.lines())
        .filter(|(_, line)| *line == "    {")
        .map(|(number, _)| number)
        .collect();
    let export = Export::new();

    let items = read_all(&cognito(export.text("list-users.json", &text)));

    let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(ids, ["s1", "s4"]);
    let problems: Vec<(u64, &str)> = unreadable(&items)
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                starts[1],
                "the user has neither a `sub` attribute nor a username"
            ),
            (starts[2], "`Attributes` is not a list of Name/Value pairs"),
        ]
    );
}
