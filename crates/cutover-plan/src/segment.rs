//! Segments: named slices of the legacy users, chosen by a selector, matched first-wins.
//!
//! A selector is an enum with one variant per kind of test. The raw `where:` mapping has one
//! optional field per kind; several set together must all hold, and become `AllOf`. Adding a
//! selector means one field in `raw::RawWhere`, one variant here and one arm in
//! `segment_check::build_selector` and `Selector::matches_user`. This module holds the
//! checked types and the matching; `segment_check` builds them from the file.
//!
//! Selectors test the user context: the JSON object a source builds for each legacy user
//! (`legacy_id`, `email`, `application`, `tenant`, `created_at`, `last_login`, ... plus the
//! raw record's own keys). `percent` and `list` test the legacy id, which callers may pass
//! explicitly or leave to the context's `legacy_id`.

use serde_json::Value;

use crate::id_list::IdList;
use crate::percent::PercentRange;
use crate::time_range::{LoginTest, TimeRange, created_matches};

/// A named group of users that moves in one phase (`segments:` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The segment name, unique in the plan.
    pub name: String,
    /// Which users belong to the segment (unless an earlier segment took them).
    pub selector: Selector,
    /// The name of the phase that migrates this segment.
    pub phase: String,
}

/// The test that decides whether a user belongs to a segment (`where:`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Selector {
    /// Every user (`all: true`); useful as the last segment.
    All,
    /// Users whose email address is at one of these domains, compared case-insensitively and
    /// exactly (`acme.example` does not match `eu.acme.example`). Stored lowercase.
    EmailDomain(Vec<String>),
    /// Users for whom a value of the context passes a test.
    Field(FieldSelector),
    /// Users of one of these legacy applications (Auth0: the connection name), exact match.
    Application(Vec<String>),
    /// Users of one of these legacy tenants, exact match.
    Tenant(Vec<String>),
    /// Users whose `created_at` lies in the range; users without one never match.
    Created(TimeRange),
    /// Users whose `last_login` passes the test.
    LastLogin(LoginTest),
    /// Users whose legacy id falls in a stable hash bucket range (see
    /// [`percent_bucket`](crate::percent_bucket)).
    Percent(PercentRange),
    /// Users whose legacy id is in a list file.
    List(IdList),
    /// Users passing every one of these selectors (a `where:` with several keys).
    AllOf(Vec<Selector>),
}

/// A test on the value at a dotted path of the user context (`where.field:`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSelector {
    /// The dotted path, such as `app_metadata.tier`; a number indexes a list.
    pub path: String,
    /// What the value must satisfy.
    pub test: FieldTest,
}

/// What the value of a `field` selector must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldTest {
    /// The value equals this one (numbers compare by value, so `1` equals `1.0`; a missing
    /// value compares as null).
    Equals(Value),
    /// The value equals one of these.
    OneOf(Vec<Value>),
    /// The value is present and not null (`true`), or missing or null (`false`).
    Exists(bool),
}

impl Selector {
    /// Tells whether the user described by `ctx` passes this selector, taking the legacy id
    /// from the context's `legacy_id` (a user without one matches no `percent` or `list`).
    pub fn matches(&self, ctx: &Value) -> bool {
        self.test(ctx.get("legacy_id").and_then(Value::as_str), ctx)
    }

    /// Tells whether the user with this legacy id, described by `ctx`, passes this selector;
    /// `percent` and `list` use `legacy_id` whatever the context holds.
    pub fn matches_user(&self, legacy_id: &str, ctx: &Value) -> bool {
        self.test(Some(legacy_id), ctx)
    }

    fn test(&self, legacy_id: Option<&str>, ctx: &Value) -> bool {
        match self {
            Selector::All => true,
            Selector::EmailDomain(domains) => {
                email_domain(ctx).is_some_and(|domain| domains.contains(&domain))
            }
            Selector::Field(field) => field.matches(ctx),
            Selector::Application(names) => string_in(ctx.get("application"), names),
            Selector::Tenant(names) => string_in(ctx.get("tenant"), names),
            Selector::Created(range) => created_matches(range, ctx),
            Selector::LastLogin(test) => test.matches(ctx),
            Selector::Percent(range) => legacy_id.is_some_and(|id| range.contains_id(id)),
            Selector::List(list) => legacy_id.is_some_and(|id| list.contains(id)),
            Selector::AllOf(all) => all.iter().all(|s| s.test(legacy_id, ctx)),
        }
    }

    /// The id lists this selector reads, in order.
    pub(crate) fn id_lists(&self) -> Vec<&IdList> {
        match self {
            Selector::List(list) => vec![list],
            Selector::AllOf(all) => all.iter().flat_map(Selector::id_lists).collect(),
            _ => Vec::new(),
        }
    }
}

impl FieldSelector {
    /// Tells whether the value at `path` in `ctx` passes the test.
    pub fn matches(&self, ctx: &Value) -> bool {
        let found = lookup(ctx, &self.path).unwrap_or(&Value::Null);
        match &self.test {
            FieldTest::Equals(expected) => json_equal(found, expected),
            FieldTest::OneOf(options) => options.iter().any(|o| json_equal(found, o)),
            FieldTest::Exists(wanted) => found.is_null() != *wanted,
        }
    }
}

/// Finds the value at a dotted path (`app_metadata.tier`, `identities.0.provider`).
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |current, step| match current {
            Value::Object(map) => map.get(step),
            Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// The lowercase domain of the context's `email`, if it has one.
fn email_domain(ctx: &Value) -> Option<String> {
    let email = ctx.get("email")?.as_str()?;
    let (_, domain) = email.rsplit_once('@')?;
    Some(domain.trim().to_lowercase())
}

fn string_in(value: Option<&Value>, names: &[String]) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|v| names.iter().any(|n| n == v))
}

/// Compares JSON values, treating numbers by value rather than by representation.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        _ => a == b,
    }
}
