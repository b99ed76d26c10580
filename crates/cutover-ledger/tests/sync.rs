//! Delta sync in the ledger: changed users are found by their fingerprints, users the export
//! no longer has are reported and hold no phase back, and ledgers from before delta sync are
//! upgraded without making every user look changed.

mod common;

use common::{import, ledger_with_run};
use cutover_ledger::{
    Fingerprints, IntakeFingerprints, IntakeRow, Ledger, LedgerError, ReasonCode, SyncChange,
    UserState, sync_change,
};

fn pair(profile: &str, credentials: &str) -> Fingerprints {
    Fingerprints {
        profile: profile.into(),
        credentials: credentials.into(),
    }
}

/// A user of phase `p1` whose record digests to `profile` and `credentials`.
fn row(legacy_id: &str, profile: &str, credentials: &str) -> IntakeRow {
    IntakeRow {
        legacy_id: legacy_id.into(),
        external_id: legacy_id.into(),
        patch_id: format!("patch-{legacy_id}"),
        segment: "s1".into(),
        phase: "p1".into(),
        fingerprint: format!("{profile}+{credentials}"),
        fingerprints: Some(IntakeFingerprints {
            now: pair(profile, credentials),
            upgrade: vec![format!("{profile}+{credentials}")],
        }),
        source_line: Some(1),
        verdict: None,
        password: None,
        blocked: false,
    }
}

async fn whole_intake(ledger: &Ledger, run: &str, rows: &[IntakeRow]) -> (u64, u64, u64) {
    let stats = ledger.intake(run, rows).await.unwrap();
    let end = ledger.finish_intake(run).await.unwrap();
    (stats.added, stats.changed, end.disappeared)
}

async fn to_sync(ledger: &Ledger, run: &str) -> Vec<String> {
    let rows = ledger.users_to_sync(run, "p1").await.unwrap();
    rows.into_iter().map(|row| row.legacy_id).collect()
}

#[tokio::test]
async fn only_imported_users_whose_record_changed_are_to_be_synced() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")]).await;
    import(&ledger, &run, &["a", "b"]).await;
    assert_eq!(
        whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")])
            .await
            .1,
        0
    );
    assert!(to_sync(&ledger, &run).await.is_empty());

    let changed = [
        row("a", "pa2", "ka"),
        row("b", "pb", "kb2"),
        row("c", "pc", "kc"),
    ];
    let (added, changed_now, _) = whole_intake(&ledger, &run, &changed).await;

    assert_eq!((added, changed_now), (1, 2));
    assert_eq!(to_sync(&ledger, &run).await, ["a", "b"]);
    let a = ledger.user(&run, "a").await.unwrap().unwrap();
    let synced = a.sync.synced.clone().unwrap();
    assert_eq!(
        sync_change(&synced, a.sync.current.as_ref().unwrap()),
        Some(SyncChange::Profile)
    );
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    let synced = b.sync.synced.clone().unwrap();
    assert_eq!(
        sync_change(&synced, b.sync.current.as_ref().unwrap()),
        Some(SyncChange::Password)
    );
}

#[tokio::test]
async fn a_recorded_sync_is_not_sent_again() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka")]).await;
    import(&ledger, &run, &["a"]).await;
    whole_intake(&ledger, &run, &[row("a", "pa2", "ka")]).await;
    assert_eq!(to_sync(&ledger, &run).await, ["a"]);

    // Only the profile went out, so the credentials the target holds stay the old ones.
    ledger
        .record_sync(&run, "a", "id-a", &pair("pa2", "ka"))
        .await
        .unwrap();

    assert!(to_sync(&ledger, &run).await.is_empty());
    let (_, changed, _) = whole_intake(&ledger, &run, &[row("a", "pa2", "ka")]).await;
    assert_eq!(changed, 0);
    assert!(to_sync(&ledger, &run).await.is_empty());
}

#[tokio::test]
async fn a_sync_for_a_user_that_is_no_longer_imported_is_refused() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka")]).await;

    let err = ledger
        .record_sync(&run, "a", "id-a", &pair("pa", "ka"))
        .await
        .unwrap_err();

    assert!(matches!(err, LedgerError::Conflict { .. }), "{err}");
}

#[tokio::test]
async fn a_refused_update_keeps_the_user_imported_and_to_be_synced() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")]).await;
    import(&ledger, &run, &["a", "b"]).await;
    whole_intake(
        &ledger,
        &run,
        &[row("a", "pa2", "ka"), row("b", "pb2", "kb")],
    )
    .await;

    let refused = ReasonCode::Conflict;
    ledger
        .record_sync_refused(&run, "a", "id-a", refused, "email taken")
        .await
        .unwrap();
    ledger
        .record_identity_missing(&run, "b", "id-b", "deleted on the target")
        .await
        .unwrap();

    let a = ledger.user(&run, "a").await.unwrap().unwrap();
    assert_eq!(
        (a.state, a.reason_code),
        (UserState::Imported, Some(ReasonCode::Conflict))
    );
    assert_eq!(to_sync(&ledger, &run).await, ["a"]);
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!(
        (b.state, b.reason_code),
        (UserState::Failed, Some(ReasonCode::MissingOnTarget))
    );
    assert_eq!(b.identity_id, None);
    assert_eq!(ledger.rollback_markers(&run).await.unwrap().len(), 2);
}

#[tokio::test]
async fn users_gone_from_the_export_are_reported_and_hold_no_phase_back() {
    let (_dir, ledger, run) = ledger_with_run().await;
    let all = [
        row("a", "pa", "ka"),
        row("b", "pb", "kb"),
        row("c", "pc", "kc"),
    ];
    whole_intake(&ledger, &run, &all).await;
    import(&ledger, &run, &["a"]).await;

    let (_, _, disappeared) = whole_intake(&ledger, &run, &[row("c", "pc", "kc")]).await;

    assert_eq!(disappeared, 2);
    let gone = ledger.disappeared(&run, 10).await.unwrap();
    let ids: Vec<&str> = gone.first.iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!((gone.count, ids), (2, vec!["a", "b"]));
    let a = ledger.user(&run, "a").await.unwrap().unwrap();
    assert_eq!(
        a.state,
        UserState::Imported,
        "an imported user is never touched"
    );
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!(
        (b.state, b.reason_code),
        (UserState::Skipped, Some(ReasonCode::Disappeared))
    );
    let unfinished = ledger.unfinished_in_phase(&run, "p1").await.unwrap();
    assert_eq!(
        unfinished
            .iter()
            .map(|u| u.legacy_id.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
}

#[tokio::test]
async fn a_user_that_comes_back_is_pending_again() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")]).await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka")]).await;

    let stats = ledger
        .intake(&run, &[row("a", "pa", "ka"), row("b", "pb", "kb")])
        .await
        .unwrap();
    let end = ledger.finish_intake(&run).await.unwrap();

    assert_eq!((stats.returned, end.disappeared), (1, 0));
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!((b.state, b.reason_code), (UserState::Pending, None));
    assert_eq!(ledger.disappeared(&run, 10).await.unwrap().count, 0);
}

#[tokio::test]
async fn an_intake_that_stops_halfway_makes_no_user_disappear() {
    let (_dir, ledger, run) = ledger_with_run().await;
    whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")]).await;

    // The first chunk of the next export is written, then the process dies.
    ledger.intake(&run, &[row("a", "pa", "ka")]).await.unwrap();

    assert_eq!(ledger.disappeared(&run, 10).await.unwrap().count, 0);
    let b = ledger.user(&run, "b").await.unwrap().unwrap();
    assert_eq!(b.state, UserState::Pending);
    let (_, _, disappeared) =
        whole_intake(&ledger, &run, &[row("a", "pa", "ka"), row("b", "pb", "kb")]).await;
    assert_eq!(disappeared, 0);
}

/// The schema as cutover had it before delta sync: the first six migrations, copied byte for
/// byte so that the current binary recognises them as applied.
async fn old_ledger(path: &std::path::Path) {
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite");
    let old = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&all).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("20261203") {
            std::fs::copy(all.join(&name), old.path().join(&name)).unwrap();
        }
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();

    let at = "2026-12-01T00:00:00.000Z";
    sqlx::query("insert into runs values ('run-1', 'plan', 'digest', '{}', ?1, ?1)")
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    for (legacy_id, fingerprint) in [("a", "pa+ka"), ("b", "pb+kb")] {
        sqlx::query(
            "insert into users (run_id, legacy_id, external_id, patch_id, segment, phase, state,
                 identity_id, batch_id, attempts, fingerprint, source_line, updated_at)
             values ('run-1', ?1, ?1, 'patch', 's1', 'p1', 'imported', 'id-' || ?1, 'batch',
                 1, ?2, 1, ?3)",
        )
        .bind(legacy_id)
        .bind(fingerprint)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

#[tokio::test]
async fn an_upgraded_ledger_syncs_only_users_whose_old_fingerprint_no_longer_matches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ledger");
    old_ledger(&path).await;
    let ledger = Ledger::open(&path).await.unwrap();

    // `a` is as it was imported; `b` changed while the old version was in use, in a way the
    // old combined fingerprint cannot attribute to the profile or the password.
    let rows = [row("a", "pa", "ka"), row("b", "pb2", "kb")];
    let (added, changed, disappeared) = whole_intake(&ledger, "run-1", &rows).await;

    assert_eq!((added, changed, disappeared), (0, 1, 0));
    assert_eq!(to_sync(&ledger, "run-1").await, ["b"]);
    let a = ledger.user("run-1", "a").await.unwrap().unwrap();
    assert_eq!(
        a.sync.synced,
        Some(pair("pa", "ka")),
        "recorded without sending anything"
    );
    let b = ledger.user("run-1", "b").await.unwrap().unwrap();
    let synced = b.sync.synced.clone().unwrap();
    assert_eq!(
        sync_change(&synced, &pair("pb2", "kb")),
        Some(SyncChange::Password)
    );

    // Once recorded, the upgrade is not redone: an unchanged export syncs nobody.
    ledger
        .record_sync("run-1", "b", "id-b", &pair("pb2", "kb"))
        .await
        .unwrap();
    let (_, changed, _) = whole_intake(&ledger, "run-1", &rows).await;
    assert_eq!(changed, 0);
    assert!(to_sync(&ledger, "run-1").await.is_empty());
}
