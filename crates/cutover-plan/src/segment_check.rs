//! Checking `segments:`: names, selectors, and segments that could never match.
//!
//! Each `where:` key is checked on its own and becomes one selector; several keys become an
//! `AllOf`. A segment that no user could ever be in is refused at its line, since it is
//! always a mistake in the plan: an empty list or range, or any segment after one that takes
//! every user (`all: true` alone).

use std::path::Path;

use serde_saphyr::Spanned;

use crate::error::{field_index, field_key, printable};
use crate::id_list::build_list;
use crate::percent::build_percent;
use crate::raw::{RawField, RawSegment, RawWhere, SpannedList};
use crate::segment::{FieldSelector, FieldTest, Segment, Selector};
use crate::time_range::{build_created, build_last_login};
use crate::validate::Checker;

/// Checks `segments:` and builds the segments (their `phase` is filled in later); id lists
/// are read relative to `base_dir`.
pub(crate) fn build_segments(
    raw: &SpannedList<RawSegment>,
    base_dir: &Path,
    check: &mut Checker,
) -> Vec<Segment> {
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
        if let Some(earlier) = &catch_all {
            let message = format!(
                "segment {:?} can never match: segment {earlier:?} before it takes every user",
                name.value
            );
            check.report(&item.value.selector.referenced, &selector_path, message);
        }
        let Some(selector) = build_selector(&item.value.selector, &selector_path, base_dir, check)
        else {
            continue;
        };
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

/// The selector keys of `where:`, in the order they are listed in messages.
const SELECTOR_KEYS: &str =
    "email_domain, application, tenant, field, created, last_login, percent, list, all";

/// Checks one `where:` mapping and builds its selector: one key gives that selector, several
/// give an `AllOf` of them.
fn build_selector(
    raw: &Spanned<RawWhere>,
    path: &str,
    base_dir: &Path,
    check: &mut Checker,
) -> Option<Selector> {
    let w = &raw.value;

    // Every key is checked even after one fails, so that one run lists every problem.
    let mut parts: Vec<Option<Selector>> = Vec::new();
    if let Some(list) = &w.email_domain {
        parts.push(email_domains(list, &field_key(path, "email_domain"), check));
    }
    if let Some(list) = &w.application {
        let path = field_key(path, "application");
        let names = names_list(list, &path, check, "an application name");
        parts.push(names.map(Selector::Application));
    }
    if let Some(list) = &w.tenant {
        let path = field_key(path, "tenant");
        parts.push(names_list(list, &path, check, "a tenant name").map(Selector::Tenant));
    }
    if let Some(field) = &w.field {
        let path = field_key(path, "field");
        let built = build_field(&field.value, &field.referenced, &path, check);
        parts.push(built.map(Selector::Field));
    }
    if let Some(created) = &w.created {
        let path = field_key(path, "created");
        parts.push(build_created(created, &path, check).map(Selector::Created));
    }
    if let Some(login) = &w.last_login {
        let path = field_key(path, "last_login");
        parts.push(build_last_login(login, &path, check).map(Selector::LastLogin));
    }
    if let Some(percent) = &w.percent {
        let path = field_key(path, "percent");
        parts.push(build_percent(percent, &path, check).map(Selector::Percent));
    }
    if let Some(list) = &w.list {
        let path = field_key(path, "list");
        parts.push(build_list(list, base_dir, &path, check).map(Selector::List));
    }
    if let Some(all) = &w.all {
        if all.value {
            parts.push(Some(Selector::All));
        } else {
            let message = "`all: false` selects nobody; use another selector or remove the segment";
            check.report(&all.referenced, &field_key(path, "all"), message);
            parts.push(None);
        }
    }

    if parts.is_empty() {
        let message = format!("no selector; use one or more of {SELECTOR_KEYS}");
        check.report(&raw.referenced, path, message);
        return None;
    }
    let mut parts: Vec<Selector> = parts.into_iter().collect::<Option<_>>()?;
    if parts.len() == 1 {
        return parts.pop();
    }
    // `all: true` beside other keys adds nothing to what they require.
    parts.retain(|part| *part != Selector::All);
    Some(Selector::AllOf(parts))
}

/// Checks an `email_domain:` list: names without `@`, stored lowercase.
fn email_domains(list: &SpannedList<String>, path: &str, check: &mut Checker) -> Option<Selector> {
    let domains = names_list(list, path, check, "an email domain");
    let mut ok = true;
    for (i, domain) in list.value.iter().enumerate() {
        if domain.value.contains('@') {
            let message = "write the domain without @, such as acme.example";
            check.report(&domain.referenced, &field_index(path, i), message);
            ok = false;
        }
    }
    let domains = domains.filter(|_| ok)?;
    Some(Selector::EmailDomain(
        domains.iter().map(|d| d.to_lowercase()).collect(),
    ))
}

/// Checks a list of names (domains, applications, tenants): not empty, no blank entry.
fn names_list(
    list: &SpannedList<String>,
    path: &str,
    check: &mut Checker,
    what: &str,
) -> Option<Vec<String>> {
    if list.value.is_empty() {
        let message = "an empty list matches no user, so the segment can never match";
        check.report(&list.referenced, path, message);
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
            let message = "an empty list matches no user, so the segment can never match";
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
