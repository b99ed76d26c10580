//! Intake: the whole export read into the ledger before anything is sent, as one generation
//! of the run, so that users new to the ledger, changed since their import, back after
//! disappearing, or gone from the export are all known before the phases start.

use cutover_ledger::{IntakeRow, IntakeStats, Ledger, SourceProblem};
use cutover_plan::Plan;

use crate::prepare::{Prepared, prepare};
use crate::{Observer, Progress, WorkerError};

/// Users written to the ledger per intake transaction.
const INTAKE_CHUNK: usize = 1000;

/// What one intake found, beyond what the ledger's counts say.
pub(super) struct ExportChanges {
    /// Users the ledger did not know.
    pub new: u64,
    /// Users back after disappearing from an earlier export.
    pub returned: u64,
    /// Imported users whose record changed since the target was last sent it.
    pub changed: u64,
}

/// Reads the whole export into the ledger: every user gets a row before anything is sent.
/// The intake completes only when every record was read, and only then are users the export
/// no longer has counted (and, if not yet sent, skipped) as disappeared.
pub(super) async fn intake(
    plan: &Plan,
    ledger: &Ledger,
    run_id: &str,
    observer: &dyn Observer,
) -> Result<ExportChanges, WorkerError> {
    let mut chunk: Vec<IntakeRow> = Vec::with_capacity(INTAKE_CHUNK);
    let mut problems = Vec::new();
    let mut unsegmented: Vec<String> = Vec::new();
    let mut totals = IntakeStats::default();
    let (mut users, mut unreadable) = (0, 0);

    for item in prepare(plan)? {
        match item {
            Prepared::User(user) => {
                users += 1;
                chunk.push(user.intake_row(&plan.name));
            }
            Prepared::NoSegment { legacy_id, .. } => unsegmented.push(legacy_id),
            Prepared::Unreadable(record) => {
                unreadable += 1;
                problems.push(SourceProblem {
                    file: record.file.display().to_string(),
                    line: Some(record.line),
                    kind: "unreadable".into(),
                    message: record.reason,
                });
            }
            Prepared::Warning(warning) => problems.push(SourceProblem {
                file: warning.file.display().to_string(),
                line: warning.line,
                kind: "warning".into(),
                message: warning.message,
            }),
        }
        if chunk.len() == INTAKE_CHUNK {
            add(&mut totals, ledger.intake(run_id, &chunk).await?);
            chunk.clear();
        }
    }
    if let Some(first) = unsegmented.first() {
        return Err(WorkerError::Unsegmented {
            count: unsegmented.len() as u64,
            first: first.clone(),
        });
    }
    add(&mut totals, ledger.intake(run_id, &chunk).await?);
    let end = ledger.finish_intake(run_id).await?;
    ledger.replace_source_problems(run_id, &problems).await?;

    let IntakeStats {
        added,
        revised,
        kept,
        changed,
        returned,
    } = totals;
    observer.progress(&Progress::Intake {
        users,
        added,
        revised,
        kept,
        unreadable,
    });
    observer.progress(&Progress::ExportCompared {
        new: added,
        changed,
        returned,
        disappeared: end.disappeared,
    });
    Ok(ExportChanges {
        new: added,
        returned,
        changed,
    })
}

fn add(totals: &mut IntakeStats, stats: IntakeStats) {
    totals.added += stats.added;
    totals.revised += stats.revised;
    totals.kept += stats.kept;
    totals.changed += stats.changed;
    totals.returned += stats.returned;
}
