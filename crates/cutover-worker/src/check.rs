//! `cutover check`: what a plan would do with its export, without touching the target.

use std::collections::BTreeMap;

use cutover_plan::Plan;
use cutover_source::{SourceWarning, Unreadable};

use crate::WorkerError;
use crate::prepare::{Prepared, prepare};

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
    /// Users that cannot be imported.
    pub unimportable: Vec<Unimportable>,
    /// Users that cannot be imported, per reason code.
    pub unimportable_by_code: BTreeMap<String, u64>,
    /// Users that match no segment.
    pub unsegmented: Vec<String>,
    /// Segments no user falls in.
    pub empty_segments: Vec<String>,
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

/// Reads the plan's whole export and reports what a run would do.
pub fn check(plan: &Plan) -> Result<CheckReport, WorkerError> {
    let mut report = CheckReport::default();
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();

    for item in prepare(plan)? {
        match item {
            Prepared::User(user) => {
                report.users += 1;
                *counts.entry((user.phase.clone(), user.segment.clone())).or_default() += 1;
                *report.hash_families.entry(user.hash_family.clone()).or_default() += 1;
                if let Err((_, code, reason)) = &user.body {
                    *report.unimportable_by_code.entry(code.to_string()).or_default() += 1;
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
            report.per_segment.push((phase.name.clone(), segment.clone(), count));
        }
    }
    Ok(report)
}
