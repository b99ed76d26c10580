//! How the worker reports progress without printing: the binary implements [`Observer`] and
//! renders progress bars or log lines; tests use it to count and to stop at checkpoints.

use cutover_ledger::StateCounts;

use crate::WindowOpening;

/// Something the caller may want to show.
#[derive(Clone, Debug)]
pub enum Progress {
    /// The export was read into the ledger: `users` read, of which `added` new to it,
    /// `revised` not sent yet (their rows are rewritten from the record, changed or not) and
    /// `kept` sent or on their way (compared with what was sent, see `ExportCompared`).
    Intake {
        users: u64,
        added: u64,
        revised: u64,
        kept: u64,
        unreadable: u64,
    },
    /// What the export changed since the previous one: users `new` to the ledger, imported
    /// users `changed` since they were last sent, users `returned` after disappearing, and
    /// users the export no longer has (`disappeared`).
    ExportCompared {
        new: u64,
        changed: u64,
        returned: u64,
        disappeared: u64,
    },
    /// A phase is about to update `users` changed identities on the target.
    SyncStarted { phase: String, users: u64 },
    /// A phase's updates are done: `updated` identities (`with_password` of them with a new
    /// password), `refused` by the target, `missing` from it, and `held_back` because their
    /// segment is live.
    SyncFinished {
        phase: String,
        updated: u64,
        with_password: u64,
        refused: u64,
        missing: u64,
        held_back: u64,
    },
    /// A phase is about to move `remaining` of its `total` users, at most `per_minute`
    /// requests a minute when it has a rate limit.
    PhaseStarted {
        phase: String,
        total: u64,
        remaining: u64,
        per_minute: Option<u32>,
    },
    /// A batch's outcomes were recorded.
    BatchRecorded {
        phase: String,
        users: u64,
        imported: u64,
        failed: u64,
    },
    /// The run waits before trying the target again.
    Retrying {
        phase: String,
        attempt: u32,
        reason: String,
    },
    /// A phase has no user left to move.
    PhaseFinished { phase: String, counts: StateCounts },
    /// A phase's window is closed: the run waits for the opening (`waiting`) or stops.
    WindowClosed {
        opening: WindowOpening,
        waiting: bool,
    },
    /// The window a phase waited for is open; the phase goes on.
    WindowOpened { phase: String },
}

/// Points in a batch's life where a crash matters. The binary can stop the process there to
/// prove that a resumed run still ends correct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checkpoint {
    /// The intent is recorded; the request is not sent.
    BeforeSend { batch: u64 },
    /// The response has arrived; its outcomes are not recorded.
    AfterSend { batch: u64 },
    /// The outcomes are recorded.
    AfterRecord { batch: u64 },
    /// The `step`-th activation of a go-live reached the target; it is not recorded yet.
    AfterActivation { step: u64 },
    /// The `step`-th deletion or deactivation of a rollback reached the target; it is not
    /// recorded yet.
    AfterRollbackStep { step: u64 },
    /// The `update`-th identity update of this process reached the target and is recorded.
    AfterSync { update: u64 },
}

/// Receives the worker's progress.
pub trait Observer: Send + Sync {
    /// Called for every progress event.
    fn progress(&self, event: &Progress);

    /// Called at every checkpoint of every batch and update, numbered from 1 within this
    /// process.
    fn checkpoint(&self, _checkpoint: Checkpoint) {}
}

/// An observer that ignores everything.
pub struct NoObserver;

impl Observer for NoObserver {
    fn progress(&self, _event: &Progress) {}
}
