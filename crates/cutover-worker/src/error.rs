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

    /// A phase with `after_golive` was asked for before every segment of its `after` phases
    /// went live.
    #[error(
        "phase {phase} comes after {after} and waits for its go-live, but segment {segment} is \
         {state}: take it live first (`cutover golive PLAN --segment {segment} --by WHO`)"
    )]
    AwaitingGolive {
        phase: String,
        after: String,
        segment: String,
        state: cutover_ledger::GoLiveState,
    },

    /// A phase's window will never open again, so its users could never be sent.
    #[error(
        "phase {phase} may send only in its window {window}, which never opens again (every \
         year its cron expression names is past): change the window in the plan"
    )]
    WindowNeverOpens { phase: String, window: String },

    /// A segment name the plan does not have.
    #[error("plan has no segment {0:?}")]
    UnknownSegment(String),

    /// The plan never ran with this ledger, so there is nothing to go live with or undo.
    #[error("plan {plan} has not run with this ledger: start it with `cutover run`")]
    NotRun { plan: String },

    /// Identities the ledger counts as imported are gone from the target.
    #[error(
        "{count} identities of segment {segment} are gone from the target (first: {first}), \
         so the go-live cannot finish; nothing else was changed for their users. Find out who \
         deleted them; to import the segment again, roll it back (`cutover rollback PLAN \
         --segment {segment} --force --yes`), run its phase again and go live again"
    )]
    IdentitiesMissing {
        segment: String,
        count: u64,
        first: String,
    },

    /// A delete rollback was asked for a segment whose go-live began.
    #[error(
        "segment {segment} is {state}: its users may already sign in with the identities a \
         rollback would delete; pass --force to delete them anyway, or --deactivate to make \
         them inactive and keep them"
    )]
    SegmentLive {
        segment: String,
        state: cutover_ledger::GoLiveState,
    },

    /// Users are in flight, so identities may exist that have no rollback marker yet.
    #[error(
        "{count} users of segment {segment} are in flight: their identities may exist without \
         rollback markers; run `cutover run PLAN --phase {phase}` to settle them first"
    )]
    UsersInFlight {
        segment: String,
        phase: String,
        count: u64,
    },

    /// A rollback of the segment is under way and must be finished as it was started.
    #[error(
        "a rollback of segment {segment} ({mode}) is under way: finish it with `cutover rollback \
         PLAN --segment {segment} --by WHO --yes{}`",
        if *.mode == cutover_ledger::RollbackMode::Deactivate { " --deactivate" } else { "" }
    )]
    RollbackUnderway {
        segment: String,
        mode: cutover_ledger::RollbackMode,
    },
}
