//! Plans that parse but break the plan's rules; every problem is listed with its location.

mod common;

use common::{issue_at, issue_plan_with, line_of, minimal, refuse};

#[test]
fn an_unsupported_version_is_refused() {
    let text = issue_plan_with("version: 1", "version: 2");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "version");
    assert_eq!((issue.line, issue.column), (1, 10));
    assert!(
        issue.message.contains("unsupported plan version 2"),
        "{}",
        issue.message
    );
}

#[test]
fn duplicate_segment_names_are_refused_at_the_second() {
    let text = issue_plan_with("- name: rest\n    where", "- name: staff\n    where");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "segments[1].name");
    assert_eq!(issue.line, line_of(&text, "where: { all: true }") - 1);
    assert!(
        issue.message.contains("duplicate segment name \"staff\""),
        "{}",
        issue.message
    );
    assert!(
        issue
            .message
            .contains(&format!("line {}", line_of(&text, "- name: staff")))
    );
}

#[test]
fn duplicate_phase_names_are_refused_at_the_second() {
    let text = issue_plan_with("- name: rest\n    segments", "- name: staff\n    segments");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[1].name");
    assert_eq!(issue.line, line_of(&text, "segments: [rest]") - 1);
    assert!(
        issue.message.contains("duplicate phase name"),
        "{}",
        issue.message
    );
}

#[test]
fn a_phase_naming_an_unknown_segment_is_refused() {
    let text = issue_plan_with("segments: [staff]", "segments: [staf]");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].segments");
    assert_eq!((issue.line, issue.column), (line_of(&text, "[staf]"), 16));
    assert!(
        issue.message.contains("unknown segment \"staf\""),
        "{}",
        issue.message
    );
    assert!(
        issue.message.contains("known: staff, rest"),
        "{}",
        issue.message
    );
    // The segment left without a phase is reported too.
    assert_eq!(
        issue_at(&issues, "segments[0].name").line,
        line_of(&text, "- name: staff")
    );
}

#[test]
fn after_naming_an_unknown_phase_is_refused() {
    let text = issue_plan_with("after: [staff]", "after: [stuff]");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[1].after");
    assert_eq!((issue.line, issue.column), (line_of(&text, "[stuff]"), 13));
    assert!(
        issue.message.contains("unknown phase \"stuff\""),
        "{}",
        issue.message
    );
}

#[test]
fn a_cycle_in_after_is_refused_with_its_path() {
    let text = issue_plan_with(
        "    batch_size: 500\n",
        "    batch_size: 500\n    after: [rest]\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].after");
    assert_eq!(issue.line, line_of(&text, "after: [rest]"));
    assert!(
        issue.message.contains("staff -> rest -> staff"),
        "{}",
        issue.message
    );
}

#[test]
fn a_phase_after_itself_is_refused() {
    let text = issue_plan_with("after: [staff]", "after: [rest]");
    let issues = refuse(&text);

    assert!(
        issue_at(&issues, "phases[1].after")
            .message
            .contains("after itself")
    );
}

#[test]
fn a_segment_in_two_phases_is_refused_at_the_second() {
    let text = issue_plan_with("segments: [rest]", "segments: [rest, staff]");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[1].segments");
    assert_eq!(
        (issue.line, issue.column),
        (line_of(&text, "[rest, staff]"), 22)
    );
    assert!(
        issue.message.contains("already in phase \"staff\""),
        "{}",
        issue.message
    );
}

#[test]
fn batch_size_must_be_between_one_and_the_maximum() {
    for size in ["0", "1001", "5000000000"] {
        let text = issue_plan_with("batch_size: 500", &format!("batch_size: {size}"));
        let issues = refuse(&text);

        let issue = issue_at(&issues, "phases[0].batch_size");
        assert_eq!(
            (issue.line, issue.column),
            (line_of(&text, "batch_size"), 17)
        );
        let expected = format!("batch_size must be between 1 and 1000, found {size}");
        assert_eq!(issue.message, expected);
    }
}

#[test]
fn batch_size_one_and_the_maximum_are_accepted() {
    for size in ["1", "1000"] {
        let text = issue_plan_with("batch_size: 500", &format!("batch_size: {size}"));
        common::accept(&text);
    }
}

#[test]
fn an_admin_url_that_is_not_http_is_refused() {
    for url in [
        "ftp://kratos:4434",
        "127.0.0.1:4434",
        "http://",
        "https:// x",
    ] {
        let text = issue_plan_with("http://127.0.0.1:4434", url);
        let issues = refuse(&text);

        let issue = issue_at(&issues, "target.admin_url");
        assert_eq!(
            (issue.line, issue.column),
            (line_of(&text, "admin_url"), 14),
            "{url}"
        );
    }
}

#[test]
fn admin_url_and_sandbox_together_are_refused() {
    let text = issue_plan_with("  api_key_env: ORY_API_KEY", "  sandbox: store.db");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "target");
    assert_eq!(issue.line, line_of(&text, "admin_url"));
    assert!(
        issue.message.contains("exclude each other"),
        "{}",
        issue.message
    );
}

#[test]
fn a_target_with_neither_admin_url_nor_sandbox_is_refused() {
    let text = issue_plan_with("  admin_url: http://127.0.0.1:4434", "  timeout_secs: 5");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "target");
    assert!(
        issue.message.contains("give admin_url"),
        "{}",
        issue.message
    );
}

#[test]
fn target_numbers_out_of_range_are_refused() {
    let text = issue_plan_with(
        "  schema_id: preset://email",
        "  schema_id: x\n  timeout_secs: 0",
    );
    let issue = refuse(&text)
        .into_iter()
        .find(|i| i.field == "target.timeout_secs");
    let issue = issue.expect("timeout issue");
    assert_eq!(
        issue.message,
        "timeout_secs must be between 1 and 3600, found 0"
    );
}

#[test]
fn a_bad_template_is_refused_at_its_field() {
    let text = issue_plan_with("\"{{ given_name }}\"", "\"{{ given_name \"");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "identity.traits.name.first");
    assert_eq!((issue.line, issue.column), (line_of(&text, "first:"), 14));
    assert!(
        issue.message.starts_with("template syntax error"),
        "{}",
        issue.message
    );
}

#[test]
fn a_bad_template_line_names_the_line_inside_the_template() {
    let text = issue_plan_with(
        "\"{{ given_name }}\"",
        "|\n        {{ given_name }}\n        {{ given_name + }}",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "identity.traits.name.first");
    assert!(
        issue.message.contains("on line 2 of the template"),
        "{}",
        issue.message
    );
}

#[test]
fn a_misspelt_filter_is_refused_when_the_plan_loads() {
    let text = issue_plan_with("\"{{ email }}\"", "\"{{ email | lowr }}\"");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "identity.traits.email");
    assert!(issue.message.contains("lowr"), "{}", issue.message);
}

#[test]
fn selectors_must_be_present_and_not_empty() {
    let text = minimal(
        "  - { name: a, where: { tenant: [a], application: [] } }\n  \
         - { name: b, where: {} }\n  - { name: c, where: { email_domain: [] } }\n  \
         - { name: d, where: { email_domain: [\"@x.example\"] } }\n  \
         - { name: e, where: { field: { path: tier, equals: 1, exists: true } } }\n",
        "  - { name: p, segments: [a, b, c, d, e] }\n",
    );
    let issues = refuse(&text);

    // In a combination, the key at fault is named, not the whole `where`.
    assert!(
        issue_at(&issues, "segments[0].where.application")
            .message
            .contains("can never match")
    );
    assert!(!issues.iter().any(|i| i.field == "segments[0].where"));
    let empty = issue_at(&issues, "segments[1].where");
    assert!(empty.message.contains("no selector"), "{}", empty.message);
    assert!(empty.message.contains("percent, list"), "{}", empty.message);
    assert!(
        issue_at(&issues, "segments[2].where.email_domain")
            .message
            .contains("empty list")
    );
    assert!(
        issue_at(&issues, "segments[3].where.email_domain[0]")
            .message
            .contains("without @")
    );
    assert!(
        issue_at(&issues, "segments[4].where.field")
            .message
            .contains("exactly one of")
    );
}

#[test]
fn a_segment_after_a_catch_all_is_refused() {
    let text = minimal(
        "  - { name: all, where: { all: true } }\n  - { name: late, where: { tenant: [t] } }\n",
        "  - { name: p, segments: [all, late] }\n",
    );
    let issues = refuse(&text);

    assert!(
        issue_at(&issues, "segments[1].where")
            .message
            .contains("can never match")
    );
}

#[test]
fn every_problem_is_listed_in_file_order() {
    let text = issue_plan_with("version: 1", "version: 3")
        .replace("batch_size: 500", "batch_size: 0")
        .replace("after: [staff]", "after: [nope]");
    let issues = refuse(&text);

    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        ["version", "phases[0].batch_size", "phases[1].after"]
    );
    let error = common::parse(&text).expect_err("refused");
    assert_eq!(error.to_string().lines().count(), 3);
    assert_eq!(error.to_reports().len(), 3);
}
