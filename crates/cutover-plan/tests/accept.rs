//! Plans that must be accepted, and the model they produce.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{ISSUE_PLAN, accept, issue_plan_with, minimal};
use cutover_plan::{
    Activate, HashJoin, IdentityState, MAX_BATCH_SIZE, Plan, Selector, Target, UnimportableHash,
};
use serde_json::json;

#[test]
fn the_plan_from_the_issue_is_accepted_as_written() {
    let plan = accept(ISSUE_PLAN);

    assert_eq!(plan.name, "acme-to-ory");
    assert_eq!(plan.source.format, "auth0");
    assert_eq!(
        plan.source.users.as_deref(),
        Some(Path::new("plans/exports/users.ndjson"))
    );
    assert_eq!(
        plan.source.password_hashes.as_deref(),
        Some(Path::new("plans/exports/password-hashes.ndjson"))
    );
    assert_eq!(plan.source.join, HashJoin::UserId);
    assert_eq!(plan.base_dir(), Path::new("plans"));
    assert_eq!(plan.path(), Path::new("plans/acme.yaml"));
}

#[test]
fn the_issue_plan_targets_kratos_with_the_key_in_an_environment_variable() {
    let plan = accept(ISSUE_PLAN);

    let expected = Target::Kratos {
        admin_url: "http://127.0.0.1:4434".into(),
        api_key_env: Some("ORY_API_KEY".into()),
    };
    assert_eq!(plan.target.endpoint, expected);
    assert_eq!(plan.target.schema_id, "preset://email");
    assert_eq!(plan.target.timeout, Duration::from_secs(30));
    assert_eq!(plan.target.max_retries, 5);
    assert_eq!(plan.target.rate_limit_per_minute, None);
}

#[test]
fn the_issue_plan_has_its_segments_phases_and_batch_sizes() {
    let plan = accept(ISSUE_PLAN);

    let names: Vec<&str> = plan.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["staff", "rest"]);
    assert_eq!(
        plan.segments[0].selector,
        Selector::EmailDomain(vec!["acme.example".into()])
    );
    assert_eq!(plan.segments[1].selector, Selector::All);
    assert_eq!(plan.segments[0].phase, "staff");
    assert_eq!(plan.segments[1].phase, "rest");

    let staff = plan.phase("staff").expect("phase staff");
    assert_eq!(staff.batch_size, 500);
    assert_eq!(staff.segments, ["staff"]);
    let rest = plan.phase("rest").expect("phase rest");
    assert_eq!(rest.batch_size, 1000, "the default batch size");
    assert_eq!(rest.after, ["staff"]);
    assert_eq!(rest.max_failed_ratio, None);
    assert_eq!(MAX_BATCH_SIZE, 1000);
    assert_eq!(
        plan.phase_of_segment("rest").map(|p| p.name.as_str()),
        Some("rest")
    );
    assert!(plan.phase_of_segment("nobody").is_none());
}

#[test]
fn the_issue_plan_maps_identities_with_its_defaults() {
    let plan = accept(ISSUE_PLAN);

    assert!(plan.identity.verified_email);
    // Identities wait for their go-live unless the plan says otherwise.
    assert_eq!(plan.identity.activate, Activate::OnGolive);
    assert_eq!(plan.identity.state, IdentityState::Inactive);
    assert_eq!(plan.policy.unimportable_hash, UnimportableHash::Hook);
    assert_eq!(plan.social_provider("google-oauth2"), Some("google"));
    assert_eq!(plan.social_provider("github"), Some("github"));
    assert_eq!(plan.social_provider("twitter"), None);

    let ctx = json!({"email": "ada@acme.example", "given_name": "Ada", "family_name": "Lovelace"});
    let traits = plan.render_traits(&ctx).expect("traits render");
    let expected =
        json!({"email": "ada@acme.example", "name": {"first": "Ada", "last": "Lovelace"}});
    assert_eq!(traits, expected);
    assert_eq!(plan.render_metadata_public(&ctx).expect("renders"), None);
}

#[test]
fn identity_can_be_left_out_for_the_default_email_traits() {
    let start = ISSUE_PLAN.find("identity:").expect("identity section");
    let end = ISSUE_PLAN.find("segments:").expect("segments section");
    let text = format!("{}{}", &ISSUE_PLAN[..start], &ISSUE_PLAN[end..]);
    let plan = accept(&text);

    let ctx = json!({"email": "bo@x.example", "given_name": "Bo", "family_name": null});
    let traits = plan.render_traits(&ctx).expect("traits render");
    assert_eq!(
        traits,
        json!({"email": "bo@x.example", "name": {"first": "Bo"}})
    );
    assert!(plan.identity.social_providers.is_empty());
}

#[test]
fn a_sandbox_target_is_accepted_in_flow_form() {
    let text = issue_plan_with(
        "target:\n  admin_url: http://127.0.0.1:4434    # a Kratos admin API or an Ory Network \
         project URL\n  api_key_env: ORY_API_KEY            # the key itself never appears in a \
         plan\n  schema_id: preset://email\n",
        "target: { sandbox: file.db, schema_id: preset://email }\n",
    );
    let plan = accept(&text);

    assert_eq!(
        plan.target.endpoint,
        Target::Sandbox {
            store: PathBuf::from("plans/file.db")
        }
    );
    assert_eq!(plan.target.schema_id, "preset://email");
}

#[test]
fn target_limits_policy_and_identity_options_are_read() {
    let text = "\
version: 1
name: options
source: { format: auth0, users: users.ndjson, join: email }
target:
  sandbox: sandbox.db
  schema_id: customer-v1
  timeout_secs: 10
  max_retries: 0
  rate_limit_per_minute: 600
identity:
  verified_email: false
  state: inactive
policy:
  unimportable_hash: no_password
segments:
  - { name: all, where: { all: true } }
phases:
  - { name: one, segments: [all], max_failed_ratio: 0.02 }
";
    let plan = accept(text);

    assert_eq!(plan.source.join, HashJoin::Email);
    assert_eq!(plan.source.password_hashes, None);
    assert_eq!(plan.target.schema_id, "customer-v1");
    assert_eq!(plan.target.timeout, Duration::from_secs(10));
    assert_eq!(plan.target.max_retries, 0);
    assert_eq!(plan.target.rate_limit_per_minute, Some(600));
    assert_eq!(plan.policy.unimportable_hash, UnimportableHash::NoPassword);
    assert!(!plan.identity.verified_email);
    assert_eq!(plan.identity.state, IdentityState::Inactive);
    assert_eq!(plan.phases[0].max_failed_ratio, Some(0.02));
    assert_eq!(plan.phases[0].batch_size, MAX_BATCH_SIZE);
}

#[test]
fn phases_run_after_the_phases_they_name_otherwise_in_file_order() {
    let text = minimal(
        "  - { name: a, where: { tenant: [a] } }\n  - { name: b, where: { tenant: [b] } }\n  \
         - { name: c, where: { all: true } }\n",
        "  - { name: last, segments: [a], after: [middle] }\n  \
         - { name: first, segments: [b] }\n  - { name: middle, segments: [c], after: [first] }\n",
    );
    let plan = accept(&text);

    let order: Vec<&str> = plan.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(order, ["first", "middle", "last"]);
}

#[test]
fn independent_phases_keep_file_order() {
    let text = minimal(
        "  - { name: a, where: { tenant: [a] } }\n  - { name: b, where: { all: true } }\n",
        "  - { name: two, segments: [b] }\n  - { name: one, segments: [a] }\n",
    );
    let plan = accept(&text);

    let order: Vec<&str> = plan.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(order, ["two", "one"]);
}

#[test]
fn load_reads_the_file_and_resolves_paths_against_its_directory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("acme.yaml");
    std::fs::write(&path, ISSUE_PLAN).expect("plan written");

    let plan = Plan::load(&path).expect("plan loads");

    assert_eq!(plan.base_dir(), dir.path());
    assert_eq!(
        plan.source.users,
        Some(dir.path().join("exports/users.ndjson"))
    );
}

#[test]
fn a_plan_in_the_current_directory_resolves_against_dot() {
    let plan = Plan::parse(ISSUE_PLAN, Path::new("acme.yaml")).expect("plan parses");

    assert_eq!(plan.base_dir(), Path::new("."));
    assert_eq!(
        plan.source.users.as_deref(),
        Some(Path::new("./exports/users.ndjson"))
    );
}

#[test]
fn a_missing_plan_file_is_a_read_error_without_issues() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let error = Plan::load(&dir.path().join("nope.yaml")).expect_err("no such file");

    assert!(error.issues().is_empty());
    assert!(
        error.to_string().starts_with("cannot read plan file"),
        "{error}"
    );
}
