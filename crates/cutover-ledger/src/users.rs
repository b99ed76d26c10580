//! Legacy users: intake from the export, and the reads the worker and reports need.

use std::collections::HashSet;

use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite, SqliteConnection};

use crate::error::QueryContext;
use crate::sync::{stamping_generation, sync_change, sync_record};
use crate::{
    IntakeRow, IntakeStats, Ledger, LedgerError, ReasonCode, UserPassword, UserRow, UserState, now,
};

impl Ledger {
    /// Records the users of the export: new users are added, users not yet sent get their
    /// segment, phase and intake verdict revised, and users on their way or done are kept.
    /// Every user seen is stamped with the running intake generation, and an imported user's
    /// fingerprints are brought up to date, so that a changed record can be synced.
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
        let generation = stamping_generation(&mut tx, run_id).await?;
        let stamp = Stamp {
            run_id,
            generation,
            at: &at,
        };

        for row in rows {
            let existing = sqlx::query("select * from users where run_id = ? and legacy_id = ?")
                .bind(run_id)
                .bind(&row.legacy_id)
                .fetch_optional(&mut *tx)
                .await
                .during("read user for intake")?;
            let Some(existing) = existing else {
                add_user(&mut tx, &stamp, row).await?;
                stats.added += 1;
                continue;
            };

            let existing = user_row(&existing)?;
            if is_revisable(&existing) {
                revise_user(&mut tx, &stamp, row, &existing).await?;
                stats.revised += 1;
                if existing.reason_code == Some(ReasonCode::Disappeared) {
                    stats.returned += 1;
                }
            } else {
                if keep_user(&mut tx, &stamp, row, &existing).await? {
                    stats.changed += 1;
                }
                stats.kept += 1;
            }
        }

        tx.commit().await.during("commit intake")?;
        Ok(stats)
    }

    /// The legacy ids of the segment's users that the legacy system blocked, as the latest
    /// export that had each of them said.
    pub async fn blocked_in_segment(
        &self,
        run_id: &str,
        segment: &str,
    ) -> Result<HashSet<String>, LedgerError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "select legacy_id from users where run_id = ? and segment = ? and blocked = 1",
        )
        .bind(run_id)
        .bind(segment)
        .fetch_all(&self.pool)
        .await
        .during("read blocked users")?;
        Ok(ids.into_iter().collect())
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
fn is_revisable(user: &UserRow) -> bool {
    match user.state {
        UserState::Pending => true,
        UserState::Failed | UserState::Skipped => {
            user.reason_code.is_some_and(ReasonCode::is_intake_verdict)
        }
        UserState::InFlight | UserState::Imported => false,
    }
}

/// What every row written by one intake shares.
struct Stamp<'a> {
    run_id: &'a str,
    generation: i64,
    at: &'a str,
}

/// The verdict of an intake row as the columns store it.
fn verdict_columns(row: &IntakeRow) -> (UserState, Option<&str>, Option<&str>) {
    match &row.verdict {
        Some((state, code, reason)) => (*state, Some(code.as_str()), Some(reason.as_str())),
        None => (UserState::Pending, None, None),
    }
}

/// Binds what an intake row decides, in the order both [`add_user`] and [`revise_user`]
/// write it: segment, phase, verdict, fingerprints, generation, source line, password route,
/// whether the user is blocked, and the time.
fn bind_intake<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    stamp: &Stamp<'_>,
    row: &IntakeRow,
) -> Query<'q, Sqlite, SqliteArguments> {
    let (state, code, reason) = verdict_columns(row);
    let (route, detail) = password_columns(row);
    let current = row.fingerprints.as_ref().map(|f| &f.now);
    query
        .bind(&row.segment)
        .bind(&row.phase)
        .bind(state.as_str())
        .bind(code)
        .bind(reason)
        .bind(&row.fingerprint)
        .bind(current.map(|f| f.profile.as_str()))
        .bind(current.map(|f| f.credentials.as_str()))
        .bind(stamp.generation)
        .bind(row.source_line.map(to_i64))
        .bind(route)
        .bind(detail)
        .bind(row.blocked)
        .bind(stamp.at)
}

async fn add_user(
    tx: &mut SqliteConnection,
    stamp: &Stamp<'_>,
    row: &IntakeRow,
) -> Result<(), LedgerError> {
    let query = sqlx::query(
        "insert into users (run_id, legacy_id, external_id, patch_id, segment, phase, state,
             reason_code, reason, fingerprint, profile_fingerprint, credentials_fingerprint,
             seen_in, source_line, password_route, password_detail, blocked, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(stamp.run_id)
    .bind(&row.legacy_id)
    .bind(&row.external_id)
    .bind(&row.patch_id);
    bind_intake(query, stamp, row)
        .execute(&mut *tx)
        .await
        .during("add user")?;
    Ok(())
}

/// Revises a user not yet sent: everything the export and plan say replaces what was there.
/// What an earlier identity was synced with is forgotten: a user waiting to be sent (again,
/// after a rollback) has no identity on the target to compare with.
async fn revise_user(
    tx: &mut SqliteConnection,
    stamp: &Stamp<'_>,
    row: &IntakeRow,
    existing: &UserRow,
) -> Result<(), LedgerError> {
    let query = sqlx::query(
        "update users set segment = ?, phase = ?, state = ?, reason_code = ?, reason = ?,
             fingerprint = ?, profile_fingerprint = ?, credentials_fingerprint = ?,
             synced_profile = null, synced_credentials = null, seen_in = ?, source_line = ?,
             password_route = ?, password_detail = ?, blocked = ?, updated_at = ?
         where run_id = ? and legacy_id = ? and state = ?",
    );
    let done = bind_intake(query, stamp, row)
        .bind(stamp.run_id)
        .bind(&row.legacy_id)
        .bind(existing.state.as_str())
        .execute(&mut *tx)
        .await
        .during("revise user")?;
    expect_state(done.rows_affected(), existing)
}

/// Keeps a user on its way or done, noting that the export still has it. An imported user
/// gets its current fingerprints, and what the target holds is recorded first if no sync did
/// (see [`crate::SyncRecord::synced_for`]). Returns whether the user changed since the target
/// was last sent its record.
async fn keep_user(
    tx: &mut SqliteConnection,
    stamp: &Stamp<'_>,
    row: &IntakeRow,
    existing: &UserRow,
) -> Result<bool, LedgerError> {
    // A user in flight keeps the fingerprints it was sent with until its outcome is known;
    // a user the mapping now stops keeps those of its import, the last ones known good.
    let (current, upgrade) = match (&row.fingerprints, existing.state) {
        (Some(intake), UserState::Imported) => (&intake.now, &intake.upgrade),
        _ => {
            let done = sqlx::query(
                "update users set seen_in = ?, blocked = ?
                 where run_id = ? and legacy_id = ? and state = ?",
            )
            .bind(stamp.generation)
            .bind(row.blocked)
            .bind(stamp.run_id)
            .bind(&row.legacy_id)
            .bind(existing.state.as_str())
            .execute(&mut *tx)
            .await
            .during("mark user seen")?;
            return expect_state(done.rows_affected(), existing).map(|()| false);
        }
    };

    // The route follows the export like the fingerprints do: a changed password reaches the
    // target with the next sync of the user.
    let synced = existing.sync.synced_for(upgrade, current);
    let (route, detail) = password_columns(row);
    let done = sqlx::query(
        "update users set profile_fingerprint = ?, credentials_fingerprint = ?,
             synced_profile = ?, synced_credentials = ?, seen_in = ?,
             password_route = ?, password_detail = ?, blocked = ?
         where run_id = ? and legacy_id = ? and state = 'imported'",
    )
    .bind(&current.profile)
    .bind(&current.credentials)
    .bind(&synced.profile)
    .bind(&synced.credentials)
    .bind(stamp.generation)
    .bind(route)
    .bind(detail)
    .bind(row.blocked)
    .bind(stamp.run_id)
    .bind(&row.legacy_id)
    .execute(&mut *tx)
    .await
    .during("refresh imported user")?;
    expect_state(done.rows_affected(), existing)?;
    Ok(sync_change(&synced, current).is_some())
}

/// The password route of an intake row as the columns store it.
fn password_columns(row: &IntakeRow) -> (Option<&str>, Option<&str>) {
    match &row.password {
        Some(password) => (
            Some(password.route.as_str()),
            Some(password.detail.as_str()),
        ),
        None => (None, None),
    }
}

fn expect_state(affected: u64, existing: &UserRow) -> Result<(), LedgerError> {
    if affected == 1 {
        return Ok(());
    }
    Err(LedgerError::Conflict {
        operation: "intake",
        detail: format!(
            "user {} is no longer {}",
            existing.legacy_id, existing.state
        ),
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
        seen_in: u64::try_from(row.get::<i64, _>("seen_in")).unwrap_or(0),
        password: UserPassword::from_columns(
            row.get("password_route"),
            row.get("password_detail"),
        )?,
        sync: sync_record(row),
    })
}

/// SQLite integers are signed; export line numbers never come near the limit.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
