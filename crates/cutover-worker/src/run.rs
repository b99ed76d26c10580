//! `cutover run`: tie the run to the plan, take the export into the ledger, then move each
//! phase's users in batches. Running it again resumes: every user not in a final state is
//! redone, and users that may already be on the target are looked up first.

use std::collections::HashMap;

use cutover_ledger::{EventKind, IntakeRow, Ledger, Run, SourceProblem};
use cutover_ory::OryClient;
use cutover_plan::{Phase, Plan};

use crate::batch::{BatchSender, Candidate, rate_limiter};
use crate::prepare::{Prepared, prepare};
use crate::status::{PhaseStatus, phase_status};
use crate::{Observer, Progress, WorkerError};

/// Kratos takes at most this many identities in one batch request.
const BATCH_LIMIT: usize = 1000;

/// Users written to the ledger per intake transaction.
const INTAKE_CHUNK: usize = 1000;

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
    intake(plan, ledger, &run.id, observer).await?;

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
        phases: Vec::new(),
    };
    for phase in phases {
        let result =
            run_phase(plan, ledger, &run, phase, &options.actor, &mut sender, &mut summary).await;
        if let Err(err) = result {
            let note = err.to_string();
            ledger
                .append_event(&run.id, EventKind::RunInterrupted, &options.actor, &plan.digest(),
                    Some(&phase.name), Some(&note))
                .await?;
            return Err(err);
        }
    }

    summary.batches_sent = sender.sent;
    let event = EventKind::RunFinished;
    ledger.append_event(&run.id, event, &options.actor, &plan.digest(), None, None).await?;
    summary.phases = phase_status(plan, ledger, &run.id).await?;
    Ok(summary)
}

fn selected_phases<'p>(plan: &'p Plan, options: &RunOptions) -> Result<Vec<&'p Phase>, WorkerError> {
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
        let run = ledger.create_run(&plan.name, &digest, &canonical).await?;
        ledger.append_event(&run.id, EventKind::RunStarted, &options.actor, &digest, None, None)
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
            return Err(WorkerError::PlanChanged { plan: plan.name.clone(), changes });
        }
        ledger.accept_plan_change(&run.id, &digest, &canonical).await?;
        let event = EventKind::PlanChanged;
        ledger.append_event(&run.id, event, &options.actor, &digest, None, Some(&changes)).await?;
    }
    let event = EventKind::RunResumed;
    ledger.append_event(&run.id, event, &options.actor, &digest, None, None).await?;
    Ok(run)
}

/// Reads the whole export into the ledger: every user gets a row before anything is sent.
async fn intake(
    plan: &Plan,
    ledger: &Ledger,
    run_id: &str,
    observer: &dyn Observer,
) -> Result<(), WorkerError> {
    let mut chunk: Vec<IntakeRow> = Vec::with_capacity(INTAKE_CHUNK);
    let mut problems = Vec::new();
    let mut unsegmented: Vec<String> = Vec::new();
    let (mut users, mut added, mut revised, mut kept, mut unreadable) = (0, 0, 0, 0, 0);

    for item in prepare(plan)? {
        match item {
            Prepared::User(user) => {
                users += 1;
                chunk.push(user.intake_row(&plan.name));
            }
            Prepared::NoSegment { legacy_id, .. } => unsegmented.push(legacy_id),
            Prepared::Unreadable(record) => {
                unreadable += 1;
                problems.push(SourceProblem {
                    file: record.file.display().to_string(),
                    line: Some(record.line),
                    kind: "unreadable".into(),
                    message: record.reason,
                });
            }
            Prepared::Warning(warning) => problems.push(SourceProblem {
                file: warning.file.display().to_string(),
                line: warning.line,
                kind: "warning".into(),
                message: warning.message,
            }),
        }
        if chunk.len() == INTAKE_CHUNK {
            let stats = ledger.intake(run_id, &chunk).await?;
            (added, revised, kept) = (added + stats.added, revised + stats.revised, kept + stats.kept);
            chunk.clear();
        }
    }
    if let Some(first) = unsegmented.first() {
        return Err(WorkerError::Unsegmented { count: unsegmented.len() as u64, first: first.clone() });
    }
    let stats = ledger.intake(run_id, &chunk).await?;
    (added, revised, kept) = (added + stats.added, revised + stats.revised, kept + stats.kept);
    ledger.replace_source_problems(run_id, &problems).await?;

    observer.progress(&Progress::Intake { users, added, revised, kept, unreadable });
    Ok(())
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
        if status.iter().any(|s| &s.phase == after && !s.counts.is_finished()) {
            return Err(WorkerError::PhaseNotReady { phase: phase.name.clone(), after: after.clone() });
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
    ledger.append_event(&run.id, EventKind::PhaseStarted, actor, &digest, Some(&phase.name), None)
        .await?;

    let batch_size = usize::try_from(phase.batch_size).unwrap_or(BATCH_LIMIT).clamp(1, BATCH_LIMIT);
    let mut waiting: HashMap<String, cutover_ledger::UserRow> =
        unfinished.into_iter().map(|row| (row.legacy_id.clone(), row)).collect();
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
    // TODO: users left in `waiting` are in the ledger but no longer in the export; delta
    // sync will report them. They stay pending and the phase is not finished.

    let counts = phase_status(plan, ledger, &run.id)
        .await?
        .into_iter()
        .find(|s| s.phase == phase.name)
        .map(|s| s.counts)
        .unwrap_or_default();
    if counts.is_finished() {
        ledger.append_event(&run.id, EventKind::PhaseFinished, actor, &digest, Some(&phase.name), None)
            .await?;
    }
    sender.observer.progress(&Progress::PhaseFinished { phase: phase.name.clone(), counts });
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
