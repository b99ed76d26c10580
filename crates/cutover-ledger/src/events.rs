//! The run's event trail: an append-only list of lifecycle events with the counts at the time.

use sqlx::Row;

use crate::error::QueryContext;
use crate::{Ledger, LedgerError, StateCounts, now};

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
        }
    }
}

/// One recorded event.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Event {
    /// Position in the trail.
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
    /// The counts at that moment.
    pub counts: serde_json::Value,
    /// Free text.
    pub note: Option<String>,
}

impl Ledger {
    /// Appends an event to the run's trail.
    pub async fn append_event(
        &self,
        run_id: &str,
        kind: EventKind,
        actor: &str,
        plan_digest: &str,
        phase: Option<&str>,
        note: Option<&str>,
    ) -> Result<(), LedgerError> {
        let counts = self.counts(run_id, phase).await?;
        sqlx::query(
            "insert into events (run_id, at, kind, actor, plan_digest, phase, counts, note)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id)
        .bind(now())
        .bind(kind.as_str())
        .bind(actor)
        .bind(plan_digest)
        .bind(phase)
        .bind(serde_json::to_string(&counts).unwrap_or_default())
        .bind(note)
        .execute(&self.pool)
        .await
        .during("append event")?;
        Ok(())
    }

    /// The run's events, oldest first.
    pub async fn events(&self, run_id: &str) -> Result<Vec<Event>, LedgerError> {
        let rows = sqlx::query("select * from events where run_id = ? order by seq")
            .bind(run_id)
            .fetch_all(&self.pool)
            .await
            .during("list events")?;
        Ok(rows
            .iter()
            .map(|row| Event {
                seq: row.get("seq"),
                at: row.get("at"),
                kind: row.get("kind"),
                actor: row.get("actor"),
                plan_digest: row.get("plan_digest"),
                phase: row.get("phase"),
                counts: serde_json::from_str(row.get::<&str, _>("counts")).unwrap_or_default(),
                note: row.get("note"),
            })
            .collect())
    }

    async fn counts(&self, run_id: &str, phase: Option<&str>) -> Result<StateCounts, LedgerError> {
        let rows = self.status(run_id).await?;
        Ok(rows
            .iter()
            .filter(|row| phase.is_none_or(|phase| row.phase == phase))
            .fold(StateCounts::default(), |total, row| total.plus(&row.counts)))
    }
}
