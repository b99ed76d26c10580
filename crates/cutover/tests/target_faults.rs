//! How a run deals with what the target does: conflicts with identities it did not create,
//! identities it created under a lost ledger, rate limits, server errors and lost responses.

mod common;

use common::oracle::expected;
use common::{SandboxProcess, Workspace, assert_success};
use serde_json::{Value, json};

const BATCH_ROUTE: &str = "PATCH /admin/identities";

/// The first importable users of the sample, as (legacy id, email).
fn sample_users(work: &Workspace, count: usize) -> Vec<(String, String)> {
    let expected = expected(&work.dir.path().join("exports"));
    let text = std::fs::read_to_string(work.dir.path().join("exports/users.ndjson")).unwrap();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|user| {
            user["user_id"]
                .as_str()
                .is_some_and(|id| expected.importable.contains(id))
        })
        .filter(|user| {
            !user["email"]
                .as_str()
                .unwrap_or("")
                .ends_with("@acme.example")
        })
        .take(count)
        .map(|user| {
            (
                user["user_id"].as_str().unwrap().into(),
                user["email"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn user_row<'a>(status: &'a Value, legacy_id: &str) -> Option<&'a Value> {
    status["failures"]
        .as_array()?
        .iter()
        .find(|user| user["legacy_id"] == legacy_id)
}

#[tokio::test(flavor = "multi_thread")]
async fn conflicts_are_resolved_by_ownership_and_never_overwritten() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let users = sample_users(&work, 3);
    let (foreign_id, _) = &users[0];
    let (_, taken_email) = &users[1];
    let (ours_id, ours_email) = &users[2];

    sandbox
        .seed(vec![
            // Someone else's identity already carries this user's external id.
            json!({"schema_id": "preset://email", "external_id": foreign_id,
                   "traits": {"email": "someone.else@elsewhere.example"}}),
            // Someone else's identity already uses this user's email address.
            json!({"schema_id": "preset://email", "traits": {"email": taken_email.to_uppercase()}}),
            // An identity this plan created, under a ledger that was lost.
            json!({"schema_id": "preset://email", "external_id": ours_id,
                   "traits": {"email": ours_email},
                   "metadata_admin": {"cutover": {"plan": "e2e-sample"}}}),
        ])
        .await;
    let before: Vec<Value> = sandbox.identities().await;

    assert_success(&work.cutover("run", &[]));

    let status = work.status();
    let foreign = user_row(&status, foreign_id).expect("foreign external id is a failure");
    assert_eq!(foreign["reason_code"], "conflict");
    let taken = user_row(&status, &users[1].0).expect("taken email is a failure");
    assert_eq!(taken["reason_code"], "conflict");
    assert!(
        user_row(&status, ours_id).is_none(),
        "our own identity was not adopted"
    );

    let after = sandbox.identities().await;
    for seeded in &before {
        let now = after
            .iter()
            .find(|i| i["id"] == seeded["id"])
            .expect("seeded identity kept");
        assert_eq!(now["traits"], seeded["traits"]);
        assert_eq!(now["metadata_admin"], seeded["metadata_admin"]);
    }
    // The two users in conflict stay out, and the two identities they collided with stay in.
    let expected = expected(&work.dir.path().join("exports"));
    assert_eq!(after.len(), expected.importable.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_server_errors_are_retried_until_the_run_completes() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    sandbox.inject(BATCH_ROUTE, "status_429", 2).await;

    assert_success(&work.cutover("run", &["--phase", "staff"]));
    sandbox.inject(BATCH_ROUTE, "status_500", 1).await;
    sandbox.inject(BATCH_ROUTE, "status_503", 1).await;
    assert_success(&work.cutover("run", &[]));

    let expected = expected(&work.dir.path().join("exports"));
    assert_eq!(sandbox.identities().await.len(), expected.importable.len());
    let batches = sandbox.requests(BATCH_ROUTE).await;
    // Staff: one batch, refused twice. Rest: eight batches of at most 250 users, the first
    // refused twice. Every refused batch is sent again, and nothing else is.
    assert_eq!(
        batches,
        3 + 10,
        "each refused batch is sent again, and only once more"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_response_is_reconciled_by_lookup_without_creating_twice() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    sandbox.inject(BATCH_ROUTE, "commit_then_500", 2).await;

    assert_success(&work.cutover("run", &[]));

    let identities = sandbox.identities().await;
    let expected = expected(&work.dir.path().join("exports"));
    assert_eq!(identities.len(), expected.importable.len());
    assert!(sandbox.requests("GET /admin/identities/by/external").await > 0);
    let status = work.status();
    let failed: u64 = status["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|phase| phase["counts"]["failed"].as_u64().unwrap())
        .sum();
    let unimportable = expected.users - expected.importable.len() as u64;
    assert_eq!(
        failed, unimportable,
        "a reconciled user was recorded as failed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_that_stays_down_stops_the_run_and_a_later_run_resumes() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    sandbox.inject(BATCH_ROUTE, "status_503", 1000).await;

    let output = work.cutover("run", &[]);
    assert!(!output.status.success(), "the run pretended to succeed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("run the same command again"), "{stderr}");

    reqwest::Client::new()
        .delete(format!("{}/__sandbox/faults", sandbox.url))
        .send()
        .await
        .unwrap();
    assert_success(&work.cutover("run", &[]));
    let expected = expected(&work.dir.path().join("exports"));
    assert_eq!(sandbox.identities().await.len(), expected.importable.len());
}
