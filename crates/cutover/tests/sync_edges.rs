//! Delta sync at its edges, through the real binary and a sandbox target: users gone from
//! the export before they were sent, identities deleted on the target or clashing with
//! another one, and changed users of a segment that went live.

mod common;
mod sync_support;

use std::collections::HashMap;

use common::{SandboxProcess, Workspace, assert_success};
use serde_json::json;
use sync_support::{
    BATCH_ROUTE, Export, STAFF, UPDATE_ROUTE, count_and_ids, count_ids, ids, on_target, plain_users,
};

#[tokio::test(flavor = "multi_thread")]
async fn users_gone_before_they_were_sent_hold_no_phase_back_and_return_when_they_come_back() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &["--phase", "staff"]));
    let plain = plain_users(&work);
    let gone = [plain[0].0.as_str(), plain[1].0.as_str()];
    let export = Export::of(&work);
    let original = std::fs::read_to_string(&export.users).unwrap();
    export.remove(&gone);

    assert_success(&work.cutover("run", &[]));

    let status = work.status();
    let rest = status["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "rest")
        .unwrap();
    assert_eq!(rest["counts"]["pending"], 0, "{rest}");
    assert_eq!(count_ids(&status["disappeared"]), (2, ids(&gone)));
    let reasons: HashMap<String, u64> = status["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_u64().unwrap()))
        .collect();
    assert_eq!(reasons.get("disappeared"), Some(&2), "{reasons:?}");
    let target = on_target(&sandbox).await;
    assert!(gone.iter().all(|id| !target.contains_key(*id)));

    std::fs::write(&export.users, original).unwrap();
    let check = work.check();
    assert_eq!(count_and_ids(&check["sync"]["returned"]), (2, ids(&gone)));
    assert_success(&work.cutover("run", &[]));

    let target = on_target(&sandbox).await;
    assert!(
        gone.iter().all(|id| target.contains_key(*id)),
        "the returning users were not sent"
    );
    assert_eq!(work.status()["disappeared"]["count"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_of_a_deleted_identity_fails_and_a_taken_address_is_a_conflict() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &[]));
    let plain = plain_users(&work);
    let (deleted, clashing) = (plain[0].0.as_str(), plain[1].0.as_str());
    let target = on_target(&sandbox).await;
    let id = target[deleted]["id"].as_str().unwrap();
    let response = reqwest::Client::new()
        .delete(format!("{}/admin/identities/{id}", sandbox.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    sandbox
        .seed(vec![
            json!({"schema_id": "preset://email", "traits": {"email": "taken@example.org"}}),
        ])
        .await;
    let export = Export::of(&work);
    export.set_given_name(deleted, "Renamed");
    export.set_email(clashing, "taken@example.org");

    let output = work.cutover("run", &[]);
    assert_success(&output);

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 refused by the target, 1 no longer on the target"),
        "{stdout}"
    );
    let status = work.status();
    let failure = status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["legacy_id"] == deleted);
    assert_eq!(
        failure.expect("the deleted user failed")["reason_code"],
        "missing_on_target"
    );
    let target = on_target(&sandbox).await;
    assert_eq!(
        target[clashing]["traits"]["email"], plain[1].1,
        "the clashing update went through"
    );
    // The conflict is not given up on: the next run tries the update again.
    let sync = &work.check()["sync"];
    assert_eq!(
        count_and_ids(&sync["changed_profile"]),
        (1, ids(&[clashing])),
        "{sync}"
    );
    sandbox.reset_stats().await;
    assert_success(&work.cutover("run", &[]));
    assert!(sandbox.requests(UPDATE_ROUTE).await > 0);
    assert_eq!(sandbox.requests(BATCH_ROUTE).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_go_live_a_changed_user_is_reported_and_not_updated() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &[]));
    let golive = [
        "--segment",
        "staff",
        "--by",
        "alice",
        "--force",
        "sync test",
    ];
    assert_success(&work.cutover("golive", &golive));
    let plain = plain_users(&work);
    let export = Export::of(&work);
    export.set_given_name(STAFF, "Renamed");
    export.set_given_name(&plain[0].0, "Renamed");

    let sync = &work.check()["sync"];
    assert_eq!(
        count_and_ids(&sync["held_back"]),
        (1, ids(&[STAFF])),
        "{sync}"
    );
    assert_eq!(sync["changed_profile"]["count"], 1, "{sync}");
    sandbox.reset_stats().await;
    let output = work.cutover("run", &[]);
    assert_success(&output);

    assert_eq!(sandbox.requests(UPDATE_ROUTE).await, 1);
    let target = on_target(&sandbox).await;
    assert_eq!(target[&plain[0].0]["traits"]["name"]["first"], "Renamed");
    assert_ne!(target[STAFF]["traits"]["name"]["first"], "Renamed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("not updated: 1 changed users whose segment is live"),
        "{stdout}"
    );
    assert!(stdout.contains(STAFF), "{stdout}");
}
