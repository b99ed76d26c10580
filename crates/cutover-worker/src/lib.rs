//! The worker: carries out a plan's phases against a target, through the ledger.
//!
//! It reads the export (`cutover-source`), maps every legacy user onto an identity with the
//! plan's rules (`cutover-plan`), records the users in the ledger (`cutover-ledger`) and moves
//! them in resumable, idempotent batches through the Kratos admin API (`cutover-ory`). The
//! decisions about a batch's results live in [`resolve`], apart from the I/O that feeds them.
//! Time comes from a [`Clock`] the caller passes, so phase windows can be tested at any hour.

mod batch;
mod check;
mod clock;
mod error;
mod gates;
mod golive;
mod keys;
mod mapping;
mod observer;
mod password;
mod prepare;
pub mod resolve;
mod rollback;
mod run;
mod source_options;
mod status;
mod steps;
mod sync;

pub use check::{
    CheckReport, KnownUsers, SegmentTriage, SyncPreview, Tally, Unimportable, UserList, check,
    check_against, known_users,
};
pub use clock::{Clock, SimulatedClock, SystemClock, Wait};
pub use error::WorkerError;
pub use gates::Gate;
pub use golive::{GoLiveOptions, GoLiveOutcome, GoLiveSummary, golive};
pub use keys::{external_id, patch_id};
pub use observer::{Checkpoint, NoObserver, Observer, Progress};
pub use rollback::{
    KeptUser, RollbackOptions, RollbackReport, RollbackScope, SegmentRollback, rollback,
};
pub use run::{RunOptions, RunSummary, WindowOpening, run};
pub use status::{PhaseStatus, StatusReport, WindowStatus, status};
pub use sync::{SyncSummary, UpdateFailure, judge_update_failure};
