//! The example plans of the generic sources through the real binary: `check` reports the
//! example table's users, hashes and problems, and `run` into a sandbox over HTTP creates
//! exactly the identities it should, with their traits, records every other user as failed
//! with the reason, and the migrated users sign in with their old passwords.

mod common;
mod generic_support;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use common::{SandboxProcess, assert_success};
use generic_support::{Example, ExampleDatabase, Outcome, URL_ENV, expected, passwords};

/// The reason codes a correct run records, with how many users each.
fn expected_failures() -> BTreeMap<String, u64> {
    let mut codes = BTreeMap::new();
    for user in expected() {
        if let Outcome::Failed(code) = user.outcome {
            *codes.entry(code.to_string()).or_default() += 1;
        }
    }
    codes
}

/// Checks `cutover check --output json` on an example: the file exports add one unreadable
/// record (user 1021) at `broken_line`.
fn assert_check(example: &Example, broken_line: Option<u64>) {
    let report = example.json("check", &["--output", "json"]);

    assert_eq!(report["users"], 22);
    assert_eq!(report["can_run"], true);
    let lines: Vec<u64> = report["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, broken_line.into_iter().collect::<Vec<_>>());
    let codes: BTreeMap<String, u64> =
        serde_json::from_value(report["unimportable_by_code"].clone()).unwrap();
    assert_eq!(codes, expected_failures());
    let families = &report["hash_families"];
    assert_eq!(families["bcrypt"], 7, "{families}");
    assert_eq!(families["argon2id"], 1, "{families}");
    assert_eq!(families["ssha"], 1, "{families}");
    assert_eq!(families["none"], 4, "{families}");
    let per_segment: Vec<(String, u64)> = report["per_segment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row[1].as_str().unwrap().to_string(),
                row[2].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_segment,
        [("beta".to_string(), 6), ("everyone".to_string(), 16)]
    );
    let warned: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        warned.iter().any(|w| w.starts_with("user 1012: password:")),
        "{warned:#?}"
    );
    assert!(
        warned.iter().any(|w| w.starts_with("user 1013: password:")),
        "{warned:#?}"
    );
}

/// Runs an example into the sandbox and checks every user's fate.
async fn assert_run(example: &Example, sandbox: &SandboxProcess) {
    assert_success(&example.cutover("run", &[]));

    let identities = sandbox.identities().await;
    let by_id: BTreeMap<String, &Value> = identities
        .iter()
        .map(|identity| {
            (
                identity["external_id"].as_str().unwrap().to_string(),
                identity,
            )
        })
        .collect();
    let status = example.json("status", &["--output", "json", "--failures", "1000"]);
    let failures: BTreeMap<String, String> = status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| {
            let id = user["legacy_id"].as_str().unwrap().to_string();
            (
                id,
                user["reason_code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let passwords = passwords();
    let client = reqwest::Client::new();

    let mut imported = 0;
    for user in expected() {
        match user.outcome {
            Outcome::Failed(code) => {
                assert!(!by_id.contains_key(user.id), "user {} was created", user.id);
                assert_eq!(
                    failures.get(user.id).map(String::as_str),
                    Some(code),
                    "{}",
                    user.id
                );
            }
            Outcome::Imported { active, signs_in } => {
                imported += 1;
                let identity = by_id
                    .get(user.id)
                    .unwrap_or_else(|| panic!("no identity for user {}", user.id));
                let email = user.email.expect("imported users have an email");
                assert_eq!(
                    identity["traits"],
                    json!({"email": email, "name": {"first": user.first, "last": user.last}}),
                    "{}",
                    user.id
                );
                assert_eq!(
                    identity["metadata_public"],
                    json!({"plan": user.plan}),
                    "{}",
                    user.id
                );
                let state = if active { "active" } else { "inactive" };
                assert_eq!(identity["state"], state, "{}", user.id);
                let verified = identity["verifiable_addresses"]
                    .as_array()
                    .is_some_and(|addresses| addresses.iter().any(|a| a["verified"] == true));
                assert_eq!(verified, user.verified, "{}", user.id);

                let password = passwords.get(user.id).cloned().unwrap_or_default();
                let login = client
                    .post(format!("{}/__sandbox/login", sandbox.url))
                    .json(&json!({"identifier": email, "password": password}))
                    .send()
                    .await
                    .expect("login request");
                assert_eq!(
                    login.status().is_success(),
                    signs_in,
                    "login of {}",
                    user.id
                );
            }
        }
    }
    assert_eq!(
        identities.len(),
        imported,
        "no identity beyond the expected ones"
    );

    // The social-only user can sign in with Google.
    let priya = by_id["1010"]["id"].as_str().unwrap();
    let with_oidc: Value = client
        .get(format!("{}/admin/identities/{priya}", sandbox.url))
        .query(&[("include_credential", "oidc")])
        .send()
        .await
        .expect("get identity")
        .json()
        .await
        .expect("identity JSON");
    let providers = &with_oidc["credentials"]["oidc"]["config"]["providers"];
    assert_eq!(providers[0]["provider"], "google", "{with_oidc}");
    assert_eq!(
        providers[0]["subject"], "112233445566778899001",
        "{with_oidc}"
    );
}

#[test]
fn check_reports_the_csv_examples_users_hashes_and_problems() {
    let example = Example::new("csv", "http://127.0.0.1:9");

    assert_check(&example, Some(22));
}

#[test]
fn check_without_the_hmac_key_names_the_variable() {
    let example = Example::new("csv", "http://127.0.0.1:9");

    let output = common::cutover()
        .arg("check")
        .arg(&example.plan)
        .env_remove(generic_support::HMAC_KEY_ENV.0)
        .output()
        .expect("run cutover");

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("LEGACY_HMAC_KEY named by source.password.key_env is not set"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn run_migrates_the_csv_example_into_the_sandbox() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let example = Example::new("csv", &sandbox.url);

    assert_run(&example, &sandbox).await;

    let status = example.json("status", &["--output", "json"]);
    let problems = status["source_problems"].as_array().unwrap();
    let unreadable: Vec<&Value> = problems
        .iter()
        .filter(|p| p["kind"] == "unreadable")
        .collect();
    assert_eq!(unreadable.len(), 1, "{problems:#?}");
    assert_eq!(unreadable[0]["line"], 22);
}

/// `check` and `run` of the sql example against a fresh database on one server.
async fn sql_example(postgres: bool) {
    let database = ExampleDatabase::create(postgres).await;
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let mut example = Example::new("sql", &sandbox.url);
    example
        .env
        .push((URL_ENV.to_string(), database.url.clone()));

    assert_check(&example, None);
    assert_run(&example, &sandbox).await;

    // A second run reads the table again and sends nothing.
    sandbox.reset_stats().await;
    assert_success(&example.cutover("run", &[]));
    assert_eq!(common::lifecycle::writes(&sandbox).await, 0);
    database.drop_database().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn check_and_run_migrate_the_sql_example_from_postgresql() {
    sql_example(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn check_and_run_migrate_the_sql_example_from_mariadb() {
    sql_example(false).await;
}

#[test]
fn the_connection_string_never_reaches_the_output_or_the_ledger() {
    let mut example = Example::new("sql", "http://127.0.0.1:9");
    let secret = "pa55-w0rd-never-shown";
    example.env.push((
        URL_ENV.to_string(),
        format!("postgres://cutover:{secret}@127.0.0.1:1/legacy"),
    ));

    let output = example.cutover("run", &[]);

    assert_eq!(output.status.code(), Some(1));
    let (stdout, stderr) = common::lifecycle::text(&output);
    assert!(stderr.contains("named by LEGACY_DATABASE_URL"), "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains(secret), "{text}");
    }
    for entry in std::fs::read_dir(example.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(secret), "a file holds the connection string");
    }
}
