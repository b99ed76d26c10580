//! Injected faults: each mode, over real HTTP, and that faulted requests are counted too.

mod common;

use common::{Harness, batch, person};
use reqwest::StatusCode;
use serde_json::json;

const CREATE: &str = "POST /admin/identities";
const BATCH: &str = "PATCH /admin/identities";

/// Polls the stats until `ready` holds for them; the server is already bound, so this only
/// waits for a request sent from another task to arrive.
async fn wait_for_stats(harness: &Harness, ready: impl Fn(&serde_json::Value) -> bool) {
    for _ in 0..1000 {
        if ready(&harness.stats().await) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!(
        "the sandbox never reached the expected stats: {}",
        harness.stats().await
    );
}

#[tokio::test]
async fn a_429_carries_retry_headers_and_later_requests_pass() {
    let harness = Harness::start().await;
    harness.inject(BATCH, "status_429", 2).await;
    let body = batch(&[person("m@example.org")]);

    let first = harness.patch("/admin/identities", &body).await;
    let second = harness.patch("/identities", &body).await;
    let third = harness.patch("/admin/identities", &body).await;

    for limited in [&first, &second] {
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers["retry-after"], "3");
        assert_eq!(limited.headers["x-ratelimit-reset"], "3");
        assert_eq!(limited.body["error"]["code"], 429);
    }
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(harness.stats().await["requests"][BATCH], 3);
    assert_eq!(harness.identity_count().await, 1);
}

#[tokio::test]
async fn server_errors_do_nothing_and_are_used_up_in_order() {
    let harness = Harness::start().await;
    harness.inject(CREATE, "status_500", 1).await;
    harness.inject(CREATE, "status_503", 1).await;

    let first = harness
        .post("/admin/identities", &person("n@example.org"))
        .await;
    let second = harness
        .post("/admin/identities", &person("n@example.org"))
        .await;
    let third = harness
        .post("/admin/identities", &person("n@example.org"))
        .await;

    assert_eq!(first.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(second.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third.status, StatusCode::CREATED);
    assert_eq!(harness.identity_count().await, 1);
}

#[tokio::test]
async fn commit_then_500_keeps_the_work_of_a_lost_response() {
    let harness = Harness::start().await;
    harness.inject(BATCH, "commit_then_500", 1).await;

    let lost = harness
        .patch("/admin/identities", &batch(&[person("o@example.org")]))
        .await;

    assert_eq!(lost.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(harness.identity_count().await, 1);
    let found = harness
        .get("/admin/identities?credentials_identifier=o@example.org")
        .await;
    assert_eq!(found.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn delay_ms_answers_normally() {
    let harness = Harness::start().await;
    let fault = json!({"route": CREATE, "mode": "delay_ms", "times": 1, "delay_ms": 20});
    assert_eq!(
        harness.post("/__sandbox/faults", &fault).await.status,
        StatusCode::OK
    );

    let delayed = harness
        .post("/admin/identities", &person("p@example.org"))
        .await;

    assert_eq!(delayed.status, StatusCode::CREATED);
}

#[tokio::test]
async fn clearing_faults_and_unknown_routes() {
    let harness = Harness::start().await;
    harness.inject(CREATE, "status_503", 100).await;
    let unknown = json!({"route": "POST /identities", "mode": "hang"});

    let refused = harness.post("/__sandbox/faults", &unknown).await;
    assert_eq!(
        harness.delete("/__sandbox/faults").await.status,
        StatusCode::OK
    );
    let created = harness
        .post("/admin/identities", &person("q@example.org"))
        .await;

    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(created.status, StatusCode::CREATED);
}

/// Sends a create in its own task, runs `hang_mode` on it and shuts the sandbox down.
/// Returns how many identities the store holds afterwards.
async fn hang_and_restart(hang_mode: &str, committed: u64) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("sandbox.db");
    let harness = Harness::with_file(&store).await;
    harness.inject(CREATE, hang_mode, 1).await;

    let request = harness
        .client
        .post(format!("{}/admin/identities", harness.sandbox.url()))
        .json(&person("r@example.org"))
        .send();
    let pending = tokio::spawn(async move { request.await.map(|response| response.status()) });
    wait_for_stats(&harness, |stats| {
        stats["requests"][CREATE] == 1 && stats["identities"] == committed
    })
    .await;
    assert!(
        !pending.is_finished(),
        "a hanging request was answered before shutdown"
    );

    harness.sandbox.shutdown().await;
    let outcome = pending.await.unwrap();
    assert!(
        !matches!(&outcome, Ok(status) if status.is_success()),
        "{outcome:?}"
    );

    Harness::with_file(&store).await.identity_count().await
}

#[tokio::test]
async fn hang_answers_nothing_until_shutdown_and_commits_nothing() {
    assert_eq!(hang_and_restart("hang", 0).await, 0);
}

#[tokio::test]
async fn commit_then_hang_commits_and_answers_nothing_until_shutdown() {
    assert_eq!(hang_and_restart("commit_then_hang", 1).await, 1);
}
