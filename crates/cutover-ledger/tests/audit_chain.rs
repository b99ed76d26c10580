//! The audit chain: an untouched trail verifies, and an edited, deleted, reordered or added
//! event is named with what is wrong with it. The tampering is done with plain SQL on the
//! ledger file, as someone with the file in hand would do it.

use std::path::{Path, PathBuf};

use cutover_ledger::{AuditFinding, EventKind, FindingKind, Ledger, NewEvent};
use serde_json::json;
use sqlx::SqlitePool;

struct Trail {
    _dir: tempfile::TempDir,
    path: PathBuf,
    ledger: Ledger,
    run: String,
    seqs: Vec<i64>,
}

impl Trail {
    /// Changes the ledger file behind the ledger's back with `sql`, then verifies the run.
    async fn tamper_and_verify(&self, sql: &str) -> Vec<AuditFinding> {
        exec(&self.path, sql).await;
        self.ledger.verify_audit(&self.run).await.unwrap()
    }
}

/// A ledger whose run has `count` events.
async fn trail(count: usize) -> Trail {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ledger");
    let ledger = Ledger::open(&path).await.unwrap();
    let run = ledger
        .create_run("plan", "digest", &json!({}))
        .await
        .unwrap()
        .id;
    let mut seqs = Vec::new();
    for n in 0..count {
        let note = format!("event number {n}");
        let event = NewEvent {
            segment: Some("staff"),
            note: Some(&note),
            ..NewEvent::new(EventKind::RunResumed, "tester", "digest")
        };
        seqs.push(ledger.record_event(&run, &event).await.unwrap().seq);
    }
    Trail {
        _dir: dir,
        path,
        ledger,
        run,
        seqs,
    }
}

/// A second connection on the ledger file, for tampering.
async fn raw(path: &Path) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

async fn exec(path: &Path, sql: &str) {
    let pool = raw(path).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

fn kinds(findings: &[AuditFinding]) -> Vec<(i64, FindingKind)> {
    findings.iter().map(|f| (f.seq, f.kind)).collect()
}

#[tokio::test]
async fn an_untouched_trail_verifies_and_each_event_links_to_the_one_before() {
    let trail = trail(5).await;
    assert!(
        trail
            .ledger
            .verify_audit(&trail.run)
            .await
            .unwrap()
            .is_empty()
    );

    let events = trail.ledger.events(&trail.run).await.unwrap();
    assert_eq!(events[0].prev_hash, None);
    for pair in events.windows(2) {
        assert!(pair[1].hash.is_some());
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
}

#[tokio::test]
async fn an_edited_event_is_named_and_nothing_else() {
    let trail = trail(5).await;
    let target = trail.seqs[2];
    let findings = trail
        .tamper_and_verify(&format!(
            "update events set note = 'nothing happened' where seq = {target}"
        ))
        .await;
    assert_eq!(
        kinds(&findings),
        vec![(target, FindingKind::Edited)],
        "{findings:?}"
    );
}

#[tokio::test]
async fn edited_counts_are_caught_too() {
    let trail = trail(3).await;
    let target = trail.seqs[1];
    let findings = trail
        .tamper_and_verify(&format!(
            "update events set counts = replace(counts, '\"failed\":0', '\"failed\":7')
             where seq = {target}"
        ))
        .await;
    assert_eq!(
        kinds(&findings),
        vec![(target, FindingKind::Edited)],
        "{findings:?}"
    );
}

#[tokio::test]
async fn a_deleted_event_is_named_by_the_event_after_the_gap() {
    let trail = trail(5).await;
    let findings = trail
        .tamper_and_verify(&format!("delete from events where seq = {}", trail.seqs[2]))
        .await;
    assert_eq!(
        kinds(&findings),
        vec![(trail.seqs[3], FindingKind::Deleted)],
        "{findings:?}"
    );
    assert!(
        findings[0].detail.contains(&trail.seqs[1].to_string()),
        "{}",
        findings[0]
    );
}

#[tokio::test]
async fn a_deleted_last_event_is_named() {
    let trail = trail(4).await;
    let last = trail.seqs[3];
    let findings = trail
        .tamper_and_verify(&format!("delete from events where seq = {last}"))
        .await;
    assert_eq!(
        kinds(&findings),
        vec![(last, FindingKind::Deleted)],
        "{findings:?}"
    );
}

#[tokio::test]
async fn two_swapped_events_are_both_named_as_reordered() {
    let trail = trail(5).await;
    let (a, b) = (trail.seqs[1], trail.seqs[2]);
    let columns = "run_id, at, kind, actor, plan_digest, phase, segment, counts, note, \
                   prev_hash, hash";
    let findings = trail
        .tamper_and_verify(&format!(
            "create temp table swap as select * from events where seq in ({a}, {b});
             update events set ({columns}) = (
                 select {columns} from swap
                 where swap.seq = case events.seq when {a} then {b} else {a} end)
             where seq in ({a}, {b});"
        ))
        .await;
    assert_eq!(
        kinds(&findings),
        vec![(a, FindingKind::Reordered), (b, FindingKind::Reordered)],
        "{findings:?}"
    );
}

#[tokio::test]
async fn an_event_inserted_by_hand_is_named_as_added() {
    let trail = trail(3).await;
    let findings = trail
        .tamper_and_verify(&format!(
            "insert into events (run_id, at, kind, actor, plan_digest, counts)
             values ('{}', '2026-01-01T00:00:00Z', 'golive', 'mallory', 'digest', '{{}}')",
            trail.run
        ))
        .await;
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::Added);
    assert!(findings[0].seq > trail.seqs[2]);
}

#[tokio::test]
async fn interleaved_runs_keep_separate_chains() {
    let trail = trail(0).await;
    let other = trail
        .ledger
        .create_run("other", "d2", &json!({}))
        .await
        .unwrap()
        .id;
    for _ in 0..3 {
        for run in [&trail.run, &other] {
            let event = NewEvent::new(EventKind::PhaseStarted, "tester", "d");
            trail.ledger.record_event(run, &event).await.unwrap();
        }
    }

    assert!(
        trail
            .ledger
            .verify_audit(&trail.run)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(trail.ledger.verify_audit(&other).await.unwrap().is_empty());
}

/// The first six migrations: the schema before the audit chain.
async fn ledger_before_the_chain(path: &Path) -> SqlitePool {
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite");
    let old = path.with_file_name("old-migrations");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir(&all).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with("20261203") {
            std::fs::copy(entry.path(), old.join(entry.file_name())).unwrap();
        }
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let pool = SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    pool
}

#[tokio::test]
async fn events_from_before_the_chain_are_sealed_once_when_the_ledger_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ledger");
    let pool = ledger_before_the_chain(&path).await;
    sqlx::raw_sql(
        "insert into runs (id, plan_name, plan_digest, plan_json, created_at, updated_at)
         values ('r1', 'plan', 'd', '{}', 't', 't'), ('r2', 'other', 'd', '{}', 't', 't');
         insert into events (run_id, at, kind, actor, plan_digest, counts) values
             ('r1', 't1', 'run_started', 'a', 'd', '{}'),
             ('r2', 't2', 'run_started', 'a', 'd', '{}'),
             ('r1', 't3', 'run_finished', 'a', 'd', '{}');",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let ledger = Ledger::open(&path).await.unwrap();
    let events = ledger.events("r1").await.unwrap();
    assert!(events.iter().all(|e| e.hash.is_some()), "{events:?}");
    assert_eq!(events[1].prev_hash, events[0].hash);
    let event = NewEvent::new(EventKind::RunResumed, "a", "d");
    let added = ledger.record_event("r1", &event).await.unwrap();
    assert_eq!(added.prev_hash, events[1].hash);
    assert!(ledger.verify_audit("r1").await.unwrap().is_empty());
    assert!(ledger.verify_audit("r2").await.unwrap().is_empty());
    ledger.close().await;

    // Sealing happened once: an unsealed event written since is not sealed on the next open.
    exec(
        &path,
        "insert into events (run_id, at, kind, actor, plan_digest, counts)
         values ('r1', 't9', 'golive', 'mallory', 'd', '{}')",
    )
    .await;
    let reopened = Ledger::open(&path).await.unwrap();
    let findings = reopened.verify_audit("r1").await.unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::Added);
}
