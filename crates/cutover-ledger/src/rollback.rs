//! Rollback: the identities a run created in a segment (its live rollback markers), what a
//! rollback leaves alone, and the record of each deletion, which puts the user back to
//! `pending` so that the phase can run again.
//!
//! Only a marker proves that this ledger created an identity, so only marked identities are
//! ever deleted. A marker is not removed when its identity is deleted: it is stamped, so the
//! trail of what was created and deleted stays whole and a resumed rollback skips it.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::error::QueryContext;
use crate::golive::TargetUser;
use crate::users::user_row;
use crate::{Ledger, LedgerError, UserRow, now};

/// A rollback marker: an identity this run created, not yet deleted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Marker {
    /// The identity on the target.
    pub identity_id: String,
    /// The user it was created for.
    pub legacy_id: String,
    /// The phase that created it.
    pub phase: String,
    /// The user's segment.
    pub segment: String,
    /// The batch that created it.
    pub batch_id: String,
    /// When it was recorded.
    pub created_at: String,
}

impl Marker {
    fn from_row(row: &SqliteRow) -> Marker {
        Marker {
            identity_id: row.get("identity_id"),
            legacy_id: row.get("legacy_id"),
            phase: row.get("phase"),
            segment: row.get("segment"),
            batch_id: row.get("batch_id"),
            created_at: row.get("created_at"),
        }
    }
}

impl Ledger {
    /// A page of the segment's live markers, by identity id after `after`.
    pub async fn markers_in_segment(
        &self,
        run_id: &str,
        segment: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Marker>, LedgerError> {
        let sql = "select * from rollback_markers
             where run_id = ? and segment = ? and deleted_at is null
                 and (? is null or identity_id > ?)
             order by identity_id limit ?";
        let operation = "list rollback markers of a segment";
        let rows = self
            .segment_page(sql, run_id, segment, after, limit, operation)
            .await?;
        Ok(rows.iter().map(Marker::from_row).collect())
    }

    /// How many identities of the segment this run created and has not deleted.
    pub async fn count_markers(&self, run_id: &str, segment: &str) -> Result<u64, LedgerError> {
        let query = sqlx::query_scalar(
            "select count(*) from rollback_markers
             where run_id = ? and segment = ? and deleted_at is null",
        );
        let query = query.bind(run_id).bind(segment);
        self.count(query, "count rollback markers").await
    }

    /// How many of the segment's identities a rollback deleted at or after `since` (an RFC
    /// 3339 time from the ledger), to total a rollback that was resumed.
    pub async fn count_deleted_since(
        &self,
        run_id: &str,
        segment: &str,
        since: &str,
    ) -> Result<u64, LedgerError> {
        let query = sqlx::query_scalar(
            "select count(*) from rollback_markers
             where run_id = ? and segment = ? and deleted_at >= ?",
        );
        let query = query.bind(run_id).bind(segment).bind(since);
        self.count(query, "count deleted identities").await
    }

    /// How many imported users of the segment have an identity this run created that cutover
    /// has not recorded as inactive: what a deactivating rollback still has to change.
    pub async fn count_to_deactivate(
        &self,
        run_id: &str,
        segment: &str,
    ) -> Result<u64, LedgerError> {
        let query = sqlx::query_scalar(
            "select count(*) from users
             join rollback_markers as markers
                 on markers.run_id = users.run_id and markers.identity_id = users.identity_id
             where users.run_id = ? and users.segment = ? and users.state = 'imported'
                 and markers.deleted_at is null and users.activation is not 'inactive'",
        );
        let query = query.bind(run_id).bind(segment);
        self.count(query, "count identities to deactivate").await
    }

    /// A page of the segment's imported users whose identity this run created (it has a live
    /// marker), by legacy id after `after`.
    pub async fn created_users(
        &self,
        run_id: &str,
        segment: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<TargetUser>, LedgerError> {
        let sql = "select users.* from users
             join rollback_markers as markers
                 on markers.run_id = users.run_id and markers.identity_id = users.identity_id
             where users.run_id = ? and users.segment = ? and users.state = 'imported'
                 and markers.deleted_at is null
                 and (? is null or users.legacy_id > ?)
             order by users.legacy_id limit ?";
        let rows = self
            .segment_page(sql, run_id, segment, after, limit, "list created users")
            .await?;
        rows.iter().map(TargetUser::from_row).collect()
    }

    /// The users of the segment a rollback leaves alone: imported without a live marker
    /// (adopted identities), and failed on a conflict with an identity this plan did not
    /// create. In export order.
    pub async fn kept_by_rollback(
        &self,
        run_id: &str,
        segment: &str,
    ) -> Result<Vec<UserRow>, LedgerError> {
        let rows = sqlx::query(
            "select * from users
             where run_id = ? and segment = ?
                 and ((state = 'imported' and not exists (
                         select 1 from rollback_markers as markers
                         where markers.run_id = users.run_id
                             and markers.identity_id = users.identity_id
                             and markers.deleted_at is null))
                     or (state = 'failed' and reason_code = 'conflict'))
             order by source_line, legacy_id",
        )
        .bind(run_id)
        .bind(segment)
        .fetch_all(&self.pool)
        .await
        .during("list users a rollback keeps")?;
        rows.iter().map(user_row).collect()
    }

    /// Records that a marked identity is gone from the target: the marker is stamped deleted
    /// and, if the user still holds that identity, the user goes back to `pending` with no
    /// identity, batch or activation, in one transaction. Returns whether the user was reset;
    /// a user whose row has moved on since is left as it is.
    pub async fn record_deletion(
        &self,
        run_id: &str,
        marker: &Marker,
    ) -> Result<bool, LedgerError> {
        let at = now();
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin deletion")?;

        let stamped = sqlx::query(
            "update rollback_markers set deleted_at = ?
             where run_id = ? and identity_id = ? and deleted_at is null",
        )
        .bind(&at)
        .bind(run_id)
        .bind(&marker.identity_id)
        .execute(&mut *tx)
        .await
        .during("stamp rollback marker")?;
        if stamped.rows_affected() != 1 {
            return Err(LedgerError::Conflict {
                operation: "record deletion",
                detail: format!(
                    "identity {} has no live rollback marker in run {run_id}",
                    marker.identity_id
                ),
            });
        }

        // The attempts go back to zero too: the identity they may have created is gone, so a
        // conflict found on the next run cannot be one of this ledger's earlier requests.
        let reset = sqlx::query(
            "update users set state = 'pending', identity_id = null, batch_id = null,
                 adopted = 0, attempts = 0, activation = null, reason_code = null,
                 reason = null, updated_at = ?
             where run_id = ? and legacy_id = ? and state = 'imported' and identity_id = ?",
        )
        .bind(&at)
        .bind(run_id)
        .bind(&marker.legacy_id)
        .bind(&marker.identity_id)
        .execute(&mut *tx)
        .await
        .during("reset rolled back user")?;

        tx.commit().await.during("commit deletion")?;
        Ok(reset.rows_affected() == 1)
    }
}
