//! Delta sync: what the target was last sent for each user, which users changed in the export
//! since, and which ones the export no longer has.
//!
//! A user's record is digested in two parts: the profile (traits, metadata, addresses, social
//! links) and the credentials (the password hash). The latest intake stores both as the
//! user's *current* fingerprints; an update that reaches the target stores what it sent as
//! the *synced* ones. An imported user whose current fingerprints differ from the synced ones
//! is changed, and whether the password must be sent again is decided by the credentials part
//! alone.
//!
//! Every intake of the whole export is one *generation*: the rows it sees are stamped with it,
//! and when the intake completes the run's generation advances. A row stamped with an older
//! generation is a user that disappeared from the export; it is reported, never deleted.

mod record;

pub(crate) use record::sync_record;
pub use record::{Fingerprints, IntakeFingerprints, SyncChange, SyncRecord, sync_change};

use crate::error::QueryContext;
use crate::users::user_row;
use crate::{Ledger, LedgerError, ReasonCode, UserRow, now};

/// What completing an intake found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct IntakeEnd {
    /// The generation the intake completed.
    pub generation: u64,
    /// Users of the ledger that this export does not have, in any state.
    pub disappeared: u64,
    /// Of those, the users not yet sent, skipped now so that they hold no phase back.
    pub skipped: u64,
}

/// The users that disappeared from the export: how many, and the first of them.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Disappeared {
    /// How many users the latest export no longer has.
    pub count: u64,
    /// The first of them, in export order.
    pub first: Vec<UserRow>,
}

impl Ledger {
    /// Completes an intake of the whole export: the run's generation advances, and users the
    /// export no longer has are counted. Those not yet sent are skipped as `disappeared`, so
    /// that they hold no phase back; a later intake that sees them again revives them.
    pub async fn finish_intake(&self, run_id: &str) -> Result<IntakeEnd, LedgerError> {
        let at = now();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin intake end")?;
        let done: i64 = sqlx::query_scalar("select intake_generation from runs where id = ?")
            .bind(run_id)
            .fetch_one(&mut *tx)
            .await
            .during("read intake generation")?;
        let generation = done + 1;

        let advanced = sqlx::query(
            "update runs set intake_generation = ?, updated_at = ?
             where id = ? and intake_generation = ?",
        )
        .bind(generation)
        .bind(&at)
        .bind(run_id)
        .bind(done)
        .execute(&mut *tx)
        .await
        .during("advance intake generation")?;
        if advanced.rows_affected() != 1 {
            return Err(LedgerError::Conflict {
                operation: "finish intake",
                detail: format!("another intake completed generation {generation} first"),
            });
        }

        let skipped = sqlx::query(
            "update users set state = 'skipped', reason_code = ?, reason = ?, updated_at = ?
             where run_id = ? and state = 'pending' and seen_in < ?",
        )
        .bind(ReasonCode::Disappeared.as_str())
        .bind("no longer in the export; kept in the ledger, and sent if it comes back")
        .bind(&at)
        .bind(run_id)
        .bind(generation)
        .execute(&mut *tx)
        .await
        .during("skip disappeared users")?
        .rows_affected();
        let disappeared: i64 =
            sqlx::query_scalar("select count(*) from users where run_id = ? and seen_in < ?")
                .bind(run_id)
                .bind(generation)
                .fetch_one(&mut *tx)
                .await
                .during("count disappeared users")?;

        tx.commit().await.during("commit intake end")?;
        Ok(IntakeEnd {
            generation: u64::try_from(generation).unwrap_or(0),
            disappeared: u64::try_from(disappeared).unwrap_or(0),
            skipped,
        })
    }

    /// The users that the latest completed intake did not see, at most `limit` of them listed.
    pub async fn disappeared(&self, run_id: &str, limit: u32) -> Result<Disappeared, LedgerError> {
        let count: i64 = sqlx::query_scalar(
            "select count(*) from users where run_id = ?1
                 and seen_in < (select intake_generation from runs where id = ?1)",
        )
        .bind(run_id)
        .fetch_one(&self.pool)
        .await
        .during("count disappeared users")?;
        let rows = sqlx::query(
            "select * from users where run_id = ?1
                 and seen_in < (select intake_generation from runs where id = ?1)
             order by source_line, legacy_id limit ?2",
        )
        .bind(run_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .during("list disappeared users")?;
        Ok(Disappeared {
            count: u64::try_from(count).unwrap_or(0),
            first: rows.iter().map(user_row).collect::<Result<_, _>>()?,
        })
    }

    /// Skips users that are no longer in the export and are waiting again (they were in
    /// flight when they disappeared, and the target turned out not to have them).
    pub async fn skip_disappeared(
        &self,
        run_id: &str,
        legacy_ids: &[&str],
    ) -> Result<u64, LedgerError> {
        let at = now();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin skip")?;
        let mut skipped = 0;
        for legacy_id in legacy_ids {
            skipped += sqlx::query(
                "update users set state = 'skipped', reason_code = ?, reason = ?, updated_at = ?
                 where run_id = ?1 and legacy_id = ? and state = 'pending'
                     and seen_in < (select intake_generation from runs where id = ?1)",
            )
            .bind(ReasonCode::Disappeared.as_str())
            .bind("no longer in the export; kept in the ledger, and sent if it comes back")
            .bind(&at)
            .bind(run_id)
            .bind(legacy_id)
            .execute(&mut *tx)
            .await
            .during("skip disappeared user")?
            .rows_affected();
        }
        tx.commit().await.during("commit skip")?;
        Ok(skipped)
    }

    /// The imported users of a phase that the latest intake saw changed: their export record
    /// differs from what the target was last sent. In export order.
    pub async fn users_to_sync(
        &self,
        run_id: &str,
        phase: &str,
    ) -> Result<Vec<UserRow>, LedgerError> {
        let rows = sqlx::query(
            "select * from users where run_id = ?1 and phase = ?2 and state = 'imported'
                 and seen_in = (select intake_generation from runs where id = ?1)
                 and synced_profile is not null and profile_fingerprint is not null
                 and (synced_profile is not profile_fingerprint
                     or synced_credentials is not credentials_fingerprint)
             order by source_line, legacy_id",
        )
        .bind(run_id)
        .bind(phase)
        .fetch_all(&self.pool)
        .await
        .during("list users to sync")?;
        rows.iter().map(user_row).collect()
    }

    /// Every user of a run, in export order, for comparing the ledger with an export.
    pub async fn all_users(&self, run_id: &str) -> Result<Vec<UserRow>, LedgerError> {
        let rows =
            sqlx::query("select * from users where run_id = ? order by source_line, legacy_id")
                .bind(run_id)
                .fetch_all(&self.pool)
                .await
                .during("list users")?;
        rows.iter().map(user_row).collect()
    }

    /// Records that the target now holds `sent` for an imported user, and forgets the reason
    /// of an earlier refused update.
    pub async fn record_sync(
        &self,
        run_id: &str,
        legacy_id: &str,
        identity_id: &str,
        sent: &Fingerprints,
    ) -> Result<(), LedgerError> {
        let sql = "update users set synced_profile = ?, synced_credentials = ?, reason_code = null,
                 reason = null, updated_at = ?
             where run_id = ? and legacy_id = ? and state = 'imported' and identity_id = ?";
        let values = [sent.profile.as_str(), sent.credentials.as_str()];
        self.update_imported_user(sql, values, run_id, legacy_id, identity_id, "record sync")
            .await
    }

    /// Records why the target refused an update (a conflict, a rejected identity). The user
    /// stays imported with its old data on the target, and is tried again on the next run.
    pub async fn record_sync_refused(
        &self,
        run_id: &str,
        legacy_id: &str,
        identity_id: &str,
        code: ReasonCode,
        reason: &str,
    ) -> Result<(), LedgerError> {
        let sql = "update users set reason_code = ?, reason = ?, updated_at = ?
             where run_id = ? and legacy_id = ? and state = 'imported' and identity_id = ?";
        self.update_imported_user(
            sql,
            [code.as_str(), reason],
            run_id,
            legacy_id,
            identity_id,
            "record refused sync",
        )
        .await
    }

    /// Records that an imported user's identity no longer exists on the target: the user
    /// fails with `missing_on_target`. Its rollback marker stays, as a record of the import.
    pub async fn record_identity_missing(
        &self,
        run_id: &str,
        legacy_id: &str,
        identity_id: &str,
        reason: &str,
    ) -> Result<(), LedgerError> {
        let sql = "update users set state = 'failed', identity_id = null, reason_code = ?,
                 reason = ?, updated_at = ?
             where run_id = ? and legacy_id = ? and state = 'imported' and identity_id = ?";
        let values = [ReasonCode::MissingOnTarget.as_str(), reason];
        self.update_imported_user(
            sql,
            values,
            run_id,
            legacy_id,
            identity_id,
            "record missing identity",
        )
        .await
    }
}

impl Ledger {
    /// Runs `sql`, an update of one user that must still be imported as `identity_id`. `sql`
    /// takes the two `values`, the time, the run id, the legacy id and the identity id, in
    /// that order; anything but exactly one changed row is a conflict.
    async fn update_imported_user(
        &self,
        sql: &'static str,
        values: [&str; 2],
        run_id: &str,
        legacy_id: &str,
        identity_id: &str,
        operation: &'static str,
    ) -> Result<(), LedgerError> {
        let done = sqlx::query(sql)
            .bind(values[0])
            .bind(values[1])
            .bind(now())
            .bind(run_id)
            .bind(legacy_id)
            .bind(identity_id)
            .execute(&self.pool)
            .await
            .during(operation)?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        Err(LedgerError::Conflict {
            operation,
            detail: format!("user {legacy_id} is no longer imported as identity {identity_id}"),
        })
    }
}

/// The generation the running intake stamps on the rows it sees: one past the last one
/// completed. An intake that stops halfway stamps the same one again when it is redone.
pub(crate) async fn stamping_generation(
    tx: &mut sqlx::SqliteConnection,
    run_id: &str,
) -> Result<i64, LedgerError> {
    let done: Option<i64> = sqlx::query_scalar("select intake_generation from runs where id = ?")
        .bind(run_id)
        .fetch_optional(tx)
        .await
        .during("read intake generation")?;
    let done = done.ok_or_else(|| LedgerError::Conflict {
        operation: "intake",
        detail: format!("the ledger has no run {run_id}"),
    })?;
    Ok(done + 1)
}
