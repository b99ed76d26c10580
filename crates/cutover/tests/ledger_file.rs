//! The ledger file under stress: a second run on a ledger another command is using is refused
//! before it sends anything, a damaged ledger is named with what to do, and a run stopped by
//! SIGINT says so, records it in the audit trail and is resumed by the same command.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::lifecycle::text;
use common::{SandboxProcess, Workspace, assert_success, cutover};
use cutover_ledger::LedgerLock;

const BATCH_ROUTE: &str = "PATCH /admin/identities";

#[tokio::test(flavor = "multi_thread")]
async fn a_run_on_a_ledger_in_use_is_refused_and_sends_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let ledger = work.dir.path().join("plan.ledger.db");
    let held = LedgerLock::acquire(&ledger).unwrap();

    let refused = work.cutover("run", &[]);

    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused).1;
    assert!(
        stderr.contains("is in use by another cutover run"),
        "{stderr}"
    );
    assert_eq!(sandbox.requests(BATCH_ROUTE).await, 0);
    drop(held);
    assert_success(&work.cutover("run", &[]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_stopped_by_sigint_records_it_and_resumes() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    // Slow batches keep the run busy long enough to be stopped in the middle.
    sandbox.delay(BATCH_ROUTE, 1_500, 100).await;
    let child = cutover()
        .arg("run")
        .arg(&work.plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while sandbox.requests(BATCH_ROUTE).await == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let signal = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let stopped = child.wait_with_output().unwrap();

    assert!(signal.success());
    assert_eq!(stopped.status.code(), Some(130), "{}", text(&stopped).1);
    assert!(
        text(&stopped).1.contains("interrupted"),
        "{}",
        text(&stopped).1
    );
    let events = work.audit_events(&[]);
    let last = events.last().unwrap();
    assert_eq!(last["kind"], "run_interrupted");
    assert!(last["note"].as_str().unwrap().contains("on request"));
    sandbox.clear_faults().await;
    assert_success(&work.cutover("run", &[]));
    let status = work.status();
    let pending: u64 = status["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|phase| phase["counts"]["pending"].as_u64().unwrap())
        .sum();
    assert_eq!(pending, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_ledger_is_named_with_what_to_do() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let ledger = work.dir.path().join("plan.ledger.db");
    std::fs::write(
        &ledger,
        "not a ledger, just text that fills a page ".repeat(200),
    )
    .unwrap();

    let refused = work.cutover("run", &[]);

    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused).1;
    assert!(stderr.contains("plan.ledger.db"), "{stderr}");
    assert!(
        stderr.contains("hint: the ledger file is damaged"),
        "{stderr}"
    );
    assert_eq!(sandbox.requests(BATCH_ROUTE).await, 0);
}
