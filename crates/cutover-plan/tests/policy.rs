//! `policy:`: what happens to users whose password cannot be imported as it is. The password
//! migration hook is the default for both settings, and a word outside the accepted ones is
//! refused at its line with the words that are accepted.

mod common;

use std::path::Path;

use common::{PLAN_PATH, accept, column_of, issue_at, issue_plan_with, line_of, refuse};
use cutover_plan::{Policy, UnavailablePassword, UnimportableHash};

/// The issue plan with a `policy:` section written before its segments.
fn with_policy(policy: &str) -> String {
    issue_plan_with("segments:", &format!("policy:\n{policy}\nsegments:"))
}

#[test]
fn without_a_policy_both_settings_send_users_to_the_migration_hook() {
    let plan = accept(&issue_plan_with("segments:", "policy: {}\nsegments:"));
    let default = accept(common::ISSUE_PLAN);

    assert_eq!(plan.policy.unimportable_hash, UnimportableHash::Hook);
    assert_eq!(plan.policy.unavailable_password, UnavailablePassword::Hook);
    assert_eq!(default.policy, plan.policy);
    assert_eq!(Policy::default(), plan.policy);
}

#[test]
fn every_word_of_unimportable_hash_is_read() {
    let words = [
        ("hook", UnimportableHash::Hook),
        ("no_password", UnimportableHash::NoPassword),
        ("fail", UnimportableHash::Fail),
    ];
    for (word, expected) in words {
        let plan = accept(&with_policy(&format!("  unimportable_hash: {word}")));

        assert_eq!(plan.policy.unimportable_hash, expected, "{word}");
        assert_eq!(expected.as_str(), word);
        assert_eq!(plan.policy.unavailable_password, UnavailablePassword::Hook);
    }
}

#[test]
fn every_word_of_unavailable_password_is_read() {
    let words = [
        ("hook", UnavailablePassword::Hook),
        ("no_password", UnavailablePassword::NoPassword),
    ];
    for (word, expected) in words {
        let plan = accept(&with_policy(&format!("  unavailable_password: {word}")));

        assert_eq!(plan.policy.unavailable_password, expected, "{word}");
        assert_eq!(expected.to_string(), word);
        assert_eq!(plan.policy.unimportable_hash, UnimportableHash::Hook);
    }
}

#[test]
fn both_settings_are_read_together_in_flow_style() {
    let text = issue_plan_with(
        "segments:",
        "policy: { unimportable_hash: fail, unavailable_password: no_password }\nsegments:",
    );
    let plan = accept(&text);

    assert_eq!(plan.policy.unimportable_hash, UnimportableHash::Fail);
    assert_eq!(
        plan.policy.unavailable_password,
        UnavailablePassword::NoPassword
    );
}

#[test]
fn an_unknown_unimportable_hash_word_is_refused_at_its_line_with_the_accepted_words() {
    let text = with_policy("  unimportable_hash: migrate");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "policy.unimportable_hash");
    assert_eq!(issue.file, Path::new(PLAN_PATH));
    assert_eq!(issue.line, line_of(&text, "unimportable_hash: migrate"));
    assert_eq!(
        issue.column,
        column_of(&text, "migrate"),
        "{}",
        issue.message
    );
    assert!(
        issue.message.contains("hook, no_password, fail"),
        "{}",
        issue.message
    );
}

#[test]
fn fail_is_not_a_choice_for_a_password_the_export_lacks() {
    let text = with_policy("  unimportable_hash: fail\n  unavailable_password: fail");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "policy.unavailable_password");
    assert_eq!(issue.line, line_of(&text, "unavailable_password: fail"));
    assert!(
        issue.message.contains("hook, no_password"),
        "{}",
        issue.message
    );
}

#[test]
fn a_misspelt_policy_key_is_refused_with_the_known_keys() {
    let text = with_policy("  unimportable_hashes: hook");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "policy.unimportable_hashes");
    assert_eq!(issue.line, line_of(&text, "unimportable_hashes"));
    assert!(
        issue.message.contains("unimportable_hash")
            && issue.message.contains("unavailable_password"),
        "{}",
        issue.message
    );
}

#[test]
fn a_changed_policy_shows_in_the_plan_changes() {
    let before = accept(&with_policy("  unimportable_hash: hook"));
    let after = accept(&with_policy(
        "  unimportable_hash: fail\n  unavailable_password: no_password",
    ));

    let changes = cutover_plan::diff_plans(&before.canonical_json(), &after.canonical_json());

    assert_eq!(
        changes,
        [
            "policy.unavailable_password: added \"no_password\"",
            "policy.unimportable_hash: \"hook\" -> \"fail\"",
        ]
    );
}
