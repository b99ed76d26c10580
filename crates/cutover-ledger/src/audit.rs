//! The audit chain: what makes the event trail tamper-evident, and the check that reads it.
//!
//! Each event stores the hash of the run's previous event and its own SHA-256 over a canonical
//! form of all its fields, and the run row remembers its last event. An edited event no longer
//! matches its hash; a deleted one leaves a link pointing at nothing (or a run whose last
//! event is gone); an event moved to another place hashes correctly only at the place it was
//! recorded. Whoever can rewrite the file can also recompute every hash, so the chain shows
//! careless or casual tampering, not a determined forger with the file in hand.
//!
//! Events written before the chain existed are sealed in order, once, when such a ledger is
//! first opened; an event without a hash found later was not written by cutover.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::error::QueryContext;
use crate::{Ledger, LedgerError, now};

mod verify;

pub use verify::{AuditFinding, FindingKind};

/// Tags the canonical form, so a future change of it cannot be mistaken for tampering.
const CANONICAL_VERSION: &str = "cutover-event/1";

/// Every field of an event that its hash covers.
pub(crate) struct EventFields<'a> {
    pub seq: i64,
    pub run_id: &'a str,
    pub at: &'a str,
    pub kind: &'a str,
    pub actor: &'a str,
    pub plan_digest: &'a str,
    pub phase: Option<&'a str>,
    pub segment: Option<&'a str>,
    /// The counts exactly as stored, so that any change to the stored text shows.
    pub counts: &'a str,
    pub note: Option<&'a str>,
    pub prev_hash: Option<&'a str>,
}

impl EventFields<'_> {
    /// SHA-256, lowercase hex, of the canonical form: a JSON array of the version tag and the
    /// fields in a fixed order, absent values as `null`. serde_json writes strings and numbers
    /// one way only, so the same fields always give the same bytes.
    pub(crate) fn hash(&self) -> String {
        let canonical = serde_json::json!([
            CANONICAL_VERSION,
            self.seq,
            self.run_id,
            self.at,
            self.kind,
            self.actor,
            self.plan_digest,
            self.phase,
            self.segment,
            self.counts,
            self.note,
            self.prev_hash,
        ]);
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }
}

/// An event row as stored, hash columns included.
pub(crate) struct StoredEvent {
    seq: i64,
    run_id: String,
    at: String,
    kind: String,
    actor: String,
    plan_digest: String,
    phase: Option<String>,
    segment: Option<String>,
    counts: String,
    note: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl StoredEvent {
    pub(crate) fn from_row(row: &SqliteRow) -> StoredEvent {
        StoredEvent {
            seq: row.get("seq"),
            run_id: row.get("run_id"),
            at: row.get("at"),
            kind: row.get("kind"),
            actor: row.get("actor"),
            plan_digest: row.get("plan_digest"),
            phase: row.get("phase"),
            segment: row.get("segment"),
            counts: row.get("counts"),
            note: row.get("note"),
            prev_hash: row.get("prev_hash"),
            hash: row.get("hash"),
        }
    }

    /// The hash this event would have if it had been recorded at `seq`, linked to `prev`.
    pub(crate) fn hash_as(&self, seq: i64, prev: Option<&str>) -> String {
        EventFields {
            seq,
            run_id: &self.run_id,
            at: &self.at,
            kind: &self.kind,
            actor: &self.actor,
            plan_digest: &self.plan_digest,
            phase: self.phase.as_deref(),
            segment: self.segment.as_deref(),
            counts: &self.counts,
            note: self.note.as_deref(),
            prev_hash: prev,
        }
        .hash()
    }
}

/// Stores the hashes of a freshly inserted event; it must not have been sealed yet.
pub(crate) async fn seal(
    conn: &mut SqliteConnection,
    fields: &EventFields<'_>,
    hash: &str,
) -> Result<(), LedgerError> {
    let sealed =
        sqlx::query("update events set prev_hash = ?, hash = ? where seq = ? and hash is null")
            .bind(fields.prev_hash)
            .bind(hash)
            .bind(fields.seq)
            .execute(&mut *conn)
            .await
            .during("seal event")?;
    if sealed.rows_affected() != 1 {
        return Err(LedgerError::Conflict {
            operation: "seal event",
            detail: format!("event {} is missing or already sealed", fields.seq),
        });
    }
    Ok(())
}

impl Ledger {
    /// Seals the events written before the chain existed, in order, in one transaction, the
    /// first time a ledger is opened after the migration that added the chain.
    pub(crate) async fn seal_legacy_events(&self) -> Result<(), LedgerError> {
        let sealed_at: Option<String> =
            sqlx::query_scalar("select sealed_at from event_sealing where id = 1")
                .fetch_one(&self.pool)
                .await
                .during("read event sealing")?;
        if sealed_at.is_some() {
            return Ok(());
        }

        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin event sealing")?;
        let (legacy_until, sealed_at): (i64, Option<String>) =
            sqlx::query_as("select legacy_until, sealed_at from event_sealing where id = 1")
                .fetch_one(&mut *tx)
                .await
                .during("read event sealing")?;
        if sealed_at.is_some() {
            // Another process sealed them between the two reads.
            return Ok(());
        }

        let rows = sqlx::query(
            "select * from events where seq <= ? and hash is null order by run_id, seq",
        )
        .bind(legacy_until)
        .fetch_all(&mut *tx)
        .await
        .during("read events to seal")?;
        let mut heads: BTreeMap<String, (i64, String)> = BTreeMap::new();
        for event in rows.iter().map(StoredEvent::from_row) {
            let prev = heads.get(&event.run_id).map(|(_, hash)| hash.as_str());
            let hash = event.hash_as(event.seq, prev);
            let fields = EventFields {
                prev_hash: prev,
                ..fields_of(&event)
            };
            seal(&mut tx, &fields, &hash).await?;
            heads.insert(event.run_id.clone(), (event.seq, hash));
        }

        for (run_id, (seq, hash)) in &heads {
            let moved = sqlx::query(
                "update runs set last_event_seq = ?, last_event_hash = ?
                 where id = ? and last_event_seq is null",
            )
            .bind(seq)
            .bind(hash)
            .bind(run_id)
            .execute(&mut *tx)
            .await
            .during("record the run's last event")?;
            if moved.rows_affected() != 1 {
                return Err(LedgerError::Conflict {
                    operation: "seal events",
                    detail: format!("run {run_id} already has a last event"),
                });
            }
        }
        sqlx::query("update event_sealing set sealed_at = ? where id = 1 and sealed_at is null")
            .bind(now())
            .execute(&mut *tx)
            .await
            .during("record event sealing")?;
        tx.commit().await.during("commit event sealing")?;
        Ok(())
    }
}

fn fields_of(event: &StoredEvent) -> EventFields<'_> {
    EventFields {
        seq: event.seq,
        run_id: &event.run_id,
        at: &event.at,
        kind: &event.kind,
        actor: &event.actor,
        plan_digest: &event.plan_digest,
        phase: event.phase.as_deref(),
        segment: event.segment.as_deref(),
        counts: &event.counts,
        note: event.note.as_deref(),
        prev_hash: event.prev_hash.as_deref(),
    }
}
