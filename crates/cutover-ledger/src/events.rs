//! The run's event trail: an append-only list of lifecycle events with the counts at the time.
//!
//! Every event is chained to the run's previous one by hash as it is written (see the `audit`
//! module for the chain and its check), so the trail can be handed to whoever asks what
//! happened and still be checked for tampering.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::audit::EventFields;
use crate::error::QueryContext;
use crate::{Ledger, LedgerError, now};

/// The kinds of lifecycle event a run records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A run of a plan was started for the first time.
    RunStarted,
    /// A run was started again after an earlier start.
    RunResumed,
    /// The plan file changed since the run last accepted it, and the change was accepted.
    PlanChanged,
    /// A phase began moving users.
    PhaseStarted,
    /// A phase has no user left to move.
    PhaseFinished,
    /// A run ended with every requested phase finished.
    RunFinished,
    /// A run stopped early on an error; it can be resumed.
    RunInterrupted,
    /// A phase's time window was closed while it had users to send, and the run waits for it
    /// to open; the note names the window and its next opening.
    PhaseWaiting,
    /// A run stopped because a phase's time window was closed; the note names the window and
    /// its next opening, when the run can be started again.
    RunPaused,
    /// A segment's gates held and its identities are being activated.
    GoliveStarted,
    /// A segment's go-live went ahead although gates failed; the note says why and which.
    GoliveForced,
    /// A segment went live: every identity of it that cutover may activate is active.
    Golive,
    /// A go-live stopped before every identity was active; it can be resumed.
    GoliveInterrupted,
    /// A rollback of a segment began.
    RollbackStarted,
    /// A segment was rolled back: its identities deleted (or deactivated).
    Rollback,
    /// A rollback stopped before it finished; it can be resumed.
    RollbackInterrupted,
}

impl EventKind {
    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::RunStarted => "run_started",
            EventKind::RunResumed => "run_resumed",
            EventKind::PlanChanged => "plan_changed",
            EventKind::PhaseStarted => "phase_started",
            EventKind::PhaseFinished => "phase_finished",
            EventKind::RunFinished => "run_finished",
            EventKind::RunInterrupted => "run_interrupted",
            EventKind::PhaseWaiting => "phase_waiting",
            EventKind::RunPaused => "run_paused",
            EventKind::GoliveStarted => "golive_started",
            EventKind::GoliveForced => "golive_forced",
            EventKind::Golive => "golive",
            EventKind::GoliveInterrupted => "golive_interrupted",
            EventKind::RollbackStarted => "rollback_started",
            EventKind::Rollback => "rollback",
            EventKind::RollbackInterrupted => "rollback_interrupted",
        }
    }
}

/// What a command changed on the target, carried in the counts of the event that ends it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TargetChanges {
    /// Identities made active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated: Option<u64>,
    /// Identities made inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deactivated: Option<u64>,
    /// Identities deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<u64>,
}

/// The counts an event carries: users per state in the event's scope (its segment, else its
/// phase, else the whole run) and what the command changed on the target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventCounts {
    /// Not yet sent.
    #[serde(default)]
    pub pending: u64,
    /// Sent, outcome not recorded.
    #[serde(default)]
    pub in_flight: u64,
    /// On the target.
    #[serde(default)]
    pub imported: u64,
    /// Cannot be imported (conflicts included).
    #[serde(default)]
    pub failed: u64,
    /// Left out on purpose.
    #[serde(default)]
    pub skipped: u64,
    /// Failed because the target holds an identity this plan did not create.
    #[serde(default)]
    pub conflicts: u64,
    /// What the command changed on the target.
    #[serde(flatten)]
    pub changes: TargetChanges,
}

impl EventCounts {
    /// All users counted.
    pub fn total(&self) -> u64 {
        self.pending + self.in_flight + self.imported + self.failed + self.skipped
    }
}

/// An event about to be recorded.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent<'a> {
    /// What happened.
    pub kind: EventKind,
    /// Who caused it.
    pub actor: &'a str,
    /// The digest of the plan file in force.
    pub plan_digest: &'a str,
    /// The phase concerned, if any.
    pub phase: Option<&'a str>,
    /// The segment concerned, if any.
    pub segment: Option<&'a str>,
    /// Free text: a reason, a note from the operator, an error.
    pub note: Option<&'a str>,
    /// What the command changed on the target.
    pub changes: TargetChanges,
}

impl<'a> NewEvent<'a> {
    /// An event of `kind` by `actor` under the plan digest, for the whole run.
    pub fn new(kind: EventKind, actor: &'a str, plan_digest: &'a str) -> NewEvent<'a> {
        NewEvent {
            kind,
            actor,
            plan_digest,
            phase: None,
            segment: None,
            note: None,
            changes: TargetChanges::default(),
        }
    }
}

/// One recorded event.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Event {
    /// Position in the ledger's trail (shared by all runs of the ledger).
    pub seq: i64,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
    /// What happened.
    pub kind: String,
    /// Who caused it.
    pub actor: String,
    /// The plan digest in force.
    pub plan_digest: String,
    /// The phase concerned, if any.
    pub phase: Option<String>,
    /// The segment concerned, if any.
    pub segment: Option<String>,
    /// The counts at that moment (see [`EventCounts`]; older events lack some fields).
    pub counts: serde_json::Value,
    /// Free text.
    pub note: Option<String>,
    /// The hash of the run's previous event; none for its first.
    pub prev_hash: Option<String>,
    /// This event's hash over all of the above.
    pub hash: Option<String>,
}

impl Event {
    /// One of the counts by name (`imported`, `conflicts`, `activated`, ...); 0 when absent.
    pub fn count(&self, name: &str) -> u64 {
        self.counts
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    }
}

impl Ledger {
    /// Appends an event about the run, or one of its phases, to the run's trail.
    pub async fn append_event(
        &self,
        run_id: &str,
        kind: EventKind,
        actor: &str,
        plan_digest: &str,
        phase: Option<&str>,
        note: Option<&str>,
    ) -> Result<(), LedgerError> {
        let event = NewEvent {
            phase,
            note,
            ..NewEvent::new(kind, actor, plan_digest)
        };
        self.record_event(run_id, &event).await.map(|_| ())
    }

    /// Appends an event to the run's trail and returns it as recorded.
    pub async fn record_event(
        &self,
        run_id: &str,
        event: &NewEvent<'_>,
    ) -> Result<Event, LedgerError> {
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin event")?;
        let recorded = insert_event(&mut tx, run_id, event).await?;
        tx.commit().await.during("commit event")?;
        Ok(recorded)
    }

    /// The run's events, oldest first.
    pub async fn events(&self, run_id: &str) -> Result<Vec<Event>, LedgerError> {
        let rows = sqlx::query("select * from events where run_id = ? order by seq")
            .bind(run_id)
            .fetch_all(&self.pool)
            .await
            .during("list events")?;
        Ok(rows.iter().map(event_row).collect())
    }

    /// The users per state in a scope of the run: a segment, a phase, or the whole run.
    pub async fn scope_counts(
        &self,
        run_id: &str,
        phase: Option<&str>,
        segment: Option<&str>,
    ) -> Result<EventCounts, LedgerError> {
        let mut conn = self.pool.acquire().await.during("count users in scope")?;
        scope_counts(&mut conn, run_id, phase, segment).await
    }
}

/// Writes an event inside the caller's transaction: inserted, then sealed with its hash and
/// linked from the run's head, so the event and the chain move together or not at all.
pub(crate) async fn insert_event(
    conn: &mut SqliteConnection,
    run_id: &str,
    event: &NewEvent<'_>,
) -> Result<Event, LedgerError> {
    let mut counts = scope_counts(conn, run_id, event.phase, event.segment).await?;
    counts.changes = event.changes;
    let counts = serde_json::to_string(&counts).unwrap_or_default();
    let at = now();

    let head: (Option<i64>, Option<String>) =
        sqlx::query_as("select last_event_seq, last_event_hash from runs where id = ?")
            .bind(run_id)
            .fetch_one(&mut *conn)
            .await
            .during("read the run's last event")?;
    let seq: i64 = sqlx::query_scalar(
        "insert into events (run_id, at, kind, actor, plan_digest, phase, segment, counts, note)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         returning seq",
    )
    .bind(run_id)
    .bind(&at)
    .bind(event.kind.as_str())
    .bind(event.actor)
    .bind(event.plan_digest)
    .bind(event.phase)
    .bind(event.segment)
    .bind(&counts)
    .bind(event.note)
    .fetch_one(&mut *conn)
    .await
    .during("append event")?;

    let fields = EventFields {
        seq,
        run_id,
        at: &at,
        kind: event.kind.as_str(),
        actor: event.actor,
        plan_digest: event.plan_digest,
        phase: event.phase,
        segment: event.segment,
        counts: &counts,
        note: event.note,
        prev_hash: head.1.as_deref(),
    };
    let hash = fields.hash();
    crate::audit::seal(conn, &fields, &hash).await?;

    // The head moves only from the event this one links to, so two writers racing on the same
    // run cannot both extend the chain from the same place.
    let moved = sqlx::query(
        "update runs set last_event_seq = ?, last_event_hash = ?
         where id = ? and last_event_seq is ? and last_event_hash is ?",
    )
    .bind(seq)
    .bind(&hash)
    .bind(run_id)
    .bind(head.0)
    .bind(head.1.as_deref())
    .execute(&mut *conn)
    .await
    .during("move the run's last event")?;
    if moved.rows_affected() != 1 {
        return Err(LedgerError::Conflict {
            operation: "append event",
            detail: format!("the last event of run {run_id} changed while event {seq} was added"),
        });
    }

    Ok(Event {
        seq,
        at,
        kind: event.kind.as_str().to_string(),
        actor: event.actor.to_string(),
        plan_digest: event.plan_digest.to_string(),
        phase: event.phase.map(str::to_string),
        segment: event.segment.map(str::to_string),
        counts: serde_json::from_str(&counts).unwrap_or_default(),
        note: event.note.map(str::to_string),
        prev_hash: head.1,
        hash: Some(hash),
    })
}

/// Users per state in a scope; `None` for phase or segment means any.
async fn scope_counts(
    conn: &mut SqliteConnection,
    run_id: &str,
    phase: Option<&str>,
    segment: Option<&str>,
) -> Result<EventCounts, LedgerError> {
    let rows = sqlx::query(
        "select state, count(*) as n, sum(reason_code is 'conflict') as conflicts from users
         where run_id = ? and (? is null or phase = ?) and (? is null or segment = ?)
         group by state",
    )
    .bind(run_id)
    .bind(phase)
    .bind(phase)
    .bind(segment)
    .bind(segment)
    .fetch_all(&mut *conn)
    .await
    .during("count users in scope")?;

    let mut counts = EventCounts::default();
    for row in &rows {
        let n = u64::try_from(row.get::<i64, _>("n")).unwrap_or(0);
        let state: &str = row.get("state");
        match state {
            "pending" => counts.pending += n,
            "in_flight" => counts.in_flight += n,
            "imported" => counts.imported += n,
            "failed" => counts.failed += n,
            "skipped" => counts.skipped += n,
            other => {
                return Err(LedgerError::Corrupt {
                    what: "user state",
                    value: other.into(),
                });
            }
        }
        counts.conflicts += u64::try_from(row.get::<i64, _>("conflicts")).unwrap_or(0);
    }
    Ok(counts)
}

fn event_row(row: &SqliteRow) -> Event {
    Event {
        seq: row.get("seq"),
        at: row.get("at"),
        kind: row.get("kind"),
        actor: row.get("actor"),
        plan_digest: row.get("plan_digest"),
        phase: row.get("phase"),
        segment: row.get("segment"),
        counts: serde_json::from_str(row.get::<&str, _>("counts")).unwrap_or_default(),
        note: row.get("note"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}
