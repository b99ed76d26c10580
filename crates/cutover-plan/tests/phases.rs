//! Phase settings for stepwise migration: rate limits, windows, activation, go-live gates and
//! `after_golive`, with their defaults and the errors for each.

mod common;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use common::{accept, column_of, issue_at, line_of, minimal, refuse};
use cutover_plan::{Activate, IdentityState, OutsideWindow, Plan};

/// Two segments, `a` and `b`, and these phases.
fn with_phases(phases: &str) -> String {
    minimal(
        "  - { name: a, where: { tenant: [a] } }\n  - { name: b, where: { all: true } }\n",
        phases,
    )
}

/// The same with an `identity:` section and a target rate limit.
fn with_identity(identity: &str, phases: &str) -> String {
    with_phases(phases)
        .replacen(
            "  schema_id: preset://email\n",
            "  schema_id: preset://email\n  rate_limit_per_minute: 600\n",
            1,
        )
        .replacen(
            "segments:\n",
            &format!("identity:\n{identity}segments:\n"),
            1,
        )
}

fn phase<'p>(plan: &'p Plan, name: &str) -> &'p cutover_plan::Phase {
    plan.phase(name).unwrap_or_else(|| panic!("phase {name}"))
}

#[test]
fn a_phase_without_settings_gets_the_defaults() {
    let plan = accept(&with_phases(
        "  - { name: one, segments: [a] }\n  - { name: two, segments: [b], after: [one] }\n",
    ));

    let one = phase(&plan, "one");
    assert_eq!(one.rate_limit_per_minute, None);
    assert_eq!(one.window, None);
    assert_eq!(one.outside_window, OutsideWindow::Wait);
    assert!(!phase(&plan, "two").after_golive);
    assert_eq!(one.activate, Activate::OnGolive);
    assert_eq!(one.identity_state, IdentityState::Inactive);
    assert_eq!(one.golive_sample, 25);
    assert_eq!(one.max_failed_ratio, None);
}

#[test]
fn a_phase_rate_limit_overrides_the_target_one() {
    let plan = accept(&with_identity(
        "  verified_email: true\n",
        "  - { name: one, segments: [a], rate_limit_per_minute: 60 }\n  \
         - { name: two, segments: [b] }\n",
    ));

    assert_eq!(plan.target.rate_limit_per_minute, Some(600));
    assert_eq!(phase(&plan, "one").rate_limit_per_minute, Some(60));
    assert_eq!(phase(&plan, "two").rate_limit_per_minute, Some(600));
}

#[test]
fn activation_follows_the_plan_unless_a_phase_says_otherwise() {
    let plan = accept(&with_identity(
        "  activate: on_import\n",
        "  - { name: one, segments: [a], activate: on_golive }\n  \
         - { name: two, segments: [b] }\n",
    ));

    assert_eq!(plan.identity.activate, Activate::OnImport);
    assert_eq!(plan.identity.state, IdentityState::Active);
    let one = phase(&plan, "one");
    assert_eq!(
        (one.activate, one.identity_state),
        (Activate::OnGolive, IdentityState::Inactive)
    );
    let two = phase(&plan, "two");
    assert_eq!(
        (two.activate, two.identity_state),
        (Activate::OnImport, IdentityState::Active)
    );
}

#[test]
fn the_older_identity_state_maps_onto_activate() {
    for (state, activate) in [
        ("active", Activate::OnImport),
        ("inactive", Activate::OnGolive),
    ] {
        let plan = accept(&with_identity(
            &format!("  state: {state}\n"),
            "  - { name: one, segments: [a, b] }\n",
        ));
        assert_eq!(plan.identity.activate, activate, "{state}");
        assert_eq!(plan.identity.state.as_str(), state);
        assert_eq!(phase(&plan, "one").activate, activate, "{state}");
    }
}

#[test]
fn activate_and_state_together_are_refused_at_state() {
    let text = with_identity(
        "  activate: on_golive\n  state: inactive\n",
        "  - { name: one, segments: [a, b] }\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "identity.state");
    assert_eq!(issue.line, line_of(&text, "state: inactive"));
    assert!(issue.message.contains("not both"), "{}", issue.message);
}

#[test]
fn a_window_is_read_with_its_time_zone_and_outside_window() {
    let plan = accept(&with_phases(
        "  - name: one\n    segments: [a]\n    outside_window: exit\n    window:\n      \
         cron: \"0 0 22 * * Mon-Fri\"\n      minutes: 240\n      time_zone: Europe/Berlin\n  \
         - { name: two, segments: [b], window: { cron: \"@daily\", minutes: 60 } }\n",
    ));

    let one = phase(&plan, "one");
    let window = one.window.as_ref().expect("a window");
    assert_eq!(window.cron(), "0 0 22 * * Mon-Fri");
    assert_eq!(window.minutes(), 240);
    assert_eq!(window.time_zone(), Tz::Europe__Berlin);
    assert_eq!(one.outside_window, OutsideWindow::Exit);
    // Friday 7 June 2024, 22:30 in Berlin (summer time).
    let friday = DateTime::parse_from_rfc3339("2024-06-07T20:30:00Z").expect("a time");
    assert!(window.is_open(friday.with_timezone(&Utc)));

    let two = phase(&plan, "two");
    let daily = two.window.as_ref().expect("a window");
    assert_eq!(daily.time_zone(), Tz::UTC);
    assert_eq!(two.outside_window, OutsideWindow::Wait);
}

#[test]
fn bad_windows_are_refused_at_the_field_at_fault() {
    let text = with_phases(
        "  - { name: one, segments: [a], window: { cron: \"0 22 * * *\", minutes: 60 } }\n  \
         - { name: two, segments: [b], window: { cron: \"0 0 22 * * Mon-Fry\", minutes: 0, \
         time_zone: Europe/Berlln } }\n",
    );
    let issues = refuse(&text);

    let five = issue_at(&issues, "phases[0].window.cron");
    assert_eq!(
        (five.line, five.column),
        (line_of(&text, "name: one"), column_of(&text, "\"0 22"))
    );
    assert!(five.message.contains("has 5 fields"), "{}", five.message);
    let zone = issue_at(&issues, "phases[1].window.time_zone");
    assert_eq!(zone.column, column_of(&text, "Europe/Berlln"));
    assert!(
        zone.message.contains("unknown time zone \"Europe/Berlln\""),
        "{}",
        zone.message
    );
    let minutes = issue_at(&issues, "phases[1].window.minutes");
    assert!(
        minutes.message.contains("between 1 and 44640"),
        "{}",
        minutes.message
    );
}

#[test]
fn a_cron_expression_the_parser_refuses_is_reported_at_cron() {
    let text = with_phases(
        "  - { name: one, segments: [a, b], window: { cron: \"0 0 22 * * Mon-Fry\", \
         minutes: 60 } }\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].window.cron");
    assert!(issue.message.contains("is not valid"), "{}", issue.message);
}

#[test]
fn outside_window_without_a_window_is_refused() {
    let text = with_phases("  - { name: one, segments: [a, b], outside_window: exit }\n");
    let issues = refuse(&text);

    assert_eq!(
        issue_at(&issues, "phases[0].outside_window").column,
        column_of(&text, "exit")
    );
}

#[test]
fn after_golive_needs_after() {
    let ok = accept(&with_phases(
        "  - { name: one, segments: [a] }\n  \
         - { name: two, segments: [b], after: [one], after_golive: true }\n",
    ));
    assert!(phase(&ok, "two").after_golive);

    let text = with_phases(
        "  - { name: one, segments: [a] }\n  - { name: two, segments: [b], after_golive: true }\n",
    );
    let issues = refuse(&text);
    let issue = issue_at(&issues, "phases[1].after_golive");
    let value_column = column_of(&text, "after_golive: true") + 14;
    assert_eq!(
        (issue.line, issue.column),
        (line_of(&text, "after_golive"), value_column)
    );
    assert!(issue.message.contains("needs after"), "{}", issue.message);
}

#[test]
fn golive_sample_and_max_failed_ratio_have_bounds() {
    let plan = accept(&with_phases(
        "  - { name: one, segments: [a], golive_sample: 0, max_failed_ratio: 0 }\n  \
         - { name: two, segments: [b], golive_sample: 1000, max_failed_ratio: 1 }\n",
    ));
    assert_eq!(phase(&plan, "one").golive_sample, 0);
    assert_eq!(phase(&plan, "two").golive_sample, 1000);
    assert_eq!(phase(&plan, "two").max_failed_ratio, Some(1.0));

    let text = with_phases(
        "  - { name: one, segments: [a], golive_sample: 1001, max_failed_ratio: 1.5 }\n  \
         - { name: two, segments: [b], rate_limit_per_minute: 0, max_failed_ratio: -0.1 }\n",
    );
    let issues = refuse(&text);
    let sample = issue_at(&issues, "phases[0].golive_sample");
    assert_eq!(
        sample.message,
        "golive_sample must be between 0 and 1000, found 1001"
    );
    assert_eq!(sample.column, column_of(&text, "1001"));
    assert!(
        issue_at(&issues, "phases[0].max_failed_ratio")
            .message
            .contains("found 1.5")
    );
    assert!(
        issue_at(&issues, "phases[1].max_failed_ratio")
            .message
            .contains("found -0.1")
    );
    let rate = issue_at(&issues, "phases[1].rate_limit_per_minute");
    assert!(
        rate.message.contains("between 1 and 4294967295, found 0"),
        "{}",
        rate.message
    );
}

#[test]
fn a_segment_in_no_phase_is_refused_at_the_segment() {
    let text = with_phases("  - { name: one, segments: [b] }\n");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "segments[0].name");
    assert_eq!(issue.line, line_of(&text, "name: a,"));
    assert!(
        issue.message.contains("is in no phase"),
        "{}",
        issue.message
    );
}

#[test]
fn a_longer_cycle_in_after_is_refused_with_every_phase_in_it() {
    let text = minimal(
        "  - { name: a, where: { tenant: [a] } }\n  - { name: b, where: { tenant: [b] } }\n  \
         - { name: c, where: { all: true } }\n",
        "  - { name: one, segments: [a], after: [three] }\n  \
         - { name: two, segments: [b], after: [one] }\n  \
         - { name: three, segments: [c], after: [two] }\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "phases[0].after");
    assert_eq!(issue.line, line_of(&text, "after: [three]"));
    assert!(
        issue.message.contains("one -> three -> two -> one"),
        "{}",
        issue.message
    );
}

#[test]
fn unknown_choices_for_the_new_words_are_refused() {
    for (from, to, field) in [
        (
            "segments: [a] }",
            "segments: [a], activate: at_golive }",
            "phases[0].activate",
        ),
        (
            "segments: [a] }",
            "segments: [a], outside_window: skip }",
            "phases[0].outside_window",
        ),
    ] {
        let text =
            with_phases("  - { name: one, segments: [a] }\n  - { name: two, segments: [b] }\n")
                .replacen(from, to, 1);
        let issues = refuse(&text);
        assert_eq!(
            issue_at(&issues, field).line,
            line_of(&text, "name: one"),
            "{field}"
        );
    }
}

#[test]
fn every_field_of_a_window_is_checked_in_one_run() {
    let text = with_phases(
        "  - { name: one, segments: [a, b], window: { cron: \"0 0 25 * * *\", minutes: 0, \
         time_zone: Mars/Base } }\n",
    );
    let issues = refuse(&text);

    let cron = issue_at(&issues, "phases[0].window.cron");
    assert!(cron.message.contains("is not valid"), "{}", cron.message);
    assert!(!cron.message.contains('^'), "{}", cron.message);
    issue_at(&issues, "phases[0].window.minutes");
    issue_at(&issues, "phases[0].window.time_zone");
}
