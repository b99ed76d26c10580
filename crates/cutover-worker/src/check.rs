//! `cutover check`: what a plan would do with its export, without touching the target.
//!
//! Against a ledger in which the plan already ran, it also says what running the plan again
//! with this export would sync: which users are new, which changed (and whether their
//! password did), and which are gone from the export. It reads the ledger and never writes.

mod triage;

use std::collections::{BTreeMap, HashMap, HashSet};

use cutover_ledger::{Ledger, ReasonCode, SyncChange, UserRow, UserState, sync_change};
use cutover_plan::Plan;
use cutover_source::{SourceWarning, Unreadable};

use crate::WorkerError;
use crate::keys::{fingerprints, upgrade_fingerprints};
use crate::prepare::{Prepared, PreparedUser, prepare};
use crate::sync::{LISTED, held_segments};

pub use triage::{SegmentTriage, Tally};

/// A user that cannot be imported, and why.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Unimportable {
    /// Position in the export.
    pub seq: u64,
    /// The user's id in the legacy system.
    pub legacy_id: String,
    /// The reason code.
    pub code: String,
    /// The reason in words.
    pub reason: String,
}

/// Everything `check` found.
#[derive(Debug, Default, serde::Serialize)]
pub struct CheckReport {
    /// Users read from the export.
    pub users: u64,
    /// Users per (phase, segment), in plan order.
    pub per_segment: Vec<(String, String, u64)>,
    /// Users per password hash family (`none` for no password).
    pub hash_families: BTreeMap<String, u64>,
    /// Per segment, which way the users' passwords would go and why, in plan order.
    pub password_triage: Vec<SegmentTriage>,
    /// Users that cannot be imported.
    pub unimportable: Vec<Unimportable>,
    /// Users that cannot be imported, per reason code.
    pub unimportable_by_code: BTreeMap<String, u64>,
    /// Users that match no segment.
    pub unsegmented: Vec<String>,
    /// Segments no user falls in.
    pub empty_segments: Vec<String>,
    /// What a run would sync, when the plan already ran with the ledger.
    pub sync: Option<SyncPreview>,
    /// Records that could not be read.
    #[serde(skip)]
    pub unreadable: Vec<Unreadable>,
    /// Warnings about the export.
    #[serde(skip)]
    pub warnings: Vec<SourceWarning>,
}

impl CheckReport {
    /// Whether the plan can run: every user has a segment.
    pub fn can_run(&self) -> bool {
        self.unsegmented.is_empty()
    }

    /// Users that would be sent to the target.
    pub fn importable(&self) -> u64 {
        self.users - self.unimportable.len() as u64 - self.unsegmented.len() as u64
    }
}

/// Some users by legacy id: how many, and the first of them in export order.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct UserList {
    /// How many users.
    pub count: u64,
    /// The first of them.
    pub first: Vec<String>,
}

impl UserList {
    fn push(&mut self, legacy_id: &str) {
        self.count += 1;
        if self.first.len() < LISTED {
            self.first.push(legacy_id.to_string());
        }
    }
}

/// What running the plan again with this export would sync.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SyncPreview {
    /// Users the ledger does not know: they would be imported.
    pub new: UserList,
    /// Imported users whose profile changed, not their password: updated without it.
    pub changed_profile: UserList,
    /// Imported users whose password hash changed: updated with the new one.
    pub changed_password: UserList,
    /// Changed users whose segment is live: reported, not updated.
    pub held_back: UserList,
    /// Users that had disappeared and are back: they would be imported.
    pub returned: UserList,
    /// Users of the ledger that this export no longer has: reported, never deleted.
    pub disappeared: UserList,
}

/// The ledger's users of a plan's run, to compare an export with.
pub struct KnownUsers {
    users: Vec<UserRow>,
    live: HashSet<String>,
}

/// Reads what the ledger knows of the plan's run, or `None` if the plan never ran with it.
pub async fn known_users(plan: &Plan, ledger: &Ledger) -> Result<Option<KnownUsers>, WorkerError> {
    let Some(run) = ledger.find_run(&plan.name).await? else {
        return Ok(None);
    };
    Ok(Some(KnownUsers {
        users: ledger.all_users(&run.id).await?,
        live: held_segments(ledger, &run.id).await?,
    }))
}

/// Reads the plan's whole export and reports what a run would do.
pub fn check(plan: &Plan) -> Result<CheckReport, WorkerError> {
    check_against(plan, None)
}

/// Reads the plan's whole export and reports what a run would do, and, given the users the
/// ledger knows, what it would sync.
pub fn check_against(plan: &Plan, known: Option<&KnownUsers>) -> Result<CheckReport, WorkerError> {
    let mut report = CheckReport::default();
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut preview = known.map(Preview::new);
    let mut triage = triage::Triage::default();

    for item in prepare(plan)? {
        if let Some(preview) = &mut preview {
            preview.see(&item);
        }
        match item {
            Prepared::User(user) => {
                report.users += 1;
                *counts
                    .entry((user.phase.clone(), user.segment.clone()))
                    .or_default() += 1;
                *report
                    .hash_families
                    .entry(user.hash_family.clone())
                    .or_default() += 1;
                triage.count(&user);
                if let Err((_, code, reason)) = &user.body {
                    *report
                        .unimportable_by_code
                        .entry(code.to_string())
                        .or_default() += 1;
                    report.unimportable.push(Unimportable {
                        seq: user.seq,
                        legacy_id: user.legacy_id.clone(),
                        code: code.to_string(),
                        reason: reason.clone(),
                    });
                }
            }
            Prepared::NoSegment { legacy_id, .. } => {
                report.users += 1;
                report.unsegmented.push(legacy_id);
            }
            Prepared::Unreadable(unreadable) => report.unreadable.push(unreadable),
            Prepared::Warning(warning) => report.warnings.push(warning),
        }
    }

    for phase in &plan.phases {
        for segment in &phase.segments {
            let key = (phase.name.clone(), segment.clone());
            let count = counts.get(&key).copied().unwrap_or(0);
            if count == 0 {
                report.empty_segments.push(segment.clone());
            }
            report
                .per_segment
                .push((phase.name.clone(), segment.clone(), count));
        }
    }
    let order = report
        .per_segment
        .iter()
        .map(|(phase, segment, _)| (phase.as_str(), segment.as_str()));
    report.password_triage = triage.finish(order);
    report.sync = preview.map(Preview::finish);
    Ok(report)
}

/// The comparison of an export with the ledger, one record at a time.
struct Preview<'k> {
    known: &'k KnownUsers,
    by_id: HashMap<&'k str, &'k UserRow>,
    seen: HashSet<&'k str>,
    report: SyncPreview,
}

impl<'k> Preview<'k> {
    fn new(known: &'k KnownUsers) -> Preview<'k> {
        let by_id = known
            .users
            .iter()
            .map(|row| (row.legacy_id.as_str(), row))
            .collect();
        Preview {
            known,
            by_id,
            seen: HashSet::new(),
            report: SyncPreview::default(),
        }
    }

    fn see(&mut self, item: &Prepared) {
        let legacy_id = match item {
            Prepared::User(user) => user.legacy_id.as_str(),
            Prepared::NoSegment { legacy_id, .. } => legacy_id.as_str(),
            Prepared::Unreadable(_) | Prepared::Warning(_) => return,
        };
        let Some(row) = self.by_id.get(legacy_id).copied() else {
            self.report.new.push(legacy_id);
            return;
        };
        self.seen.insert(row.legacy_id.as_str());
        if row.state == UserState::Skipped && row.reason_code == Some(ReasonCode::Disappeared) {
            self.report.returned.push(legacy_id);
        }
        if let Prepared::User(user) = item {
            self.compare(row, user);
        }
    }

    /// Compares an imported user's record with what the target holds, as intake would.
    fn compare(&mut self, row: &UserRow, user: &PreparedUser) {
        let Ok(body) = &user.body else { return };
        if row.state != UserState::Imported {
            return;
        }
        let now = fingerprints(body);
        let combined = upgrade_fingerprints(body);
        let list = match sync_change(&row.sync.synced_for(&combined, &now), &now) {
            None => return,
            Some(_) if self.known.live.contains(&row.segment) => &mut self.report.held_back,
            Some(SyncChange::Profile) => &mut self.report.changed_profile,
            Some(SyncChange::Password) => &mut self.report.changed_password,
        };
        list.push(&row.legacy_id);
    }

    fn finish(mut self) -> SyncPreview {
        for row in &self.known.users {
            if !self.seen.contains(row.legacy_id.as_str()) {
                self.report.disappeared.push(&row.legacy_id);
            }
        }
        self.report
    }
}
