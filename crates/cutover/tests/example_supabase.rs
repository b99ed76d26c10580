//! `plans/examples/supabase.yaml` as a user runs it: `check` reports the table dump's users,
//! hashes and problems, `run` creates exactly the expected identities in the sandbox and
//! records the rest as failed with their reasons.

mod common;

use std::collections::BTreeMap;

use common::examples::{Example, failures};
use serde_json::{Value, json};

fn id(n: u32) -> String {
    format!("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a{n:04}")
}

#[test]
fn check_reports_the_dumps_users_hashes_and_problems() {
    let report = Example::new("supabase").check();

    assert_eq!(report["users"], 13);
    assert_eq!(
        report["hash_families"],
        json!({"argon2id": 1, "bcrypt": 7, "firescrypt": 1, "none": 4})
    );
    assert_eq!(
        report["unimportable_by_code"],
        json!({"duplicate_identifier": 1, "missing_trait": 1, "unmapped_social": 1})
    );
    assert_eq!(report["unreadable"].as_array().unwrap().len(), 2);
    assert_eq!(report["warnings"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn run_creates_exactly_the_expected_identities_and_records_the_failures() {
    let example = Example::new("supabase");

    example.run();

    let identity = |email: &str, metadata: Value| {
        json!({
            "traits": {"email": email},
            "metadata_public": metadata,
            "state": "active",
            "segment": "everyone",
            "verified": true,
            "oidc": [],
        })
    };
    let by_email = json!({"signed_up_with": "email"});
    let named = |name: &str| json!({"display_name": name, "signed_up_with": "email"});
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    let mut add = |n: u32, value: Value| expected.insert(id(n), value);
    add(1, identity("ada@example.com", named("Ada Lovelace")));
    let mut zoe = identity("zoe.obrien@example.com", named("Zoë O'Brien"));
    zoe["traits"]["name"] = json!({"first": "Zoë", "last": "O'Brien"});
    add(2, zoe);
    add(3, identity("fiona@example.com", named("Fiona Firebase")));
    let mut grace = identity(
        "grace@hopper.example",
        json!({"display_name": "Grace Hopper", "signed_up_with": "google"}),
    );
    grace["segment"] = json!("social");
    grace["oidc"] = json!(["google:109876543210987654321"]);
    add(4, grace);
    add(5, identity("linus@example.org", named("Linus")));
    let mut banned = identity("banned@example.com", by_email.clone());
    banned["state"] = json!("inactive");
    add(7, banned);
    add(8, identity("pardoned@example.com", by_email.clone()));
    add(10, identity("broken.hash@example.com", by_email.clone()));
    let mut unconfirmed = identity("unconfirmed@example.com", by_email.clone());
    unconfirmed["verified"] = json!(false);
    add(11, unconfirmed);
    let mut deleted = identity("deleted@example.com", by_email);
    deleted["state"] = json!("inactive");
    add(12, deleted);
    assert_eq!(example.identities().await, expected);

    assert_eq!(
        example.failures(),
        failures(&[
            (&id(6), "missing_trait"),
            (&id(9), "duplicate_identifier"),
            (&id(13), "unmapped_social"),
        ])
    );
}

#[test]
fn the_csv_dump_of_the_same_table_migrates_the_same_users() {
    let json = Example::new("supabase").check();
    let csv_example = Example::new("supabase");
    csv_example.edit_plan("users: supabase/users.json", "users: supabase/users.csv");

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
