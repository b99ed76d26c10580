//! Rollback through the real binary and a sandbox target: it deletes exactly the identities
//! the plan created, leaves colliding and adopted identities alone, resets the ledger so the
//! phase runs again, resumes after a crash, and respects a segment's go-live.

mod common;

use common::lifecycle::{PLAN_NAME, code, importable_users, of_segment, text, writes};
use common::{SandboxProcess, Workspace};
use serde_json::{Value, json};

const DELETE_ROUTE: &str = "DELETE /admin/identities/{id}";

fn staff_counts(status: &Value) -> &Value {
    &status["phases"][0]["counts"]
}

/// A sandbox, and a plan whose staff phase ran.
async fn staff_imported() -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.ok("run", &["--phase", "staff"]);
    (scratch, sandbox, work)
}

#[tokio::test(flavor = "multi_thread")]
async fn without_yes_a_rollback_only_says_what_it_would_do() {
    let (_scratch, sandbox, work) = staff_imported().await;
    sandbox.reset_stats().await;

    let stdout = work.ok("rollback", &["--phase", "staff", "--by", "carol"]);

    assert!(
        stdout.contains("would delete the 100 identities"),
        "{stdout}"
    );
    assert!(stdout.contains("--yes"), "{stdout}");
    assert_eq!(writes(&sandbox).await, 0);
    assert_eq!(staff_counts(&work.status())["imported"], 100);
    assert_eq!(work.status()["golive"][0]["state"], "not_live");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollback_deletes_exactly_what_the_plan_created_and_the_phase_runs_again() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let users = importable_users(&work, true, 3);
    let ((foreign_id, _), (taken_id, taken_email), (adopted_id, adopted_email)) =
        (&users[0], &users[1], &users[2]);
    sandbox
        .seed(vec![
            json!({"schema_id": "preset://email", "external_id": foreign_id,
                   "traits": {"email": "someone.else@elsewhere.example"}}),
            json!({"schema_id": "preset://email", "traits": {"email": taken_email}}),
            json!({"schema_id": "preset://email", "external_id": adopted_id,
                   "traits": {"email": adopted_email},
                   "metadata_admin": {"cutover": {"plan": PLAN_NAME}}}),
        ])
        .await;
    let seeded = sandbox.identities().await;
    work.ok("run", &["--phase", "staff"]);
    let created = of_segment(&sandbox.identities().await, "staff").len();
    assert_eq!(created, 97);
    sandbox.reset_stats().await;

    let stdout = work.ok("rollback", &["--phase", "staff", "--by", "carol", "--yes"]);

    assert!(stdout.contains("deleted 97 identities"), "{stdout}");
    for legacy_id in [foreign_id, taken_id, adopted_id] {
        assert!(
            stdout.contains(legacy_id.as_str()),
            "{legacy_id} not listed as left alone"
        );
    }
    assert_eq!(sandbox.requests(DELETE_ROUTE).await, 97);
    let after = sandbox.identities().await;
    assert_eq!(
        after.len(),
        seeded.len(),
        "more or fewer than the created were deleted"
    );
    for identity in &seeded {
        let kept = after
            .iter()
            .find(|i| i["id"] == identity["id"])
            .expect("seeded identity kept");
        assert_eq!(kept["traits"], identity["traits"]);
    }
    let status = work.status();
    assert_eq!(staff_counts(&status)["pending"], 97);
    assert_eq!(
        staff_counts(&status)["imported"],
        1,
        "the adopted user stays imported"
    );
    assert_eq!(
        work.ledger_number(
            "select count(*) from users where batch_id is not null \
                                   and state = 'pending'"
        )
        .await,
        0
    );
    let rollback = work
        .audit_events(&[])
        .into_iter()
        .find(|e| e["kind"] == "rollback")
        .unwrap();
    assert_eq!(
        (
            rollback["counts"]["deleted"].as_u64(),
            rollback["actor"].as_str()
        ),
        (Some(97), Some("carol"))
    );

    work.ok("run", &["--phase", "staff"]);
    assert_eq!(of_segment(&sandbox.identities().await, "staff").len(), 97);
    assert_eq!(staff_counts(&work.status())["imported"], 98);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollback_killed_halfway_finishes_when_run_again() {
    let (_scratch, sandbox, work) = staff_imported().await;

    let args = ["--segment", "staff", "--by", "carol", "--yes"];
    work.crash_at("rollback-after:30", "rollback", &args);
    assert_eq!(of_segment(&sandbox.identities().await, "staff").len(), 70);
    assert_eq!(work.status()["golive"][0]["state"], "rolling_back");
    // The users it deleted are pending again, but no run imports them before it is finished.
    sandbox.reset_stats().await;
    let refused = work.cutover("run", &["--phase", "staff"]);
    assert_eq!(code(&refused), 1);
    assert!(
        text(&refused).1.contains("rollback of segment staff"),
        "{}",
        text(&refused).1
    );
    assert_eq!(writes(&sandbox).await, 0);

    sandbox.reset_stats().await;
    let stdout = work.ok("rollback", &args);

    assert!(
        stdout.contains("deleted 100 identities (1 were already gone)"),
        "{stdout}"
    );
    assert_eq!(sandbox.requests(DELETE_ROUTE).await, 71);
    assert!(sandbox.identities().await.is_empty());
    let status = work.status();
    assert_eq!(staff_counts(&status)["pending"], 100);
    assert_eq!(status["golive"][0]["state"], "rolled_back");
    let events = work.audit_events(&["--segment", "staff"]);
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "rollback_started").count(),
        1
    );
    assert_eq!(kinds.last(), Some(&"rollback"));

    sandbox.reset_stats().await;
    let again = work.ok("rollback", &args);
    assert!(again.contains("nothing to roll back"), "{again}");
    assert_eq!(writes(&sandbox).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_segment_is_not_deleted_without_force() {
    let (_scratch, sandbox, work) = staff_imported().await;
    work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    sandbox.reset_stats().await;

    let refused = work.cutover(
        "rollback",
        &["--segment", "staff", "--by", "carol", "--yes"],
    );

    assert_eq!(code(&refused), 1);
    let stderr = text(&refused).1;
    assert!(
        stderr.contains("--force") && stderr.contains("--deactivate"),
        "{stderr}"
    );
    assert_eq!(writes(&sandbox).await, 0);
    assert_eq!(of_segment(&sandbox.identities().await, "staff").len(), 100);

    work.ok(
        "rollback",
        &["--segment", "staff", "--by", "carol", "--yes", "--force"],
    );
    assert!(sandbox.identities().await.is_empty());
    let started = work
        .audit_events(&[])
        .into_iter()
        .find(|e| e["kind"] == "rollback_started");
    assert!(
        started.unwrap()["note"]
            .as_str()
            .unwrap()
            .contains("forced after go-live")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deactivate_keeps_the_identities_but_inactive_and_a_new_go_live_restores_them() {
    let (_scratch, sandbox, work) = staff_imported().await;
    work.ok("golive", &["--segment", "staff", "--by", "alice"]);

    let stdout = work.ok(
        "rollback",
        &[
            "--segment",
            "staff",
            "--by",
            "carol",
            "--deactivate",
            "--yes",
        ],
    );

    assert!(stdout.contains("100 identities are inactive"), "{stdout}");
    let identities = sandbox.identities().await;
    let staff = of_segment(&identities, "staff");
    assert_eq!(staff.len(), 100);
    assert!(staff.iter().all(|identity| identity["state"] == "inactive"));
    let status = work.status();
    assert_eq!(staff_counts(&status)["imported"], 100);
    assert_eq!(status["golive"][0]["state"], "rolled_back");
    assert_eq!(status["golive"][0]["rollback_mode"], "deactivate");

    work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    let identities = sandbox.identities().await;
    assert!(
        of_segment(&identities, "staff")
            .iter()
            .all(|i| i["state"] == "active")
    );
}
