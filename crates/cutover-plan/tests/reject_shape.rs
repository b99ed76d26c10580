//! Plans the parser refuses: YAML syntax, unknown fields, wrong types, missing fields.
//! Each issue names the file, the line and column, and the field path.

mod common;

use std::path::Path;

use common::{PLAN_PATH, issue_at, issue_plan_with, line_of, refuse};

#[test]
fn a_misspelt_field_is_refused_at_its_line_with_the_known_names() {
    let text = issue_plan_with("batch_size: 500", "batch_sise: 500");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].batch_sise");
    assert_eq!(issue.file, Path::new(PLAN_PATH));
    assert_eq!(issue.line, line_of(&text, "batch_sise"));
    assert_eq!(issue.column, 5);
    assert!(
        issue.message.contains("unknown field `batch_sise`"),
        "{}",
        issue.message
    );
    assert!(issue.message.contains("batch_size"), "{}", issue.message);
    let shown = issue.to_string();
    assert!(shown.starts_with(&format!(
        "{PLAN_PATH}:{}:5: phases[0].batch_sise:",
        issue.line
    )));
}

#[test]
fn a_value_of_the_wrong_type_is_refused_at_the_value() {
    let text = issue_plan_with("batch_size: 500", "batch_size: -5");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].batch_size");
    assert_eq!(issue.line, line_of(&text, "batch_size: -5"));
    assert_eq!(issue.column, 17);
    assert_eq!(issue.message, "expected a whole number, 0 or more");
}

#[test]
fn a_scalar_where_a_list_belongs_is_refused() {
    let text = issue_plan_with("segments: [staff]", "segments: staff");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].segments");
    assert_eq!(issue.line, line_of(&text, "segments: staff"));
}

#[test]
fn a_word_that_is_not_a_boolean_is_refused() {
    let text = issue_plan_with("where: { all: true }", "where: { all: yes }");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "segments[1].where.all");
    assert_eq!(issue.line, line_of(&text, "all: yes"));
}

#[test]
fn an_unknown_choice_lists_the_known_ones() {
    let text = issue_plan_with("  format: auth0", "  format: auth0\n  join: mail");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "source.join");
    assert!(
        issue.message.contains("user_id, email"),
        "{}",
        issue.message
    );
}

#[test]
fn a_missing_required_field_is_named_at_the_mapping_that_lacks_it() {
    let text = issue_plan_with(
        "  format: auth0                       # reader for this export\n",
        "",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "source.format");
    assert_eq!(
        issue.line,
        line_of(&text, "users: exports"),
        "the first line of source"
    );
    assert!(
        issue.message.contains("missing field `format`"),
        "{}",
        issue.message
    );
}

#[test]
fn a_missing_top_level_field_is_named_at_the_start_of_the_file() {
    let text = issue_plan_with("name: acme-to-ory\n", "");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "name");
    assert_eq!((issue.line, issue.column), (1, 1));
}

#[test]
fn a_segment_without_where_is_refused() {
    let text = issue_plan_with("    where: { all: true }\n", "");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "segments[1].where");
    assert_eq!(issue.line, line_of(&text, "- name: rest"));
}

#[test]
fn a_duplicate_key_is_refused_at_the_second_one() {
    let text = issue_plan_with(
        "    github: github\n",
        "    github: github\n    github: gh\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "identity.social_providers.github");
    assert_eq!(issue.line, line_of(&text, "github: gh"));
    assert!(
        issue.message.contains("duplicate key `github`"),
        "{}",
        issue.message
    );
}

#[test]
fn broken_yaml_is_refused_with_its_line() {
    let text = issue_plan_with("segments: [staff]", "segments: [staff");
    let issues = refuse(&text);

    assert_eq!(issues.len(), 1);
    assert!(
        issues[0].line >= line_of(&text, "segments: [staff"),
        "{:?}",
        issues[0]
    );
    assert_eq!(issues[0].file, Path::new(PLAN_PATH));
}

#[test]
fn text_that_is_not_a_mapping_is_refused() {
    let issues = refuse("- just\n- a list\n");

    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, 1);
}

#[test]
fn every_issue_renders_as_a_report_naming_the_file() {
    let text = issue_plan_with("batch_size: 500", "batch_sise: 500");
    let error = common::parse(&text).expect_err("refused");

    let reports = error.to_reports();
    assert_eq!(reports.len(), 1);
    let rendered = format!("{:?}", reports[0]);
    assert!(rendered.contains(PLAN_PATH), "{rendered}");
    assert!(
        rendered.contains("batch_sise: 500"),
        "the snippet shows the line: {rendered}"
    );
}
