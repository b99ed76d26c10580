//! Phases through the real binary and a sandbox target: a phase never starts before its
//! `after` phases are finished, nor with `after_golive` before their segments are live; each
//! phase creates its identities in the state its own `activate` says, and a go-live of an
//! `on_import` phase judges its gates and records the event with nothing to activate; each
//! phase's requests follow its own rate limit.

mod common;

use std::time::Duration;

use common::lifecycle::{
    assert_active_but_blocked, code, importable_users, of_segment, text, writes,
};
use common::{SandboxProcess, Workspace, assert_success};
use serde_json::Value;

const STATE_ROUTE: &str = "PATCH /admin/identities/{id}";

fn started() -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    (scratch, sandbox, work)
}

/// The sequence number of the first event of `kind` about `phase` or `segment`.
fn seq_of(events: &[Value], kind: &str, scope: &str) -> i64 {
    events
        .iter()
        .find(|e| e["kind"] == kind && (e["phase"] == scope || e["segment"] == scope))
        .unwrap_or_else(|| panic!("no {kind} event for {scope}"))["seq"]
        .as_i64()
        .unwrap()
}

/// Log text without the terminal colour codes the log lines carry.
fn without_colours(log: &str) -> String {
    let mut plain = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(start) = rest.find('\u{1b}') {
        plain.push_str(&rest[..start]);
        rest = rest[start..]
            .find('m')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    plain.push_str(rest);
    plain
}

fn states<'a>(identities: &'a [Value], segment: &str) -> Vec<&'a str> {
    of_segment(identities, segment)
        .iter()
        .map(|identity| identity["state"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phase_asked_for_before_its_after_phase_finished_sends_nothing() {
    let (_scratch, sandbox, work) = started();

    let output = work.cutover("run", &["--phase", "rest"]);

    assert_eq!(code(&output), 1);
    let stderr = text(&output).1;
    assert!(
        stderr.contains("phase rest comes after staff, which is not finished"),
        "{stderr}"
    );
    assert_eq!(writes(&sandbox).await, 0);
    assert!(sandbox.identities().await.is_empty());
    let events = work.audit_events(&[]);
    assert!(!events.iter().any(|e| e["kind"] == "phase_started"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phase_after_a_go_live_starts_only_once_every_segment_before_it_is_live() {
    let (_scratch, sandbox, work) = started();
    work.edit_plan(|text| text + "    after_golive: true\n");

    let waiting = work.cutover("run", &[]);

    assert_eq!(code(&waiting), 1);
    let stderr = text(&waiting).1;
    assert!(
        stderr.contains("phase rest comes after staff and waits for its go-live")
            && stderr.contains("segment staff is not_live")
            && stderr.contains("cutover golive PLAN --segment staff"),
        "{stderr}"
    );
    let identities = sandbox.identities().await;
    assert_eq!(of_segment(&identities, "staff").len(), 100);
    assert!(of_segment(&identities, "rest").is_empty());

    work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    work.ok("run", &[]);

    let identities = sandbox.identities().await;
    assert!(!of_segment(&identities, "rest").is_empty());
    let events = work.audit_events(&[]);
    assert!(seq_of(&events, "golive", "staff") < seq_of(&events, "phase_started", "rest"));
    assert!(seq_of(&events, "phase_finished", "staff") < seq_of(&events, "golive", "staff"));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_phase_creates_identities_in_the_state_its_activation_says() {
    let (_scratch, sandbox, work) = started();
    work.edit_plan(|text| {
        text.replacen(
            "    batch_size: 500\n",
            "    batch_size: 500\n    activate: on_import\n",
            1,
        )
    });
    let (blocked, _) = importable_users(&work, true, 1).remove(0);
    work.block_user(&blocked);

    work.ok("run", &[]);

    let identities = sandbox.identities().await;
    assert_active_but_blocked(&identities, "staff", &blocked);
    let rest = states(&identities, "rest");
    assert!(!rest.is_empty() && rest.iter().all(|state| *state == "inactive"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_go_live_of_an_on_import_phase_activates_nothing_but_is_judged_and_recorded() {
    let (_scratch, sandbox, work) = started();
    work.edit_plan(|text| {
        text.replacen(
            "    batch_size: 500\n",
            "    batch_size: 500\n    activate: on_import\n",
            1,
        )
    });
    let (blocked, _) = importable_users(&work, true, 1).remove(0);
    work.block_user(&blocked);
    work.ok("run", &["--phase", "staff"]);
    sandbox.reset_stats().await;

    let stdout = work.ok("golive", &["--segment", "staff", "--by", "alice"]);

    assert!(stdout.contains("activates on import"), "{stdout}");
    assert!(stdout.contains("[pass] all users settled"), "{stdout}");
    assert!(
        stdout.contains("activated 0 identities now, 99 active"),
        "{stdout}"
    );
    assert!(stdout.contains(&blocked), "{stdout}");
    assert_eq!(sandbox.requests(STATE_ROUTE).await, 0);
    assert_eq!(work.status()["golive"][0]["state"], "live");
    let events = work.audit_events(&["--segment", "staff"]);
    let live = events.iter().find(|e| e["kind"] == "golive").unwrap();
    assert_eq!(
        (live["actor"].as_str(), live["counts"]["activated"].as_u64()),
        (Some("alice"), Some(99))
    );

    // A deactivating rollback turns them off; going live again turns exactly those back on.
    work.ok(
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
    assert!(
        states(&sandbox.identities().await, "staff")
            .iter()
            .all(|s| *s == "inactive")
    );
    sandbox.reset_stats().await;

    let again = work.ok("golive", &["--segment", "staff", "--by", "alice"]);

    assert!(again.contains("activated 99 identities now"), "{again}");
    assert_eq!(sandbox.requests(STATE_ROUTE).await, 99);
    let identities = sandbox.identities().await;
    let active = states(&identities, "staff")
        .iter()
        .filter(|s| **s == "active")
        .count();
    assert_eq!(active, 99);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phase_rate_limit_replaces_the_target_one_for_its_requests() {
    let (_scratch, _sandbox, work) = started();
    // At the target's pace of one request a minute, five batches would take four minutes.
    work.edit_plan(|text| {
        text.replacen(
            "  timeout_secs: 5\n",
            "  timeout_secs: 5\n  rate_limit_per_minute: 1\n",
            1,
        )
        .replacen(
            "    batch_size: 500\n",
            "    batch_size: 20\n    rate_limit_per_minute: 60000\n",
            1,
        )
    });

    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_cutover"))
        .arg("run")
        .arg(&work.plan)
        .args(["--phase", "staff"])
        .timeout(Duration::from_secs(40))
        .output()
        .expect("run cutover");

    assert_success(&output);
    let stderr = without_colours(&text(&output).1);
    assert!(stderr.contains("rate_limit_per_minute=60000"), "{stderr}");
    assert_eq!(work.status()["phases"][0]["counts"]["imported"], 100);
}
