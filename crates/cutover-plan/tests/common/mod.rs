//! Shared plan texts and helpers for the plan tests.

#![allow(dead_code)]

use std::path::Path;

use cutover_plan::{Issue, Plan, PlanError};

/// The plan from the product's issue, as written there.
pub const ISSUE_PLAN: &str = r#"version: 1
name: acme-to-ory

source:
  format: auth0                       # reader for this export
  users: exports/users.ndjson         # paths relative to the plan file
  password_hashes: exports/password-hashes.ndjson

target:
  admin_url: http://127.0.0.1:4434    # a Kratos admin API or an Ory Network project URL
  api_key_env: ORY_API_KEY            # the key itself never appears in a plan
  schema_id: preset://email

identity:                             # optional; this is the default for an email schema
  traits:
    email: "{{ email }}"
    name:
      first: "{{ given_name }}"
      last: "{{ family_name }}"
  social_providers:                   # legacy social connection -> Kratos OIDC provider id
    google-oauth2: google
    github: github

segments:                             # first match wins; a user matching none is an error in check
  - name: staff
    where: { email_domain: [acme.example] }
  - name: rest
    where: { all: true }

phases:
  - name: staff
    segments: [staff]
    batch_size: 500
  - name: rest
    segments: [rest]
    after: [staff]
"#;

/// The path plans in these tests pretend to come from.
pub const PLAN_PATH: &str = "plans/acme.yaml";

/// Parses plan text as if read from `plans/acme.yaml`.
pub fn parse(text: &str) -> Result<Plan, PlanError> {
    Plan::parse(text, Path::new(PLAN_PATH))
}

/// Parses text that must be accepted, showing the problems when it is not.
pub fn accept(text: &str) -> Plan {
    parse(text).unwrap_or_else(|error| panic!("plan refused:\n{error}"))
}

/// Parses text that must be refused and returns its issues.
pub fn refuse(text: &str) -> Vec<Issue> {
    match parse(text) {
        Ok(_) => panic!("plan accepted:\n{text}"),
        Err(error) => {
            let issues = error.issues().to_vec();
            assert!(
                !issues.is_empty(),
                "a refused plan names at least one issue: {error}"
            );
            issues
        }
    }
}

/// The issue about `field`, failing with the full list when there is none.
pub fn issue_at<'a>(issues: &'a [Issue], field: &str) -> &'a Issue {
    issues
        .iter()
        .find(|issue| issue.field == field)
        .unwrap_or_else(|| panic!("no issue at {field}; issues: {issues:#?}"))
}

/// The issue plan's text with one exact piece replaced, which must be present.
pub fn issue_plan_with(from: &str, to: &str) -> String {
    assert!(ISSUE_PLAN.contains(from), "the issue plan has no {from:?}");
    ISSUE_PLAN.replacen(from, to, 1)
}

/// The 1-based line of the first line of `text` containing `needle`.
pub fn line_of(text: &str, needle: &str) -> u64 {
    let index = text
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}"));
    u64::try_from(index + 1).expect("line numbers fit u64")
}

/// A small valid plan whose sections a test can replace by string substitution.
pub fn minimal(segments: &str, phases: &str) -> String {
    format!(
        "version: 1\nname: small\nsource:\n  format: auth0\n  users: users.ndjson\n\
         target:\n  sandbox: sandbox.db\n  schema_id: preset://email\n\
         segments:\n{segments}phases:\n{phases}"
    )
}

/// The 1-based column of `needle` on the first line of `text` containing it.
pub fn column_of(text: &str, needle: &str) -> u64 {
    let line = text
        .lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}"));
    let index = line.find(needle).expect("the line contains the needle");
    u64::try_from(index + 1).expect("columns fit u64")
}
