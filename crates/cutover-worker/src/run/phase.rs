//! One phase of a run: checking that it may start, then moving its unfinished users in
//! batches, each batch admitted by the phase's window before it is sent.
//!
//! A batch is the unit that is recorded whole (its intent before sending, its outcomes
//! after), so the window is judged only between batches: a phase whose window closes while a
//! batch is on its way finishes and records that batch, then waits or stops.

use std::collections::HashMap;

use cutover_ledger::{EventKind, GoLiveState, RollbackMode, Run, UserRow};
use cutover_plan::{Phase, Plan};

use super::window::WindowOpening;
use super::{BATCH_LIMIT, RunOptions, RunSummary};
use crate::batch::{BatchSender, Candidate};
use crate::prepare::{Prepared, prepare};
use crate::status::phase_status;
use crate::sync::settle_disappeared;
use crate::{Clock, Progress, WorkerError};

/// How a phase's turn in a run ended.
pub(super) enum PhaseEnd {
    /// The phase has nothing left it can send now: every user is settled, or some wait for
    /// a later run (users the export changed while it was read).
    Done,
    /// The phase's window is closed and the run is to stop until it opens.
    Paused(WindowOpening),
}

/// What the phases of one run share: the plan, the run, the clock, the sender and the
/// summary they add to.
pub(super) struct Runner<'a> {
    pub plan: &'a Plan,
    pub run: &'a Run,
    pub options: &'a RunOptions,
    pub clock: &'a dyn Clock,
    pub sender: BatchSender<'a>,
    pub summary: RunSummary,
}

impl Runner<'_> {
    /// Moves the unfinished users of `phase`, if it may start.
    pub(super) async fn run_phase(&mut self, phase: &Phase) -> Result<PhaseEnd, WorkerError> {
        let (plan, ledger, run_id) = (self.plan, self.sender.ledger, self.run.id.as_str());
        let unfinished = ledger.unfinished_in_phase(run_id, &phase.name).await?;
        if unfinished.is_empty() {
            return Ok(PhaseEnd::Done);
        }
        self.check_ready(phase).await?;
        if let Some(opening) = self.admit(phase).await? {
            return Ok(PhaseEnd::Paused(opening));
        }

        let total = phase_status(plan, ledger, run_id)
            .await?
            .iter()
            .find(|s| s.phase == phase.name)
            .map_or(0, |s| s.counts.total());
        self.sender.observer.progress(&Progress::PhaseStarted {
            phase: phase.name.clone(),
            total,
            remaining: unfinished.len() as u64,
            per_minute: self.sender.per_minute(&phase.name),
        });
        let (actor, digest) = (self.options.actor.as_str(), plan.digest());
        let started = EventKind::PhaseStarted;
        ledger
            .append_event(run_id, started, actor, digest, Some(&phase.name), None)
            .await?;

        let batch_size = usize::try_from(phase.batch_size)
            .unwrap_or(BATCH_LIMIT)
            .clamp(1, BATCH_LIMIT);
        let mut waiting: HashMap<String, UserRow> = unfinished
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
                let full = std::mem::take(&mut batch);
                if let Some(opening) = self.send_in_window(phase, full).await? {
                    return Ok(PhaseEnd::Paused(opening));
                }
            }
        }
        if !batch.is_empty()
            && let Some(opening) = self.send_in_window(phase, batch).await?
        {
            return Ok(PhaseEnd::Paused(opening));
        }
        // Users still waiting are not in the export. Those not yet sent were skipped when the
        // intake completed; those in flight when they disappeared are settled here. Any other
        // (the export changed while this run read it) waits for the next run.
        settle_disappeared(&self.sender, waiting.into_values().collect()).await?;

        let counts = phase_status(plan, ledger, run_id)
            .await?
            .into_iter()
            .find(|s| s.phase == phase.name)
            .map(|s| s.counts)
            .unwrap_or_default();
        if counts.is_finished() {
            let finished = EventKind::PhaseFinished;
            ledger
                .append_event(run_id, finished, actor, digest, Some(&phase.name), None)
                .await?;
        }
        self.sender.observer.progress(&Progress::PhaseFinished {
            phase: phase.name.clone(),
            counts,
        });
        Ok(PhaseEnd::Done)
    }

    /// Refuses to start a phase before every phase it comes after is finished and, with
    /// `after_golive`, before every segment of those phases is live.
    async fn check_ready(&self, phase: &Phase) -> Result<(), WorkerError> {
        let (ledger, run_id) = (self.sender.ledger, self.run.id.as_str());
        // A rollback stopped halfway has users pending again whose identities it has yet to
        // delete; importing them now would give the rollback more to undo than it began with.
        for segment in &phase.segments {
            let state = ledger.segment_state(run_id, segment).await?;
            if state.state == GoLiveState::RollingBack {
                return Err(WorkerError::RollbackUnderway {
                    segment: segment.clone(),
                    mode: state.rollback_mode.unwrap_or(RollbackMode::Delete),
                });
            }
        }
        let status = phase_status(self.plan, ledger, run_id).await?;
        for after in &phase.after {
            let unfinished = status
                .iter()
                .any(|s| &s.phase == after && !s.counts.is_finished());
            if unfinished {
                return Err(WorkerError::PhaseNotReady {
                    phase: phase.name.clone(),
                    after: after.clone(),
                });
            }
        }
        if !phase.after_golive {
            return Ok(());
        }

        for after in phase.after.iter().filter_map(|name| self.plan.phase(name)) {
            for segment in &after.segments {
                let state = ledger.segment_state(run_id, segment).await?.state;
                if state != GoLiveState::Live {
                    return Err(WorkerError::AwaitingGolive {
                        phase: phase.name.clone(),
                        after: after.name.clone(),
                        segment: segment.clone(),
                        state,
                    });
                }
            }
        }
        Ok(())
    }

    /// Sends one batch once the phase's window lets it; returns the opening to stop for
    /// instead when the window is closed and the run is to stop, leaving the batch unsent.
    async fn send_in_window(
        &mut self,
        phase: &Phase,
        batch: Vec<Candidate>,
    ) -> Result<Option<WindowOpening>, WorkerError> {
        if let Some(opening) = self.admit(phase).await? {
            return Ok(Some(opening));
        }

        let users = batch.len() as u64;
        let tally = self.sender.send(&phase.name, batch).await?;
        self.summary.imported_now += tally.imported;
        self.summary.failed_now += tally.failed;
        self.sender.observer.progress(&Progress::BatchRecorded {
            phase: phase.name.clone(),
            users,
            imported: tally.imported,
            failed: tally.failed,
        });
        Ok(None)
    }
}
