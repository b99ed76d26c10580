//! The plan file as written: serde types that mirror the YAML one to one.
//!
//! Nothing here is checked beyond shape: every struct denies unknown fields so a misspelt key is
//! an error rather than a silently ignored setting, and every value that a later check may
//! complain about is wrapped in `Spanned` so the complaint can point at its line. Enums are
//! externally tagged or plain strings because serde-saphyr loses locations inside untagged and
//! internally tagged enums. Defaults are applied by `validate`, not here, so that the canonical
//! JSON of a plan shows what the file says and nothing more.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::raw_generic::{RawCsv, RawFields, RawPassword, RawSql};
use crate::yaml::Node;

/// A list whose items each keep their location.
pub(crate) type SpannedList<T> = Spanned<Vec<Spanned<T>>>;

/// The whole plan file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    pub version: Spanned<u64>,
    pub name: Spanned<String>,
    pub source: Spanned<RawSource>,
    pub target: Spanned<RawTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Spanned<RawIdentity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Spanned<RawPolicy>>,
    pub segments: SpannedList<RawSegment>,
    pub phases: SpannedList<RawPhase>,
}

/// `source:` — the legacy export to read.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub format: Spanned<String>,
    /// Required by every format but `sql`; `validate` says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_hashes: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join: Option<Spanned<RawJoin>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keycloak: Option<Spanned<RawKeycloakSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firebase: Option<Spanned<RawFirebase>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Spanned<RawFields>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Spanned<RawPassword>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv: Option<Spanned<RawCsv>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<Spanned<RawSql>>,
}

/// `source.firebase:` — the Firebase project's password hash parameters.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFirebase {
    /// Optional here so that a plan giving the key itself gets the refusal below rather than
    /// a missing-field error; validation requires it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer_key_env: Option<Spanned<String>>,
    pub salt_separator: Spanned<String>,
    pub rounds: Spanned<u32>,
    pub mem_cost: Spanned<u32>,
    /// A signer key written into the plan; accepted by the parser only to be refused. Its
    /// value is never kept.
    #[serde(default, skip_serializing, alias = "base64_signer_key")]
    pub signer_key: Option<Spanned<Refused>>,
}

/// `source.keycloak:` — settings only the `keycloak` reader takes.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKeycloakSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realms: Option<SpannedList<String>>,
}

/// `source.join:` — how password hashes are matched to users.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawJoin {
    UserId,
    Email,
}

/// `target:` — where identities are created.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<Spanned<String>>,
    /// A key written into the plan; accepted by the parser only to be refused with a clear
    /// message. Its value is never kept.
    #[serde(
        default,
        skip_serializing,
        alias = "apikey",
        alias = "api_token",
        alias = "access_token",
        alias = "token"
    )]
    pub api_key: Option<Spanned<Refused>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<Spanned<String>>,
    pub schema_id: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<Spanned<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<Spanned<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_minute: Option<Spanned<u32>>,
}

/// A value that must not be in the plan (a secret); deserializing it discards the content.
#[derive(Debug)]
pub(crate) struct Refused;

impl<'de> Deserialize<'de> for Refused {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Refused)
    }
}

/// `identity:` — how a legacy user becomes a Kratos identity.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIdentity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traits: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_providers: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_email: Option<Spanned<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Spanned<RawState>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activate: Option<Spanned<RawActivate>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_public: Option<Spanned<Node>>,
}

/// `identity.state:` — the state identities are created in.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawState {
    Active,
    Inactive,
}

/// `identity.activate:` and `phases[].activate:` — when identities become able to sign in.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawActivate {
    OnGolive,
    OnImport,
}

/// `policy:` — what to do with users that need a decision.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unimportable_hash: Option<Spanned<RawUnimportable>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable_password: Option<Spanned<RawUnavailable>>,
}

/// `policy.unimportable_hash:`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawUnimportable {
    Hook,
    NoPassword,
    Fail,
}

/// `policy.unavailable_password:`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawUnavailable {
    Hook,
    NoPassword,
}

/// One entry of `segments:`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSegment {
    pub name: Spanned<String>,
    #[serde(rename = "where")]
    pub selector: Spanned<RawWhere>,
}

/// `where:` — one or more selectors, all of which must hold; every selector is a field so that
/// a new one is a new line here and a new variant of `Selector`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWhere {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_domain: Option<SpannedList<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Spanned<RawField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<SpannedList<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<SpannedList<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Spanned<RawTimeRange>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_login: Option<Spanned<RawLastLogin>>,
    /// A number (`percent: 5`) or a mapping (`{ from, to, seed }`); a plain enum of the two
    /// would lose the locations inside, so the shape is checked by `validate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<Spanned<bool>>,
}

/// `where.created:` — bounds on a timestamp, each optional; kept as text until validation so
/// that a bad date is reported with the plan's own words.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeRange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Spanned<String>>,
}

/// `where.last_login:` — a time range, or `never: true` for users who never logged in.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLastLogin {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub never: Option<Spanned<bool>>,
}

/// `where.field:` — a test on one value of the user context.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub path: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_of: Option<SpannedList<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exists: Option<Spanned<bool>>,
}

/// One entry of `phases:`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPhase {
    pub name: Spanned<String>,
    pub segments: SpannedList<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<Spanned<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<SpannedList<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_golive: Option<Spanned<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_failed_ratio: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub golive_sample: Option<Spanned<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_minute: Option<Spanned<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Spanned<RawWindow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside_window: Option<Spanned<RawOutsideWindow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activate: Option<Spanned<RawActivate>>,
}

/// `phases[].window:` — when a phase may send: a cron schedule of openings and how long each
/// opening lasts.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWindow {
    pub cron: Spanned<String>,
    pub minutes: Spanned<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Spanned<String>>,
}

/// `phases[].outside_window:` — what a run does when the phase's window is closed.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawOutsideWindow {
    Wait,
    Exit,
}
