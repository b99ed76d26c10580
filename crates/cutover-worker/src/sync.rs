//! Delta sync: bringing identities already on the target up to date with a newer export, and
//! settling users the export no longer has.
//!
//! A user imported by an earlier run whose record changed since (the ledger compares its
//! fingerprints at intake) is updated with `PUT /admin/identities/{id}` before its segment
//! goes live; once the segment is live, the user signs in on the target and may have changed
//! things there, so the change is reported instead. Updates are writes like batches: one at
//! a time, through their phase's rate limiter, retried on transient failures, and recorded in
//! the ledger after each success, so a sync killed halfway resends nothing it recorded.
//!
//! An update is a full replace, which makes sending it twice harmless: unlike a create, an
//! update whose answer was lost is simply sent again.

mod update;

use std::collections::{HashMap, HashSet};

use cutover_ledger::{BatchOutcome, GoLiveState, Ledger, Outcome, UserRow, UserState};
use cutover_plan::Plan;

use crate::batch::BatchSender;
use crate::prepare::{Prepared, prepare};
use crate::resolve;
use crate::{Progress, WorkerError};

use update::{Update, send};
pub use update::{UpdateFailure, judge_update_failure};

/// Users listed by name in a summary at most.
pub const LISTED: usize = 20;

/// What the updates of a run did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SyncSummary {
    /// Identities brought up to date.
    pub updated: u64,
    /// Of those, identities sent a new password.
    pub with_password: u64,
    /// Updates the target refused (a conflict, an invalid record); tried again next run.
    pub refused: u64,
    /// Identities that no longer exist on the target; their users are failed.
    pub missing: u64,
    /// Changed users whose segment is live: reported, not updated.
    pub held_back: u64,
    /// The first of those, by legacy id.
    pub held_back_first: Vec<String>,
}
/// The segments whose changed users are reported rather than updated: those whose go-live
/// began and was not rolled back, whose users may be signing in and changing their identity
/// on the target, and those being rolled back, whose identities are being deleted or
/// deactivated.
pub async fn held_segments(ledger: &Ledger, run_id: &str) -> Result<HashSet<String>, WorkerError> {
    let states = ledger.segment_states(run_id).await?;
    Ok(states
        .into_iter()
        .filter(|s| s.state.went_live() || s.state == GoLiveState::RollingBack)
        .map(|s| s.segment)
        .collect())
}
/// Updates the changed users of a phase, unless their segment is `live`.
pub async fn sync_phase(
    plan: &Plan,
    sender: &BatchSender<'_>,
    phase: &str,
    live: &HashSet<String>,
    summary: &mut SyncSummary,
) -> Result<(), WorkerError> {
    let rows = sender.ledger.users_to_sync(sender.run_id, phase).await?;
    let (held, due): (Vec<UserRow>, Vec<UserRow>) = rows
        .into_iter()
        .partition(|row| live.contains(&row.segment));
    for row in &held {
        let (legacy_id, segment) = (&row.legacy_id, &row.segment);
        tracing::debug!(%legacy_id, %segment, "changed after go-live, not updated");
        if summary.held_back_first.len() < LISTED {
            summary.held_back_first.push(row.legacy_id.clone());
        }
    }
    summary.held_back += held.len() as u64;
    if due.is_empty() {
        return Ok(());
    }

    sender.observer.progress(&Progress::SyncStarted {
        phase: phase.into(),
        users: due.len() as u64,
    });
    let before = summary.clone();
    let mut due: HashMap<String, UserRow> = due
        .into_iter()
        .map(|row| (row.legacy_id.clone(), row))
        .collect();
    let mut conflicted = Vec::new();
    // The users' phase in the ledger is where they were imported; a changed record may now
    // fall in another segment, so every prepared user is considered.
    for item in prepare(plan)? {
        let Prepared::User(user) = item else { continue };
        let (Some(row), Ok(create)) = (due.remove(&user.legacy_id), &user.body) else {
            continue;
        };
        if let Some(update) = Update::new(row, create)
            && !send(sender, phase, &update, false, summary).await?
        {
            conflicted.push(update);
        }
        if due.is_empty() {
            break;
        }
    }
    for update in conflicted {
        send(sender, phase, &update, true, summary).await?;
    }

    sender.observer.progress(&Progress::SyncFinished {
        phase: phase.into(),
        updated: summary.updated - before.updated,
        with_password: summary.with_password - before.with_password,
        refused: summary.refused - before.refused,
        missing: summary.missing - before.missing,
        held_back: held.len() as u64,
    });
    Ok(())
}
/// Settles users that were in flight when they disappeared from the export: each is looked
/// up, and recorded as imported if the target has it, or skipped as disappeared if not.
pub async fn settle_disappeared(
    sender: &BatchSender<'_>,
    rows: Vec<UserRow>,
) -> Result<(), WorkerError> {
    let mut outcomes = Vec::new();
    let mut absent = Vec::new();
    for row in rows
        .into_iter()
        .filter(|row| row.state == UserState::InFlight)
    {
        let identity = sender.client.get_by_external_id(&row.external_id).await;
        let found = resolve::judge(
            sender.plan_name,
            identity.map_err(WorkerError::Target)?.as_ref(),
        );
        let result = match resolve::after_lookup(found, true) {
            Some(result) => result,
            None => {
                absent.push(row.legacy_id.clone());
                BatchOutcome::NotSent
            }
        };
        outcomes.push(Outcome {
            legacy_id: row.legacy_id.clone(),
            batch_id: row.batch_id.clone().unwrap_or_default(),
            result,
        });
    }
    if outcomes.is_empty() {
        return Ok(());
    }
    sender
        .ledger
        .record_outcomes(sender.run_id, &outcomes, None)
        .await?;
    let absent: Vec<&str> = absent.iter().map(String::as_str).collect();
    sender
        .ledger
        .skip_disappeared(sender.run_id, &absent)
        .await?;
    Ok(())
}
