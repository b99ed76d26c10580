//! The second stage of loading: turning the raw file into checked parts of a `Plan`.
//!
//! Every check reports to a `Checker` and carries on, so one run over a plan lists all of its
//! problems, each at the line of the offending value. Segments and phases have their own
//! modules, and so does the target; this one holds the checker and the smaller sections
//! (source, identity, policy).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_saphyr::{Location, Spanned};

use crate::compile::Compiler;
use crate::error::{Issue, field_key, printable};
use crate::model::{
    Activate, HashJoin, KeycloakSource, Policy, SourceSpec, TargetSpec, UnavailablePassword,
    UnimportableHash,
};
use crate::phase_settings::{PhaseDefaults, activate};
use crate::phases::build_phases;
use crate::raw::{
    RawIdentity, RawJoin, RawKeycloakSource, RawPlan, RawPolicy, RawSource, RawState,
    RawUnavailable, RawUnimportable,
};
use crate::segment::Segment;
use crate::segment_check::build_segments;
use crate::template::{DEFAULT_TRAITS, IdentityMapping};
use crate::yaml::{self, Node};

/// The only plan format version this crate reads.
pub const PLAN_VERSION: u64 = 1;

/// Collects the problems found in one plan file.
pub(crate) struct Checker {
    file: PathBuf,
    issues: Vec<Issue>,
}

impl Checker {
    pub(crate) fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            issues: Vec::new(),
        }
    }

    /// Records a problem with the value at `at`, whose field path is `field`.
    pub(crate) fn report(&mut self, at: &Location, field: &str, message: impl Into<String>) {
        self.issues
            .push(Issue::at(&self.file, at, field, message.into()));
    }

    /// Checks that a plan, segment or phase name is usable on a command line and in logs.
    pub(crate) fn name(&mut self, kind: &str, name: &Spanned<String>, field: &str) {
        let text = &name.value;
        let mut chars = text.chars();
        let good_start = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let good_rest = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !(good_start && good_rest && text.len() <= 64) {
            let message = format!(
                "{kind} name {:?} must be 1 to 64 letters, digits, '.', '_' or '-', \
                 starting with a letter or digit",
                printable(text)
            );
            self.report(&name.referenced, field, message);
        }
    }

    /// Returns the problems in file order, or nothing when there were none.
    pub(crate) fn finish(mut self) -> Result<(), Vec<Issue>> {
        if self.issues.is_empty() {
            return Ok(());
        }
        self.issues.sort_by_key(|i| (i.line, i.column));
        Err(self.issues)
    }
}

/// The checked parts of a plan, ready to become a `Plan`.
pub(crate) struct Checked {
    pub name: String,
    pub source: SourceSpec,
    pub target: TargetSpec,
    pub identity: IdentityMapping,
    pub policy: Policy,
    pub segments: Vec<Segment>,
    pub phases: Vec<crate::model::Phase>,
}

/// Checks the whole raw plan; paths in it are resolved against `base_dir`.
pub(crate) fn validate(raw: &RawPlan, file: &Path, base_dir: &Path) -> Result<Checked, Vec<Issue>> {
    let mut check = Checker::new(file);

    if raw.version.value != PLAN_VERSION {
        let message = format!(
            "unsupported plan version {}; this cutover reads version {PLAN_VERSION}",
            raw.version.value
        );
        check.report(&raw.version.referenced, "version", message);
    }
    check.name("plan", &raw.name, "name");

    let source = source(&raw.source, base_dir, &mut check);
    let target = crate::target::target(&raw.target, base_dir, &mut check);
    let activate = plan_activation(raw.identity.as_ref(), &mut check);
    let identity = identity(raw.identity.as_ref(), activate, &mut check);
    let policy = policy(raw.policy.as_ref());
    let mut segments = build_segments(&raw.segments, base_dir, &mut check);
    let defaults = PhaseDefaults {
        rate_limit_per_minute: target.as_ref().and_then(|t| t.rate_limit_per_minute),
        activate,
    };
    let phases = build_phases(
        &raw.phases,
        &raw.segments,
        &mut segments,
        &defaults,
        &mut check,
    );

    check.finish()?;
    Ok(Checked {
        name: raw.name.value.clone(),
        source,
        target: target.expect("a target without problems was built"),
        identity: identity.expect("an identity mapping without problems was built"),
        policy,
        segments,
        phases,
    })
}

fn source(spanned: &Spanned<RawSource>, base_dir: &Path, check: &mut Checker) -> SourceSpec {
    let raw = &spanned.value;
    let format = &raw.format.value;
    // Format names are lowercase words that may carry digits (`auth0`), like reader names.
    let starts_well = format
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = format
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !(starts_well && rest_ok) {
        let message = format!(
            "{:?} is not a source format name such as auth0",
            printable(format)
        );
        check.report(&raw.format.referenced, "source.format", message);
    }

    let generic = crate::generic_check::generic(spanned, check);
    SourceSpec {
        format: format.clone(),
        users: crate::generic_check::users(spanned, base_dir, check),
        password_hashes: raw
            .password_hashes
            .as_ref()
            .map(|p| plan_path(p, base_dir, "source.password_hashes", check)),
        join: match raw.join.as_ref().map(|j| j.value) {
            None | Some(RawJoin::UserId) => HashJoin::UserId,
            Some(RawJoin::Email) => HashJoin::Email,
        },
        keycloak: raw
            .keycloak
            .as_ref()
            .map(|keycloak| keycloak_source(keycloak, format, check)),
        firebase: crate::firebase::firebase(raw, check),
        fields: generic.fields,
        password: generic.password,
        csv: generic.csv,
        sql: generic.sql,
    }
}

/// `source.keycloak:`, which only the `keycloak` reader takes.
fn keycloak_source(
    raw: &Spanned<RawKeycloakSource>,
    format: &str,
    check: &mut Checker,
) -> KeycloakSource {
    if format != "keycloak" {
        let message = format!(
            "source.keycloak goes with format keycloak, not {:?}; remove it or change \
             source.format",
            printable(format)
        );
        check.report(&raw.referenced, "source.keycloak", message);
    }

    let mut realms: Vec<String> = Vec::new();
    let Some(list) = &raw.value.realms else {
        return KeycloakSource { realms };
    };
    if list.value.is_empty() {
        let message = "an empty list reads no realm; leave realms out to read every realm";
        check.report(&list.referenced, "source.keycloak.realms", message);
    }
    for (index, realm) in list.value.iter().enumerate() {
        let field = format!("source.keycloak.realms[{index}]");
        if realm.value.trim().is_empty() {
            check.report(&realm.referenced, &field, "a realm name is blank");
        } else if realms.contains(&realm.value) {
            let message = format!("realm {:?} is listed twice", printable(&realm.value));
            check.report(&realm.referenced, &field, message);
        } else {
            realms.push(realm.value.clone());
        }
    }
    KeycloakSource { realms }
}

/// Resolves a path written in the plan against the plan's directory.
pub(crate) fn plan_path(
    raw: &Spanned<String>,
    base_dir: &Path,
    field: &str,
    check: &mut Checker,
) -> PathBuf {
    if raw.value.trim().is_empty() {
        check.report(&raw.referenced, field, "the path is empty");
    }
    base_dir.join(&raw.value)
}

/// The plan-wide activation: `identity.activate`, or the older `identity.state` it replaces
/// (`active` is `on_import`, `inactive` is `on_golive`), or `on_golive`.
fn plan_activation(raw: Option<&Spanned<RawIdentity>>, check: &mut Checker) -> Activate {
    let raw = raw.map(|r| &r.value);
    let state = raw.and_then(|r| r.state.as_ref());
    let written = raw.and_then(|r| r.activate.as_ref());
    match (written, state) {
        (Some(written), Some(state)) => {
            let message = "give activate or state, not both; state is the older spelling \
                           (state: active is activate: on_import, state: inactive is \
                           activate: on_golive)";
            check.report(&state.referenced, "identity.state", message);
            activate(written.value)
        }
        (Some(written), None) => activate(written.value),
        (None, Some(state)) => match state.value {
            RawState::Active => Activate::OnImport,
            RawState::Inactive => Activate::OnGolive,
        },
        (None, None) => Activate::default(),
    }
}

fn identity(
    raw: Option<&Spanned<RawIdentity>>,
    activate: Activate,
    check: &mut Checker,
) -> Option<IdentityMapping> {
    let mut compiler = Compiler::new();
    let raw = raw.map(|r| &r.value);

    let traits = match raw.and_then(|r| r.traits.as_ref()) {
        Some(node) => compiler.add(node, "identity.traits", check),
        None => {
            let node: Spanned<Node> =
                serde_saphyr::from_str_with_options(DEFAULT_TRAITS, yaml::options())
                    .expect("the default traits are valid YAML");
            compiler.add(&node, "identity.traits", check)
        }
    };
    let metadata = raw
        .and_then(|r| r.metadata_public.as_ref())
        .map(|node| compiler.add(node, "identity.metadata_public", check));

    let mut social_providers = BTreeMap::new();
    if let Some(map) = raw.and_then(|r| r.social_providers.as_ref()) {
        for (connection, provider) in &map.value {
            if provider.value.trim().is_empty() {
                let field = field_key("identity.social_providers", connection);
                check.report(&provider.referenced, &field, "the provider id is empty");
            }
            social_providers.insert(connection.clone(), provider.value.clone());
        }
    }

    let verified_email = raw
        .and_then(|r| r.verified_email.as_ref())
        .is_none_or(|v| v.value);
    let traits = traits?;
    let metadata = match metadata {
        Some(id) => Some(id?),
        None => None,
    };
    let mut mappings = compiler.finish();
    let metadata_public = metadata.map(|id| mappings[id.0].clone());
    let traits = mappings.swap_remove(traits.0);
    Some(IdentityMapping::new(
        traits,
        metadata_public,
        social_providers,
        verified_email,
        activate,
    ))
}

fn policy(raw: Option<&Spanned<RawPolicy>>) -> Policy {
    let raw = raw.map(|p| &p.value);
    let unimportable = raw
        .and_then(|p| p.unimportable_hash.as_ref())
        .map(|u| u.value);
    let unavailable = raw
        .and_then(|p| p.unavailable_password.as_ref())
        .map(|u| u.value);
    Policy {
        unimportable_hash: match unimportable {
            None | Some(RawUnimportable::Hook) => UnimportableHash::Hook,
            Some(RawUnimportable::NoPassword) => UnimportableHash::NoPassword,
            Some(RawUnimportable::Fail) => UnimportableHash::Fail,
        },
        unavailable_password: match unavailable {
            None | Some(RawUnavailable::Hook) => UnavailablePassword::Hook,
            Some(RawUnavailable::NoPassword) => UnavailablePassword::NoPassword,
        },
    }
}
