//! Identity templates: typed single expressions, text, left-out values, metadata_public.

mod common;

use common::{accept, minimal};
use cutover_plan::{Plan, TemplateError};
use serde_json::{Value, json};

/// A plan whose identity section is `identity` (indented under `identity:`).
fn plan_with_identity(identity: &str) -> Plan {
    let text = minimal(
        "  - { name: all, where: { all: true } }\n",
        "  - { name: p, segments: [all] }\n",
    );
    accept(&text.replacen(
        "segments:\n",
        &format!("identity:\n{identity}segments:\n"),
        1,
    ))
}

fn traits(identity: &str, ctx: &Value) -> Value {
    plan_with_identity(identity)
        .render_traits(ctx)
        .expect("traits render")
}

#[test]
fn a_single_expression_keeps_the_type_of_its_value() {
    let identity = "  traits:\n    verified: \"{{ email_verified }}\"\n    \
                    logins: \"{{ logins }}\"\n    meta: \"{{ user_metadata }}\"\n    \
                    ratio: \"{{ ratio }}\"\n    tags: \"{{ tags }}\"\n";
    let ctx = json!({"email_verified": false, "logins": 42, "ratio": 0.5,
                     "user_metadata": {"plan": "pro", "seats": 3}, "tags": ["a", "b"]});

    let expected = json!({"verified": false, "logins": 42, "ratio": 0.5,
                          "meta": {"plan": "pro", "seats": 3}, "tags": ["a", "b"]});
    assert_eq!(traits(identity, &ctx), expected);
}

#[test]
fn mixed_text_renders_to_a_string() {
    let identity = "  traits:\n    name: \"{{ given_name }} {{ family_name }}\"\n    \
                    count: \"n={{ logins }}\"\n    flag: \"{{ blocked }}!\"\n";
    let ctx = json!({"given_name": "Ada", "family_name": "Lovelace", "logins": 7, "blocked": true});

    let expected = json!({"name": "Ada Lovelace", "count": "n=7", "flag": "true!"});
    assert_eq!(traits(identity, &ctx), expected);
}

#[test]
fn whitespace_around_a_single_expression_is_ignored() {
    let identity =
        "  traits:\n    flag: \" {{ blocked }} \"\n    meta: |\n      {{ app_metadata }}\n";
    let ctx = json!({"blocked": true, "app_metadata": {"a": 1}});

    assert_eq!(
        traits(identity, &ctx),
        json!({"flag": true, "meta": {"a": 1}})
    );
}

#[test]
fn expressions_can_use_filters_and_conditions() {
    let identity = "  traits:\n    email: \"{{ email | lower }}\"\n    \
                    tier: \"{{ app_metadata.tier if app_metadata.tier else 'free' }}\"\n";
    let ctx = json!({"email": "Ada@ACME.example"});

    assert_eq!(
        traits(identity, &ctx),
        json!({"email": "ada@acme.example", "tier": "free"})
    );
}

#[test]
fn a_missing_or_null_value_leaves_the_trait_out() {
    let identity = "  traits:\n    email: \"{{ email }}\"\n    phone: \"{{ phone }}\"\n    \
                    tier: \"{{ app_metadata.tier }}\"\n    both: \"{{ given_name }} {{ nope }}\"\n";
    let ctx = json!({"email": "a@x.example", "phone": null});

    assert_eq!(traits(identity, &ctx), json!({"email": "a@x.example"}));
}

#[test]
fn a_mapping_whose_every_entry_was_left_out_is_left_out() {
    let identity = "  traits:\n    email: \"{{ email }}\"\n    name:\n      \
                    first: \"{{ given_name }}\"\n      last: \"{{ family_name }}\"\n";
    let ctx = json!({"email": "a@x.example"});

    assert_eq!(traits(identity, &ctx), json!({"email": "a@x.example"}));
}

#[test]
fn an_empty_result_is_an_empty_object() {
    let identity = "  traits:\n    email: \"{{ email }}\"\n";

    assert_eq!(traits(identity, &json!({})), json!({}));
}

#[test]
fn literals_and_lists_are_kept() {
    let identity = "  traits:\n    source: legacy\n    version: 2\n    \
                    emails: [\"{{ email }}\", \"{{ other }}\", fixed@x.example]\n";
    let ctx = json!({"email": "a@x.example"});

    let expected = json!({"source": "legacy", "version": 2,
                          "emails": ["a@x.example", "fixed@x.example"]});
    assert_eq!(traits(identity, &ctx), expected);
}

#[test]
fn unicode_passes_through_unchanged() {
    let identity =
        "  traits:\n    name: \"{{ name }}\"\n    greeting: \"Grüße, {{ given_name }} ✓\"\n";
    let ctx = json!({"name": "Zoë Ångström 日本", "given_name": "Zoë"});

    assert_eq!(
        traits(identity, &ctx),
        json!({"name": "Zoë Ångström 日本", "greeting": "Grüße, Zoë ✓"})
    );
}

#[test]
fn text_is_not_html_escaped() {
    let identity = "  traits:\n    html: \"<b>{{ name }}</b> & co\"\n";

    assert_eq!(
        traits(identity, &json!({"name": "O'Brien & <Sons>"})),
        json!({"html": "<b>O'Brien & <Sons></b> & co"})
    );
}

#[test]
fn metadata_public_is_rendered_like_traits() {
    let plan = plan_with_identity(
        "  metadata_public:\n    legacy:\n      tenant: \"{{ tenant }}\"\n      \
         since: \"{{ created_at }}\"\n",
    );

    let ctx = json!({"tenant": "eu", "created_at": "2020-01-02T03:04:05.000Z"});
    let rendered = plan.render_metadata_public(&ctx).expect("renders");
    let expected = json!({"legacy": {"tenant": "eu", "since": "2020-01-02T03:04:05.000Z"}});
    assert_eq!(rendered, Some(expected));
    assert_eq!(
        plan.render_metadata_public(&json!({})).expect("renders"),
        None
    );
}

#[test]
fn a_template_failing_for_one_user_is_an_error_naming_the_field() {
    let plan =
        plan_with_identity("  traits:\n    email: \"{{ email }}\"\n    n: \"{{ logins + 1 }}\"\n");

    let error = plan
        .render_traits(&json!({"logins": "many"}))
        .expect_err("string + number");
    assert!(matches!(&error, TemplateError::Render { field, .. } if field == "identity.traits.n"));
    assert!(
        error.to_string().starts_with("identity.traits.n:"),
        "{error}"
    );
}

#[test]
fn traits_must_be_a_mapping() {
    let text = minimal(
        "  - { name: all, where: { all: true } }\n",
        "  - { name: p, segments: [all] }\n",
    )
    .replacen(
        "segments:\n",
        "identity:\n  traits: \"{{ email }}\"\nsegments:\n",
        1,
    );
    let issues = common::refuse(&text);

    let issue = common::issue_at(&issues, "identity.traits");
    assert!(
        issue.message.contains("must be a mapping"),
        "{}",
        issue.message
    );
}
