//! `plans/examples/clerk.yaml` as a user runs it: `check` reports the dashboard export's
//! hashers and problems, `run` creates exactly the expected identities in the sandbox and
//! records the rest as failed with their reasons; the JSON export of the same instance
//! brings social logins and a ban.

mod common;

use std::collections::BTreeMap;

use common::examples::{Example, failures};
use serde_json::{Value, json};

/// The expected summary of an active, verified identity of the `everyone` segment.
fn identity(email: &str, first: &str, last: &str) -> Value {
    let mut name = json!({"first": first, "last": last});
    if last.is_empty() {
        name = json!({"first": first});
    }
    json!({
        "traits": {"email": email, "name": name},
        "metadata_public": null,
        "state": "active",
        "segment": "everyone",
        "verified": true,
        "oidc": [],
    })
}

#[test]
fn check_reports_the_dashboard_exports_hashers_and_problems() {
    let report = Example::new("clerk").check();

    assert_eq!(report["users"], 16);
    assert_eq!(
        report["hash_families"],
        json!({
            "argon2id": 1, "bcrypt": 4, "firescrypt": 1, "md5": 1, "none": 4, "pbkdf2": 3,
            "phpass": 1, "salted-sha": 1
        })
    );
    assert_eq!(
        report["unimportable_by_code"],
        json!({"duplicate_identifier": 1, "missing_trait": 1})
    );
    let unreadable = report["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(
        unreadable[0]["reason"],
        "the row has 3 fields where the header has 13"
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn run_creates_exactly_the_expected_identities_and_records_the_failures() {
    let example = Example::new("clerk");

    example.run();

    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    for (id, email, first, last) in [
        ("user_2ada", "ada@example.com", "Ada", "Lovelace"),
        ("user_2zoe", "zoe@example.com", "Zoë", "O'Brien"),
        ("user_2pat", "pat@example.com", "Pat", "Kdf"),
        ("user_2dj", "django@example.com", "Jean", "Go"),
        ("user_2sha1", "sha1@example.com", "Shawn", "One"),
        ("user_2md5", "md5@example.com", "Emm", "Dee"),
        ("user_2sha", "sha@example.com", "Sha", "Two"),
        ("user_2fb", "fiona@example.com", "Fiona", "Firebase"),
        ("user_2php", "php@example.com", "Peh", "Pass"),
        ("user_2pepper", "pepper@example.com", "Pep", "Per"),
        ("user_2nopw", "nopw@example.com", "Noah", "Password"),
        (
            "user_2unverified",
            "unverified@example.com",
            "Una",
            "Verified",
        ),
        ("user_2broken", "broken@example.com", "Bro", "Ken"),
        ("user_2totp", "tom@example.com", "Tom", "Otp"),
    ] {
        expected.insert(id.to_string(), identity(email, first, last));
    }
    expected.get_mut("user_2unverified").unwrap()["verified"] = json!(false);
    assert_eq!(example.identities().await, expected);

    assert_eq!(
        example.failures(),
        failures(&[
            ("user_2phone", "missing_trait"),
            ("user_2twin", "duplicate_identifier")
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_export_brings_social_logins_and_bans_into_the_identities() {
    let example = Example::new("clerk");
    example.edit_plan("users: clerk/users.csv", "users: clerk/users.json");

    example.run();

    let unverified = |email: &str, first: &str, last: &str| {
        let mut identity = identity(email, first, last);
        identity["verified"] = json!(false);
        identity
    };
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    let mut add = |id: &str, value: Value| expected.insert(id.to_string(), value);
    add(
        "user_2ada",
        unverified("ada@example.com", "Ada", "Lovelace"),
    );
    add("user_2zoe", unverified("zoe@example.com", "Zoë", "O'Brien"));
    let mut grace = unverified("grace@hopper.example", "Grace", "Hopper");
    grace["oidc"] = json!(["google:109876543210987654321"]);
    add("user_2grace", grace);
    let mut linus = unverified("linus@example.org", "Linus", "");
    linus["oidc"] = json!(["github:22182844"]);
    add("user_2linus", linus);
    let mut banned = unverified("banned@example.com", "Ban", "Ned");
    banned["state"] = json!("inactive");
    add("user_2banned", banned);
    add(
        "user_2fb",
        unverified("fiona@example.com", "Fiona", "Firebase"),
    );
    add(
        "user_2pepper",
        unverified("pepper@example.com", "Pep", "Per"),
    );
    assert_eq!(example.identities().await, expected);

    assert_eq!(
        example.failures(),
        failures(&[
            ("user_2phone", "missing_trait"),
            ("user_2twin", "duplicate_identifier")
        ])
    );
}
