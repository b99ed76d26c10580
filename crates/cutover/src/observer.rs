//! Renders the worker's progress: a bar per phase on a terminal, plain log lines elsewhere.
//!
//! It is also where crashes are injected for the resume tests: when `CUTOVER_CRASH_AT` is set
//! to `before-send:N`, `after-send:N` or `after-record:N`, the process aborts at that
//! checkpoint of its N-th batch, with `sync-after:N` once its N-th identity update is
//! recorded, and with `golive-after:N` or `rollback-after:N` once its N-th activation or
//! deletion (or deactivation) reached the target but before it is recorded, as abruptly as a
//! killed process, leaving the ledger as it was.

use std::io::IsTerminal;
use std::sync::Mutex;

use cutover_worker::{Checkpoint, Observer, Progress};
use indicatif::{ProgressBar, ProgressStyle};

/// The environment variable that names a checkpoint to crash at.
const CRASH_AT: &str = "CUTOVER_CRASH_AT";

/// The binary's observer.
pub struct CliObserver {
    terminal: bool,
    bar: Mutex<Option<ProgressBar>>,
    crash_at: Option<Checkpoint>,
}

impl CliObserver {
    /// An observer that draws bars when stderr is a terminal.
    pub fn new() -> anyhow::Result<CliObserver> {
        let crash_at = match std::env::var(CRASH_AT) {
            Ok(spec) => Some(parse_checkpoint(&spec)?),
            Err(_) => None,
        };
        Ok(CliObserver {
            terminal: std::io::stderr().is_terminal(),
            bar: Mutex::new(None),
            crash_at,
        })
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut bar) = self.bar.lock() {
            f(&mut bar);
        }
    }
}

impl Observer for CliObserver {
    fn progress(&self, event: &Progress) {
        match event {
            Progress::Intake {
                users,
                added,
                revised,
                kept,
                unreadable,
            } => tracing::info!(
                users,
                added,
                not_sent_yet = revised,
                sent = kept,
                unreadable,
                "export read into the ledger"
            ),
            Progress::ExportCompared {
                new,
                changed,
                returned,
                disappeared,
            } => tracing::info!(
                new,
                changed,
                returned,
                disappeared,
                "export compared with the ledger"
            ),
            Progress::SyncStarted { phase, users } => {
                tracing::info!(phase, users, "updating changed identities");
            }
            Progress::SyncFinished {
                phase,
                updated,
                with_password,
                refused,
                missing,
                held_back,
            } => {
                tracing::info!(
                    phase,
                    updated,
                    with_password,
                    refused,
                    missing,
                    held_back,
                    "changed identities updated"
                );
            }
            Progress::PhaseStarted {
                phase,
                total,
                remaining,
                per_minute,
            } => {
                match per_minute {
                    Some(per_minute) => tracing::info!(
                        phase,
                        total,
                        remaining,
                        rate_limit_per_minute = per_minute,
                        "phase started"
                    ),
                    None => tracing::info!(phase, total, remaining, "phase started"),
                }
                if self.terminal {
                    let bar = ProgressBar::new(*total);
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{prefix:>12} [{bar:40}] {pos}/{len} users ({per_sec}, eta {eta})",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                    bar.set_prefix(phase.clone());
                    bar.set_position(total - remaining);
                    self.with_bar(|slot| *slot = Some(bar));
                }
            }
            Progress::BatchRecorded {
                phase,
                users,
                imported,
                failed,
            } => {
                if self.terminal {
                    self.with_bar(|slot| {
                        if let Some(bar) = slot {
                            bar.inc(*users);
                        }
                    });
                } else {
                    tracing::info!(phase, users, imported, failed, "batch recorded");
                }
            }
            Progress::Retrying {
                phase,
                attempt,
                reason,
            } => {
                tracing::warn!(phase, attempt, reason, "target failed, retrying");
            }
            Progress::PhaseFinished { phase, counts } => {
                self.with_bar(|slot| {
                    if let Some(bar) = slot.take() {
                        bar.finish_and_clear();
                    }
                });
                tracing::info!(
                    phase,
                    imported = counts.imported,
                    failed = counts.failed,
                    pending = counts.pending + counts.in_flight,
                    "phase done"
                );
            }
            Progress::WindowClosed { opening, waiting } => {
                let (phase, opens) = (&opening.phase, opening.when());
                // A bar being drawn would overwrite the line; hide it while logging.
                let log = || {
                    if *waiting {
                        tracing::info!(phase, opens, "window closed, waiting until it opens");
                    } else {
                        tracing::info!(phase, opens, "window closed, stopping the run");
                    }
                };
                self.with_bar(|slot| match slot {
                    Some(bar) => bar.suspend(log),
                    None => log(),
                });
                // A run that stops leaves the phase's bar where it got to.
                if !*waiting {
                    self.with_bar(|slot| {
                        if let Some(bar) = slot.take() {
                            bar.abandon();
                        }
                    });
                }
            }
            Progress::WindowOpened { phase } => {
                let log = || tracing::info!(phase, "window open, the phase goes on");
                self.with_bar(|slot| match slot {
                    Some(bar) => bar.suspend(log),
                    None => log(),
                });
            }
        }
    }

    fn checkpoint(&self, checkpoint: Checkpoint) {
        if self.crash_at == Some(checkpoint) {
            eprintln!("{CRASH_AT}: crashing at {checkpoint:?}");
            std::process::abort();
        }
    }
}

fn parse_checkpoint(spec: &str) -> anyhow::Result<Checkpoint> {
    let (point, number) = spec
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("{CRASH_AT} must look like after-send:2, not {spec:?}"))?;
    let n: u64 = number
        .parse()
        .map_err(|_| anyhow::anyhow!("{CRASH_AT}: bad number {number:?}"))?;
    match point {
        "before-send" => Ok(Checkpoint::BeforeSend { batch: n }),
        "after-send" => Ok(Checkpoint::AfterSend { batch: n }),
        "after-record" => Ok(Checkpoint::AfterRecord { batch: n }),
        "sync-after" => Ok(Checkpoint::AfterSync { update: n }),
        "golive-after" => Ok(Checkpoint::AfterActivation { step: n }),
        "rollback-after" => Ok(Checkpoint::AfterRollbackStep { step: n }),
        other => anyhow::bail!("{CRASH_AT}: unknown checkpoint {other:?}"),
    }
}
