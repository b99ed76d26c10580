//! Time selectors: `created` and `last_login` bounds on a timestamp of the user context.
//!
//! Bounds are written as RFC 3339 times (`2024-01-31T12:00:00Z`, any offset) or as dates
//! (`2024-01-31`, meaning midnight UTC). `after` is inclusive and `before` exclusive, so two
//! segments split at the same instant (`before: X` and `after: X`) take every dated user
//! exactly once. The context holds the times the way the sources write them, RFC 3339 text;
//! a user without a value, or with one that is not a time, matches no range.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{field_key, printable};
use crate::raw::{RawLastLogin, RawTimeRange};
use crate::validate::Checker;

/// A span of time with optional ends: `after <= t < before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// The earliest time in the range (inclusive), if it has a lower end.
    pub after: Option<DateTime<Utc>>,
    /// The first time past the range (exclusive), if it has an upper end.
    pub before: Option<DateTime<Utc>>,
}

impl TimeRange {
    /// Tells whether `at` lies in the range.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.after.is_none_or(|after| after <= at) && self.before.is_none_or(|before| at < before)
    }

    /// Tells whether a context value is a time in the range.
    fn matches_value(&self, value: Option<&Value>) -> bool {
        value
            .and_then(Value::as_str)
            .and_then(parse_instant)
            .is_some_and(|at| self.contains(at))
    }
}

/// The test of a `last_login` selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginTest {
    /// Users with no recorded login (`never: true`): the value is missing or null.
    Never,
    /// Users whose last login lies in the range; both ends unset (`never: false`) means any
    /// user with a recorded login.
    Within(TimeRange),
}

impl LoginTest {
    /// Tells whether the context's `last_login` passes the test.
    pub(crate) fn matches(&self, ctx: &Value) -> bool {
        let value = ctx.get("last_login");
        match self {
            LoginTest::Never => value.is_none_or(Value::is_null),
            LoginTest::Within(range) => range.matches_value(value),
        }
    }
}

/// Tells whether the context's `created_at` lies in `range`.
pub(crate) fn created_matches(range: &TimeRange, ctx: &Value) -> bool {
    range.matches_value(ctx.get("created_at"))
}

/// Reads an RFC 3339 time, or a date as midnight UTC.
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// Checks a `created:` selector: at least one bound, both readable, in order.
pub(crate) fn build_created(
    raw: &Spanned<RawTimeRange>,
    path: &str,
    check: &mut Checker,
) -> Option<TimeRange> {
    let r = &raw.value;
    if r.after.is_none() && r.before.is_none() {
        check.report(&raw.referenced, path, "give after, before or both");
        return None;
    }
    build_range(r.after.as_ref(), r.before.as_ref(), path, check)
}

/// Checks a `last_login:` selector: `never: true` alone, or bounds as for `created`.
pub(crate) fn build_last_login(
    raw: &Spanned<RawLastLogin>,
    path: &str,
    check: &mut Checker,
) -> Option<LoginTest> {
    let r = &raw.value;
    let bounded = r.after.is_some() || r.before.is_some();
    match (&r.never, bounded) {
        (Some(never), true) if never.value => {
            let message = "never: true selects users without a login and cannot have bounds; \
                           remove after and before, or never";
            check.report(&never.referenced, &field_key(path, "never"), message);
            None
        }
        (Some(never), false) if never.value => Some(LoginTest::Never),
        (None, false) => {
            check.report(
                &raw.referenced,
                path,
                "give after, before, both, or never: true",
            );
            None
        }
        _ => build_range(r.after.as_ref(), r.before.as_ref(), path, check).map(LoginTest::Within),
    }
}

/// Reads both bounds, reporting each unreadable one and a range that holds no instant.
fn build_range(
    after: Option<&Spanned<String>>,
    before: Option<&Spanned<String>>,
    path: &str,
    check: &mut Checker,
) -> Option<TimeRange> {
    // Both bounds are read before either failure returns, so that both are reported.
    let after_at = after
        .map(|a| bound(a, &field_key(path, "after"), check))
        .transpose();
    let before_at = before
        .map(|b| bound(b, &field_key(path, "before"), check))
        .transpose();
    let range = TimeRange {
        after: after_at.ok()?,
        before: before_at.ok()?,
    };

    if let (Some(start), Some(end), Some(written)) = (range.after, range.before, after)
        && start >= end
    {
        let message = format!(
            "after must be earlier than before, or the segment can never match ({} is not \
             before {})",
            start.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            end.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
        check.report(&written.referenced, &field_key(path, "after"), message);
        return None;
    }
    Some(range)
}

/// Reads one bound, reporting it when it is not a time.
fn bound(raw: &Spanned<String>, field: &str, check: &mut Checker) -> Result<DateTime<Utc>, ()> {
    parse_instant(&raw.value).ok_or_else(|| {
        let message = format!(
            "{:?} is not a date (2024-01-31) or an RFC 3339 time (2024-01-31T12:00:00Z)",
            printable(&raw.value)
        );
        check.report(&raw.referenced, field, message);
    })
}
