//! The cutover plan: reading the YAML file, checking it, and answering questions about it.
//!
//! A plan says where legacy users come from, where they go, how each becomes a Kratos
//! identity, how they are cut into segments and in which phases the segments move. Loading
//! happens in two stages: serde types that mirror the file (`raw`), then validation into a
//! [`Plan`] whose references are resolved, defaults applied and phases ordered. Only a `Plan`
//! reaches the worker; every problem on the way is reported with file, line, column and field.
//!
//! The crate does no I/O beyond reading the plan file and the id lists it names, and knows
//! nothing of sources, ledgers or HTTP: the worker asks it which segment a user is in, what
//! their traits are, and whether a phase's window is open at a time the worker chooses.
//!
//! ```no_run
//! use cutover_plan::Plan;
//!
//! let plan = Plan::load("plans/acme.yaml".as_ref())?;
//! for phase in &plan.phases {
//!     println!("{}: {} per batch", phase.name, phase.batch_size);
//! }
//! # Ok::<(), cutover_plan::PlanError>(())
//! ```

#![forbid(unsafe_code)]

mod compile;
mod diff;
mod error;
mod firebase;
mod generic;
mod generic_check;
mod generic_password;
mod generic_scheme;
mod id_list;
mod model;
mod percent;
mod phase_settings;
mod phases;
mod raw;
mod raw_generic;
mod redact;
mod segment;
mod segment_check;
mod target;
mod template;
mod time_range;
mod validate;
mod window;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::MessageFormatter;
use sha2::{Digest, Sha256};

pub use diff::diff_plans;
pub use error::{Issue, PlanError, TemplateError};
pub use generic::{
    BinaryEncoding, ByteEncoding, CountSpec, CsvDialect, DigestAlgorithm, FieldMapping,
    GENERIC_FORMATS, PasswordChoice, PasswordScheme, PasswordSpec, SaltPosition, SaltSpec,
    SqlSource, WhenEmpty,
};
pub use id_list::IdList;
pub use model::{
    Activate, DEFAULT_GOLIVE_SAMPLE, FirebaseSpec, HashJoin, IdentityState, KeycloakSource,
    MAX_GOLIVE_SAMPLE, OutsideWindow, Phase, Policy, SourceSpec, Target, TargetSpec,
    UnavailablePassword, UnimportableHash,
};
pub use percent::{PERCENT_BUCKETS, PercentRange, percent_bucket};
pub use phases::MAX_BATCH_SIZE;
pub use segment::{FieldSelector, FieldTest, Segment, Selector, lookup};
pub use template::IdentityMapping;
pub use time_range::{LoginTest, TimeRange};
pub use validate::PLAN_VERSION;
pub use window::{MAX_WINDOW_MINUTES, Window, WindowError};

use crate::error::{field_key, printable};
use crate::raw::RawPlan;
use crate::redact::redact_secrets;

/// A checked plan: every reference resolved, defaults applied, phases in execution order.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The plan's name (`name:`).
    pub name: String,
    /// The legacy export to read.
    pub source: SourceSpec,
    /// Where identities are created.
    pub target: TargetSpec,
    /// How a legacy user becomes an identity.
    pub identity: IdentityMapping,
    /// Decisions about users that cannot be imported as they are.
    pub policy: Policy,
    /// The segments in file order, which is the order users are matched in.
    pub segments: Vec<Segment>,
    /// The phases in execution order: each after the phases in its `after`, otherwise in file
    /// order.
    pub phases: Vec<Phase>,
    path: PathBuf,
    base_dir: PathBuf,
    digest: String,
    canonical: Value,
}

impl Plan {
    /// Reads and checks the plan file at `path`.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let text = std::fs::read_to_string(path).map_err(|source| PlanError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Plan::parse(&text, path)
    }

    /// Checks plan text that was read from `path` (used in messages and to resolve the
    /// relative paths in the plan). The id lists that segments name with `list` are read
    /// here, relative to the directory of `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Plan, PlanError> {
        let raw: RawPlan = serde_saphyr::from_str_with_options(text, yaml::options())
            .map_err(|error| syntax_error(error, text, path))?;

        let base_dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let checked =
            validate::validate(&raw, path, &base_dir).map_err(|issues| PlanError::Invalid {
                issues,
                text: Arc::from(redact_secrets(text)),
            })?;

        // Serializing plain data into a JSON value cannot fail; a failure would be a bug in
        // the raw types, and an empty value would only make a later diff show everything.
        let mut canonical = serde_json::to_value(&raw).unwrap_or_default();
        let lists = list_files(&checked.segments);
        let digest = plan_digest(text, &lists);
        if let (Value::Object(map), false) = (&mut canonical, lists.is_empty()) {
            map.insert(LIST_FILES_KEY.to_owned(), list_summary(&lists));
        }
        Ok(Plan {
            name: checked.name,
            source: checked.source,
            target: checked.target,
            identity: checked.identity,
            policy: checked.policy,
            segments: checked.segments,
            phases: checked.phases,
            path: path.to_path_buf(),
            base_dir,
            digest,
            canonical,
        })
    }

    /// The path the plan was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory relative paths in the plan are resolved against (the plan's own).
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// Identifies this exact version of the plan, as lowercase hex.
    ///
    /// For a plan without id lists, the SHA-256 of the plan file's bytes. When segments use
    /// `list`, the SHA-256 of the file's bytes followed, for each distinct list path in sorted
    /// order, by a zero byte, `list`, a zero byte, the path as written, a zero byte and the
    /// lowercase hex SHA-256 of the list file: editing a list changes the digest.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The plan as written (no defaults added), as JSON with sorted keys, for `diff_plans`.
    ///
    /// When segments use `list`, a top-level `list_files` key (a name no plan can use) maps
    /// each list path as written to `{ "sha256": ..., "ids": <count> }`, so that a change to a
    /// list shows as a change of the plan.
    pub fn canonical_json(&self) -> Value {
        self.canonical.clone()
    }

    /// The first segment whose selector the user context `ctx` passes, if any; `percent` and
    /// `list` read the legacy id from the context's `legacy_id`.
    pub fn segment_for(&self, ctx: &Value) -> Option<&Segment> {
        self.segments.iter().find(|s| s.selector.matches(ctx))
    }

    /// The first segment the user with this legacy id, described by `ctx`, belongs to;
    /// `percent` and `list` use `legacy_id` whatever the context holds.
    pub fn segment_for_user(&self, legacy_id: &str, ctx: &Value) -> Option<&Segment> {
        self.segments
            .iter()
            .find(|s| s.selector.matches_user(legacy_id, ctx))
    }

    /// The segment with this name.
    pub fn segment(&self, name: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.name == name)
    }

    /// The phase with this name.
    pub fn phase(&self, name: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.name == name)
    }

    /// The phase that migrates the named segment; `None` only for a name not in the plan.
    pub fn phase_of_segment(&self, segment: &str) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.segments.iter().any(|s| s == segment))
    }

    /// Renders the identity traits for the user context `ctx` (see [`IdentityMapping`]).
    pub fn render_traits(&self, ctx: &Value) -> Result<Value, TemplateError> {
        self.identity.render_traits(ctx)
    }

    /// Renders `identity.metadata_public` for `ctx`; `None` when the plan sets none.
    pub fn render_metadata_public(&self, ctx: &Value) -> Result<Option<Value>, TemplateError> {
        self.identity.render_metadata_public(ctx)
    }

    /// The Kratos OIDC provider id for a legacy social connection, if the plan maps it.
    pub fn social_provider(&self, connection: &str) -> Option<&str> {
        self.identity.social_provider(connection)
    }
}

/// The canonical JSON key for the id lists; `deny_unknown_fields` keeps it out of plans.
const LIST_FILES_KEY: &str = "list_files";

/// The id lists of all segments, by the path as written, once each, in sorted order.
fn list_files(segments: &[Segment]) -> BTreeMap<&str, &IdList> {
    segments
        .iter()
        .flat_map(|s| s.selector.id_lists())
        .map(|list| (list.written.as_str(), list))
        .collect()
}

/// See [`Plan::digest`].
fn plan_digest(text: &str, lists: &BTreeMap<&str, &IdList>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    for (written, list) in lists {
        for part in ["list", written, &list.sha256] {
            hasher.update([0u8]);
            hasher.update(part.as_bytes());
        }
    }
    hex::encode(hasher.finalize())
}

/// The `list_files` entry of the canonical JSON.
fn list_summary(lists: &BTreeMap<&str, &IdList>) -> Value {
    let entries = lists.iter().map(|(written, list)| {
        let summary = serde_json::json!({ "sha256": list.sha256, "ids": list.len() });
        ((*written).to_owned(), summary)
    });
    Value::Object(entries.collect())
}

/// Wraps a serde-saphyr error with the file name and, when it can be found, the field path.
///
/// Serde reports a missing or unknown field at a key of the mapping concerned; the issue names
/// the field itself (`phases[0].batch_sise`), and a missing field is placed at the start of the
/// mapping that lacks it rather than at whichever key serde happened to read last.
fn syntax_error(error: serde_saphyr::Error, text: &str, path: &Path) -> PlanError {
    let mut location = error.location().unwrap_or(serde_saphyr::Location::UNKNOWN);
    let found = yaml::node_at(text, location.line(), location.column());
    let parent = found.as_ref().map(|f| f.path.as_str()).unwrap_or_default();

    let formatted = serde_saphyr::DefaultMessageFormatter
        .format_message(&error)
        .into_owned();
    let (field, message) = match error.without_snippet() {
        serde_saphyr::Error::SerdeUnknownField { field, .. } => {
            (field_key(parent, field), formatted)
        }
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            if let Some(found) = &found {
                location = found.start;
            }
            let message = format!("missing field `{field}`, which is required here");
            (field_key(parent, field), message)
        }
        serde_saphyr::Error::DuplicateMappingKey { key: Some(key), .. } => {
            let message = format!("duplicate key `{key}`; give each key once and delete the other");
            (field_key(parent, key), message)
        }
        serde_saphyr::Error::Unexpected { expected, .. } => {
            let expected = match *expected {
                "sequence start" => "a list",
                "mapping start" => "a mapping",
                "string scalar" | "scalar" => "a single value",
                other => other,
            };
            (parent.to_owned(), format!("expected {expected}"))
        }
        serde_saphyr::Error::InvalidScalar { ty, .. } => {
            (parent.to_owned(), format!("expected {}", scalar_kind(ty)))
        }
        _ => (parent.to_owned(), formatted),
    };

    PlanError::Syntax {
        issue: Box::new(Issue::at(path, &location, &field, printable(&message))),
        yaml: Box::new(error),
        text: Arc::from(redact_secrets(text)),
    }
}

/// Describes a Rust scalar type the way a plan author thinks of the value.
fn scalar_kind(ty: &str) -> String {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "bool" => "true or false".to_owned(),
        other => format!("a value of type {other}"),
    }
}
