//! The check of a run's event trail: every event against its hash, its link to the event
//! before it and the run's last event, with a finding for each event that is wrong.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::StoredEvent;
use crate::error::QueryContext;
use crate::{Ledger, LedgerError};

/// How many hashes a check may compute while looking for where moved events belong.
const REHASH_BUDGET: u64 = 500_000;

/// How an event of the trail was found to be wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Its fields no longer match its hash.
    Edited,
    /// Events the chain expects are missing before it (or, for the run's last event, it is).
    Deleted,
    /// It stands elsewhere than where it was recorded.
    Reordered,
    /// It was not written by cutover: it has no hash, or it follows the run's last event.
    Added,
}

impl FindingKind {
    /// The word shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Edited => "edited",
            FindingKind::Deleted => "deleted",
            FindingKind::Reordered => "reordered",
            FindingKind::Added => "added",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a run's event trail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditFinding {
    /// The event concerned: the bad one, or for a deletion the first event after the gap (the
    /// missing event itself when the run's last event is gone).
    pub seq: i64,
    /// What is wrong.
    pub kind: FindingKind,
    /// What was found, in words.
    pub detail: String,
}

impl fmt::Display for AuditFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event {}: {}: {}", self.seq, self.kind, self.detail)
    }
}

impl Ledger {
    /// Checks the run's event trail and returns what is wrong with it, by event; an intact
    /// trail gives no findings.
    pub async fn verify_audit(&self, run_id: &str) -> Result<Vec<AuditFinding>, LedgerError> {
        let rows = sqlx::query("select * from events where run_id = ? order by seq")
            .bind(run_id)
            .fetch_all(&self.pool)
            .await
            .during("read events to verify")?;
        let events: Vec<StoredEvent> = rows.iter().map(StoredEvent::from_row).collect();
        let head: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("select last_event_seq, last_event_hash from runs where id = ?")
                .bind(run_id)
                .fetch_optional(&self.pool)
                .await
                .during("read the run's last event")?;
        let head = match head {
            Some((Some(seq), Some(hash))) => Some((seq, hash)),
            _ => None,
        };
        Ok(check_chain(&events, head.as_ref()))
    }
}

/// The findings of one run's trail, one per event and kind, in trail order.
#[derive(Default)]
struct Findings(BTreeMap<(i64, FindingKind), String>);

impl Findings {
    fn add(&mut self, seq: i64, kind: FindingKind, detail: String) {
        self.0
            .entry((seq, kind))
            .and_modify(|known| {
                known.push_str("; ");
                known.push_str(&detail);
            })
            .or_insert(detail);
    }
}

/// Checks a run's events (in stored order) against their hashes, their links and the run's
/// last event. First every event is placed where it was recorded: at its own seq if it hashes
/// there, else at the seq it does hash at (it was moved). The links are then followed in
/// recorded order, so that a moved event is reported once, not again by its neighbours.
fn check_chain(events: &[StoredEvent], head: Option<&(i64, String)>) -> Vec<AuditFinding> {
    let mut findings = Findings::default();
    let first = events.iter().map(|e| e.seq).min().unwrap_or(0);
    let last = events.iter().map(|e| e.seq).max().unwrap_or(0);
    let last = last.max(head.map_or(0, |(seq, _)| *seq));
    let mut budget = REHASH_BUDGET;

    let mut placed: Vec<(i64, &StoredEvent)> = Vec::new();
    for event in events {
        let Some(hash) = &event.hash else {
            let detail = "it has no hash, so cutover did not write it".to_string();
            findings.add(event.seq, FindingKind::Added, detail);
            continue;
        };
        if event.hash_as(event.seq, event.prev_hash.as_deref()) == *hash {
            placed.push((event.seq, event));
            continue;
        }
        let recorded_at = (first..=last).filter(|seq| *seq != event.seq).find(|seq| {
            budget = budget.saturating_sub(1);
            budget > 0 && event.hash_as(*seq, event.prev_hash.as_deref()) == *hash
        });
        match recorded_at {
            Some(seq) => {
                let detail = format!("it was recorded as event {seq}");
                findings.add(event.seq, FindingKind::Reordered, detail);
                placed.push((seq, event));
            }
            None => {
                let detail = "its fields no longer match its hash".to_string();
                findings.add(event.seq, FindingKind::Edited, detail);
                placed.push((event.seq, event));
            }
        }
    }
    placed.sort_by_key(|(recorded, _)| *recorded);

    let holders: HashMap<&str, i64> = events
        .iter()
        .filter_map(|e| e.hash.as_deref().map(|hash| (hash, e.seq)))
        .collect();
    let mut previous: Option<&StoredEvent> = None;
    for (_, event) in &placed {
        let expected = previous.and_then(|p| p.hash.as_deref());
        if event.prev_hash.as_deref() != expected {
            let after = previous.map_or_else(
                || "it is the run's first event".to_string(),
                |p| format!("it comes after event {}", p.seq),
            );
            let (kind, detail) = match event.prev_hash.as_deref() {
                Some(link) => match holders.get(link) {
                    Some(seq) => (
                        FindingKind::Reordered,
                        format!("it was recorded after event {seq}, but {after}"),
                    ),
                    None => (
                        FindingKind::Deleted,
                        match previous {
                            Some(p) => format!("events between event {} and it are missing", p.seq),
                            None => "events recorded before it are missing".to_string(),
                        },
                    ),
                },
                None => (
                    FindingKind::Reordered,
                    format!("it was recorded as the run's first event, but {after}"),
                ),
            };
            findings.add(event.seq, kind, detail);
        }
        previous = Some(event);
    }

    check_head(&placed, head, &mut findings);
    findings
        .0
        .into_iter()
        .map(|((seq, kind), detail)| AuditFinding { seq, kind, detail })
        .collect()
}

/// The trail must end at the run's last event: if that event is gone, the tail was deleted;
/// events after it were added behind cutover's back.
fn check_head(
    placed: &[(i64, &StoredEvent)],
    head: Option<&(i64, String)>,
    findings: &mut Findings,
) {
    let at_head = head.and_then(|(_, hash)| {
        placed
            .iter()
            .position(|(_, event)| event.hash.as_deref() == Some(hash.as_str()))
    });
    match (head, at_head) {
        (Some(_), Some(index)) => {
            let (_, head_event) = placed[index];
            for (_, event) in &placed[index + 1..] {
                let detail = format!(
                    "it comes after event {}, the last event cutover recorded for the run",
                    head_event.seq
                );
                findings.add(event.seq, FindingKind::Added, detail);
            }
        }
        (Some((seq, _)), None) => {
            let detail = match placed.last() {
                Some((_, last)) => format!(
                    "the run's last event is missing; the trail now ends at event {}",
                    last.seq
                ),
                None => "the run's last event is missing, and every event before it".to_string(),
            };
            findings.add(*seq, FindingKind::Deleted, detail);
        }
        (None, _) => {
            for (_, event) in placed {
                let detail = "the run has no recorded last event, so cutover did not write it";
                findings.add(event.seq, FindingKind::Added, detail.to_string());
            }
        }
    }
}
