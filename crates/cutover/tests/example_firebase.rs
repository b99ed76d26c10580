//! `plans/examples/firebase.yaml` as a user runs it: `check` reports the export's problems,
//! `run` creates exactly the expected identities in the sandbox and records the rest as
//! failed with their reasons, and without the signer key nothing is read.

mod common;

use std::collections::BTreeMap;

use common::examples::{Example, FIREBASE_SIGNER_KEY};
use serde_json::{Value, json};

fn example() -> Example {
    Example::new("firebase").with_env(FIREBASE_SIGNER_KEY)
}

#[test]
fn check_reports_the_firebase_exports_users_hashes_and_problems() {
    let report = example().check();

    assert_eq!(report["users"], 11);
    assert_eq!(report["can_run"], true);
    assert_eq!(report["hash_families"], json!({"firescrypt": 6, "none": 5}));
    assert_eq!(
        report["unimportable_by_code"],
        json!({"duplicate_identifier": 1, "missing_trait": 1, "unmapped_social": 1})
    );
    let unreadable: Vec<&Value> = report["unreadable"].as_array().unwrap().iter().collect();
    assert_eq!(unreadable.len(), 2);
    assert_eq!(unreadable[1]["reason"], "missing `localId`");
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["message"]
            .as_str()
            .unwrap()
            .starts_with("user uid-broken-hash: `passwordHash` is not base64")),
        "{warnings:?}"
    );
}

#[test]
fn without_the_signer_key_the_export_is_not_read() {
    let output = Example::new("firebase").cutover("check", &[]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("FIREBASE_SIGNER_KEY named by source.firebase.signer_key_env"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn run_creates_exactly_the_expected_identities_and_records_the_failures() {
    let example = example();

    example.run();

    let identity = |email: &str, name: &str, segment: &str| {
        json!({
            "traits": {"email": email},
            "metadata_public": {"display_name": name},
            "state": "active",
            "segment": segment,
            "verified": true,
            "oidc": [],
        })
    };
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    let mut add = |id: &str, value: Value| expected.insert(id.to_string(), value);
    add(
        "uid-ada",
        identity("ada@lovelace.example", "Lovelace, Ada", "everyone"),
    );
    add(
        "uid-zoe",
        identity("zoe.obrien@example.com", "Zoë O'Brien", "everyone"),
    );
    let mut grace = identity("grace@hopper.example", "Grace Hopper", "everyone");
    grace["oidc"] = json!(["google:109876543210987654321"]);
    add("uid-grace", grace);
    let mut linus = identity("linus@example.org", "Linus", "everyone");
    linus["oidc"] = json!(["github:22182844"]);
    add("uid-linus", linus);
    let mut mallory = identity("mallory@example.com", "Mallory", "everyone");
    mallory["state"] = json!("inactive");
    add("uid-mallory", mallory);
    add(
        "uid-broken-hash",
        identity("broken.hash@example.com", "Brok En", "everyone"),
    );
    add(
        "uid-empty-hash",
        identity("imported@example.com", "Im Ported", "everyone"),
    );
    let mut admin = identity("admin@acme.example", "Adèle Admin", "admins");
    admin["metadata_public"]["role"] = json!("admin");
    add("uid-admin", admin);
    assert_eq!(example.identities().await, expected);

    let failures: BTreeMap<String, String> = [
        ("uid-mark", "unmapped_social"),
        ("uid-phone", "missing_trait"),
        ("uid-zoe-twin", "duplicate_identifier"),
    ]
    .into_iter()
    .map(|(id, code)| (id.to_string(), code.to_string()))
    .collect();
    assert_eq!(example.failures(), failures);
}

#[test]
fn the_csv_export_of_the_same_project_migrates_the_same_users() {
    let json = example().check();
    let csv_example = example();
    csv_example.edit_plan("users: firebase/users.json", "users: firebase/users.csv");

    let csv = csv_example.check();

    for key in [
        "users",
        "hash_families",
        "unimportable_by_code",
        "per_segment",
    ] {
        assert_eq!(csv[key], json[key], "{key}");
    }
    assert_eq!(csv["unreadable"].as_array().unwrap().len(), 1);
}
