//! The plan digest and the explanation of a change between two versions of a plan.

mod common;

use common::{ISSUE_PLAN, accept, issue_plan_with};
use cutover_plan::diff_plans;
use serde_json::json;

#[test]
fn the_digest_is_the_sha256_of_the_file_and_changes_with_it() {
    let plan = accept(ISSUE_PLAN);
    let again = accept(ISSUE_PLAN);
    let commented = accept(&format!("# a comment\n{ISSUE_PLAN}"));

    assert_eq!(plan.digest().len(), 64);
    assert!(
        plan.digest()
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(plan.digest(), again.digest());
    assert_ne!(plan.digest(), commented.digest());
}

#[test]
fn a_change_of_layout_or_comments_is_no_change_of_meaning() {
    let plan = accept(ISSUE_PLAN);
    let commented = accept(&format!(
        "# a comment\n{}",
        ISSUE_PLAN.replace(
            "    batch_size: 500\n",
            "    batch_size:   500   # was 1000\n"
        )
    ));

    assert!(diff_plans(&plan.canonical_json(), &commented.canonical_json()).is_empty());
}

#[test]
fn a_changed_value_is_shown_with_its_path_and_both_values() {
    let old = accept(ISSUE_PLAN);
    let new = accept(&issue_plan_with("batch_size: 500", "batch_size: 100"));

    let changes = diff_plans(&old.canonical_json(), &new.canonical_json());
    assert_eq!(changes, ["phases[0].batch_size: 500 -> 100"]);
}

#[test]
fn added_and_removed_fields_are_shown() {
    let old = accept(ISSUE_PLAN);
    let text = issue_plan_with("    after: [staff]\n", "    batch_size: 250\n")
        .replace("acme.example]", "acme.example, acme.test]");
    let new = accept(&text);

    let changes = diff_plans(&old.canonical_json(), &new.canonical_json());
    assert_eq!(
        changes,
        [
            "phases[1].after: removed [\"staff\"]",
            "phases[1].batch_size: added 250",
            "segments[0].where.email_domain[1]: added \"acme.test\"",
        ]
    );
}

#[test]
fn keys_with_dots_are_quoted_and_defaults_are_not_shown() {
    let old = json!({"identity": {"social_providers": {"google-oauth2": "google"}}});
    let new = json!({"identity": {"social_providers": {"google-oauth2": "google", "x.y": "z"}}});

    let changes = diff_plans(&old, &new);
    assert_eq!(changes, ["identity.social_providers[\"x.y\"]: added \"z\""]);
    assert_eq!(diff_plans(&json!(1), &json!(2)), ["(plan): 1 -> 2"]);
}

#[test]
fn the_canonical_json_holds_what_the_file_says_without_defaults_or_secrets() {
    let plan = accept(ISSUE_PLAN);
    let canonical = plan.canonical_json();

    assert_eq!(
        canonical["phases"][1],
        json!({"name": "rest", "segments": ["rest"], "after": ["staff"]})
    );
    assert_eq!(canonical["target"]["api_key_env"], "ORY_API_KEY");
    assert_eq!(canonical["source"]["users"], "exports/users.ndjson");
    assert!(canonical.get("policy").is_none());
}

#[test]
fn the_stepwise_settings_are_part_of_the_canonical_plan() {
    let base = common::minimal(
        "  - { name: canary, where: { percent: { to: 5, seed: w1 }, tenant: [eu] } }\n  \
         - { name: rest, where: { last_login: { never: true } } }\n",
        "  - { name: one, segments: [canary], window: { cron: \"@daily\", minutes: 60 } }\n  \
         - { name: two, segments: [rest], after: [one] }\n",
    );
    let changed = base
        .replace("seed: w1", "seed: w2")
        .replace("minutes: 60", "minutes: 120, time_zone: Europe/Berlin")
        .replace(
            "after: [one] }",
            "after: [one], after_golive: true, activate: on_import }",
        );
    let old = accept(&base);
    let new = accept(&changed);

    assert_eq!(
        old.canonical_json()["segments"][0]["where"],
        json!({"percent": {"to": 5, "seed": "w1"}, "tenant": ["eu"]})
    );
    assert_eq!(
        diff_plans(&old.canonical_json(), &new.canonical_json()),
        [
            "phases[0].window.minutes: 60 -> 120",
            "phases[0].window.time_zone: added \"Europe/Berlin\"",
            "phases[1].activate: added \"on_import\"",
            "phases[1].after_golive: added true",
            "segments[0].where.percent.seed: \"w1\" -> \"w2\"",
        ]
    );
    assert_ne!(old.digest(), new.digest());
}
