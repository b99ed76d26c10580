//! `plans/examples/auth0_import.yaml` as a user runs it: `check` reports every hash family of
//! the import file and its problems, `run` creates exactly the expected identities in the
//! sandbox and records the rest as failed with their reasons.

mod common;

use std::collections::BTreeMap;

use common::examples::{Example, failures};
use serde_json::{Value, json};

#[test]
fn check_reports_the_import_files_users_hashes_and_problems() {
    let report = Example::new("auth0_import").check();

    assert_eq!(report["users"], 20);
    assert_eq!(
        report["hash_families"],
        json!({
            "argon2id": 2, "bcrypt": 4, "hmac": 1, "md4": 1, "md5": 1, "none": 5, "pbkdf2": 2,
            "salted-sha": 3, "ssha": 1
        })
    );
    assert_eq!(
        report["unimportable_by_code"],
        json!({"duplicate_identifier": 1, "missing_trait": 1})
    );
    let reasons: Vec<&str> = report["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons[0],
        "the record has neither `user_id` nor `email`, so it cannot be tracked"
    );
    assert!(
        reasons[1].starts_with("invalid JSON at line"),
        "{reasons:?}"
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn run_creates_exactly_the_expected_identities_and_records_the_failures() {
    let example = Example::new("auth0_import");

    example.run();

    let identity = |traits: Value| {
        json!({
            "traits": traits,
            "metadata_public": null,
            "state": "active",
            "segment": "everyone",
            "verified": true,
            "oidc": [],
        })
    };
    let email_only = |email: &str| identity(json!({"email": email}));
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    let mut add = |id: &str, value: Value| expected.insert(id.to_string(), value);
    add(
        "imp-md4",
        identity(json!({"email": "antonia@example.com", "name": {"first": "Antonia"}})),
    );
    let mut mary = email_only("mary@example.com");
    mary["metadata_public"] = json!({"tier": "pro"});
    mary["segment"] = json!("pro");
    add("imp-md5", mary);
    add(
        "imp-sha1",
        identity(
            json!({"email": "sean@example.com", "name": {"first": "Seán", "last": "O'Connor"}}),
        ),
    );
    add("imp-sha256", email_only("velma@example.com"));
    add("imp-sha512", email_only("edward@example.com"));
    add(
        "imp-bcrypt",
        identity(json!({"email": "zoe@example.com", "name": {"first": "Zoë", "last": "Ångström"}})),
    );
    add("imp-bcrypt-custom", email_only("bea@example.com"));
    add("imp-argon2", email_only("ari@example.com"));
    add("imp-pbkdf2", email_only("pat@example.com"));
    add("imp-pbkdf2-defaults", email_only("cecil@example.com"));
    add("imp-ldap", email_only("lars@example.com"));
    add("imp-hmac", email_only("peter@example.com"));
    add("imp-empty", email_only("empty.hash@example.com"));
    add("imp-broken-digest", email_only("broken.digest@example.com"));
    add("imp-utf16", email_only("wide@example.com"));
    let mut blocked = email_only("blocked@example.com");
    blocked["state"] = json!("inactive");
    add("imp-blocked", blocked);
    add("imp-both", email_only("both@example.com"));
    add("no.id@example.com", email_only("no.id@example.com"));
    assert_eq!(example.identities().await, expected);

    assert_eq!(
        example.failures(),
        failures(&[
            ("imp-no-email", "missing_trait"),
            ("imp-twin", "duplicate_identifier")
        ])
    );
}
