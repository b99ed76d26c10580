//! The `created` and `last_login` selectors: bounds, missing values, `never`, and their errors.

mod common;

use chrono::{TimeZone, Utc};
use common::{accept, column_of, issue_at, line_of, minimal, refuse};
use cutover_plan::{LoginTest, Plan, Selector, TimeRange};
use serde_json::{Value, json};

/// A plan with these segment lines, all in one phase.
fn plan(segments: &str, names: &str) -> Plan {
    accept(&minimal(
        segments,
        &format!("  - {{ name: p, segments: [{names}] }}\n"),
    ))
}

fn segment_of(plan: &Plan, ctx: &Value) -> Option<String> {
    plan.segment_for(ctx).map(|s| s.name.clone())
}

#[test]
fn created_takes_dates_and_times_with_after_inclusive_and_before_exclusive() {
    let plan = plan(
        "  - { name: old, where: { created: { before: 2020-01-01 } } }\n  \
         - { name: y2020, where: { created: { after: 2020-01-01, before: \
         \"2021-01-01T01:00:00+01:00\" } } }\n  \
         - { name: new, where: { created: { after: 2021-01-01 } } }\n",
        "old, y2020, new",
    );

    let at = |t: &str| json!({ "created_at": t });
    assert_eq!(
        segment_of(&plan, &at("2019-12-31T23:59:59.999Z")).as_deref(),
        Some("old")
    );
    assert_eq!(
        segment_of(&plan, &at("2020-01-01T00:00:00.000Z")).as_deref(),
        Some("y2020")
    );
    assert_eq!(
        segment_of(&plan, &at("2020-12-31T23:59:59.999Z")).as_deref(),
        Some("y2020")
    );
    // The upper bound of y2020 is midnight UTC written with an offset.
    assert_eq!(
        segment_of(&plan, &at("2021-01-01T00:00:00.000Z")).as_deref(),
        Some("new")
    );
    assert_eq!(
        segment_of(&plan, &at("2021-01-01T02:00:00+02:00")).as_deref(),
        Some("new")
    );

    let y2020 = &plan.segment("y2020").expect("segment").selector;
    let expected = TimeRange {
        after: Some(Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()),
        before: Some(Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap()),
    };
    assert_eq!(*y2020, Selector::Created(expected));
}

#[test]
fn a_user_without_a_readable_created_at_matches_no_created_range() {
    let plan = plan(
        "  - { name: old, where: { created: { before: 2030-01-01 } } }\n",
        "old",
    );

    for ctx in [
        json!({}),
        json!({ "created_at": null }),
        json!({ "created_at": "yesterday" }),
        json!({ "created_at": 1_600_000_000 }),
    ] {
        assert_eq!(segment_of(&plan, &ctx), None, "{ctx}");
    }
    assert!(segment_of(&plan, &json!({ "created_at": "2024-05-01T10:00:00.000Z" })).is_some());
}

#[test]
fn last_login_ranges_and_never_read_the_last_login_field() {
    let plan = plan(
        "  - { name: never, where: { last_login: { never: true } } }\n  \
         - { name: dormant, where: { last_login: { before: 2024-01-01 } } }\n  \
         - { name: active, where: { last_login: { never: false } } }\n",
        "never, dormant, active",
    );

    assert_eq!(segment_of(&plan, &json!({})).as_deref(), Some("never"));
    assert_eq!(
        segment_of(&plan, &json!({ "last_login": null })).as_deref(),
        Some("never")
    );
    let old = json!({ "last_login": "2023-06-01T08:00:00.000Z" });
    assert_eq!(segment_of(&plan, &old).as_deref(), Some("dormant"));
    let recent = json!({ "last_login": "2024-06-01T08:00:00.000Z" });
    assert_eq!(segment_of(&plan, &recent).as_deref(), Some("active"));
    // created_at is not last_login.
    let created = json!({ "created_at": "2023-06-01T08:00:00.000Z", "last_login": null });
    assert_eq!(segment_of(&plan, &created).as_deref(), Some("never"));

    assert_eq!(
        plan.segment("never").expect("segment").selector,
        Selector::LastLogin(LoginTest::Never)
    );
}

#[test]
fn a_range_with_after_not_before_before_can_never_match() {
    let text = minimal(
        "  - { name: a, where: { created: { after: 2024-02-01, before: 2024-01-01 } } }\n  \
         - { name: b, where: { last_login: { after: 2024-01-01, before: 2024-01-01 } } }\n",
        "  - { name: p, segments: [a, b] }\n",
    );
    let issues = refuse(&text);

    let a = issue_at(&issues, "segments[0].where.created.after");
    let at = (line_of(&text, "2024-02-01"), column_of(&text, "2024-02-01"));
    assert_eq!((a.line, a.column), at);
    assert!(a.message.contains("can never match"), "{}", a.message);
    let b = issue_at(&issues, "segments[1].where.last_login.after");
    assert!(b.message.contains("earlier than before"), "{}", b.message);
}

#[test]
fn unreadable_bounds_are_refused_at_each_bound() {
    let text = minimal(
        "  - { name: a, where: { created: { after: 2024-13-01, before: last tuesday } } }\n",
        "  - { name: p, segments: [a] }\n",
    );
    let issues = refuse(&text);

    let after = issue_at(&issues, "segments[0].where.created.after");
    assert!(
        after.message.contains("\"2024-13-01\" is not a date"),
        "{}",
        after.message
    );
    let before = issue_at(&issues, "segments[0].where.created.before");
    assert!(before.message.contains("RFC 3339"), "{}", before.message);
}

#[test]
fn a_range_needs_a_bound_and_never_takes_none() {
    let text = minimal(
        "  - { name: a, where: { created: {} } }\n  \
         - { name: b, where: { last_login: {} } }\n  \
         - { name: c, where: { last_login: { never: true, after: 2024-01-01 } } }\n",
        "  - { name: p, segments: [a, b, c] }\n",
    );
    let issues = refuse(&text);

    assert!(
        issue_at(&issues, "segments[0].where.created")
            .message
            .contains("give after, before or both")
    );
    assert!(
        issue_at(&issues, "segments[1].where.last_login")
            .message
            .contains("never: true")
    );
    let never = issue_at(&issues, "segments[2].where.last_login.never");
    assert!(
        never.message.contains("cannot have bounds"),
        "{}",
        never.message
    );
}

#[test]
fn never_is_not_a_field_of_created() {
    let text = minimal(
        "  - { name: d, where: { created: { never: true } } }\n",
        "  - { name: p, segments: [d] }\n",
    );
    let issues = refuse(&text);

    let issue = issue_at(&issues, "segments[0].where.created.never");
    assert!(
        issue.message.contains("unknown field `never`"),
        "{}",
        issue.message
    );
}
