//! `cutover run`: tie the run to the plan, take the export into the ledger, then for each
//! phase update the identities whose users changed and move its new users in batches.
//! Running it again resumes: every user not in a final state is redone, and users that may
//! already be on the target are looked up first. Running it with a newer export syncs it:
//! new users are imported, changed ones updated, and those gone from the export reported.

mod intake;

use std::collections::HashMap;

use cutover_ledger::{Disappeared, EventKind, Ledger, Run};
use cutover_ory::OryClient;
use cutover_plan::{Phase, Plan};

use crate::batch::{BatchSender, Candidate, rate_limiter};
use crate::prepare::{Prepared, prepare};
use crate::status::{PhaseStatus, phase_status};
use crate::sync::{LISTED, SyncSummary, held_segments, settle_disappeared, sync_phase};
use crate::{Observer, Progress, WorkerError};
use intake::intake;

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
    /// Where every phase stands now.
    pub phases: Vec<PhaseStatus>,
}

/// Runs a plan's phases against a target, recording everything in the ledger.
pub async fn run(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    options: &RunOptions,
    observer: &dyn Observer,
) -> Result<RunSummary, WorkerError> {
    let phases = selected_phases(plan, options)?;
    let run = open_run(plan, ledger, options).await?;
    let export = intake(plan, ledger, &run.id, observer).await?;

    let mut sender = BatchSender {
        plan_name: &plan.name,
        run_id: &run.id,
        ledger,
        client,
        observer,
        sent: 0,
        limiter: rate_limiter(plan.target.rate_limit_per_minute),
    };
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
        phases: Vec::new(),
    };
    // Changed users are updated before any new user is created, so that an address one user
    // gave up is free when the user who took it over is created, whatever their phases.
    let live = held_segments(ledger, &run.id).await?;
    for phase in &phases {
        let result = sync_phase(plan, &sender, &phase.name, &live, &mut summary.sync).await;
        stop_on_error(plan, ledger, &run, options, phase, result).await?;
    }
    for phase in phases {
        let result = run_phase(
            plan,
            ledger,
            &run,
            phase,
            &options.actor,
            &mut sender,
            &mut summary,
        )
        .await;
        stop_on_error(plan, ledger, &run, options, phase, result).await?;
    }

    summary.batches_sent = sender.sent;
    let event = EventKind::RunFinished;
    ledger
        .append_event(&run.id, event, &options.actor, plan.digest(), None, None)
        .await?;
    summary.phases = phase_status(plan, ledger, &run.id).await?;
    let listed = u32::try_from(LISTED).unwrap_or(u32::MAX);
    summary.disappeared = ledger.disappeared(&run.id, listed).await?;
    Ok(summary)
}

/// Records that the run stopped in `phase` if `result` is an error, and passes it on.
async fn stop_on_error(
    plan: &Plan,
    ledger: &Ledger,
    run: &Run,
    options: &RunOptions,
    phase: &Phase,
    result: Result<(), WorkerError>,
) -> Result<(), WorkerError> {
    let Err(err) = result else { return Ok(()) };
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
async fn run_phase(
    plan: &Plan,
    ledger: &Ledger,
    run: &Run,
    phase: &Phase,
    actor: &str,
    sender: &mut BatchSender<'_>,
    summary: &mut RunSummary,
) -> Result<(), WorkerError> {
    // A phase starts only when every phase it comes after is finished.
    for after in &phase.after {
        let status = phase_status(plan, ledger, &run.id).await?;
        if status
            .iter()
            .any(|s| &s.phase == after && !s.counts.is_finished())
        {
            return Err(WorkerError::PhaseNotReady {
                phase: phase.name.clone(),
                after: after.clone(),
            });
        }
    }
    let unfinished = ledger.unfinished_in_phase(&run.id, &phase.name).await?;
    if unfinished.is_empty() {
        return Ok(());
    }

    let total = phase_status(plan, ledger, &run.id)
        .await?
        .iter()
        .find(|s| s.phase == phase.name)
        .map_or(0, |s| s.counts.total());
    sender.observer.progress(&Progress::PhaseStarted {
        phase: phase.name.clone(),
        total,
        remaining: unfinished.len() as u64,
    });
    let digest = plan.digest();
    ledger
        .append_event(
            &run.id,
            EventKind::PhaseStarted,
            actor,
            digest,
            Some(&phase.name),
            None,
        )
        .await?;

    let batch_size = usize::try_from(phase.batch_size)
        .unwrap_or(BATCH_LIMIT)
        .clamp(1, BATCH_LIMIT);
    let mut waiting: HashMap<String, cutover_ledger::UserRow> = unfinished
        .into_iter()
        .map(|row| (row.legacy_id.clone(), row))
        .collect();
    let mut batch = Vec::with_capacity(batch_size);
    for item in prepare(plan)? {
        let Prepared::User(user) = item else { continue };
        if user.phase != phase.name {
            continue;
        }
        let (Some(row), Ok(body)) = (waiting.remove(&user.legacy_id), user.body) else {
            continue;
        };
        batch.push(Candidate { row, body });
        if batch.len() == batch_size {
            send(sender, &phase.name, std::mem::take(&mut batch), summary).await?;
        }
    }
    if !batch.is_empty() {
        send(sender, &phase.name, batch, summary).await?;
    }
    // Users still waiting are not in the export. Those not yet sent were skipped when the
    // intake completed; those in flight when they disappeared are settled here. Any other
    // (the export changed while this run read it) waits for the next run.
    settle_disappeared(sender, waiting.into_values().collect()).await?;

    let counts = phase_status(plan, ledger, &run.id)
        .await?
        .into_iter()
        .find(|s| s.phase == phase.name)
        .map(|s| s.counts)
        .unwrap_or_default();
    if counts.is_finished() {
        ledger
            .append_event(
                &run.id,
                EventKind::PhaseFinished,
                actor,
                digest,
                Some(&phase.name),
                None,
            )
            .await?;
    }
    sender.observer.progress(&Progress::PhaseFinished {
        phase: phase.name.clone(),
        counts,
    });
    Ok(())
}

async fn send(
    sender: &mut BatchSender<'_>,
    phase: &str,
    batch: Vec<Candidate>,
    summary: &mut RunSummary,
) -> Result<(), WorkerError> {
    let users = batch.len() as u64;
    let tally = sender.send(phase, batch).await?;
    summary.imported_now += tally.imported;
    summary.failed_now += tally.failed;
    sender.observer.progress(&Progress::BatchRecorded {
        phase: phase.to_string(),
        users,
        imported: tally.imported,
        failed: tally.failed,
    });
    Ok(())
}
