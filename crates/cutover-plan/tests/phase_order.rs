//! Ordering errors in a plan file on disk: an unknown phase in `after`, a cycle, and a segment
//! claimed by two phases are all reported in one pass, each with the file it was loaded from,
//! its line and its field, as `cutover check` prints them.

mod common;

use common::{line_of, minimal};
use cutover_plan::{Issue, Plan, PlanError};

const SEGMENTS: &str = "  - { name: a, where: { tenant: [a] } }\n  \
                        - { name: b, where: { tenant: [b] } }\n  \
                        - { name: c, where: { all: true } }\n";

/// Writes `text` to a plan file and loads it; it must be refused.
fn load_refused(text: &str) -> (tempfile::TempDir, std::path::PathBuf, Vec<Issue>) {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path = dir.path().join("ordered.yaml");
    std::fs::write(&path, text).expect("write the plan");
    match Plan::load(&path) {
        Ok(_) => panic!("plan accepted:\n{text}"),
        Err(PlanError::Invalid { issues, .. }) => (dir, path, issues),
        Err(other) => panic!("refused for another reason: {other}"),
    }
}

#[test]
fn every_ordering_error_is_reported_with_its_file_line_and_field() {
    let text = minimal(
        SEGMENTS,
        "  - name: one\n    segments: [a]\n    after: [three]\n\
         \x20 - name: two\n    segments: [b, a]\n    after: [one, stuff]\n\
         \x20 - name: three\n    segments: [c]\n    after: [two]\n",
    );

    let (_dir, path, issues) = load_refused(&text);

    let found = |field: &str, needle: &str| -> &Issue {
        issues
            .iter()
            .find(|issue| issue.field == field && issue.message.contains(needle))
            .unwrap_or_else(|| panic!("no issue at {field} about {needle:?}: {issues:#?}"))
    };
    let unknown = found("phases[1].after", "unknown phase \"stuff\"");
    let cycle = found("phases[0].after", "one -> three -> two -> one");
    let overlap = found("phases[1].segments", "already in phase \"one\"");
    for (issue, line) in [
        (unknown, line_of(&text, "after: [one, stuff]")),
        (cycle, line_of(&text, "after: [three]")),
        (overlap, line_of(&text, "segments: [b, a]")),
    ] {
        assert_eq!(issue.file, path);
        assert_eq!(issue.line, line, "{issue}");
        let shown = issue.to_string();
        let location = format!("{}:{line}:", path.display());
        assert!(shown.starts_with(&location), "{shown}");
    }
}

#[test]
fn a_phase_after_itself_is_reported_at_its_after_with_the_file() {
    let text = minimal(
        SEGMENTS,
        "  - { name: one, segments: [a, b, c], after: [one] }\n",
    );

    let (_dir, path, issues) = load_refused(&text);

    let issue = issues
        .iter()
        .find(|issue| issue.field == "phases[0].after")
        .expect("an issue at after");
    assert_eq!(issue.file, path);
    assert_eq!(issue.line, line_of(&text, "after: [one]"));
    assert!(issue.message.contains("after itself"), "{}", issue.message);
}
