//! Legacy users: intake from the export, and the reads the worker and reports need.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::error::QueryContext;
use crate::{IntakeRow, IntakeStats, Ledger, LedgerError, ReasonCode, UserRow, UserState, now};

impl Ledger {
    /// Records the users of the export: new users are added, users not yet sent get their
    /// segment, phase and intake verdict revised, and users on their way or done are kept.
    pub async fn intake(
        &self,
        run_id: &str,
        rows: &[IntakeRow],
    ) -> Result<IntakeStats, LedgerError> {
        let mut stats = IntakeStats::default();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin intake")?;
        let at = now();

        for row in rows {
            let existing = sqlx::query(
                "select state, reason_code from users where run_id = ? and legacy_id = ?",
            )
            .bind(run_id)
            .bind(&row.legacy_id)
            .fetch_optional(&mut *tx)
            .await
            .during("read user for intake")?;

            let (state, code, reason) = match &row.verdict {
                Some((state, code, reason)) => (*state, Some(code.as_str()), Some(reason.as_str())),
                None => (UserState::Pending, None, None),
            };
            let revisable = match &existing {
                None => None,
                Some(existing) => Some(is_revisable(existing)?),
            };
            let source_line = row.source_line.map(to_i64);

            match revisable {
                None => {
                    sqlx::query(
                        "insert into users (run_id, legacy_id, external_id, patch_id, segment,
                             phase, state, reason_code, reason, fingerprint, source_line,
                             updated_at)
                         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    )
                    .bind(run_id)
                    .bind(&row.legacy_id)
                    .bind(&row.external_id)
                    .bind(&row.patch_id)
                    .bind(&row.segment)
                    .bind(&row.phase)
                    .bind(state.as_str())
                    .bind(code)
                    .bind(reason)
                    .bind(&row.fingerprint)
                    .bind(source_line)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await
                    .during("add user")?;
                    stats.added += 1;
                }
                Some(true) => {
                    sqlx::query(
                        "update users set segment = ?, phase = ?, state = ?, reason_code = ?,
                             reason = ?, fingerprint = ?, source_line = ?, updated_at = ?
                         where run_id = ? and legacy_id = ?",
                    )
                    .bind(&row.segment)
                    .bind(&row.phase)
                    .bind(state.as_str())
                    .bind(code)
                    .bind(reason)
                    .bind(&row.fingerprint)
                    .bind(source_line)
                    .bind(&at)
                    .bind(run_id)
                    .bind(&row.legacy_id)
                    .execute(&mut *tx)
                    .await
                    .during("revise user")?;
                    stats.revised += 1;
                }
                Some(false) => stats.kept += 1,
            }
        }

        tx.commit().await.during("commit intake")?;
        Ok(stats)
    }

    /// The users of a phase that are not in a final state, in export order.
    pub async fn unfinished_in_phase(
        &self,
        run_id: &str,
        phase: &str,
    ) -> Result<Vec<UserRow>, LedgerError> {
        let rows = sqlx::query(
            "select * from users where run_id = ? and phase = ?
                 and state in ('pending', 'in_flight')
             order by source_line, legacy_id",
        )
        .bind(run_id)
        .bind(phase)
        .fetch_all(&self.pool)
        .await
        .during("list unfinished users")?;
        rows.iter().map(user_row).collect()
    }

    /// The users of a run in a given state, at most `limit` of them, in export order.
    pub async fn users_in_state(
        &self,
        run_id: &str,
        state: UserState,
        limit: u32,
    ) -> Result<Vec<UserRow>, LedgerError> {
        let rows = sqlx::query(
            "select * from users where run_id = ? and state = ?
             order by source_line, legacy_id limit ?",
        )
        .bind(run_id)
        .bind(state.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .during("list users by state")?;
        rows.iter().map(user_row).collect()
    }

    /// One user's row.
    pub async fn user(
        &self,
        run_id: &str,
        legacy_id: &str,
    ) -> Result<Option<UserRow>, LedgerError> {
        let row = sqlx::query("select * from users where run_id = ? and legacy_id = ?")
            .bind(run_id)
            .bind(legacy_id)
            .fetch_optional(&self.pool)
            .await
            .during("read user")?;
        row.as_ref().map(user_row).transpose()
    }
}

/// Whether intake may still change this user: not yet sent, or held back by an intake verdict.
fn is_revisable(row: &SqliteRow) -> Result<bool, LedgerError> {
    let state = UserState::parse(row.get("state"))?;
    let code: Option<String> = row.get("reason_code");
    let code = code.as_deref().map(ReasonCode::parse).transpose()?;
    Ok(match state {
        UserState::Pending => true,
        UserState::Failed | UserState::Skipped => code.is_some_and(ReasonCode::is_intake_verdict),
        UserState::InFlight | UserState::Imported => false,
    })
}

pub(crate) fn user_row(row: &SqliteRow) -> Result<UserRow, LedgerError> {
    let code: Option<String> = row.get("reason_code");
    let attempts: i64 = row.get("attempts");
    let source_line: Option<i64> = row.get("source_line");
    Ok(UserRow {
        legacy_id: row.get("legacy_id"),
        external_id: row.get("external_id"),
        patch_id: row.get("patch_id"),
        segment: row.get("segment"),
        phase: row.get("phase"),
        state: UserState::parse(row.get("state"))?,
        reason_code: code.as_deref().map(ReasonCode::parse).transpose()?,
        reason: row.get("reason"),
        identity_id: row.get("identity_id"),
        adopted: row.get::<i64, _>("adopted") != 0,
        batch_id: row.get("batch_id"),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        source_line: source_line.and_then(|line| u64::try_from(line).ok()),
    })
}

/// SQLite integers are signed; export line numbers never come near the limit.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
