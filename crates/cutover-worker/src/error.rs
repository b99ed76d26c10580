//! Errors that stop a command. Per-user problems are never errors: they are recorded in the
//! ledger with their reason and the run goes on.

/// Why a check or run could not go on.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The export could not be opened.
    #[error("cannot read the export")]
    Source(#[source] cutover_source::SourceError),

    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] cutover_ledger::LedgerError),

    /// The target failed in a way that retrying did not cure; the run can be resumed.
    #[error("the target failed; run the same command again to resume")]
    Target(#[source] cutover_ory::OryError),

    /// The plan file changed since the run started.
    #[error(
        "plan {plan} changed since its run started:\n  {changes}\nrun again with \
         --accept-plan-change to continue the run under the changed plan"
    )]
    PlanChanged { plan: String, changes: String },

    /// Some users match no segment of the plan.
    #[error(
        "{count} users match no segment of the plan (first: {first}); add a segment for them \
         (for example one with `where: {{ all: true }}`) and run `cutover check`"
    )]
    Unsegmented { count: u64, first: String },

    /// `--phase` named a phase the plan does not have.
    #[error("plan has no phase {0:?}")]
    UnknownPhase(String),

    /// A phase was asked for before the phases it comes after were finished.
    #[error("phase {phase} comes after {after}, which is not finished: run that phase first")]
    PhaseNotReady { phase: String, after: String },
}
