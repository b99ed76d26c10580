//! Segments: named slices of the legacy users, chosen by a selector, matched first-wins.
//!
//! A selector is an enum with one variant per kind of test. The raw `where:` mapping has one
//! optional field per kind and must set exactly one, so adding a selector (a time range, a
//! percentage bucket, an id list) means one field in `raw::RawWhere`, one variant here and one
//! arm in `build_selector` and `Selector::matches`.
//!
//! Selectors test the user context: the JSON object a source builds for each legacy user
//! (`legacy_id`, `email`, `application`, `tenant`, ... plus the raw record's own keys).

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{field_index, field_key, printable};
use crate::raw::{RawField, RawSegment, RawWhere, SpannedList};
use crate::validate::Checker;

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
    /// Tells whether the user described by `ctx` passes this selector.
    pub fn matches(&self, ctx: &Value) -> bool {
        match self {
            Selector::All => true,
            Selector::EmailDomain(domains) => {
                email_domain(ctx).is_some_and(|domain| domains.contains(&domain))
            }
            Selector::Field(field) => field.matches(ctx),
            Selector::Application(names) => string_in(ctx.get("application"), names),
            Selector::Tenant(names) => string_in(ctx.get("tenant"), names),
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

/// Checks `segments:` and builds the segments (their `phase` is filled in later).
pub(crate) fn build_segments(raw: &SpannedList<RawSegment>, check: &mut Checker) -> Vec<Segment> {
    if raw.value.is_empty() {
        check.report(
            &raw.referenced,
            "segments",
            "a plan needs at least one segment",
        );
    }

    let mut segments: Vec<Segment> = Vec::new();
    let mut catch_all: Option<String> = None;
    for (i, item) in raw.value.iter().enumerate() {
        let path = field_index("segments", i);
        let name = &item.value.name;
        check.name("segment", name, &field_key(&path, "name"));
        if let Some(first) = raw.value[..i]
            .iter()
            .find(|s| s.value.name.value == name.value)
        {
            let line = first.value.name.referenced.line();
            let message = format!(
                "duplicate segment name {:?} (first on line {line})",
                name.value
            );
            check.report(&name.referenced, &field_key(&path, "name"), message);
        }

        let selector_path = field_key(&path, "where");
        let Some(selector) = build_selector(&item.value.selector, &selector_path, check) else {
            continue;
        };
        if let Some(earlier) = &catch_all {
            let message = format!(
                "segment {:?} can never match: segment {earlier:?} before it takes every user",
                name.value
            );
            check.report(&item.value.selector.referenced, &selector_path, message);
        }
        if selector == Selector::All && catch_all.is_none() {
            catch_all = Some(name.value.clone());
        }
        segments.push(Segment {
            name: name.value.clone(),
            selector,
            phase: String::new(),
        });
    }
    segments
}

/// Checks one `where:` mapping and builds its selector.
fn build_selector(raw: &Spanned<RawWhere>, path: &str, check: &mut Checker) -> Option<Selector> {
    let w = &raw.value;
    let given: Vec<&str> = [
        ("email_domain", w.email_domain.is_some()),
        ("field", w.field.is_some()),
        ("application", w.application.is_some()),
        ("tenant", w.tenant.is_some()),
        ("all", w.all.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if given.len() != 1 {
        let message = if given.is_empty() {
            "no selector; use one of email_domain, field, application, tenant, all".to_owned()
        } else {
            format!("give exactly one selector, found {}", given.join(", "))
        };
        check.report(&raw.referenced, path, message);
        return None;
    }

    if let Some(list) = &w.email_domain {
        let path = field_key(path, "email_domain");
        let domains = names_list(list, &path, check, "an email domain")?;
        for (i, domain) in list.value.iter().enumerate() {
            if domain.value.contains('@') {
                let message = "write the domain without @, such as acme.example";
                check.report(&domain.referenced, &field_index(&path, i), message);
            }
        }
        return Some(Selector::EmailDomain(
            domains.iter().map(|d| d.to_lowercase()).collect(),
        ));
    }
    if let Some(list) = &w.application {
        let path = field_key(path, "application");
        return names_list(list, &path, check, "an application name").map(Selector::Application);
    }
    if let Some(list) = &w.tenant {
        let path = field_key(path, "tenant");
        return names_list(list, &path, check, "a tenant name").map(Selector::Tenant);
    }
    if let Some(all) = &w.all {
        if !all.value {
            let message = "`all: false` selects nobody; use another selector or remove the segment";
            check.report(&all.referenced, &field_key(path, "all"), message);
            return None;
        }
        return Some(Selector::All);
    }
    let field = w.field.as_ref()?;
    build_field(
        &field.value,
        &field.referenced,
        &field_key(path, "field"),
        check,
    )
    .map(Selector::Field)
}

/// Checks a list of names (domains, applications, tenants): not empty, no blank entry.
fn names_list(
    list: &SpannedList<String>,
    path: &str,
    check: &mut Checker,
    what: &str,
) -> Option<Vec<String>> {
    if list.value.is_empty() {
        check.report(&list.referenced, path, "an empty list matches no user");
        return None;
    }
    let mut ok = true;
    for (i, item) in list.value.iter().enumerate() {
        if item.value.trim().is_empty() {
            check.report(
                &item.referenced,
                &field_index(path, i),
                format!("{what} is blank"),
            );
            ok = false;
        }
    }
    ok.then(|| {
        list.value
            .iter()
            .map(|s| s.value.trim().to_owned())
            .collect()
    })
}

/// Checks a `field:` selector: a usable path and exactly one test.
fn build_field(
    raw: &RawField,
    at: &serde_saphyr::Location,
    path: &str,
    check: &mut Checker,
) -> Option<FieldSelector> {
    let dotted = &raw.path.value;
    if dotted.is_empty() || dotted.split('.').any(str::is_empty) {
        let message = format!(
            "{:?} is not a dotted path such as app_metadata.tier",
            printable(dotted)
        );
        check.report(&raw.path.referenced, &field_key(path, "path"), message);
        return None;
    }

    let test = match (&raw.equals, &raw.one_of, &raw.exists) {
        (Some(value), None, None) => FieldTest::Equals(value.value.to_json()),
        (None, Some(list), None) if list.value.is_empty() => {
            let message = "an empty list matches no user";
            check.report(&list.referenced, &field_key(path, "one_of"), message);
            return None;
        }
        (None, Some(list), None) => {
            FieldTest::OneOf(list.value.iter().map(|n| n.value.to_json()).collect())
        }
        (None, None, Some(exists)) => FieldTest::Exists(exists.value),
        _ => {
            let message = "give exactly one of equals, one_of, exists";
            check.report(at, path, message);
            return None;
        }
    };
    Some(FieldSelector {
        path: dotted.clone(),
        test,
    })
}
