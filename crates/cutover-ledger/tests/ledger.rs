//! The ledger's guarantees, checked against a real SQLite file.

mod common;

use cutover_ledger::{
    BatchOutcome, IntakeRow, Ledger, LedgerError, Outcome, ReasonCode, UserState,
};
use serde_json::json;

use common::{imported, ledger_with_run};

fn row(legacy_id: &str, phase: &str) -> IntakeRow {
    IntakeRow {
        legacy_id: legacy_id.into(),
        external_id: legacy_id.into(),
        patch_id: format!("patch-{legacy_id}"),
        segment: format!("{phase}-segment"),
        phase: phase.into(),
        fingerprint: "f1".into(),
        fingerprints: None,
        source_line: Some(1),
        verdict: None,
        password: None,
        blocked: false,
    }
}

#[tokio::test]
async fn intake_adds_new_users_and_keeps_those_already_sent() {
    let (_dir, ledger, run) = ledger_with_run().await;
    let first = ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1")])
        .await
        .unwrap();
    assert_eq!((first.added, first.revised, first.kept), (2, 0, 0));

    let batch = ledger.begin_batch(&run, "p1", &["a"]).await.unwrap();
    ledger
        .record_outcomes(&run, &[imported("a", &batch, "id-a")], Some(&batch))
        .await
        .unwrap();

    let mut moved = row("a", "p2");
    moved.segment = "elsewhere".into();
    let second = ledger.intake(&run, &[moved, row("b", "p2")]).await.unwrap();
    assert_eq!((second.added, second.revised, second.kept), (0, 1, 1));

    let a = ledger.user(&run, "a").await.unwrap().unwrap();
    assert_eq!((a.phase.as_str(), a.state), ("p1", UserState::Imported));
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!(b.phase, "p2");
}

#[tokio::test]
async fn intake_verdicts_are_revised_but_target_verdicts_are_final() {
    let (_dir, ledger, run) = ledger_with_run().await;
    let mut bad_hash = row("a", "p1");
    bad_hash.verdict = Some((UserState::Failed, ReasonCode::InvalidHash, "bad".into()));
    ledger
        .intake(&run, &[bad_hash, row("b", "p1")])
        .await
        .unwrap();

    let batch = ledger.begin_batch(&run, "p1", &["b"]).await.unwrap();
    let rejected = Outcome {
        legacy_id: "b".into(),
        batch_id: batch.clone(),
        result: BatchOutcome::Failed {
            code: ReasonCode::Rejected,
            reason: "no".into(),
        },
    };
    ledger
        .record_outcomes(&run, &[rejected], Some(&batch))
        .await
        .unwrap();

    let stats = ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1")])
        .await
        .unwrap();
    assert_eq!((stats.revised, stats.kept), (1, 1));
    assert_eq!(
        ledger.user(&run, "a").await.unwrap().unwrap().state,
        UserState::Pending
    );
    assert_eq!(
        ledger.user(&run, "b").await.unwrap().unwrap().state,
        UserState::Failed
    );
}

#[tokio::test]
async fn begin_batch_refuses_a_user_that_is_already_final() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1")])
        .await
        .unwrap();
    let batch = ledger.begin_batch(&run, "p1", &["a"]).await.unwrap();
    ledger
        .record_outcomes(&run, &[imported("a", &batch, "id-a")], Some(&batch))
        .await
        .unwrap();

    let err = ledger
        .begin_batch(&run, "p1", &["b", "a"])
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Conflict { .. }), "{err}");
    assert_eq!(
        ledger.user(&run, "b").await.unwrap().unwrap().state,
        UserState::Pending
    );
}

#[tokio::test]
async fn an_outcome_for_a_stale_batch_is_refused_and_nothing_is_written() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1")])
        .await
        .unwrap();
    let old = ledger.begin_batch(&run, "p1", &["a", "b"]).await.unwrap();
    let new = ledger.begin_batch(&run, "p1", &["a", "b"]).await.unwrap();

    let outcomes = [imported("b", &new, "id-b"), imported("a", &old, "id-a")];
    let err = ledger
        .record_outcomes(&run, &outcomes, Some(&new))
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Conflict { .. }), "{err}");

    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!((b.state, b.attempts), (UserState::InFlight, 2));
    assert!(ledger.rollback_markers(&run).await.unwrap().is_empty());
}

#[tokio::test]
async fn rollback_markers_name_only_created_identities() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1")])
        .await
        .unwrap();
    let batch = ledger.begin_batch(&run, "p1", &["a", "b"]).await.unwrap();
    let adopted = Outcome {
        legacy_id: "b".into(),
        batch_id: batch.clone(),
        result: BatchOutcome::Imported {
            identity_id: "id-b".into(),
            created: false,
        },
    };
    ledger
        .record_outcomes(
            &run,
            &[imported("a", &batch, "id-a"), adopted],
            Some(&batch),
        )
        .await
        .unwrap();

    let markers = ledger.rollback_markers(&run).await.unwrap();
    assert_eq!(markers, vec![("id-a".to_string(), "a".to_string())]);
    assert!(ledger.user(&run, "b").await.unwrap().unwrap().adopted);
}

#[tokio::test]
async fn the_ledger_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ledger");
    let ledger = Ledger::open(&path).await.unwrap();
    let run = ledger.create_run("plan", "d1", &json!({})).await.unwrap();
    ledger.intake(&run.id, &[row("a", "p1")]).await.unwrap();
    ledger.begin_batch(&run.id, "p1", &["a"]).await.unwrap();
    ledger.close().await;

    let reopened = Ledger::open(&path).await.unwrap();
    let found = reopened.find_run("plan").await.unwrap().expect("run kept");
    assert_eq!(found.plan_digest, "d1");
    let unfinished = reopened.unfinished_in_phase(&found.id, "p1").await.unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].state, UserState::InFlight);
}

#[tokio::test]
async fn status_counts_users_per_phase_segment_and_state() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", "p1"), row("b", "p1"), row("c", "p2")])
        .await
        .unwrap();
    let batch = ledger.begin_batch(&run, "p1", &["a"]).await.unwrap();
    ledger
        .record_outcomes(&run, &[imported("a", &batch, "id-a")], Some(&batch))
        .await
        .unwrap();

    let status = ledger.status(&run).await.unwrap();
    assert_eq!(status.len(), 2);
    assert_eq!(
        (status[0].counts.imported, status[0].counts.pending),
        (1, 1)
    );
    assert_eq!(status[1].counts.pending, 1);
    assert!(!status[0].counts.is_finished());
}
