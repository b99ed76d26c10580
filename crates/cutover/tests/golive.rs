//! Go-live through the real binary and a sandbox target: gates block and change nothing,
//! `--force` is recorded with its reason, every identity of the segment is activated once, a
//! second go-live sends nothing, and a go-live killed halfway resumes to the end.

mod common;

use common::lifecycle::{
    PLAN_NAME, assert_active_but_blocked, code, importable_users, of_segment, text, writes,
};
use common::{SandboxProcess, Workspace};
use serde_json::{Value, json};

const STATE_ROUTE: &str = "PATCH /admin/identities/{id}";

/// A sandbox and a plan that creates identities inactive, with the staff phase run.
async fn staff_imported() -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.create_inactive();
    work.ok("run", &["--phase", "staff"]);
    (scratch, sandbox, work)
}

fn states(identities: &[&Value]) -> Vec<String> {
    identities
        .iter()
        .map(|identity| identity["state"].as_str().unwrap_or("").to_string())
        .collect()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["kind"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_segment_with_pending_users_is_blocked_and_nothing_changes() {
    let (_scratch, sandbox, work) = staff_imported().await;
    sandbox.reset_stats().await;

    let output = work.cutover("golive", &["--segment", "rest", "--by", "alice"]);

    assert_eq!(code(&output), 1);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("[FAIL] all users settled"), "{stdout}");
    assert!(stdout.contains("pending"), "{stdout}");
    assert!(stderr.contains("--force REASON"), "{stderr}");
    assert_eq!(
        writes(&sandbox).await,
        0,
        "a blocked go-live wrote to the target"
    );
    let status = work.status();
    assert_eq!(status["golive"][1]["segment"], "rest");
    assert_eq!(status["golive"][1]["state"], "not_live");
    assert!(
        !kinds(&work.audit_events(&[]))
            .iter()
            .any(|kind| kind.starts_with("golive"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflict_blocks_the_go_live_and_force_records_why() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.create_inactive();
    let (foreign_id, _) = importable_users(&work, true, 1).remove(0);
    sandbox
        .seed(vec![
            json!({"schema_id": "preset://email", "external_id": foreign_id,
                          "traits": {"email": "someone.else@elsewhere.example"}}),
        ])
        .await;
    work.ok("run", &["--phase", "staff"]);

    let blocked = work.cutover("golive", &["--segment", "staff", "--by", "alice"]);
    assert_eq!(code(&blocked), 1);
    assert!(
        text(&blocked).0.contains("[FAIL] no conflicts"),
        "{}",
        text(&blocked).0
    );

    let reason = "the colliding account belongs to a contractor, handled by hand";
    let forced = work.ok(
        "golive",
        &["--segment", "staff", "--by", "alice", "--force", reason],
    );
    assert!(forced.contains("gates overridden"), "{forced}");

    let events = work.audit_events(&["--segment", "staff"]);
    let golive: Vec<&str> = kinds(&events)
        .into_iter()
        .filter(|kind| kind.starts_with("golive"))
        .collect();
    assert_eq!(golive, vec!["golive_forced", "golive_started", "golive"]);
    let forced_event = events
        .iter()
        .find(|e| e["kind"] == "golive_forced")
        .unwrap();
    let note = forced_event["note"].as_str().unwrap();
    assert!(
        note.contains(reason) && note.contains("no conflicts"),
        "{note}"
    );
    assert_eq!(forced_event["actor"], "alice");
    assert_eq!(forced_event["counts"]["conflicts"], 1);

    let identities = sandbox.identities().await;
    let foreign = identities
        .iter()
        .find(|i| i["external_id"] == foreign_id.as_str())
        .unwrap();
    assert_eq!(foreign["traits"]["email"], "someone.else@elsewhere.example");
    let staff = of_segment(&identities, "staff");
    assert_eq!(staff.len(), 99);
    assert!(states(&staff).iter().all(|state| state == "active"));
}

#[tokio::test(flavor = "multi_thread")]
async fn go_live_activates_every_identity_of_the_segment_once() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.create_inactive();
    work.ok("run", &[]);
    sandbox.reset_stats().await;

    let stdout = work.ok(
        "golive",
        &["--segment", "staff", "--by", "alice", "--note", "CHG-7"],
    );
    assert!(stdout.contains("activated 100 identities"), "{stdout}");

    let identities = sandbox.identities().await;
    assert!(
        states(&of_segment(&identities, "staff"))
            .iter()
            .all(|s| s == "active")
    );
    assert!(
        states(&of_segment(&identities, "rest"))
            .iter()
            .all(|s| s == "inactive")
    );
    assert_eq!(sandbox.requests(STATE_ROUTE).await, 100);
    let status = work.status();
    assert_eq!(status["golive"][0]["state"], "live");
    assert_eq!(status["golive"][1]["state"], "not_live");
    let live = work
        .audit_events(&[])
        .into_iter()
        .find(|e| e["kind"] == "golive")
        .unwrap();
    assert_eq!(
        (live["actor"].as_str(), live["note"].as_str()),
        (Some("alice"), Some("CHG-7"))
    );
    assert_eq!(live["counts"]["activated"], 100);
    assert_eq!(live["counts"]["imported"], 100);

    sandbox.reset_stats().await;
    let again = work.ok("golive", &["--segment", "staff", "--by", "bob"]);
    assert!(again.contains("already live"), "{again}");
    assert_eq!(
        writes(&sandbox).await,
        0,
        "the second go-live wrote to the target"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_go_live_killed_halfway_resumes_to_every_identity_active() {
    let (_scratch, sandbox, work) = staff_imported().await;

    work.crash_at(
        "golive-after:40",
        "golive",
        &["--segment", "staff", "--by", "alice"],
    );
    let identities = sandbox.identities().await;
    let active = states(&of_segment(&identities, "staff"))
        .iter()
        .filter(|s| *s == "active")
        .count();
    assert_eq!(active, 40, "the crash did not stop the go-live halfway");
    assert_eq!(work.status()["golive"][0]["state"], "activating");

    sandbox.reset_stats().await;
    let resumed = work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    assert!(resumed.contains("(resumed)"), "{resumed}");

    let identities = sandbox.identities().await;
    assert!(
        states(&of_segment(&identities, "staff"))
            .iter()
            .all(|s| s == "active")
    );
    // The 39 recorded activations are not sent again; the 40th, sent but not recorded, is.
    assert_eq!(sandbox.requests(STATE_ROUTE).await, 61);
    let events = work.audit_events(&["--segment", "staff"]);
    let golive: Vec<&str> = kinds(&events)
        .into_iter()
        .filter(|kind| kind.starts_with("golive"))
        .collect();
    assert_eq!(golive, vec!["golive_started", "golive"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_go_live_begun_under_another_plan_does_not_resume_until_the_plan_is_back() {
    let (_scratch, sandbox, work) = staff_imported().await;
    work.crash_at(
        "golive-after:10",
        "golive",
        &["--segment", "staff", "--by", "alice"],
    );
    let original = std::fs::read_to_string(&work.plan).unwrap();
    work.edit_plan(|text| text + "# a comment changes the plan's digest\n");
    // Accepting the change for the run does not make it the plan the go-live was judged under.
    work.ok("run", &["--phase", "staff", "--accept-plan-change"]);
    sandbox.reset_stats().await;

    let refused = work.cutover(
        "golive",
        &["--segment", "staff", "--by", "alice", "--force", "x"],
    );

    assert_eq!(code(&refused), 1);
    let stdout = text(&refused).0;
    assert!(stdout.contains("[FAIL] plan unchanged"), "{stdout}");
    assert!(
        !text(&refused).1.contains("--force"),
        "{}",
        text(&refused).1
    );
    assert_eq!(sandbox.requests(STATE_ROUTE).await, 0);
    assert_eq!(work.status()["golive"][0]["state"], "activating");
    std::fs::write(&work.plan, original).unwrap();
    let resumed = work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    assert!(resumed.contains("(resumed)"), "{resumed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_go_live_stopped_by_sigint_says_so_in_the_trail_and_resumes() {
    let (_scratch, sandbox, work) = staff_imported().await;
    sandbox.delay(STATE_ROUTE, 300, 100).await;
    let child = common::cutover()
        .args([
            "golive",
            work.plan.to_str().unwrap(),
            "--segment",
            "staff",
            "--by",
            "alice",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while sandbox.requests(STATE_ROUTE).await < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let pid = child.id().to_string();
    let signal = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status();
    let stopped = child.wait_with_output().unwrap();

    assert!(signal.unwrap().success());
    assert_eq!(stopped.status.code(), Some(130), "{}", text(&stopped).1);
    let events = work.audit_events(&["--segment", "staff"]);
    assert_eq!(
        kinds(&events).last(),
        Some(&"golive_interrupted"),
        "{events:?}"
    );
    sandbox.clear_faults().await;
    let resumed = work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    assert!(resumed.contains("(resumed)"), "{resumed}");
}

/// A sandbox, and the staff phase run with one of its users blocked in the legacy system.
async fn staff_imported_with_one_blocked() -> (tempfile::TempDir, SandboxProcess, Workspace, String)
{
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.create_inactive();
    let (blocked, _) = importable_users(&work, true, 1).remove(0);
    work.block_user(&blocked);
    work.ok("run", &["--phase", "staff"]);
    (scratch, sandbox, work, blocked)
}

#[tokio::test(flavor = "multi_thread")]
async fn users_blocked_in_the_legacy_system_stay_inactive() {
    let (_scratch, sandbox, work, blocked) = staff_imported_with_one_blocked().await;

    let stdout = work.ok("golive", &["--segment", "staff", "--by", "alice"]);
    assert!(stdout.contains(&blocked), "{stdout}");

    let identities = sandbox.identities().await;
    assert_active_but_blocked(&identities, "staff", &blocked);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_user_stays_inactive_when_its_record_becomes_unreadable() {
    let (_scratch, sandbox, work, blocked) = staff_imported_with_one_blocked().await;
    // A newer export in which the blocked user's record cannot be read.
    let users = work.dir.path().join("exports/users.ndjson");
    let text = std::fs::read_to_string(&users).unwrap();
    let damaged: Vec<String> = text
        .lines()
        .map(|line| match line.contains(&format!("\"{blocked}\"")) {
            true => format!("{{{line}"),
            false => line.to_string(),
        })
        .collect();
    std::fs::write(&users, damaged.join("\n") + "\n").unwrap();
    work.ok("run", &["--phase", "staff"]);

    work.ok("golive", &["--segment", "staff", "--by", "alice"]);

    let identities = sandbox.identities().await;
    assert_active_but_blocked(&identities, "staff", &blocked);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_back_that_does_not_match_blocks_the_go_live() {
    let (_scratch, sandbox, work) = staff_imported().await;
    let identities = sandbox.identities().await;
    let victim = of_segment(&identities, "staff")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let patch = json!([{"op": "replace", "path": "/metadata_admin",
                        "value": {"cutover": {"plan": "someone-else"}}}]);
    let response = reqwest::Client::new()
        .patch(format!("{}/admin/identities/{victim}", sandbox.url))
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());

    let output = work.cutover(
        "golive",
        &["--segment", "staff", "--by", "a", "--sample", "100"],
    );

    assert_eq!(code(&output), 1);
    let stdout = text(&output).0;
    assert!(
        stdout.contains("[FAIL] read-back") && stdout.contains(PLAN_NAME),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_identity_gone_from_the_target_fails_the_go_live_clearly() {
    let (_scratch, sandbox, work) = staff_imported().await;
    let identities = sandbox.identities().await;
    let gone = of_segment(&identities, "staff")[5]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let response = reqwest::Client::new()
        .delete(format!("{}/admin/identities/{gone}", sandbox.url))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());

    // No read-back, so that the activation itself meets the missing identity.
    let output = work.cutover(
        "golive",
        &["--segment", "staff", "--by", "a", "--sample", "0"],
    );

    assert_eq!(code(&output), 1);
    let stderr = text(&output).1;
    assert!(
        stderr.contains("gone from the target") && stderr.contains(&gone),
        "{stderr}"
    );
    let identities = sandbox.identities().await;
    assert!(
        states(&of_segment(&identities, "staff"))
            .iter()
            .all(|s| s == "active")
    );
    assert_eq!(work.status()["golive"][0]["state"], "activating");
    let interrupted = work
        .audit_events(&[])
        .into_iter()
        .find(|e| e["kind"] == "golive_interrupted");
    let note = interrupted.expect("the problem is recorded")["note"].to_string();
    assert!(note.contains(&gone), "{note}");
}
