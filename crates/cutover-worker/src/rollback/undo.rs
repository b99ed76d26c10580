//! The carrying out of a rollback: each segment moves to `rolling_back`, every identity this
//! run created in it is deleted (or deactivated) and recorded one by one, and the segment
//! moves to `rolled_back` with an event that carries the totals.

use cutover_ledger::{
    Activation, EventKind, GoLiveState, Ledger, NewEvent, RollbackMode, Run, TargetChanges,
    Transition,
};
use cutover_ory::{IdentityState, OryClient};
use governor::DefaultDirectRateLimiter;
use uuid::Uuid;

use super::{PAGE, SegmentRollback};
use crate::steps::{Scope, idempotent};
use crate::{Checkpoint, Observer, WorkerError};

/// The carrying out of a rollback, segment after segment.
pub(super) struct Undo<'a> {
    /// Where each step is recorded.
    pub ledger: &'a Ledger,
    /// The target the identities are on.
    pub client: &'a OryClient,
    /// Told of every checkpoint, so that tests can crash the process halfway.
    pub observer: &'a dyn Observer,
    /// The run being rolled back.
    pub run: &'a Run,
    /// The plan's limit on write requests, if it sets one.
    pub limiter: Option<DefaultDirectRateLimiter>,
    /// Identities deleted or deactivated by this process, to number checkpoints.
    pub steps: u64,
}

impl Undo<'_> {
    /// Rolls back one segment: begins (or resumes) its rollback, changes every identity and
    /// records the end, or the interruption.
    pub async fn segment(
        &mut self,
        scope: Scope<'_>,
        mode: RollbackMode,
        segment: &mut SegmentRollback,
    ) -> Result<(), WorkerError> {
        let run_id = self.run.id.as_str();
        tracing::info!(created = segment.created, "rolling back");
        if segment.golive != GoLiveState::RollingBack {
            let note = match (mode, segment.golive.went_live()) {
                (RollbackMode::Delete, true) => "delete, forced after go-live",
                (RollbackMode::Delete, false) => "delete",
                (RollbackMode::Deactivate, _) => "deactivate",
            };
            let begin = Transition {
                segment: scope.segment,
                from: segment.golive,
                to: GoLiveState::RollingBack,
                mode: Some(mode),
            };
            let started = scope.event(EventKind::RollbackStarted, Some(note));
            self.ledger
                .transition_segment(run_id, begin, &[started])
                .await?;
        }

        let result = match mode {
            RollbackMode::Delete => self.delete_all(scope.segment, segment).await,
            RollbackMode::Deactivate => self.deactivate_all(scope.segment, segment).await,
        };
        if let Err(err) = result {
            let kind = EventKind::RollbackInterrupted;
            scope
                .record_interruption(self.ledger, run_id, kind, &err.to_string())
                .await?;
            return Err(err);
        }

        let changes = match mode {
            RollbackMode::Delete => {
                let since = self
                    .ledger
                    .segment_state(run_id, scope.segment)
                    .await?
                    .updated_at;
                let since = since.unwrap_or_default();
                segment.deleted = self
                    .ledger
                    .count_deleted_since(run_id, scope.segment, &since)
                    .await?;
                TargetChanges {
                    deleted: Some(segment.deleted),
                    ..TargetChanges::default()
                }
            }
            RollbackMode::Deactivate => TargetChanges {
                deactivated: Some(segment.deactivated),
                ..TargetChanges::default()
            },
        };
        let note = format!(
            "{} identities left alone (adopted or conflicts)",
            segment.kept.len()
        );
        let done = NewEvent {
            changes,
            ..scope.event(EventKind::Rollback, Some(&note))
        };
        let finish = Transition {
            segment: scope.segment,
            from: GoLiveState::RollingBack,
            to: GoLiveState::RolledBack,
            mode: Some(mode),
        };
        self.ledger
            .transition_segment(run_id, finish, &[done])
            .await?;
        Ok(())
    }

    /// Deletes every identity of the segment with a live marker, recording each deletion.
    async fn delete_all(
        &mut self,
        segment: &str,
        tally: &mut SegmentRollback,
    ) -> Result<(), WorkerError> {
        let run_id = self.run.id.as_str();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .ledger
                .markers_in_segment(run_id, segment, after.as_deref(), PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.identity_id.clone());

            for marker in page {
                // An id that is not a UUID cannot name an identity on the target.
                let deleted = match Uuid::parse_str(&marker.identity_id) {
                    Ok(id) => {
                        let call = idempotent(self.limiter.as_ref(), || self.client.delete(id));
                        call.await.map_err(WorkerError::Target)?
                    }
                    Err(_) => false,
                };
                if !deleted {
                    tally.already_gone += 1;
                }
                self.count_step();
                self.ledger.record_deletion(run_id, &marker).await?;
            }
        }
        Ok(())
    }

    /// Makes every identity of the segment this run created inactive, recording each change.
    async fn deactivate_all(
        &mut self,
        segment: &str,
        tally: &mut SegmentRollback,
    ) -> Result<(), WorkerError> {
        let run_id = self.run.id.as_str();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .ledger
                .created_users(run_id, segment, after.as_deref(), PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.legacy_id.clone());

            for user in page {
                if user.activation == Some(Activation::Inactive) {
                    tally.deactivated += 1;
                    continue;
                }
                let Ok(id) = Uuid::parse_str(&user.identity_id) else {
                    tally.missing += 1;
                    continue;
                };
                let state = IdentityState::Inactive;
                let call = idempotent(self.limiter.as_ref(), || self.client.set_state(id, state));
                match call.await {
                    Ok(_) => {}
                    // A missing identity cannot sign in either; the operator is told.
                    Err(err) if err.is_not_found() => {
                        tally.missing += 1;
                        continue;
                    }
                    Err(err) => return Err(WorkerError::Target(err)),
                }
                self.count_step();
                let inactive = Activation::Inactive;
                self.ledger
                    .record_activation(run_id, &user, inactive)
                    .await?;
                tally.deactivated += 1;
            }
        }
        Ok(())
    }

    /// Counts one change made on the target, at the checkpoint a crash test can stop at.
    fn count_step(&mut self) {
        self.steps += 1;
        self.observer
            .checkpoint(Checkpoint::AfterRollbackStep { step: self.steps });
    }
}
