//! The audit trail through the real binary: `audit verify` passes on an untouched ledger and
//! names an edited, a deleted and a reordered event (tampered with by plain SQL on the ledger
//! file), and `audit` exports the events as JSON and CSV, per segment.

mod common;

use common::lifecycle::{code, text};
use common::{SandboxProcess, Workspace};
use serde_json::Value;

/// A ledger with a run of the staff phase, a go-live and a rollback in its trail.
async fn trail() -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.ok("run", &["--phase", "staff"]);
    work.ok(
        "golive",
        &["--segment", "staff", "--by", "alice", "--note", "CHG-1"],
    );
    let deactivate = [
        "--segment",
        "staff",
        "--by",
        "carol",
        "--deactivate",
        "--yes",
    ];
    work.ok("rollback", &deactivate);
    (scratch, sandbox, work)
}

/// The seq of the first event of a kind.
fn seq_of(work: &Workspace, kind: &str) -> i64 {
    let events = work.audit_events(&[]);
    let event = events
        .iter()
        .find(|e| e["kind"] == kind)
        .expect("event of that kind");
    event["seq"].as_i64().unwrap()
}

/// `audit verify`, which must fail with exit code 4, and its standard output.
fn verify_fails(work: &Workspace) -> String {
    let output = work.cutover("audit", &[]);
    assert!(output.status.success(), "audit without verify failed");
    let output = common::cutover()
        .args(["audit", "verify"])
        .arg(&work.plan)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(code(&output), 4, "{stdout}{stderr}");
    assert!(stderr.contains("tampered"), "{stderr}");
    stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untouched_trail_verifies() {
    let (_scratch, _sandbox, work) = trail().await;

    let output = common::cutover()
        .args(["audit", "verify"])
        .arg(&work.plan)
        .output()
        .unwrap();

    assert_eq!(code(&output), 0, "{:?}", text(&output));
    assert!(text(&output).0.contains("intact"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_event_is_named() {
    let (_scratch, _sandbox, work) = trail().await;
    let golive = seq_of(&work, "golive");

    work.ledger_sql(&format!(
        "update events set actor = 'mallory' where seq = {golive}"
    ))
    .await;

    let stdout = verify_fails(&work);
    assert_eq!(
        stdout.trim(),
        format!("event {golive}: edited: its fields no longer match its hash")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_event_is_named() {
    let (_scratch, _sandbox, work) = trail().await;
    let forced = seq_of(&work, "golive_started");
    let next = seq_of(&work, "golive");

    work.ledger_sql(&format!("delete from events where seq = {forced}"))
        .await;

    let stdout = verify_fails(&work);
    assert!(
        stdout.starts_with(&format!("event {next}: deleted:")),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reordered_events_are_named() {
    let (_scratch, _sandbox, work) = trail().await;
    let (a, b) = (seq_of(&work, "golive_started"), seq_of(&work, "golive"));
    let columns = "run_id, at, kind, actor, plan_digest, phase, segment, counts, note, \
                   prev_hash, hash";

    work.ledger_sql(&format!(
        "create temp table swap as select * from events where seq in ({a}, {b});
         update events set ({columns}) = (
             select {columns} from swap
             where swap.seq = case events.seq when {a} then {b} else {a} end)
         where seq in ({a}, {b});"
    ))
    .await;

    let stdout = verify_fails(&work);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with(&format!(
        "event {a}: reordered: it was recorded as event {b}"
    )));
    assert!(lines[1].starts_with(&format!(
        "event {b}: reordered: it was recorded as event {a}"
    )));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_trail_exports_as_json_and_csv_per_segment() {
    let (_scratch, _sandbox, work) = trail().await;

    let all = work.audit_events(&[]);
    let staff = work.audit_events(&["--segment", "staff"]);
    let kinds: Vec<&str> = staff.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "phase_started",
            "phase_finished",
            "golive_started",
            "golive",
            "rollback_started",
            "rollback"
        ]
    );
    assert!(
        all.len() > staff.len(),
        "the whole trail has the run's events too"
    );
    let golive = staff.iter().find(|e| e["kind"] == "golive").unwrap();
    assert_eq!(golive["segment"], "staff");
    assert_eq!(golive["counts"]["activated"], 100);
    assert_eq!(golive["plan_digest"].as_str().map(str::len), Some(64));

    let csv_text = work.ok("audit", &["--output", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), all.len());
    for (row, event) in rows.iter().zip(&all) {
        assert_eq!(row[column("seq")], event["seq"].to_string());
        assert_eq!(row[column("kind")], *event["kind"].as_str().unwrap());
        assert_eq!(row[column("hash")], *event["hash"].as_str().unwrap());
        let imported = event["counts"]["imported"].as_u64().unwrap_or(0);
        assert_eq!(row[column("imported")], imported.to_string());
    }
    let rollback = rows
        .iter()
        .find(|row| &row[column("kind")] == "rollback")
        .unwrap();
    assert_eq!(
        (&rollback[column("actor")], &rollback[column("deactivated")]),
        ("carol", "100")
    );

    let table = work.ok("audit", &["--segment", "staff"]);
    assert!(
        table.contains("golive") && table.contains("CHG-1"),
        "{table}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_each_segments_go_live_state() {
    let (_scratch, _sandbox, work) = trail().await;

    let table = work.ok("status", &[]);

    let staff_line = table
        .lines()
        .find(|line| line.starts_with("staff"))
        .unwrap();
    assert!(staff_line.ends_with("rolled_back"), "{staff_line}");
    let status: Value = work.status();
    assert_eq!(status["golive"][1]["state"], "not_live");
}
