//! Preparation: the export read once, every user given a segment, a phase, keys and an
//! identity body or a verdict. `check`, intake and every phase read the export through here,
//! so they all see the same users the same way.

use std::collections::HashMap;

use cutover_ledger::{IntakeFingerprints, IntakeRow, ReasonCode, UserState};
use cutover_ory::CreateIdentityBody;
use cutover_plan::{HashJoin, Plan};
use cutover_source::{JoinKey, LegacyUser, SourceConfig, SourceItem, SourceWarning, Unreadable};

use crate::WorkerError;
use crate::keys::{
    external_id, fingerprint, fingerprints, normalise_identifier, patch_id, upgrade_fingerprints,
};
use crate::mapping::{Verdict, identity_body};
use crate::password::PasswordDecision;

/// One legacy user, ready for the ledger and the target.
#[derive(Debug)]
pub struct PreparedUser {
    /// Position in the export, from 1.
    pub seq: u64,
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The user's segment.
    pub segment: String,
    /// The phase that moves the segment.
    pub phase: String,
    /// The hash family of the user's password, or `none`.
    pub hash_family: String,
    /// Which way the user's password goes to the target.
    pub password: PasswordDecision,
    /// Whether the legacy system blocked the user.
    pub blocked: bool,
    /// The identity to create, unless a verdict stops the user.
    pub body: Result<CreateIdentityBody, Verdict>,
}

impl PreparedUser {
    /// The user's row for the ledger's intake.
    pub fn intake_row(&self, plan_name: &str) -> IntakeRow {
        let fingerprint = match &self.body {
            Ok(body) => fingerprint(&serde_json::to_value(body).unwrap_or_default()),
            Err((_, code, reason)) => fingerprint(&serde_json::json!([code.as_str(), reason])),
        };
        IntakeRow {
            legacy_id: self.legacy_id.clone(),
            external_id: external_id(&self.legacy_id),
            patch_id: patch_id(plan_name, &self.legacy_id).to_string(),
            segment: self.segment.clone(),
            phase: self.phase.clone(),
            fingerprint,
            fingerprints: self.body.as_ref().ok().map(|body| IntakeFingerprints {
                now: fingerprints(body),
                upgrade: upgrade_fingerprints(body),
            }),
            source_line: Some(self.seq),
            verdict: self.body.as_ref().err().cloned(),
            // A user stopped by a verdict sends no password, so it has no route.
            password: self.body.is_ok().then(|| self.password.route()).flatten(),
            blocked: self.blocked,
        }
    }
}

/// What reading one record of the export gave.
#[derive(Debug)]
pub enum Prepared {
    /// A user with a segment.
    User(Box<PreparedUser>),
    /// A user that no segment of the plan selects.
    NoSegment { legacy_id: String },
    /// A record that could not be read.
    Unreadable(Unreadable),
    /// Something about the export worth knowing.
    Warning(SourceWarning),
}

/// What the source crate needs to read the plan's export.
pub(crate) fn source_config(plan: &Plan) -> SourceConfig {
    SourceConfig {
        format: plan.source.format.clone(),
        users: plan.source.users.clone().unwrap_or_default(),
        password_hashes: plan.source.password_hashes.clone(),
        join: match plan.source.join {
            HashJoin::UserId => JoinKey::UserId,
            HashJoin::Email => JoinKey::Email,
        },
        options: crate::source_options::format_options(&plan.source),
    }
}

/// Reads the export of a plan and prepares every user, in export order.
pub fn prepare(plan: &Plan) -> Result<impl Iterator<Item = Prepared> + Send + '_, WorkerError> {
    let items = cutover_source::open(&source_config(plan)).map_err(WorkerError::Source)?;
    let mut preparer = Preparer {
        plan,
        seq: 0,
        seen: HashMap::new(),
        records: HashMap::new(),
    };
    Ok(items.map(move |item| preparer.prepare(item)))
}

/// Carries what preparation must remember across users: who used which identifier first, and
/// which record of the export each legacy id came in first.
struct Preparer<'p> {
    plan: &'p Plan,
    seq: u64,
    seen: HashMap<String, String>,
    records: HashMap<String, u64>,
}

impl Preparer<'_> {
    fn prepare(&mut self, item: SourceItem) -> Prepared {
        let user = match item {
            SourceItem::User(user) => user,
            SourceItem::Unreadable(unreadable) => return Prepared::Unreadable(unreadable),
            SourceItem::Warning(warning) => return Prepared::Warning(warning),
        };
        self.seq += 1;
        if let Some(first) = self.records.get(&user.legacy_id) {
            // A user exported twice is one user: the first record stands, and the copy would
            // otherwise replace it in the ledger and collide with its own identifiers.
            return Prepared::Warning(SourceWarning {
                file: self.plan.source.users.clone().unwrap_or_default(),
                line: None,
                message: format!(
                    "user {} appears again as record {} (first as record {first}); the later \
                     record is ignored",
                    user.legacy_id, self.seq
                ),
            });
        }
        self.records.insert(user.legacy_id.clone(), self.seq);

        let context = user.template_context();
        let Some(segment) = self.plan.segment_for(&context) else {
            return Prepared::NoSegment {
                legacy_id: user.legacy_id.clone(),
            };
        };
        let segment = segment.name.clone();
        let phase = self
            .plan
            .phase_of_segment(&segment)
            .map(|phase| phase.name.clone())
            .unwrap_or_default();

        let password = PasswordDecision::decide(&self.plan.policy, &user);
        let body = identity_body(self.plan, &user, &context, &phase, &segment, &password)
            .and_then(|body| self.claim_identifiers(&user, body));
        let hash_family = user.password.as_ref().map_or_else(
            || "none".to_string(),
            |password| password.family.to_string(),
        );
        Prepared::User(Box::new(PreparedUser {
            seq: self.seq,
            legacy_id: user.legacy_id.clone(),
            segment,
            phase,
            hash_family,
            password,
            blocked: user.blocked,
            body,
        }))
    }

    /// Claims the user's login identifiers; a later user with the same identifier (compared
    /// as Kratos compares them) fails, since Kratos would refuse it with a conflict.
    fn claim_identifiers(
        &mut self,
        user: &LegacyUser,
        body: CreateIdentityBody,
    ) -> Result<CreateIdentityBody, Verdict> {
        let mut identifiers = Vec::new();
        if let Some(email) = body.traits.get("email").and_then(|v| v.as_str()) {
            identifiers.push(normalise_identifier(email));
        }
        if let Some(oidc) = body.credentials.as_ref().and_then(|c| c.oidc.as_ref()) {
            for provider in &oidc.config.providers {
                identifiers.push(format!("{}:{}", provider.provider, provider.subject));
            }
        }

        for identifier in &identifiers {
            if let Some(first) = self.seen.get(identifier) {
                return Err((
                    UserState::Failed,
                    ReasonCode::DuplicateIdentifier,
                    format!("identifier {identifier} is already used by legacy user {first}"),
                ));
            }
        }
        for identifier in identifiers {
            self.seen.insert(identifier, user.legacy_id.clone());
        }
        Ok(body)
    }
}
