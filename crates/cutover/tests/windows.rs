//! Phase windows through the real binary and a sandbox target, on a simulated clock
//! (`CUTOVER_FAKE_CLOCK`), so that no test waits for the time of day: outside its window a
//! phase waits for the opening or the run stops with exit code 5 naming it, a later run inside
//! the window goes on, and a window that closes while a phase sends stops it between batches.

mod common;

use std::process::Output;

use common::lifecycle::{code, of_segment, text};
use common::{SandboxProcess, Workspace, assert_success, cutover};
use serde_json::Value;

/// The exit code of a run stopped at a closed window.
const WINDOW_CLOSED: i32 = 5;

const BATCH_ROUTE: &str = "PATCH /admin/identities";

/// A sandbox, and the two-phase plan with this window on its second phase (`rest`).
fn rest_with_window(window: &str) -> (tempfile::TempDir, SandboxProcess, Workspace) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    work.edit_plan(|text| text + window);
    (scratch, sandbox, work)
}

/// Runs `cutover run` on the simulated clock `clock` with extra arguments.
fn run_at(work: &Workspace, clock: &str, args: &[&str]) -> Output {
    cutover()
        .arg("run")
        .arg(&work.plan)
        .args(args)
        .env("CUTOVER_FAKE_CLOCK", clock)
        .output()
        .expect("run cutover")
}

/// The counts of one phase in `status --output json`.
fn counts(work: &Workspace, phase: &str) -> Value {
    let status = work.status();
    let phases = status["phases"].as_array().unwrap();
    let found = phases.iter().find(|p| p["phase"] == phase).unwrap();
    found["counts"].clone()
}

fn kinds_of_phase(work: &Workspace, phase: &str) -> Vec<String> {
    work.audit_events(&[])
        .iter()
        .filter(|event| event["phase"] == phase)
        .map(|event| event["kind"].as_str().unwrap().to_string())
        .collect()
}

/// A Berlin night window, as the example plan has, with the run told to stop outside it.
const BERLIN_NIGHT_EXIT: &str = "    window:\n      cron: \"0 0 22 * * *\"\n      \
                                 minutes: 480\n      time_zone: Europe/Berlin\n    \
                                 outside_window: exit\n";

/// 22:00 in Berlin on 5 December 2026, in winter time, on both clocks.
const BERLIN_OPENING: &str = "2026-12-05 22:00:00 CET in Europe/Berlin (2026-12-05 21:00:00 UTC)";

#[tokio::test(flavor = "multi_thread")]
async fn outside_its_window_a_phase_stops_the_run_and_a_run_inside_it_goes_on() {
    let (_scratch, sandbox, work) = rest_with_window(BERLIN_NIGHT_EXIT);

    // Noon UTC is 13:00 in Berlin: staff has no window and runs, rest must not.
    let stopped = run_at(&work, "2026-12-05T12:00:00Z", &[]);

    assert_eq!(code(&stopped), WINDOW_CLOSED, "{}", text(&stopped).1);
    let stderr = text(&stopped).1;
    assert!(
        stderr.contains("phase rest") && stderr.contains(BERLIN_OPENING),
        "{stderr}"
    );
    assert_eq!(counts(&work, "staff")["pending"], 0);
    let rest = counts(&work, "rest");
    assert_eq!(
        (rest["imported"].as_u64(), rest["in_flight"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(of_segment(&sandbox.identities().await, "rest").is_empty());
    let events = work.audit_events(&[]);
    let paused = events.iter().find(|e| e["kind"] == "run_paused").unwrap();
    assert_eq!(paused["phase"], "rest");
    assert!(paused["note"].as_str().unwrap().contains(BERLIN_OPENING));
    assert!(!events.iter().any(|e| e["kind"] == "run_finished"));
    assert!(!kinds_of_phase(&work, "rest").contains(&"phase_started".to_string()));

    // Half an hour after the opening the same command moves the rest.
    let inside = run_at(&work, "2026-12-05T21:30:00Z", &[]);

    assert_success(&inside);
    let rest = counts(&work, "rest");
    assert_eq!(
        (rest["pending"].as_u64(), rest["in_flight"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        of_segment(&sandbox.identities().await, "rest").len() as u64,
        rest["imported"].as_u64().unwrap()
    );
    assert_eq!(
        kinds_of_phase(&work, "rest"),
        vec!["run_paused", "phase_started", "phase_finished"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_told_to_wait_waits_for_the_opening_without_sleeping() {
    let (_scratch, sandbox, work) = rest_with_window(BERLIN_NIGHT_EXIT);

    // The plan says exit; the command line overrides it for this run.
    let started = std::time::Instant::now();
    let output = run_at(&work, "2026-12-05T12:00:00Z", &["--outside-window", "wait"]);

    assert_success(&output);
    assert!(
        started.elapsed().as_secs() < 60,
        "the run slept through the wait"
    );
    let (stdout, stderr) = text(&output);
    assert!(
        stdout.contains("phase rest waited for its window"),
        "{stdout}"
    );
    assert!(stdout.contains(BERLIN_OPENING), "{stdout}");
    assert!(stderr.contains("waiting until it opens"), "{stderr}");
    assert_eq!(counts(&work, "rest")["pending"], 0);
    assert!(!of_segment(&sandbox.identities().await, "rest").is_empty());
    let rest = kinds_of_phase(&work, "rest");
    assert_eq!(
        rest,
        vec!["phase_waiting", "phase_started", "phase_finished"]
    );
    let waiting = work
        .audit_events(&[])
        .into_iter()
        .find(|e| e["kind"] == "phase_waiting")
        .unwrap();
    assert!(waiting["note"].as_str().unwrap().contains(BERLIN_OPENING));
}

/// A 30-minute window at 22:00 UTC; the run reads the clock at the phase's start and before
/// each batch, and the clock moves on 10 minutes at every reading.
const HALF_HOUR: &str = "    window: { cron: \"0 0 22 * * *\", minutes: 30 }\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_window_closing_mid_phase_stops_it_between_two_batches() {
    let (_scratch, sandbox, work) = rest_with_window(HALF_HOUR);
    work.ok("run", &["--phase", "staff"]);
    sandbox.reset_stats().await;

    // Readings at 22:00 (start), 22:10 and 22:20 (two batches), then 22:30: closed.
    let stopped = run_at(
        &work,
        "2026-12-05T22:00:00Z,10m",
        &["--outside-window", "exit"],
    );

    assert_eq!(code(&stopped), WINDOW_CLOSED, "{}", text(&stopped).1);
    assert!(
        text(&stopped).1.contains("2026-12-06 22:00:00 UTC"),
        "{}",
        text(&stopped).1
    );
    assert_eq!(sandbox.requests(BATCH_ROUTE).await, 2);
    let rest = counts(&work, "rest");
    assert_eq!(rest["in_flight"], 0, "a batch was left half recorded");
    assert_eq!(rest["imported"], 500);
    assert_eq!(of_segment(&sandbox.identities().await, "rest").len(), 500);

    // Waiting instead, the phase sends two batches a night until it is done.
    let output = run_at(&work, "2026-12-05T22:30:00Z,10m", &[]);

    assert_success(&output);
    let rest = counts(&work, "rest");
    assert_eq!(
        (rest["pending"].as_u64(), rest["in_flight"].as_u64()),
        (Some(0), Some(0))
    );
    let stdout = text(&output).0;
    let nights: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("phase rest waited for its window"))
        .collect();
    assert!(nights.len() >= 2, "{stdout}");
    assert!(
        nights[0].ends_with("until 2026-12-06 22:00:00 UTC"),
        "{stdout}"
    );
    assert!(
        nights[1].ends_with("until 2026-12-07 22:00:00 UTC"),
        "{stdout}"
    );
    assert_eq!(
        of_segment(&sandbox.identities().await, "rest").len() as u64,
        rest["imported"].as_u64().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phase_with_nothing_to_send_does_not_wait_for_its_window() {
    let (_scratch, _sandbox, work) = rest_with_window(HALF_HOUR);
    assert_success(&run_at(&work, "2026-12-05T22:00:00Z", &[]));

    // Far outside the window, a second run has nothing to send and finishes at once.
    let again = run_at(&work, "2026-12-06T09:00:00Z", &["--outside-window", "exit"]);

    assert_success(&again);
    assert!(
        text(&again).0.contains("sent 0 batches"),
        "{}",
        text(&again).0
    );
}

/// Runs `cutover status` on the simulated clock `clock` with extra arguments.
fn status_at(work: &Workspace, clock: &str, args: &[&str]) -> Output {
    cutover()
        .arg("status")
        .arg(&work.plan)
        .args(args)
        .env("CUTOVER_FAKE_CLOCK", clock)
        .output()
        .expect("run cutover status")
}

#[tokio::test(flavor = "multi_thread")]
async fn status_says_whether_a_window_is_open_and_until_when() {
    let (_scratch, _sandbox, work) = rest_with_window(BERLIN_NIGHT_EXIT);
    run_at(&work, "2026-12-05T12:00:00Z", &[]);

    let by_day = status_at(&work, "2026-12-05T12:00:00Z", &["--output", "json"]);
    let at_night = status_at(&work, "2026-12-05T23:00:00Z", &[]);

    assert_success(&by_day);
    let report: Value = serde_json::from_slice(&by_day.stdout).unwrap();
    let windows = report["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 1, "only rest has a window: {windows:?}");
    assert_eq!(windows[0]["phase"], "rest");
    assert_eq!(windows[0]["open"], false);
    assert_eq!(windows[0]["until"], "2026-12-05T21:00:00Z");
    assert_success(&at_night);
    let closes = "2026-12-06 06:00:00 CET in Europe/Berlin (2026-12-06 05:00:00 UTC)";
    let stdout = text(&at_night).0;
    assert!(
        stdout.contains(&format!(
            "for 480 minutes (Europe/Berlin): open until {closes}"
        )),
        "{stdout}"
    );
}
