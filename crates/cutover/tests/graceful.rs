//! The graceful path end to end, through the real binary and a sandbox target: users whose
//! hash Kratos cannot import go to the password migration hook by default (flag on the
//! target, reason in the ledger and in status), or arrive without a password, or fail, as
//! `policy.unimportable_hash` says; and a migrated bcrypt user signs in with their password.

mod common;

use std::collections::BTreeSet;

use common::oracle::{Expected, expected};
use common::{SandboxProcess, Workspace, assert_success};
use serde_json::{Value, json};

/// How the reasons of the sample's three unusable hashes start: two broken strings and one
/// in no known format.
const UNIMPORTABLE: [&str; 3] = [
    "broken hash (bcrypt): ",
    "broken hash (argon2id): ",
    "unknown hash format: ",
];

/// Whether a recorded reason is one of a hash refused by the hash rules.
fn for_the_hash(reason: &str) -> bool {
    UNIMPORTABLE.iter().any(|start| reason.starts_with(start))
}

/// A run of the sample plan, with `policy` (if any) written into it, to its end.
async fn migrate(policy: Option<&str>) -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    if let Some(policy) = policy {
        work.edit_plan(|text| text.replace("segments:\n", &format!("{policy}segments:\n")));
    }
    assert_success(&work.cutover("run", &[]));
    (scratch, sandbox, work)
}

fn sample(work: &Workspace) -> Expected {
    expected(&work.dir.path().join("exports"))
}

/// The identities on the target by external id (the legacy id for the sample's users).
async fn by_external_id(sandbox: &SandboxProcess) -> std::collections::HashMap<String, Value> {
    sandbox
        .identities()
        .await
        .into_iter()
        .map(|identity| (identity["external_id"].as_str().unwrap().into(), identity))
        .collect()
}

/// The stored password config of an identity, read as an operator would.
async fn password_config(sandbox: &SandboxProcess, identity: &Value) -> Value {
    let url = format!(
        "{}/admin/identities/{}?include_credential=password",
        sandbox.url,
        identity["id"].as_str().unwrap()
    );
    let shown: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    shown["credentials"]["password"]["config"].clone()
}

/// The sandbox's test-only answer to "which way does this password meet the identity".
async fn check_password(sandbox: &SandboxProcess, who: Value, password: &str) -> Value {
    let mut body = who;
    body["password"] = json!(password);
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/check-password", sandbox.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "check-password for {body}");
    response.json().await.unwrap()
}

/// The users of status's `password_routes` for one route, summed over its details, and the
/// details.
fn route_users(status: &Value, route: &str) -> (u64, Vec<String>) {
    let rows: Vec<&Value> = status["password_routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["route"] == route)
        .collect();
    let users = rows.iter().map(|row| row["users"].as_u64().unwrap()).sum();
    let details = rows
        .iter()
        .map(|row| row["detail"].as_str().unwrap().to_string())
        .collect();
    (users, details)
}

fn size(set: &BTreeSet<String>) -> u64 {
    set.len() as u64
}

#[tokio::test(flavor = "multi_thread")]
async fn by_default_unimportable_hashes_go_to_the_migration_hook_with_their_reason() {
    let (_scratch, sandbox, work) = migrate(None).await;
    let expected = sample(&work);
    let hook = expected.hook();
    assert_eq!(hook.len(), 3, "the sample has three unusable hashes");

    let identities = by_external_id(&sandbox).await;
    for legacy_id in &hook {
        let identity = &identities[legacy_id];
        assert_eq!(
            password_config(&sandbox, identity).await,
            json!({"hashed_password": "", "use_password_migration_hook": true}),
            "{legacy_id}"
        );
        let email = identity["traits"]["email"].as_str().unwrap();
        let answer = check_password(&sandbox, json!({"identifier": email}), "whatever").await;
        assert_eq!(answer["password"], "hook", "{legacy_id}");
    }
    let hooked = work
        .ledger_number(
            "select count(*) from users where password_route = 'hook' \
             and (password_detail like 'broken hash (%' \
                  or password_detail like 'unknown hash format: %') \
             and state = 'imported'",
        )
        .await;
    assert_eq!(hooked, 3);

    let status = work.status();
    let (users, details) = route_users(&status, "hook");
    assert_eq!(users, size(&hook));
    for start in UNIMPORTABLE {
        let with = details.iter().filter(|d| d.starts_with(start)).count();
        assert_eq!(with, 1, "one reason starts with {start:?}: {details:?}");
    }
    assert_eq!(route_users(&status, "hash").0, size(&expected.hashed()));
    assert_eq!(
        route_users(&status, "none"),
        (
            size(&expected.without_password()),
            vec!["no password in the export".to_string()]
        )
    );
    let reasons: Vec<&str> = status["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    assert!(!reasons.contains(&"invalid_hash"), "{reasons:?}");

    let text = work.ok("status", &[]);
    assert!(text.contains("passwords, by route"), "{text}");
    assert!(text.contains("broken hash (bcrypt): "), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_imports_those_users_without_a_password_and_says_why() {
    let (_scratch, sandbox, work) =
        migrate(Some("policy:\n  unimportable_hash: no_password\n")).await;
    let expected = sample(&work);

    let identities = by_external_id(&sandbox).await;
    for legacy_id in &expected.unimportable_hashes {
        let identity = &identities[legacy_id];
        let config = password_config(&sandbox, identity).await;
        assert!(config.get("hashed_password").is_none(), "{config}");
        assert!(
            config.get("use_password_migration_hook").is_none(),
            "{config}"
        );
        let answer = check_password(&sandbox, json!({"identity_id": identity["id"]}), "x").await;
        assert_eq!(answer["password"], "no_password", "{legacy_id}");
    }

    let status = work.status();
    assert_eq!(route_users(&status, "hook").0, 0);
    let (users, details) = route_users(&status, "none");
    assert_eq!(users, size(&expected.without_password()) + 3);
    let unimportable = details.iter().filter(|d| for_the_hash(d)).count();
    assert_eq!(unimportable, 3, "{details:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fail_fails_those_users_with_the_reason_and_sends_nothing_for_them() {
    let (_scratch, sandbox, work) = migrate(Some("policy:\n  unimportable_hash: fail\n")).await;
    let expected = sample(&work);

    let identities = by_external_id(&sandbox).await;
    let on_target: BTreeSet<String> = identities.keys().cloned().collect();
    let importable: BTreeSet<String> = expected
        .importable
        .difference(&expected.unimportable_hashes)
        .cloned()
        .collect();
    assert_eq!(on_target, importable);

    let status = work.status();
    let failed: BTreeSet<String> = status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["reason_code"] == "invalid_hash")
        .map(|user| {
            let reason = user["reason"].as_str().unwrap();
            assert!(for_the_hash(reason), "{reason}");
            assert_eq!(user["password"], Value::Null, "a failed user has no route");
            user["legacy_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(failed, expected.unimportable_hashes);
    assert_eq!(route_users(&status, "hook").0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_migrated_bcrypt_user_signs_in_with_the_password_of_the_sample_rule() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.edit_plan(|text| text.replace("identity:\n", "identity:\n  activate: on_import\n"));
    assert_success(&work.cutover("run", &["--phase", "staff"]));
    // The staff user plans/exports/README.md names, and its password by the sample's rule.
    let legacy_id = "auth0|5edc3d6bb1186f5ff3ec3359";
    let email = "Aoifemurphy@acme.example";
    let password = "pw-5edc3d6bb1186f5ff3ec3359";
    assert!(sample(&work).bcrypt.contains(legacy_id));

    let right = check_password(&sandbox, json!({"identifier": email}), password).await;
    let wrong = check_password(&sandbox, json!({"identifier": email}), "pw-wrong").await;
    let login = reqwest::Client::new()
        .post(format!("{}/__sandbox/login", sandbox.url))
        .json(&json!({"identifier": email.to_lowercase(), "password": password}))
        .send()
        .await
        .unwrap();

    assert_eq!(right["password"], "match", "{right}");
    assert_eq!(right["state"], "active");
    assert_eq!(wrong["password"], "mismatch");
    assert_eq!(login.status(), 200);
    let identities = by_external_id(&sandbox).await;
    assert_eq!(right["identity_id"], identities[legacy_id]["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_failed_for_their_hash_go_to_the_hook_when_the_policy_allows_it_again() {
    let (_scratch, sandbox, work) = migrate(Some("policy:\n  unimportable_hash: fail\n")).await;
    let expected = sample(&work);
    work.edit_plan(|text| text.replace("policy:\n  unimportable_hash: fail\n", ""));

    assert_success(&work.cutover("run", &["--accept-plan-change"]));

    let identities = by_external_id(&sandbox).await;
    for legacy_id in &expected.unimportable_hashes {
        let config = password_config(&sandbox, &identities[legacy_id]).await;
        assert_eq!(config["use_password_migration_hook"], true, "{legacy_id}");
    }
    let status = work.status();
    assert_eq!(route_users(&status, "hook").0, 3);
    let failed_for_hash = status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["reason_code"] == "invalid_hash")
        .count();
    assert_eq!(failed_for_hash, 0);
}
