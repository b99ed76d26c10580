//! Go-live and rollback state in the ledger: guarded segment transitions that carry their
//! events, per-user activation records, and deletions that put users back to pending.

use cutover_ledger::{
    Activation, BatchOutcome, EventKind, GoLiveState, IntakeRow, Ledger, LedgerError, NewEvent,
    Outcome, ReasonCode, RollbackMode, TargetChanges, Transition, UserState,
};
use serde_json::json;

fn row(legacy_id: &str) -> IntakeRow {
    IntakeRow {
        legacy_id: legacy_id.into(),
        external_id: legacy_id.into(),
        patch_id: format!("patch-{legacy_id}"),
        segment: "staff".into(),
        phase: "p1".into(),
        fingerprint: "f1".into(),
        fingerprints: None,
        source_line: Some(1),
        verdict: None,
        password: None,
        blocked: false,
    }
}

/// A run of users `a` (created), `b` (adopted) and `c` (a conflict) in segment `staff`.
async fn imported_run() -> (tempfile::TempDir, Ledger, String) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("run.ledger")).await.unwrap();
    let run = ledger.create_run("plan", "d", &json!({})).await.unwrap().id;
    ledger
        .intake(&run, &[row("a"), row("b"), row("c")])
        .await
        .unwrap();
    let batch = ledger
        .begin_batch(&run, "p1", &["a", "b", "c"])
        .await
        .unwrap();
    let outcome = |legacy_id: &str, result| Outcome {
        legacy_id: legacy_id.into(),
        batch_id: batch.clone(),
        result,
    };
    let outcomes = [
        outcome(
            "a",
            BatchOutcome::Imported {
                identity_id: "id-a".into(),
                created: true,
            },
        ),
        outcome(
            "b",
            BatchOutcome::Imported {
                identity_id: "id-b".into(),
                created: false,
            },
        ),
        outcome(
            "c",
            BatchOutcome::Failed {
                code: ReasonCode::Conflict,
                reason: "taken".into(),
            },
        ),
    ];
    ledger
        .record_outcomes(&run, &outcomes, Some(&batch))
        .await
        .unwrap();
    (dir, ledger, run)
}

fn step(from: GoLiveState, to: GoLiveState) -> Transition<'static> {
    Transition {
        segment: "staff",
        from,
        to,
        mode: None,
    }
}

#[tokio::test]
async fn a_segment_moves_only_from_the_state_named_and_its_events_come_with_it() {
    let (_dir, ledger, run) = imported_run().await;
    let started = NewEvent {
        segment: Some("staff"),
        ..NewEvent::new(EventKind::GoliveStarted, "ops", "d")
    };
    ledger
        .transition_segment(
            &run,
            step(GoLiveState::NotLive, GoLiveState::Activating),
            &[started],
        )
        .await
        .unwrap();

    let again = ledger
        .transition_segment(
            &run,
            step(GoLiveState::NotLive, GoLiveState::Activating),
            &[started],
        )
        .await
        .unwrap_err();
    assert!(matches!(again, LedgerError::Conflict { .. }), "{again}");
    let stale = ledger
        .transition_segment(
            &run,
            step(GoLiveState::Live, GoLiveState::RolledBack),
            &[started],
        )
        .await
        .unwrap_err();
    assert!(matches!(stale, LedgerError::Conflict { .. }), "{stale}");
    let kinds: Vec<String> = ledger
        .events(&run)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec!["golive_started"],
        "a refused transition recorded an event"
    );

    let live = NewEvent {
        segment: Some("staff"),
        changes: TargetChanges {
            activated: Some(2),
            ..TargetChanges::default()
        },
        ..NewEvent::new(EventKind::Golive, "ops", "d")
    };
    let recorded = ledger
        .transition_segment(
            &run,
            step(GoLiveState::Activating, GoLiveState::Live),
            &[live],
        )
        .await
        .unwrap();
    assert_eq!(recorded[0].count("activated"), 2);
    assert_eq!(recorded[0].count("imported"), 2);
    assert_eq!(recorded[0].count("conflicts"), 1);

    let state = ledger.segment_state(&run, "staff").await.unwrap();
    assert_eq!(state.state, GoLiveState::Live);
    assert!(state.live_at.is_some());
    let other = ledger.segment_state(&run, "rest").await.unwrap();
    assert_eq!(other.state, GoLiveState::NotLive);
}

#[tokio::test]
async fn rollback_states_require_a_mode() {
    let (_dir, ledger, run) = imported_run().await;
    let without = ledger
        .transition_segment(
            &run,
            step(GoLiveState::NotLive, GoLiveState::RollingBack),
            &[],
        )
        .await;
    assert!(
        without.is_err(),
        "a rollback state was stored without its mode"
    );

    let with = Transition {
        mode: Some(RollbackMode::Deactivate),
        ..step(GoLiveState::NotLive, GoLiveState::RollingBack)
    };
    ledger.transition_segment(&run, with, &[]).await.unwrap();
    let state = ledger.segment_state(&run, "staff").await.unwrap();
    assert_eq!(state.rollback_mode, Some(RollbackMode::Deactivate));
}

#[tokio::test]
async fn an_activation_is_recorded_once_per_state() {
    let (_dir, ledger, run) = imported_run().await;
    let users = ledger
        .imported_users(&run, "staff", None, 10)
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    let a = &users[0];

    ledger
        .record_activation(&run, a, Activation::Active)
        .await
        .unwrap();
    let twice = ledger
        .record_activation(&run, a, Activation::Active)
        .await
        .unwrap_err();
    assert!(matches!(twice, LedgerError::Conflict { .. }), "{twice}");
    ledger
        .record_activation(&run, a, Activation::Inactive)
        .await
        .unwrap();

    let mut wrong = a.clone();
    wrong.identity_id = "id-elsewhere".into();
    assert!(
        ledger
            .record_activation(&run, &wrong, Activation::Active)
            .await
            .is_err()
    );

    let page = ledger
        .imported_users(&run, "staff", Some("a"), 10)
        .await
        .unwrap();
    assert_eq!(
        page.iter()
            .map(|u| u.legacy_id.as_str())
            .collect::<Vec<_>>(),
        vec!["b"]
    );
    let reread = ledger.imported_users(&run, "staff", None, 1).await.unwrap();
    assert_eq!(reread[0].activation, Some(Activation::Inactive));
}

#[tokio::test]
async fn a_deletion_stamps_the_marker_and_puts_the_user_back_to_pending() {
    let (_dir, ledger, run) = imported_run().await;
    let markers = ledger
        .markers_in_segment(&run, "staff", None, 10)
        .await
        .unwrap();
    assert_eq!(markers.len(), 1, "only the created identity has a marker");
    let kept = ledger.kept_by_rollback(&run, "staff").await.unwrap();
    let kept: Vec<&str> = kept.iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(kept, vec!["b", "c"]);

    assert!(ledger.record_deletion(&run, &markers[0]).await.unwrap());
    let again = ledger.record_deletion(&run, &markers[0]).await.unwrap_err();
    assert!(matches!(again, LedgerError::Conflict { .. }), "{again}");

    let a = ledger.user(&run, "a").await.unwrap().unwrap();
    assert_eq!(
        (a.state, a.identity_id, a.batch_id, a.attempts),
        (UserState::Pending, None, None, 0)
    );
    assert_eq!(ledger.count_markers(&run, "staff").await.unwrap(), 0);
    assert!(
        ledger
            .created_users(&run, "staff", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!(b.state, UserState::Imported, "the adopted user was touched");
    assert_eq!(
        ledger.unfinished_in_phase(&run, "p1").await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn identities_carry_the_state_they_were_created_in_until_cutover_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("run.ledger")).await.unwrap();
    let run = ledger.create_run("plan", "d", &json!({})).await.unwrap().id;
    ledger.intake(&run, &[row("a"), row("b")]).await.unwrap();
    let members = [("a", Activation::Active), ("b", Activation::Inactive)];
    let batch = ledger
        .begin_batch_creating(&run, "p1", &members)
        .await
        .unwrap();
    let imported = |legacy_id: &str| Outcome {
        legacy_id: legacy_id.into(),
        batch_id: batch.clone(),
        result: BatchOutcome::Imported {
            identity_id: format!("id-{legacy_id}"),
            created: true,
        },
    };
    ledger
        .record_outcomes(&run, &[imported("a"), imported("b")], Some(&batch))
        .await
        .unwrap();

    let users = ledger
        .imported_users(&run, "staff", None, 10)
        .await
        .unwrap();

    let states: Vec<_> = users
        .iter()
        .map(|user| (user.legacy_id.as_str(), user.activation))
        .collect();
    assert_eq!(
        states,
        vec![
            ("a", Some(Activation::Active)),
            ("b", Some(Activation::Inactive))
        ]
    );
}
