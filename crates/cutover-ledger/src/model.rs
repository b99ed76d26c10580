//! The ledger's vocabulary: user states, reason codes, and the rows the worker reads and writes.

use std::fmt;

use crate::sync::{IntakeFingerprints, SyncRecord};
use crate::{LedgerError, UserPassword};

/// Where a legacy user stands in a run. The same words appear in SQL, logs and CLI output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    /// Not yet sent to the target.
    Pending,
    /// Sent in a batch whose outcome is not recorded; may exist on the target.
    InFlight,
    /// Present on the target; the identity id is known.
    Imported,
    /// Cannot be imported; the reason says why. Final.
    Failed,
    /// Deliberately left out; the reason says why. Final.
    Skipped,
}

impl UserState {
    /// Every state, in the order reports list them.
    pub const ALL: [UserState; 5] = [
        UserState::Pending,
        UserState::InFlight,
        UserState::Imported,
        UserState::Failed,
        UserState::Skipped,
    ];

    /// The word stored in the ledger and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Pending => "pending",
            UserState::InFlight => "in_flight",
            UserState::Imported => "imported",
            UserState::Failed => "failed",
            UserState::Skipped => "skipped",
        }
    }

    /// Whether a run leaves this user alone: nothing more will be done for it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            UserState::Imported | UserState::Failed | UserState::Skipped
        )
    }

    pub(crate) fn parse(value: &str) -> Result<UserState, LedgerError> {
        UserState::ALL
            .into_iter()
            .find(|state| state.as_str() == value)
            .ok_or_else(|| LedgerError::Corrupt {
                what: "user state",
                value: value.into(),
            })
    }
}

impl fmt::Display for UserState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a user failed or was skipped, as a stable code for counting and filtering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Another user of the same export has the same login identifier.
    DuplicateIdentifier,
    /// The password hash is in a form the target would reject.
    InvalidHash,
    /// A trait the identity schema requires has no value for this user.
    MissingTrait,
    /// The user has a social login whose connection the plan does not map to a provider.
    UnmappedSocial,
    /// The plan's identity templates failed for this user.
    Template,
    /// The identity collides with one that this plan did not create.
    Conflict,
    /// The target refused the identity.
    Rejected,
    /// The user is no longer in the export; revived if a later export has it again.
    Disappeared,
    /// The identity this run imported was deleted on the target (an update found it gone).
    MissingOnTarget,
}

impl ReasonCode {
    const ALL: [ReasonCode; 9] = [
        ReasonCode::DuplicateIdentifier,
        ReasonCode::InvalidHash,
        ReasonCode::MissingTrait,
        ReasonCode::UnmappedSocial,
        ReasonCode::Template,
        ReasonCode::Conflict,
        ReasonCode::Rejected,
        ReasonCode::Disappeared,
        ReasonCode::MissingOnTarget,
    ];

    /// The word stored in the ledger and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::DuplicateIdentifier => "duplicate_identifier",
            ReasonCode::InvalidHash => "invalid_hash",
            ReasonCode::MissingTrait => "missing_trait",
            ReasonCode::UnmappedSocial => "unmapped_social",
            ReasonCode::Template => "template",
            ReasonCode::Conflict => "conflict",
            ReasonCode::Rejected => "rejected",
            ReasonCode::Disappeared => "disappeared",
            ReasonCode::MissingOnTarget => "missing_on_target",
        }
    }

    /// Whether the verdict comes from reading the export and plan alone, so that a later
    /// intake of a changed export or plan may revise it.
    pub fn is_intake_verdict(self) -> bool {
        !matches!(
            self,
            ReasonCode::Conflict | ReasonCode::Rejected | ReasonCode::MissingOnTarget
        )
    }

    pub(crate) fn parse(value: &str) -> Result<ReasonCode, LedgerError> {
        ReasonCode::ALL
            .into_iter()
            .find(|code| code.as_str() == value)
            .ok_or_else(|| LedgerError::Corrupt {
                what: "reason code",
                value: value.into(),
            })
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A run: one plan carried out against one target, identified by the plan's name.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Run {
    /// The run's id (a UUIDv7).
    pub id: String,
    /// The name of the plan.
    pub plan_name: String,
    /// The SHA-256 digest of the plan file the run last accepted.
    pub plan_digest: String,
    /// The canonical form of that plan, to explain what changed.
    pub plan_json: serde_json::Value,
    /// When the run was first started.
    pub created_at: String,
}

/// What intake knows about one legacy user before anything is sent.
#[derive(Clone, Debug)]
pub struct IntakeRow {
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The `external_id` the identity gets (the legacy id, or its stable mapping).
    pub external_id: String,
    /// The deterministic `patch_id` of the user's batch entry.
    pub patch_id: String,
    /// The segment the user belongs to.
    pub segment: String,
    /// The phase that moves the segment.
    pub phase: String,
    /// A digest of everything sent for this user, credentials included. Ledgers from before
    /// delta sync only have this one, so it is still what an upgraded row is compared with.
    pub fingerprint: String,
    /// The user's profile and credentials fingerprints; `None` when a verdict stops the user.
    pub fingerprints: Option<IntakeFingerprints>,
    /// Where the user's record is in the export.
    pub source_line: Option<u64>,
    /// A verdict reached without the target: the user fails or is skipped for this reason.
    pub verdict: Option<(UserState, ReasonCode, String)>,
    /// Which way the user's password goes to the target; `None` when the verdict stopped the
    /// user before that was decided.
    pub password: Option<UserPassword>,
    /// Whether the legacy system blocked the user: its identity stays inactive at go-live.
    pub blocked: bool,
}

/// What one intake changed in the ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct IntakeStats {
    /// Users seen for the first time.
    pub added: u64,
    /// Users whose segment, phase or intake verdict was revised.
    pub revised: u64,
    /// Users already on their way or done, left as they were.
    pub kept: u64,
    /// Imported users whose export record differs from what the target was last sent.
    pub changed: u64,
    /// Users that had disappeared from an earlier export and are back in this one.
    pub returned: u64,
}

/// One legacy user's row as the worker reads it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UserRow {
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The identity's `external_id`.
    pub external_id: String,
    /// The deterministic `patch_id`.
    pub patch_id: String,
    /// The user's segment.
    pub segment: String,
    /// The user's phase.
    pub phase: String,
    /// Where the user stands.
    pub state: UserState,
    /// Why the user failed or was skipped.
    pub reason_code: Option<ReasonCode>,
    /// The reason in words.
    pub reason: Option<String>,
    /// The identity on the target, once known.
    pub identity_id: Option<String>,
    /// Whether the identity was found on the target rather than created by this run.
    pub adopted: bool,
    /// The batch that last carried the user.
    pub batch_id: Option<String>,
    /// How many times the user was sent.
    pub attempts: u32,
    /// Where the user's record is in the export.
    pub source_line: Option<u64>,
    /// The intake generation that last saw the user in the export.
    pub seen_in: u64,
    /// Which way the latest intake sends the user's password, and why.
    pub password: Option<UserPassword>,
    /// What the latest intake read and what the target was last sent; left out of reports,
    /// which have no use for digests.
    #[serde(skip)]
    pub sync: SyncRecord,
}

/// The recorded result for one user of a batch.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The user.
    pub legacy_id: String,
    /// The batch the user is in flight with; the update is guarded by it.
    pub batch_id: String,
    /// What happened.
    pub result: BatchOutcome,
}

/// What happened to one user that was in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchOutcome {
    /// The identity exists on the target. `created` is true when this run created it (a
    /// rollback marker is written), false when an existing identity was adopted.
    Imported { identity_id: String, created: bool },
    /// The user cannot be imported.
    Failed { code: ReasonCode, reason: String },
    /// The request did not reach the target; the user goes back to `pending`.
    NotSent,
}
