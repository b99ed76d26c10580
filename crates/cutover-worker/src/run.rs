//! `cutover run`: tie the run to the plan, take the export into the ledger, then for each
//! phase update the identities whose users changed and move its new users in batches.
//! Running it again resumes: every user not in a final state is redone, and users that may
//! already be on the target are looked up first. Running it with a newer export syncs it:
//! new users are imported, changed ones updated, and those gone from the export reported.
//!
//! A phase starts only when its `after` phases are finished (and, with `after_golive`, live),
//! and sends only while its time window is open: outside it, the run waits for the window or
//! stops, always between two batches.

mod intake;
mod phase;
mod window;

use cutover_ledger::{Disappeared, EventKind, Ledger, NewEvent, Run};
use cutover_ory::OryClient;
use cutover_plan::{OutsideWindow, Phase, Plan};

use crate::batch::BatchSender;
use crate::status::{PhaseStatus, phase_status};
use crate::sync::{LISTED, SyncSummary, held_segments, sync_phase};
use crate::{Clock, Observer, WorkerError};
use intake::intake;
use phase::PhaseEnd;
pub use window::WindowOpening;
pub(crate) use window::describe_time;

/// Kratos takes at most this many identities in one batch request.
const BATCH_LIMIT: usize = 1000;

/// How a run is carried out.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Run only this phase (its `after` phases must be finished).
    pub phase: Option<String>,
    /// Continue a run whose plan file changed since it started.
    pub accept_plan_change: bool,
    /// Who runs it, for the event trail.
    pub actor: String,
    /// What to do outside a phase's window, in place of each phase's `outside_window`.
    pub outside_window: Option<OutsideWindow>,
}

/// What a run did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunSummary {
    /// The run's id in the ledger.
    pub run_id: String,
    /// Batch requests sent by this invocation.
    pub batches_sent: u64,
    /// Users imported by this invocation.
    pub imported_now: u64,
    /// Users that failed in this invocation.
    pub failed_now: u64,
    /// Users this export brought that the ledger did not know.
    pub new_users: u64,
    /// Users back in the export after disappearing from an earlier one.
    pub returned_users: u64,
    /// Imported users whose record changed since the target was last sent it.
    pub changed_users: u64,
    /// What the updates of changed users did.
    pub sync: SyncSummary,
    /// Users of the ledger that this export no longer has: kept, never deleted.
    pub disappeared: Disappeared,
    /// The window openings this run waited for, in order.
    pub waited: Vec<WindowOpening>,
    /// The closed window the run stopped at, when a phase's `outside_window` (or the
    /// caller's choice) is `exit`; the run is not finished and can be started again then.
    pub paused: Option<WindowOpening>,
    /// Where every phase stands now.
    pub phases: Vec<PhaseStatus>,
}

/// Runs a plan's phases against a target, recording everything in the ledger. The clock
/// decides when phase windows are open and how the run waits for them.
pub async fn run(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    options: &RunOptions,
    observer: &dyn Observer,
    clock: &dyn Clock,
) -> Result<RunSummary, WorkerError> {
    let phases = selected_phases(plan, options)?;
    let run = open_run(plan, ledger, options).await?;
    let export = intake(plan, ledger, &run.id, observer).await?;

    let sender = BatchSender::new(plan, &run.id, ledger, client, observer);
    let mut summary = RunSummary {
        run_id: run.id.clone(),
        batches_sent: 0,
        imported_now: 0,
        failed_now: 0,
        new_users: export.new,
        returned_users: export.returned,
        changed_users: export.changed,
        sync: SyncSummary::default(),
        disappeared: Disappeared::default(),
        waited: Vec::new(),
        paused: None,
        phases: Vec::new(),
    };
    // Changed users are updated before any new user is created, so that an address one user
    // gave up is free when the user who took it over is created, whatever their phases. For
    // that reason the updates do not wait for phase windows either.
    let live = held_segments(ledger, &run.id).await?;
    for phase in &phases {
        let result = sync_phase(plan, &sender, &phase.name, &live, &mut summary.sync).await;
        stop_on_error(plan, ledger, &run, options, phase, result).await?;
    }

    let mut runner = phase::Runner {
        plan,
        run: &run,
        options,
        clock,
        sender,
        summary,
    };
    for phase in phases {
        let result = runner.run_phase(phase).await;
        let end = stop_on_error(plan, ledger, &run, options, phase, result).await?;
        if let PhaseEnd::Paused(opening) = end {
            let note = opening.pause_note();
            let paused = NewEvent {
                phase: Some(&phase.name),
                note: Some(&note),
                ..NewEvent::new(EventKind::RunPaused, &options.actor, plan.digest())
            };
            ledger.record_event(&run.id, &paused).await?;
            runner.summary.paused = Some(opening);
            break;
        }
    }

    let mut summary = runner.summary;
    summary.batches_sent = runner.sender.sent;
    if summary.paused.is_none() {
        let event = EventKind::RunFinished;
        ledger
            .append_event(&run.id, event, &options.actor, plan.digest(), None, None)
            .await?;
    }
    summary.phases = phase_status(plan, ledger, &run.id).await?;
    let listed = u32::try_from(LISTED).unwrap_or(u32::MAX);
    summary.disappeared = ledger.disappeared(&run.id, listed).await?;
    Ok(summary)
}

/// Records that the run stopped in `phase` if `result` is an error, and passes it on.
async fn stop_on_error<T>(
    plan: &Plan,
    ledger: &Ledger,
    run: &Run,
    options: &RunOptions,
    phase: &Phase,
    result: Result<T, WorkerError>,
) -> Result<T, WorkerError> {
    let err = match result {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let note = err.to_string();
    let event = EventKind::RunInterrupted;
    let digest = plan.digest();
    ledger
        .append_event(
            &run.id,
            event,
            &options.actor,
            digest,
            Some(&phase.name),
            Some(&note),
        )
        .await?;
    Err(err)
}

fn selected_phases<'p>(
    plan: &'p Plan,
    options: &RunOptions,
) -> Result<Vec<&'p Phase>, WorkerError> {
    match &options.phase {
        None => Ok(plan.phases.iter().collect()),
        Some(name) => plan
            .phases
            .iter()
            .find(|phase| &phase.name == name)
            .map(|phase| vec![phase])
            .ok_or_else(|| WorkerError::UnknownPhase(name.clone())),
    }
}

/// Finds or starts the plan's run, refusing a changed plan unless the change is accepted.
async fn open_run(plan: &Plan, ledger: &Ledger, options: &RunOptions) -> Result<Run, WorkerError> {
    let digest = plan.digest();
    let canonical = plan.canonical_json();
    let Some(run) = ledger.find_run(&plan.name).await? else {
        let run = ledger.create_run(&plan.name, digest, &canonical).await?;
        ledger
            .append_event(
                &run.id,
                EventKind::RunStarted,
                &options.actor,
                digest,
                None,
                None,
            )
            .await?;
        return Ok(run);
    };

    if run.plan_digest != digest {
        let changes = cutover_plan::diff_plans(&run.plan_json, &canonical);
        let changes = if changes.is_empty() {
            "the file changed, but not its meaning (comments or layout)".to_string()
        } else {
            changes.join("\n  ")
        };
        if !options.accept_plan_change {
            return Err(WorkerError::PlanChanged {
                plan: plan.name.clone(),
                changes,
            });
        }
        ledger
            .accept_plan_change(&run.id, digest, &canonical)
            .await?;
        let event = EventKind::PlanChanged;
        ledger
            .append_event(&run.id, event, &options.actor, digest, None, Some(&changes))
            .await?;
    }
    let event = EventKind::RunResumed;
    ledger
        .append_event(&run.id, event, &options.actor, digest, None, None)
        .await?;
    Ok(run)
}
