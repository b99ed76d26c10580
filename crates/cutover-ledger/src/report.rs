//! Counts for status reports: users per phase, segment and state.

use sqlx::Row;

use crate::error::QueryContext;
use crate::{Ledger, LedgerError, UserState};

/// How many users are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StateCounts {
    /// Not yet sent.
    pub pending: u64,
    /// Sent, outcome not recorded.
    pub in_flight: u64,
    /// On the target.
    pub imported: u64,
    /// Cannot be imported.
    pub failed: u64,
    /// Left out on purpose.
    pub skipped: u64,
}

impl StateCounts {
    /// All users counted.
    pub fn total(&self) -> u64 {
        self.pending + self.in_flight + self.imported + self.failed + self.skipped
    }

    /// Whether every user counted is in a final state.
    pub fn is_finished(&self) -> bool {
        self.pending == 0 && self.in_flight == 0
    }

    /// The sum of two counts.
    pub fn plus(&self, other: &StateCounts) -> StateCounts {
        StateCounts {
            pending: self.pending + other.pending,
            in_flight: self.in_flight + other.in_flight,
            imported: self.imported + other.imported,
            failed: self.failed + other.failed,
            skipped: self.skipped + other.skipped,
        }
    }

    fn add(&mut self, state: UserState, count: u64) {
        let slot = match state {
            UserState::Pending => &mut self.pending,
            UserState::InFlight => &mut self.in_flight,
            UserState::Imported => &mut self.imported,
            UserState::Failed => &mut self.failed,
            UserState::Skipped => &mut self.skipped,
        };
        *slot += count;
    }
}

/// The counts of one segment within one phase.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatusRow {
    /// The phase.
    pub phase: String,
    /// The segment.
    pub segment: String,
    /// Users per state.
    pub counts: StateCounts,
}

impl Ledger {
    /// Users per phase, segment and state, ordered by phase and segment name.
    pub async fn status(&self, run_id: &str) -> Result<Vec<StatusRow>, LedgerError> {
        let rows = sqlx::query(
            "select phase, segment, state, count(*) as n from users where run_id = ?
             group by phase, segment, state order by phase, segment",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .during("count users")?;

        let mut status: Vec<StatusRow> = Vec::new();
        for row in &rows {
            let phase: String = row.get("phase");
            let segment: String = row.get("segment");
            let state = UserState::parse(row.get("state"))?;
            let count = u64::try_from(row.get::<i64, _>("n")).unwrap_or(0);
            let index = match status
                .iter()
                .position(|r| r.phase == phase && r.segment == segment)
            {
                Some(index) => index,
                None => {
                    status.push(StatusRow {
                        phase,
                        segment,
                        counts: StateCounts::default(),
                    });
                    status.len() - 1
                }
            };
            status[index].counts.add(state, count);
        }
        Ok(status)
    }

    /// How many failed users of a run there are per reason code.
    pub async fn failure_reasons(&self, run_id: &str) -> Result<Vec<(String, u64)>, LedgerError> {
        let rows = sqlx::query(
            "select coalesce(reason_code, 'unknown') as code, count(*) as n from users
             where run_id = ? and state in ('failed', 'skipped')
             group by code order by n desc, code",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .during("count failure reasons")?;
        Ok(rows
            .iter()
            .map(|row| {
                (
                    row.get("code"),
                    u64::try_from(row.get::<i64, _>("n")).unwrap_or(0),
                )
            })
            .collect())
    }
}
