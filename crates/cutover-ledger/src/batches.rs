//! Batches: intent before effect. Users are marked `in_flight` with their batch before the
//! request leaves, and their outcomes are recorded in one transaction after it returns.

use crate::error::QueryContext;
use crate::{Activation, BatchOutcome, Ledger, LedgerError, Outcome, now};

impl Ledger {
    /// Records the intent to send a batch: the batch row, and every listed user moved to
    /// `in_flight` with it. Fails without changing anything if a user is already final.
    pub async fn begin_batch(
        &self,
        run_id: &str,
        phase: &str,
        legacy_ids: &[&str],
    ) -> Result<String, LedgerError> {
        let members: Vec<(&str, Option<Activation>)> =
            legacy_ids.iter().map(|id| (*id, None)).collect();
        self.begin_batch_of(run_id, phase, &members).await
    }

    /// [`Ledger::begin_batch`] for identities created in the given state, which is recorded as
    /// their activation: a go-live then knows which identities it must still activate even if
    /// the phase's `activate` changes after they were created.
    pub async fn begin_batch_creating(
        &self,
        run_id: &str,
        phase: &str,
        members: &[(&str, Activation)],
    ) -> Result<String, LedgerError> {
        let members: Vec<(&str, Option<Activation>)> = members
            .iter()
            .map(|(id, state)| (*id, Some(*state)))
            .collect();
        self.begin_batch_of(run_id, phase, &members).await
    }

    async fn begin_batch_of(
        &self,
        run_id: &str,
        phase: &str,
        members: &[(&str, Option<Activation>)],
    ) -> Result<String, LedgerError> {
        let batch_id = uuid::Uuid::now_v7().to_string();
        let at = now();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin batch")?;

        sqlx::query(
            "insert into batches (id, run_id, phase, size, state, sent_at)
             values (?, ?, ?, ?, 'sent', ?)",
        )
        .bind(&batch_id)
        .bind(run_id)
        .bind(phase)
        .bind(i64::try_from(members.len()).unwrap_or(i64::MAX))
        .bind(&at)
        .execute(&mut *tx)
        .await
        .during("record batch intent")?;

        for (legacy_id, created) in members {
            let done = sqlx::query(
                "update users set state = 'in_flight', batch_id = ?, attempts = attempts + 1,
                     activation = coalesce(?, activation), updated_at = ?
                 where run_id = ? and legacy_id = ? and phase = ?
                     and state in ('pending', 'in_flight')",
            )
            .bind(&batch_id)
            .bind(created.map(Activation::as_str))
            .bind(&at)
            .bind(run_id)
            .bind(legacy_id)
            .bind(phase)
            .execute(&mut *tx)
            .await
            .during("mark user in flight")?;
            if done.rows_affected() != 1 {
                return Err(LedgerError::Conflict {
                    operation: "begin batch",
                    detail: format!("user {legacy_id} is not waiting in phase {phase}"),
                });
            }
        }

        tx.commit().await.during("commit batch intent")?;
        Ok(batch_id)
    }

    /// Records the outcomes of users that were in flight, all in one transaction, writing a
    /// rollback marker for every identity this run created. With `batch_id`, that batch is
    /// marked recorded too. A user no longer in flight with the named batch is an error.
    pub async fn record_outcomes(
        &self,
        run_id: &str,
        outcomes: &[Outcome],
        batch_id: Option<&str>,
    ) -> Result<(), LedgerError> {
        let at = now();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin outcomes")?;

        for outcome in outcomes {
            let (state, identity_id, created, code, reason) = match &outcome.result {
                BatchOutcome::Imported {
                    identity_id,
                    created,
                } => ("imported", Some(identity_id.as_str()), *created, None, None),
                BatchOutcome::Failed { code, reason } => (
                    "failed",
                    None,
                    false,
                    Some(code.as_str()),
                    Some(reason.as_str()),
                ),
                BatchOutcome::NotSent => ("pending", None, false, None, None),
            };
            let adopted = matches!(
                outcome.result,
                BatchOutcome::Imported { created: false, .. }
            );

            let done = sqlx::query(
                "update users set state = ?, identity_id = ?, adopted = ?, reason_code = ?,
                     reason = ?, updated_at = ?
                 where run_id = ? and legacy_id = ? and state = 'in_flight' and batch_id = ?",
            )
            .bind(state)
            .bind(identity_id)
            .bind(i64::from(adopted))
            .bind(code)
            .bind(reason)
            .bind(&at)
            .bind(run_id)
            .bind(&outcome.legacy_id)
            .bind(&outcome.batch_id)
            .execute(&mut *tx)
            .await
            .during("record outcome")?;
            if done.rows_affected() != 1 {
                return Err(LedgerError::Conflict {
                    operation: "record outcome",
                    detail: format!(
                        "user {} is no longer in flight with batch {}",
                        outcome.legacy_id, outcome.batch_id
                    ),
                });
            }

            if created && let Some(identity_id) = identity_id {
                sqlx::query(
                    "insert into rollback_markers (run_id, identity_id, legacy_id, phase,
                         segment, batch_id, created_at)
                     select run_id, ?, legacy_id, phase, segment, ?, ? from users
                     where run_id = ? and legacy_id = ?",
                )
                .bind(identity_id)
                .bind(&outcome.batch_id)
                .bind(&at)
                .bind(run_id)
                .bind(&outcome.legacy_id)
                .execute(&mut *tx)
                .await
                .during("write rollback marker")?;
            }
        }

        if let Some(batch_id) = batch_id {
            sqlx::query("update batches set state = 'recorded', finished_at = ? where id = ?")
                .bind(&at)
                .bind(batch_id)
                .execute(&mut *tx)
                .await
                .during("complete batch")?;
        }
        tx.commit().await.during("commit outcomes")?;
        Ok(())
    }

    /// Marks a batch whose request could not be completed; its users stay in flight, to be
    /// looked up on the target before they are sent again.
    pub async fn abandon_batch(&self, batch_id: &str, note: &str) -> Result<(), LedgerError> {
        sqlx::query(
            "update batches set state = 'abandoned', finished_at = ?, note = ?
             where id = ? and state = 'sent'",
        )
        .bind(now())
        .bind(note)
        .bind(batch_id)
        .execute(&self.pool)
        .await
        .during("abandon batch")?;
        Ok(())
    }

    /// How many batches of a run were sent, in all.
    pub async fn batch_count(&self, run_id: &str) -> Result<u64, LedgerError> {
        let query = sqlx::query_scalar("select count(*) from batches where run_id = ?");
        self.count(query.bind(run_id), "count batches").await
    }

    /// The identities this run created and no rollback has deleted, with their rollback
    /// markers, as (identity, legacy id).
    pub async fn rollback_markers(
        &self,
        run_id: &str,
    ) -> Result<Vec<(String, String)>, LedgerError> {
        sqlx::query_as(
            "select identity_id, legacy_id from rollback_markers
             where run_id = ? and deleted_at is null
             order by created_at, identity_id",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .during("list rollback markers")
    }
}
