//! Checking `target:`: the Kratos admin API or the sandbox, and the limits on talking to it.
//!
//! The API key is the one secret a plan touches, and only by name: a key written into the plan
//! is refused without its value ever reaching a message, and `api_key_env` must look like the
//! name of an environment variable rather than like a key.

use std::path::Path;
use std::time::Duration;

use serde_saphyr::{Location, Spanned};

use crate::error::printable;
use crate::model::{Target, TargetSpec};
use crate::raw::RawTarget;
use crate::validate::{Checker, plan_path};

pub(crate) fn target(
    raw: &Spanned<RawTarget>,
    base_dir: &Path,
    check: &mut Checker,
) -> Option<TargetSpec> {
    let t = &raw.value;
    if let Some(key) = &t.api_key {
        let message = "an API key must not be written in a plan; put it in an environment \
                       variable and give that variable's name as api_key_env";
        check.report(&key.referenced, "target.api_key", message);
    }
    if let Some(env) = &t.api_key_env {
        check_env_name(env, check);
    }

    let endpoint = match (&t.admin_url, &t.sandbox) {
        (Some(url), None) => {
            check_url(url, check);
            Target::Kratos {
                admin_url: url.value.clone(),
                api_key_env: t.api_key_env.as_ref().map(|e| e.value.clone()),
            }
        }
        (None, Some(store)) => {
            if let Some(env) = &t.api_key_env {
                let message = "the sandbox takes no API key; api_key_env goes with admin_url";
                check.report(&env.referenced, "target.api_key_env", message);
            }
            Target::Sandbox {
                store: plan_path(store, base_dir, "target.sandbox", check),
            }
        }
        (Some(_), Some(_)) => {
            let message = "admin_url and sandbox exclude each other; give one of them";
            check.report(&raw.referenced, "target", message);
            return None;
        }
        (None, None) => {
            let message = "give admin_url (a Kratos admin API or Ory Network project URL) or \
                           sandbox (a local store file)";
            check.report(&raw.referenced, "target", message);
            return None;
        }
    };

    if t.schema_id.value.trim().is_empty() {
        check.report(
            &t.schema_id.referenced,
            "target.schema_id",
            "the schema id is empty",
        );
    }
    let number = |n: &Spanned<u32>| (u64::from(n.value), n.referenced);
    let timeout = t.timeout_secs.as_ref().map(|n| (n.value, n.referenced));
    let timeout_secs = bounded(timeout, 30, 1, 3600, "target.timeout_secs", check);
    let retries = t.max_retries.as_ref().map(number);
    let max_retries = bounded(retries, 5, 0, 100, "target.max_retries", check);
    let rate = t.rate_limit_per_minute.as_ref().map(|r| {
        let max = u64::from(u32::MAX);
        bounded(
            Some(number(r)),
            1,
            1,
            max,
            "target.rate_limit_per_minute",
            check,
        )
    });

    Some(TargetSpec {
        endpoint,
        schema_id: t.schema_id.value.clone(),
        timeout: Duration::from_secs(timeout_secs),
        max_retries: u32::try_from(max_retries).unwrap_or(u32::MAX),
        rate_limit_per_minute: rate.map(|r| u32::try_from(r).unwrap_or(u32::MAX)),
    })
}

/// Returns the value or its default, reporting a value outside `min..=max`.
fn bounded(
    value: Option<(u64, Location)>,
    default: u64,
    min: u64,
    max: u64,
    field: &str,
    check: &mut Checker,
) -> u64 {
    let Some((value, at)) = value else {
        return default;
    };
    if !(min..=max).contains(&value) {
        let name = field.rsplit('.').next().unwrap_or(field);
        let message = format!("{name} must be between {min} and {max}, found {value}");
        check.report(&at, field, message);
        return default;
    }
    value
}

fn check_url(url: &Spanned<String>, check: &mut Checker) {
    let text = &url.value;
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(char::is_whitespace)
    });
    if !host_ok {
        let message = format!(
            "{:?} is not an http:// or https:// URL with a host",
            printable(text)
        );
        check.report(&url.referenced, "target.admin_url", message);
    }
}

/// Checks that `api_key_env` names a variable; never echoes the value, which may be a key.
fn check_env_name(env: &Spanned<String>, check: &mut Checker) {
    let name = &env.value;
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // Ory API keys start with a lowercase `ory_` prefix and would otherwise pass as a name.
    let message = if name.starts_with("ory_") {
        "this looks like an API key; api_key_env takes the name of the environment variable \
         holding the key, such as ORY_API_KEY"
    } else if !valid {
        "not an environment variable name (letters, digits and _, not starting with a digit)"
    } else {
        return;
    };
    check.report(&env.referenced, "target.api_key_env", message);
}
