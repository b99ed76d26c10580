//! Go-live state: where each segment of a run stands (not live, activating, live, rolling
//! back, rolled back), and per user which state cutover last put the identity in.
//!
//! Both are written step by step as the target changes, so that a go-live or a rollback
//! killed halfway continues where it stopped instead of starting over, and every transition
//! names the state it comes from, so two commands cannot both move the same segment.

use std::fmt;

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::error::QueryContext;
use crate::events::{Event, NewEvent, insert_event};
use crate::{Ledger, LedgerError, now};

/// Where a segment stands in its go-live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoLiveState {
    /// The segment never went live (or nothing was started for it).
    NotLive,
    /// The gates held (or were overridden) and identities are being activated.
    Activating,
    /// Every identity cutover may activate is active.
    Live,
    /// A rollback of the segment is under way.
    RollingBack,
    /// The segment was rolled back.
    RolledBack,
}

impl GoLiveState {
    /// The word stored in the ledger and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            GoLiveState::NotLive => "not_live",
            GoLiveState::Activating => "activating",
            GoLiveState::Live => "live",
            GoLiveState::RollingBack => "rolling_back",
            GoLiveState::RolledBack => "rolled_back",
        }
    }

    /// Whether a go-live of the segment was started and not rolled back since: its users
    /// may already be signing in.
    pub fn went_live(self) -> bool {
        matches!(self, GoLiveState::Activating | GoLiveState::Live)
    }

    fn parse(value: &str) -> Result<GoLiveState, LedgerError> {
        [
            GoLiveState::NotLive,
            GoLiveState::Activating,
            GoLiveState::Live,
            GoLiveState::RollingBack,
            GoLiveState::RolledBack,
        ]
        .into_iter()
        .find(|state| state.as_str() == value)
        .ok_or_else(|| LedgerError::Corrupt {
            what: "segment state",
            value: value.into(),
        })
    }
}

impl fmt::Display for GoLiveState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rollback undoes a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RollbackMode {
    /// The identities cutover created are deleted and their users go back to pending.
    Delete,
    /// The identities are kept but made inactive.
    Deactivate,
}

impl RollbackMode {
    /// The word stored in the ledger and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            RollbackMode::Delete => "delete",
            RollbackMode::Deactivate => "deactivate",
        }
    }

    fn parse(value: &str) -> Result<RollbackMode, LedgerError> {
        match value {
            "delete" => Ok(RollbackMode::Delete),
            "deactivate" => Ok(RollbackMode::Deactivate),
            other => Err(LedgerError::Corrupt {
                what: "rollback mode",
                value: other.into(),
            }),
        }
    }
}

impl fmt::Display for RollbackMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state cutover last put an identity in on the target: the one it was created in, until a
/// go-live activates it or a rollback deactivates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// Created active, or activated by a go-live.
    Active,
    /// Created inactive, or deactivated by a rollback.
    Inactive,
}

impl Activation {
    /// The word stored in the ledger, which is also Kratos's word for the state.
    pub fn as_str(self) -> &'static str {
        match self {
            Activation::Active => "active",
            Activation::Inactive => "inactive",
        }
    }

    fn parse(value: &str) -> Result<Activation, LedgerError> {
        match value {
            "active" => Ok(Activation::Active),
            "inactive" => Ok(Activation::Inactive),
            other => Err(LedgerError::Corrupt {
                what: "activation",
                value: other.into(),
            }),
        }
    }
}

/// One segment's go-live state.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SegmentState {
    /// The segment.
    pub segment: String,
    /// Where it stands.
    pub state: GoLiveState,
    /// How it is (or was) rolled back, while rolling back or rolled back.
    pub rollback_mode: Option<RollbackMode>,
    /// When it last went live.
    pub live_at: Option<String>,
    /// When its state last changed; none for a segment that never moved.
    pub updated_at: Option<String>,
}

impl SegmentState {
    fn not_live(segment: &str) -> SegmentState {
        SegmentState {
            segment: segment.to_string(),
            state: GoLiveState::NotLive,
            rollback_mode: None,
            live_at: None,
            updated_at: None,
        }
    }

    fn from_row(row: &SqliteRow) -> Result<SegmentState, LedgerError> {
        let mode: Option<String> = row.get("rollback_mode");
        Ok(SegmentState {
            segment: row.get("segment"),
            state: GoLiveState::parse(row.get("state"))?,
            rollback_mode: mode.as_deref().map(RollbackMode::parse).transpose()?,
            live_at: row.get("live_at"),
            updated_at: row.get("updated_at"),
        })
    }
}

/// An imported user with its identity, as go-live and rollback read it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TargetUser {
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The identity's `external_id`.
    pub external_id: String,
    /// The identity on the target.
    pub identity_id: String,
    /// Whether the identity was found on the target rather than created by this run.
    pub adopted: bool,
    /// The state cutover created the identity in or last put it in, if the ledger knows it.
    pub activation: Option<Activation>,
}

impl TargetUser {
    pub(crate) fn from_row(row: &SqliteRow) -> Result<TargetUser, LedgerError> {
        let activation: Option<String> = row.get("activation");
        Ok(TargetUser {
            legacy_id: row.get("legacy_id"),
            external_id: row.get("external_id"),
            identity_id: row.get("identity_id"),
            adopted: row.get::<i64, _>("adopted") != 0,
            activation: activation.as_deref().map(Activation::parse).transpose()?,
        })
    }
}

/// A guarded change of a segment's go-live state.
#[derive(Clone, Copy, Debug)]
pub struct Transition<'a> {
    /// The segment.
    pub segment: &'a str,
    /// The state it must be in; anything else is a conflict and changes nothing.
    pub from: GoLiveState,
    /// The state it moves to.
    pub to: GoLiveState,
    /// The rollback mode, required for the rollback states and refused for the others.
    pub mode: Option<RollbackMode>,
}

impl Ledger {
    /// The go-live state of one segment of the run.
    pub async fn segment_state(
        &self,
        run_id: &str,
        segment: &str,
    ) -> Result<SegmentState, LedgerError> {
        let row = sqlx::query("select * from segment_states where run_id = ? and segment = ?")
            .bind(run_id)
            .bind(segment)
            .fetch_optional(&self.pool)
            .await
            .during("read segment state")?;
        match row {
            Some(row) => SegmentState::from_row(&row),
            None => Ok(SegmentState::not_live(segment)),
        }
    }

    /// The go-live state of every segment of the run that ever moved, by segment name.
    pub async fn segment_states(&self, run_id: &str) -> Result<Vec<SegmentState>, LedgerError> {
        let rows = sqlx::query("select * from segment_states where run_id = ? order by segment")
            .bind(run_id)
            .fetch_all(&self.pool)
            .await
            .during("list segment states")?;
        rows.iter().map(SegmentState::from_row).collect()
    }

    /// Moves a segment from one go-live state to the next and records the events that say
    /// so, in one transaction: the trail never shows a state the ledger does not hold.
    pub async fn transition_segment(
        &self,
        run_id: &str,
        transition: Transition<'_>,
        events: &[NewEvent<'_>],
    ) -> Result<Vec<Event>, LedgerError> {
        let Transition {
            segment,
            from,
            to,
            mode,
        } = transition;
        let at = now();
        let live_at = (to == GoLiveState::Live).then_some(at.as_str());
        let mut tx = self
            .pool
            .begin_with("begin immediate")
            .await
            .during("begin segment transition")?;

        let moved = if from == GoLiveState::NotLive {
            sqlx::query(
                "insert into segment_states (run_id, segment, state, rollback_mode, live_at,
                     updated_at)
                 values (?, ?, ?, ?, ?, ?)
                 on conflict (run_id, segment) do nothing",
            )
            .bind(run_id)
            .bind(segment)
            .bind(to.as_str())
            .bind(mode.map(RollbackMode::as_str))
            .bind(live_at)
            .bind(&at)
            .execute(&mut *tx)
            .await
        } else {
            sqlx::query(
                "update segment_states set state = ?, rollback_mode = ?,
                     live_at = coalesce(?, live_at), updated_at = ?
                 where run_id = ? and segment = ? and state = ?",
            )
            .bind(to.as_str())
            .bind(mode.map(RollbackMode::as_str))
            .bind(live_at)
            .bind(&at)
            .bind(run_id)
            .bind(segment)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
        }
        .during("move segment state")?;
        if moved.rows_affected() != 1 {
            return Err(LedgerError::Conflict {
                operation: "move segment state",
                detail: format!("segment {segment} is no longer {from}, so it cannot become {to}"),
            });
        }

        let mut recorded = Vec::with_capacity(events.len());
        for event in events {
            recorded.push(insert_event(&mut tx, run_id, event).await?);
        }
        tx.commit().await.during("commit segment transition")?;
        Ok(recorded)
    }

    /// A page of the segment's imported users, by legacy id after `after`.
    pub async fn imported_users(
        &self,
        run_id: &str,
        segment: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<TargetUser>, LedgerError> {
        let sql = "select * from users
             where run_id = ? and segment = ? and state = 'imported'
                 and (? is null or legacy_id > ?)
             order by legacy_id limit ?";
        let rows = self
            .segment_page(sql, run_id, segment, after, limit, "list imported users")
            .await?;
        rows.iter().map(TargetUser::from_row).collect()
    }

    /// At most `count` of the segment's imported users, drawn at random.
    pub async fn sample_imported(
        &self,
        run_id: &str,
        segment: &str,
        count: u32,
    ) -> Result<Vec<TargetUser>, LedgerError> {
        let rows = sqlx::query(
            "select * from users where run_id = ? and segment = ? and state = 'imported'
             order by random() limit ?",
        )
        .bind(run_id)
        .bind(segment)
        .bind(i64::from(count))
        .fetch_all(&self.pool)
        .await
        .during("sample imported users")?;
        rows.iter().map(TargetUser::from_row).collect()
    }

    /// Records that a user's identity was put in `activation` on the target. The user must
    /// still be imported with that identity and not already recorded in that state.
    pub async fn record_activation(
        &self,
        run_id: &str,
        user: &TargetUser,
        activation: Activation,
    ) -> Result<(), LedgerError> {
        let done = sqlx::query(
            "update users set activation = ?, updated_at = ?
             where run_id = ? and legacy_id = ? and state = 'imported' and identity_id = ?
                 and activation is not ?",
        )
        .bind(activation.as_str())
        .bind(now())
        .bind(run_id)
        .bind(&user.legacy_id)
        .bind(&user.identity_id)
        .bind(activation.as_str())
        .execute(&self.pool)
        .await
        .during("record activation")?;
        if done.rows_affected() != 1 {
            return Err(LedgerError::Conflict {
                operation: "record activation",
                detail: format!(
                    "user {} is no longer imported with identity {}, or is already {}",
                    user.legacy_id,
                    user.identity_id,
                    activation.as_str()
                ),
            });
        }
        Ok(())
    }
}
