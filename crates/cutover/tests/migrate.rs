//! The end-to-end migration through the real binary and a sandbox target over HTTP: a full
//! run imports every importable user exactly once, a second run sends nothing, and runs
//! killed at every kind of checkpoint resume to the same identities.

mod common;

use common::oracle::expected;
use common::{SandboxProcess, Workspace, assert_success, fingerprint};

const BATCH_ROUTE: &str = "PATCH /admin/identities";

#[tokio::test(flavor = "multi_thread")]
async fn a_full_run_imports_every_importable_user_exactly_once() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let expected = expected(&work.dir.path().join("exports"));

    assert_success(&work.cutover("run", &[]));

    let identities = sandbox.identities().await;
    let external: std::collections::BTreeSet<String> = identities
        .iter()
        .map(|identity| identity["external_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        identities.len(),
        external.len(),
        "an identity was created twice"
    );
    assert_eq!(external, expected.importable);

    let status = work.status();
    let imported: u64 = status["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["counts"]["imported"].as_u64().unwrap())
        .sum();
    assert_eq!(imported, expected.importable.len() as u64);
    for phase in status["phases"].as_array().unwrap() {
        assert_eq!(phase["counts"]["pending"], 0, "{phase}");
        assert_eq!(phase["counts"]["in_flight"], 0, "{phase}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_sends_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &[]));
    assert!(sandbox.requests(BATCH_ROUTE).await > 0);
    sandbox.reset_stats().await;

    let output = work.cutover("run", &[]);
    assert_success(&output);

    let stats = sandbox.stats().await;
    let writes: u64 = stats["requests"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(route, _)| !route.starts_with("GET"))
        .map(|(_, count)| count.as_u64().unwrap())
        .sum();
    assert_eq!(writes, 0, "the second run wrote to the target: {stats}");
}

/// Runs the plan once with a crash at `checkpoint`, then again to the end, and returns the
/// identities on the target.
async fn crash_then_resume(checkpoint: &str) -> Vec<(String, serde_json::Value)> {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);

    let crashed = common::cutover()
        .arg("run")
        .arg(&work.plan)
        .env("CUTOVER_CRASH_AT", checkpoint)
        .output()
        .unwrap();
    assert!(
        !crashed.status.success(),
        "the run at {checkpoint} did not crash"
    );

    assert_success(&work.cutover("run", &[]));
    fingerprint(&sandbox.identities().await)
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_killed_at_any_checkpoint_resume_to_the_same_identities() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &[]));
    let uninterrupted = fingerprint(&sandbox.identities().await);
    assert!(!uninterrupted.is_empty());

    for checkpoint in [
        "before-send:1",
        "after-send:1",
        "after-send:3",
        "after-record:2",
    ] {
        let resumed = crash_then_resume(checkpoint).await;
        assert_eq!(
            resumed.len(),
            uninterrupted.len(),
            "after a crash at {checkpoint}"
        );
        assert!(
            resumed == uninterrupted,
            "identities differ after a crash at {checkpoint}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resumed_run_looks_up_users_in_flight_before_sending_them_again() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let crashed = common::cutover()
        .arg("run")
        .arg(&work.plan)
        .env("CUTOVER_CRASH_AT", "after-send:2")
        .output()
        .unwrap();
    assert!(!crashed.status.success());
    let created_before_resume = sandbox.identities().await.len();
    sandbox.reset_stats().await;

    assert_success(&work.cutover("run", &[]));

    let lookups = sandbox.requests("GET /admin/identities/by/external").await;
    assert!(lookups > 0, "no user was looked up");
    assert!(created_before_resume > 0);
    let identities = sandbox.identities().await;
    let expected = expected(&work.dir.path().join("exports"));
    assert_eq!(identities.len(), expected.importable.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_exported_twice_is_imported_once_and_the_copy_reported() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let exports = work.dir.path().join("exports");
    let expected = expected(&exports);
    let users = exports.join("users.ndjson");
    let text = std::fs::read_to_string(&users).unwrap();
    let copied = text
        .lines()
        .find(|line| {
            let user: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            user["user_id"]
                .as_str()
                .is_some_and(|id| expected.importable.contains(id))
        })
        .unwrap()
        .to_string();
    std::fs::write(&users, format!("{text}{copied}\n")).unwrap();

    assert_success(&work.cutover("run", &[]));

    let identities = sandbox.identities().await;
    assert_eq!(identities.len(), expected.importable.len());
    let status = work.status();
    let copied: serde_json::Value = serde_json::from_str(&copied).unwrap();
    let failures = status["failures"].as_array().unwrap();
    assert!(
        !failures
            .iter()
            .any(|user| user["legacy_id"] == copied["user_id"]),
        "{failures:?}"
    );
    let problems = status["source_problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["message"].as_str().unwrap().contains("appears again")),
        "{problems:?}"
    );
}
