//! `cutover check` on the sample export reports its problems correctly, and a changed plan
//! is detected and explained before a run goes on.

mod common;

use common::oracle::expected;
use common::{SandboxProcess, Workspace, assert_success};

#[test]
fn check_reports_the_sample_exports_problems() {
    let work = Workspace::new("http://127.0.0.1:9");
    let expected = expected(&work.dir.path().join("exports"));

    let report = work.check();

    assert_eq!(report["users"], expected.users);
    assert_eq!(report["can_run"], true);
    let lines: Vec<u64> = report["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, expected.unreadable_lines);
    let codes = &report["unimportable_by_code"];
    assert_eq!(codes["duplicate_identifier"], expected.duplicates);
    assert_eq!(codes["missing_trait"], expected.without_email);
    assert!(
        codes.get("invalid_hash").is_none(),
        "hashes Kratos cannot import go to the migration hook by default: {codes}"
    );
    assert_eq!(
        codes["unmapped_social"].as_u64().unwrap_or(0),
        expected.unmapped_social
    );
    let staff = report["per_segment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row[1] == "staff");
    assert_eq!(staff.unwrap()[2], expected.staff);
    let bcrypt = report["hash_families"]["bcrypt"].as_u64().unwrap();
    assert!(bcrypt > 1000, "{}", report["hash_families"]);
}

#[test]
fn check_triages_the_passwords_of_every_segment() {
    let work = Workspace::new("http://127.0.0.1:9");
    let expected = expected(&work.dir.path().join("exports"));

    let report = work.check();

    let triage = report["password_triage"].as_array().unwrap();
    let segments: Vec<&str> = triage
        .iter()
        .map(|t| t["segment"].as_str().unwrap())
        .collect();
    assert_eq!(segments, ["staff", "rest"]);
    let total = |way: &str| -> u64 {
        triage
            .iter()
            .map(|t| t[way]["total"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(total("hook"), expected.hook().len() as u64);
    assert_eq!(total("hash"), expected.hashed().len() as u64);
    assert_eq!(total("none"), expected.without_password().len() as u64);
    assert_eq!(total("fail"), 0);
    let users: u64 = triage.iter().map(|t| t["users"].as_u64().unwrap()).sum();
    let stopped: u64 = triage.iter().map(|t| t["stopped"].as_u64().unwrap()).sum();
    assert_eq!(users, expected.users);
    assert_eq!(
        total("hash") + total("hook") + total("none") + stopped,
        users,
        "every user is counted once"
    );
    let staff = &triage[0];
    assert_eq!(
        staff["families"],
        serde_json::json!({"bcrypt": expected.staff})
    );
    // The sample's three unusable hashes: two broken (a bcrypt and an Argon2id string cut
    // short) and one in no known format, grouped by kind and family.
    let rest = &triage[1];
    assert_eq!(
        rest["hook"]["by"],
        serde_json::json!({
            "broken hash (argon2id)": 1,
            "broken hash (bcrypt)": 1,
            "unknown hash format": 1
        })
    );
}

#[test]
fn check_prints_the_triage_and_follows_the_policy() {
    let work = Workspace::new("http://127.0.0.1:9");
    let text = std::fs::read_to_string(&work.plan).unwrap();
    std::fs::write(
        &work.plan,
        text.replace(
            "segments:\n",
            "policy: { unimportable_hash: fail }\nsegments:\n",
        ),
    )
    .unwrap();

    let output = work.cutover("check", &[]);
    let report = work.check();

    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("passwords of segment rest (phase rest)"),
        "{stdout}"
    );
    assert!(stdout.contains("password migration hook"), "{stdout}");
    let fail = &report["password_triage"][1]["fail"];
    assert_eq!(fail["total"], 3, "{fail}");
    assert_eq!(fail["by"]["broken hash (bcrypt)"], 1, "{fail}");
    assert!(stdout.contains("unknown hash format"), "{stdout}");
    assert_eq!(report["password_triage"][1]["hook"]["total"], 0);
    assert_eq!(report["unimportable_by_code"]["invalid_hash"], 3);
}

#[test]
fn check_fails_when_users_match_no_segment() {
    let work = Workspace::new("http://127.0.0.1:9");
    let text = std::fs::read_to_string(&work.plan).unwrap();
    let narrowed = text.replace(
        "  - name: rest\n    where: { all: true }\n",
        "  - name: rest\n    where: { email_domain: [nowhere.example] }\n",
    );
    std::fs::write(&work.plan, narrowed).unwrap();

    let output = work.cutover("check", &[]);

    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("match no segment"), "{stdout}");
}

#[test]
fn a_malformed_plan_names_the_file_line_and_field() {
    let work = Workspace::new("http://127.0.0.1:9");
    let text = std::fs::read_to_string(&work.plan).unwrap();
    std::fs::write(
        &work.plan,
        text.replace("    after: [staff]", "    after: [stafff]"),
    )
    .unwrap();

    let output = work.cutover("check", &[]);

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = text
        .lines()
        .position(|l| l.contains("after: [staff]"))
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!("plan.yaml:{line}")), "{stderr}");
    assert!(stderr.contains("stafff"), "{stderr}");
    // Then a snippet of the file, with the line's number and text.
    assert!(
        stderr.contains(&format!("{line} │     after: [stafff]")),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_plan_is_explained_and_only_accepted_on_request() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &["--phase", "staff"]));

    work.set_batch_size(&sandbox.url, 100);
    let refused = work.cutover("run", &[]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("batch_size") && stderr.contains("100"),
        "{stderr}"
    );
    assert!(stderr.contains("--accept-plan-change"), "{stderr}");

    assert_success(&work.cutover("run", &["--accept-plan-change"]));
    let status = work.status();
    let kinds: Vec<&str> = status["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"plan_changed"), "{kinds:?}");
}

#[test]
fn a_reader_that_stops_early_ends_the_report_quietly() {
    let work = Workspace::new("http://127.0.0.1:9");
    let mut child = common::cutover()
        .arg("check")
        .arg(&work.plan)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();

    // Closing the pipe before the report is written is what `cutover check PLAN | head -0` does.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}
