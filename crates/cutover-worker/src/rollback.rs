//! `cutover rollback`: undoes a phase or a segment by deleting exactly the identities this
//! run created there (those with a rollback marker), or by making them inactive.
//!
//! Adopted identities (imported without a marker), conflicts and anything another plan
//! created are never touched; they are listed so the operator knows what stays. A segment
//! whose go-live began is refused unless forced, since its users may already sign in, but may
//! be deactivated instead. Each deletion is recorded as it happens and puts its user back to
//! `pending`; a 404 means the identity is already gone. So a rollback killed halfway and run
//! again finishes, and once done the phase can run again.

use cutover_ledger::{GoLiveState, Ledger, RollbackMode, Run, UserState};
use cutover_ory::OryClient;
use cutover_plan::Plan;
use tracing::Instrument;

use crate::batch::rate_limiter;
use crate::steps::Scope;
use crate::{Observer, WorkerError};

mod undo;

use undo::Undo;

/// Markers or users read from the ledger per page.
const PAGE: u32 = 500;

/// Why a rollback leaves an adopted identity alone.
const ADOPTED: &str = "adopted: found on the target, not created by this run; delete it by hand \
                       if it must go";

/// What a rollback covers.
#[derive(Clone, Debug)]
pub enum RollbackScope {
    /// Every segment of a phase.
    Phase(String),
    /// One segment.
    Segment(String),
}

/// How a rollback is carried out.
#[derive(Clone, Debug)]
pub struct RollbackOptions {
    /// What to undo.
    pub scope: RollbackScope,
    /// Who undoes it, for the audit trail.
    pub actor: String,
    /// Change the target; without it, only say what would be done.
    pub execute: bool,
    /// Delete identities even though the segment's go-live began.
    pub force: bool,
    /// Make the identities inactive and keep them, instead of deleting them.
    pub deactivate: bool,
}

/// A user whose identity a rollback leaves alone.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KeptUser {
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The identity on the target, for an adopted one.
    pub identity_id: Option<String>,
    /// Why it is left alone.
    pub why: String,
}

/// One segment of a rollback: what it covers and, once executed, what it did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SegmentRollback {
    /// The segment.
    pub segment: String,
    /// Its phase.
    pub phase: String,
    /// Its go-live state before the rollback.
    pub golive: GoLiveState,
    /// Identities this run created in the segment and has not deleted.
    pub created: u64,
    /// Identities the rollback would still change (all those created when deleting, those
    /// not yet inactive when deactivating); nothing is done or recorded for a segment with
    /// none, unless its go-live began or a rollback of it is under way.
    pub to_change: u64,
    /// Users whose identities are left alone.
    pub kept: Vec<KeptUser>,
    /// Identities deleted, over every invocation of this rollback.
    pub deleted: u64,
    /// Identities that were already gone when deleted by this invocation.
    pub already_gone: u64,
    /// Identities made inactive, over every invocation of this rollback.
    pub deactivated: u64,
    /// Identities that could not be deactivated because they are gone.
    pub missing: u64,
}

impl SegmentRollback {
    /// Whether the rollback has anything to do or record for this segment: identities to
    /// change, a go-live to undo, or a rollback to finish.
    pub fn needs_rollback(&self) -> bool {
        self.to_change > 0 || self.golive.went_live() || self.golive == GoLiveState::RollingBack
    }
}

/// What a rollback would do, or did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RollbackReport {
    /// Delete or deactivate.
    pub mode: RollbackMode,
    /// Whether the target was changed (`--yes`), or this is only what would be done.
    pub executed: bool,
    /// Each segment covered, in plan order.
    pub segments: Vec<SegmentRollback>,
}

/// Plans a rollback and, with `execute`, carries it out.
pub async fn rollback(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    options: &RollbackOptions,
    observer: &dyn Observer,
) -> Result<RollbackReport, WorkerError> {
    let mode = if options.deactivate {
        RollbackMode::Deactivate
    } else {
        RollbackMode::Delete
    };
    let segments = scoped_segments(plan, &options.scope)?;
    let phase_limit = segments
        .first()
        .and_then(|(_, phase)| plan.phase(phase))
        .and_then(|phase| phase.rate_limit_per_minute);
    let run = ledger
        .find_run(&plan.name)
        .await?
        .ok_or_else(|| WorkerError::NotRun {
            plan: plan.name.clone(),
        })?;

    let mut report = RollbackReport {
        mode,
        executed: options.execute,
        segments: Vec::new(),
    };
    for (segment, phase) in segments {
        report
            .segments
            .push(survey(ledger, &run, segment, phase, mode, options.force).await?);
    }
    if !options.execute {
        return Ok(report);
    }

    let mut undo = Undo {
        ledger,
        client,
        observer,
        run: &run,
        // Every segment of a scope is in the same phase, so one limiter paces them all.
        limiter: rate_limiter(phase_limit),
        steps: 0,
    };
    for segment in &mut report.segments {
        if !segment.needs_rollback() {
            tracing::info!(segment = %segment.segment, "nothing to roll back");
            continue;
        }
        let (phase, name) = (segment.phase.clone(), segment.segment.clone());
        let scope = Scope {
            actor: &options.actor,
            digest: plan.digest(),
            phase: &phase,
            segment: &name,
        };
        let span = tracing::info_span!("rollback", segment = %segment.segment, %mode);
        undo.segment(scope, mode, segment).instrument(span).await?;
    }
    Ok(report)
}

/// The segments a scope covers, with their phase, in plan order.
fn scoped_segments<'p>(
    plan: &'p Plan,
    scope: &RollbackScope,
) -> Result<Vec<(&'p str, &'p str)>, WorkerError> {
    match scope {
        RollbackScope::Phase(name) => {
            let phase = plan
                .phase(name)
                .ok_or_else(|| WorkerError::UnknownPhase(name.clone()))?;
            Ok(phase
                .segments
                .iter()
                .map(|segment| (segment.as_str(), phase.name.as_str()))
                .collect())
        }
        RollbackScope::Segment(name) => {
            let segment = plan
                .segment(name)
                .ok_or_else(|| WorkerError::UnknownSegment(name.clone()))?;
            let phase = plan
                .phase_of_segment(name)
                .ok_or_else(|| WorkerError::UnknownSegment(name.clone()))?;
            Ok(vec![(segment.name.as_str(), phase.name.as_str())])
        }
    }
}

/// Checks that a segment may be rolled back this way and lists what the rollback covers.
async fn survey(
    ledger: &Ledger,
    run: &Run,
    segment: &str,
    phase: &str,
    mode: RollbackMode,
    force: bool,
) -> Result<SegmentRollback, WorkerError> {
    let state = ledger.segment_state(&run.id, segment).await?;
    if let Some(started) = state.rollback_mode
        && state.state == GoLiveState::RollingBack
        && started != mode
    {
        return Err(WorkerError::RollbackUnderway {
            segment: segment.to_string(),
            mode: started,
        });
    }
    if mode == RollbackMode::Delete && state.state.went_live() && !force {
        return Err(WorkerError::SegmentLive {
            segment: segment.to_string(),
            state: state.state,
        });
    }
    let counts = ledger.scope_counts(&run.id, None, Some(segment)).await?;
    if counts.in_flight > 0 {
        return Err(WorkerError::UsersInFlight {
            segment: segment.to_string(),
            phase: phase.to_string(),
            count: counts.in_flight,
        });
    }

    let kept = ledger
        .kept_by_rollback(&run.id, segment)
        .await?
        .into_iter()
        .map(|user| KeptUser {
            why: match (user.state, &user.reason) {
                (UserState::Imported, _) => ADOPTED.to_string(),
                (_, Some(reason)) => format!("conflict: {reason}"),
                (_, None) => "conflict".to_string(),
            },
            legacy_id: user.legacy_id,
            identity_id: user.identity_id,
        })
        .collect();
    let created = ledger.count_markers(&run.id, segment).await?;
    let to_change = match mode {
        RollbackMode::Delete => created,
        RollbackMode::Deactivate => ledger.count_to_deactivate(&run.id, segment).await?,
    };
    Ok(SegmentRollback {
        segment: segment.to_string(),
        phase: phase.to_string(),
        golive: state.state,
        created,
        to_change,
        kept,
        deleted: 0,
        already_gone: 0,
        deactivated: 0,
        missing: 0,
    })
}
