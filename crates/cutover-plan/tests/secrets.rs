//! An API key written into a plan is refused, and its value appears in no error output.

mod common;

use common::{issue_at, issue_plan_with, line_of, refuse};

const KEY: &str = "ory_at_kXq93zzSECRETvalue";

fn assert_no_key(text: &str) {
    let error = common::parse(text).expect_err("a plan with a key is refused");

    assert!(!error.to_string().contains(KEY), "Display leaks the key");
    assert!(!format!("{error:?}").contains(KEY), "Debug leaks the key");
    for report in error.to_reports() {
        assert!(
            !format!("{report:?}").contains(KEY),
            "a report leaks the key: {report:?}"
        );
    }
}

#[test]
fn an_inline_api_key_is_refused_pointing_to_api_key_env() {
    let text = issue_plan_with("api_key_env: ORY_API_KEY", &format!("api_key: {KEY}"));
    let issues = refuse(&text);

    let issue = issue_at(&issues, "target.api_key");
    assert_eq!((issue.line, issue.column), (line_of(&text, "api_key:"), 12));
    assert!(issue.message.contains("api_key_env"), "{}", issue.message);
    assert_no_key(&text);
}

#[test]
fn other_names_for_a_key_are_refused_the_same_way() {
    for name in ["token", "api_token", "access_token", "apikey"] {
        let text = issue_plan_with("api_key_env: ORY_API_KEY", &format!("{name}: \"{KEY}\""));
        let issues = refuse(&text);

        assert_eq!(
            issue_at(&issues, "target.api_key").line,
            line_of(&text, KEY)
        );
        assert_no_key(&text);
    }
}

#[test]
fn a_key_given_as_api_key_env_is_refused_without_echoing_it() {
    let text = issue_plan_with("api_key_env: ORY_API_KEY", &format!("api_key_env: {KEY}"));
    let issues = refuse(&text);

    let issue = issue_at(&issues, "target.api_key_env");
    assert!(
        issue.message.contains("looks like an API key"),
        "{}",
        issue.message
    );
    assert_no_key(&text);
}

#[test]
fn a_key_stays_hidden_when_another_error_stops_the_parse() {
    let text = issue_plan_with("api_key_env: ORY_API_KEY", &format!("api_key: {KEY}"))
        .replace("schema_id: preset://email", "schema_idd: preset://email");
    let issues = refuse(&text);

    assert_eq!(issues[0].field, "target.schema_idd");
    assert_no_key(&text);
}

#[test]
fn a_key_in_a_block_scalar_is_hidden_too() {
    let text = issue_plan_with(
        "api_key_env: ORY_API_KEY",
        &format!("api_key: |\n    {KEY}"),
    );
    refuse(&text);
    assert_no_key(&text);
}
