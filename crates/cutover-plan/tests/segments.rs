//! Segment selectors and first-match-wins assignment of users to segments.

mod common;

use common::{accept, minimal};
use cutover_plan::{Plan, Selector};
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
fn email_domain_matches_case_insensitively_and_exactly() {
    let plan = plan(
        "  - { name: staff, where: { email_domain: [ACME.example, b.example] } }\n",
        "staff",
    );

    for email in ["ada@acme.example", "Ada@Acme.Example", "x@B.EXAMPLE"] {
        assert_eq!(
            segment_of(&plan, &json!({"email": email})).as_deref(),
            Some("staff"),
            "{email}"
        );
    }
    for ctx in [
        json!({"email": "ada@eu.acme.example"}),
        json!({"email": "acme.example"}),
        json!({"email": null}),
        json!({}),
    ] {
        assert_eq!(segment_of(&plan, &ctx), None, "{ctx}");
    }
}

#[test]
fn application_and_tenant_match_exactly() {
    let plan = plan(
        "  - { name: app, where: { application: [Username-Password-Authentication] } }\n  \
         - { name: eu, where: { tenant: [acme-eu] } }\n",
        "app, eu",
    );

    let app = json!({"application": "Username-Password-Authentication", "tenant": "acme-eu"});
    assert_eq!(segment_of(&plan, &app).as_deref(), Some("app"));
    assert_eq!(
        segment_of(&plan, &json!({"tenant": "acme-eu"})).as_deref(),
        Some("eu")
    );
    assert_eq!(segment_of(&plan, &json!({"tenant": "ACME-EU"})), None);
    assert_eq!(
        segment_of(&plan, &json!({"application": "google-oauth2"})),
        None
    );
}

#[test]
fn field_equals_compares_json_values_at_a_dotted_path() {
    let plan = plan(
        "  - { name: pro, where: { field: { path: app_metadata.tier, equals: pro } } }\n  \
         - { name: seats, where: { field: { path: app_metadata.seats, equals: 3 } } }\n  \
         - { name: first, where: { field: { path: identities.0.provider, equals: github } } }\n",
        "pro, seats, first",
    );

    assert_eq!(
        segment_of(&plan, &json!({"app_metadata": {"tier": "pro"}})).as_deref(),
        Some("pro")
    );
    assert_eq!(
        segment_of(&plan, &json!({"app_metadata": {"seats": 3.0}})).as_deref(),
        Some("seats")
    );
    let ctx = json!({"identities": [{"provider": "github"}]});
    assert_eq!(segment_of(&plan, &ctx).as_deref(), Some("first"));
    assert_eq!(
        segment_of(&plan, &json!({"app_metadata": {"tier": "free"}})),
        None
    );
}

#[test]
fn field_one_of_and_exists_test_the_value() {
    let plan = plan(
        "  - { name: gold, where: { field: { path: tier, one_of: [gold, platinum, 1] } } }\n  \
         - { name: flagged, where: { field: { path: flags.beta, exists: true } } }\n  \
         - { name: bare, where: { field: { path: user_metadata, exists: false } } }\n",
        "gold, flagged, bare",
    );

    assert_eq!(
        segment_of(&plan, &json!({"tier": "platinum"})).as_deref(),
        Some("gold")
    );
    assert_eq!(
        segment_of(&plan, &json!({"tier": 1, "user_metadata": {}})).as_deref(),
        Some("gold")
    );
    let flagged = json!({"flags": {"beta": false}, "user_metadata": {}});
    assert_eq!(segment_of(&plan, &flagged).as_deref(), Some("flagged"));
    let null_flag = json!({"flags": {"beta": null}, "user_metadata": {}});
    assert_eq!(segment_of(&plan, &null_flag), None);
    assert_eq!(
        segment_of(&plan, &json!({"user_metadata": null})).as_deref(),
        Some("bare")
    );
}

#[test]
fn the_first_matching_segment_wins() {
    let plan = plan(
        "  - { name: staff, where: { email_domain: [acme.example] } }\n  \
         - { name: eu, where: { tenant: [eu] } }\n  - { name: rest, where: { all: true } }\n",
        "staff, eu, rest",
    );

    let staff_in_eu = json!({"email": "a@acme.example", "tenant": "eu"});
    assert_eq!(segment_of(&plan, &staff_in_eu).as_deref(), Some("staff"));
    assert_eq!(
        segment_of(&plan, &json!({"email": "a@x.example", "tenant": "eu"})).as_deref(),
        Some("eu")
    );
    assert_eq!(segment_of(&plan, &json!({})).as_deref(), Some("rest"));
    assert_eq!(plan.segment("eu").map(|s| s.phase.as_str()), Some("p"));
}

#[test]
fn a_user_matching_no_segment_has_none() {
    let plan = plan(
        "  - { name: staff, where: { email_domain: [acme.example] } }\n",
        "staff",
    );

    assert!(plan.segment_for(&json!({"email": "a@x.example"})).is_none());
}

#[test]
fn several_keys_in_one_where_must_all_hold() {
    let plan = plan(
        "  - name: eu-staff\n    where:\n      email_domain: [acme.example]\n      \
         tenant: [eu]\n      created: { before: 2024-01-01 }\n  \
         - { name: rest, where: { all: true } }\n",
        "eu-staff, rest",
    );

    let all_three =
        json!({"email": "a@acme.example", "tenant": "eu", "created_at": "2023-01-01T00:00:00Z"});
    assert_eq!(segment_of(&plan, &all_three).as_deref(), Some("eu-staff"));
    for (key, other) in [
        ("email", json!("a@x.example")),
        ("tenant", json!("us")),
        ("created_at", json!("2024-02-01T00:00:00Z")),
        ("created_at", Value::Null),
    ] {
        let mut ctx = all_three.clone();
        ctx[key] = other;
        assert_eq!(segment_of(&plan, &ctx).as_deref(), Some("rest"), "{ctx}");
    }
    let Selector::AllOf(parts) = &plan.segments[0].selector else {
        panic!("a combination: {:?}", plan.segments[0].selector);
    };
    assert_eq!(parts.len(), 3);
}

#[test]
fn all_true_beside_other_keys_is_no_catch_all() {
    let plan = plan(
        "  - { name: eu, where: { all: true, tenant: [eu] } }\n  \
         - { name: rest, where: { all: true } }\n",
        "eu, rest",
    );

    assert_eq!(
        plan.segments[0].selector,
        Selector::AllOf(vec![Selector::Tenant(vec!["eu".into()])])
    );
    assert_eq!(
        segment_of(&plan, &json!({"tenant": "us"})).as_deref(),
        Some("rest")
    );
}

#[test]
fn a_combination_with_percent_uses_the_explicit_legacy_id() {
    let plan = plan(
        "  - { name: canary, where: { tenant: [eu], percent: 100 } }\n",
        "canary",
    );

    let ctx = json!({"tenant": "eu"});
    assert!(plan.segment_for(&ctx).is_none(), "no legacy id anywhere");
    assert!(plan.segment_for_user("auth0|1", &ctx).is_some());
    assert!(
        plan.segment_for_user("auth0|1", &json!({"tenant": "us"}))
            .is_none()
    );
}
