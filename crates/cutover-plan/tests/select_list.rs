//! The `list` selector: id files beside the plan, their errors, and their part in the digest.

mod common;

use std::path::Path;

use common::{line_of, minimal};
use cutover_plan::{Plan, PlanError, Selector, diff_plans};
use serde_json::json;
use sha2::{Digest, Sha256};

/// A plan using `lists/beta.txt` for its first segment, written into `dir`.
fn plan_text() -> String {
    minimal(
        "  - name: beta\n    where:\n      list: lists/beta.txt\n  \
         - { name: rest, where: { all: true } }\n",
        "  - { name: p, segments: [beta, rest] }\n",
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory");
    std::fs::write(path, text).expect("file written");
}

fn load(dir: &Path, text: &str) -> Result<Plan, PlanError> {
    write(dir, "plan.yaml", text);
    Plan::load(&dir.join("plan.yaml"))
}

#[test]
fn a_list_file_names_its_users_ignoring_blanks_and_comments() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(
        dir.path(),
        "lists/beta.txt",
        "# beta testers, from the support ticket\nauth0|1\n\n   auth0|2  \r\nauth0|1\n  \
         # auth0|3\n",
    );
    let plan = load(dir.path(), &plan_text()).expect("plan loads");

    let segment = |id: &str| {
        plan.segment_for_user(id, &json!({}))
            .map(|s| s.name.clone())
    };
    assert_eq!(segment("auth0|1").as_deref(), Some("beta"));
    assert_eq!(segment("auth0|2").as_deref(), Some("beta"));
    assert_eq!(segment("auth0|3").as_deref(), Some("rest"));
    assert_eq!(segment("# auth0|3").as_deref(), Some("rest"));
    assert_eq!(
        plan.segment_for(&json!({ "legacy_id": "auth0|2" }))
            .map(|s| s.name.as_str()),
        Some("beta")
    );

    let Selector::List(list) = &plan.segments[0].selector else {
        panic!("a list selector: {:?}", plan.segments[0].selector);
    };
    assert_eq!(list.len(), 2);
    assert_eq!(list.path, dir.path().join("lists/beta.txt"));
    assert!(format!("{list:?}").contains("ids: 2"), "{list:?}");
}

#[test]
fn a_missing_list_file_is_refused_at_the_list_line() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let text = plan_text();
    let error = load(dir.path(), &text).expect_err("no list file");

    let issue = &error.issues()[0];
    assert_eq!(issue.field, "segments[0].where.list");
    assert_eq!((issue.line, issue.column), (line_of(&text, "list:"), 13));
    assert!(
        issue.message.starts_with("cannot read the id list"),
        "{}",
        issue.message
    );
    assert!(issue.message.contains("beta.txt"), "{}", issue.message);
}

#[test]
fn a_list_without_ids_can_never_match() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(dir.path(), "lists/beta.txt", "# nobody yet\n\n");
    let error = load(dir.path(), &plan_text()).expect_err("an empty list");

    let issue = &error.issues()[0];
    assert_eq!(issue.field, "segments[0].where.list");
    assert!(
        issue.message.contains("can never match"),
        "{}",
        issue.message
    );
}

#[test]
fn a_list_that_is_not_text_is_refused() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(dir.path(), "lists/beta.txt", "");
    std::fs::write(dir.path().join("lists/beta.txt"), [0xff, 0xfe, b'\n']).expect("written");
    let error = load(dir.path(), &plan_text()).expect_err("not UTF-8");

    assert!(error.issues()[0].message.contains("not UTF-8"), "{error}");
}

#[test]
fn editing_the_list_changes_the_digest_and_the_canonical_json() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(dir.path(), "lists/beta.txt", "auth0|1\n");
    let before = load(dir.path(), &plan_text()).expect("plan loads");
    let again = load(dir.path(), &plan_text()).expect("plan loads");
    write(dir.path(), "lists/beta.txt", "auth0|1\nauth0|2\n");
    let after = load(dir.path(), &plan_text()).expect("plan loads");

    assert_eq!(before.digest(), again.digest());
    assert_ne!(before.digest(), after.digest());
    let changes = diff_plans(&before.canonical_json(), &after.canonical_json());
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0], "list_files[\"lists/beta.txt\"].ids: 1 -> 2");
    assert!(
        changes[1].starts_with("list_files[\"lists/beta.txt\"].sha256: "),
        "{changes:?}"
    );
    assert_eq!(
        before.canonical_json()["segments"][0]["where"]["list"],
        "lists/beta.txt"
    );
}

#[test]
fn a_plan_without_lists_keeps_the_plain_file_digest() {
    let text = minimal(
        "  - { name: all, where: { all: true } }\n",
        "  - { name: p, segments: [all] }\n",
    );
    let plan = common::accept(&text);

    assert_eq!(plan.digest(), hex::encode(Sha256::digest(text.as_bytes())));
    assert!(plan.canonical_json().get("list_files").is_none());
}
