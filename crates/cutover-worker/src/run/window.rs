//! Phase windows at run time: before a phase starts and before each of its batches, the
//! clock is read and the phase's window judged. Outside it, the run either waits for the
//! next opening (recording that it waits) or stops and says when the window opens, as the
//! phase's `outside_window` (or the caller's override) chooses.
//!
//! The plan crate answers every question about a window given a time; this module only
//! decides what "now" is, through the [`Clock`](crate::Clock) the caller passed.

use chrono::{DateTime, Utc};
use cutover_ledger::{EventKind, NewEvent};
use cutover_plan::{OutsideWindow, Phase, Window};

use super::phase::Runner;
use crate::{Progress, WorkerError};

/// The next opening of a phase's window, as the operator is told about it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WindowOpening {
    /// The phase whose window it is.
    pub phase: String,
    /// The window as the plan gives it, such as `` `0 0 22 * * *` for 480 minutes
    /// (Europe/Berlin) ``.
    pub window: String,
    /// When it opens.
    pub opens_at: DateTime<Utc>,
    /// The same instant on the clock of the window's time zone, such as `2026-12-05 22:00:00
    /// CET in Europe/Berlin`.
    pub opens_local: String,
}

impl WindowOpening {
    /// The opening at `opens_at` of the window of `phase`.
    pub fn new(phase: &str, window: &Window, opens_at: DateTime<Utc>) -> WindowOpening {
        WindowOpening {
            phase: phase.to_string(),
            window: window.to_string(),
            opens_at,
            opens_local: local_time(window, opens_at),
        }
    }

    /// When the window opens, on its own clock and in UTC.
    pub fn when(&self) -> String {
        local_and_utc(&self.opens_local, self.opens_at)
    }

    /// The note of the event that records a run waiting for this opening.
    fn wait_note(&self) -> String {
        format!(
            "window {} is closed; waiting until it opens at {}",
            self.window,
            self.when()
        )
    }

    /// The note of the event that records a run stopping until this opening.
    pub(super) fn pause_note(&self) -> String {
        format!(
            "window {} is closed; the run stopped and can go on from {}",
            self.window,
            self.when()
        )
    }
}

/// `at` on the clock of the window's time zone, such as `2026-12-05 22:00:00 CET in
/// Europe/Berlin`.
fn local_time(window: &Window, at: DateTime<Utc>) -> String {
    let zone = window.time_zone();
    let local = at.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S %Z");
    if zone.name() == "UTC" {
        local.to_string()
    } else {
        format!("{local} in {}", zone.name())
    }
}

/// A local time followed by the same instant in UTC, unless the window's zone is UTC.
fn local_and_utc(local: &str, at: DateTime<Utc>) -> String {
    let utc = at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    if local == utc {
        utc
    } else {
        format!("{local} ({utc})")
    }
}

/// `at` on the window's clock and in UTC, as the operator is told about it.
pub(crate) fn describe_time(window: &Window, at: DateTime<Utc>) -> String {
    local_and_utc(&local_time(window, at), at)
}

impl Runner<'_> {
    /// Lets `phase` send now, after waiting for its window if it is closed and the run is to
    /// wait; returns the opening to stop for instead when it is closed and the run is to
    /// stop. A phase without a window is always let through, without reading the clock.
    pub(super) async fn admit(
        &mut self,
        phase: &Phase,
    ) -> Result<Option<WindowOpening>, WorkerError> {
        let Some(window) = &phase.window else {
            return Ok(None);
        };
        let choice = self.options.outside_window.unwrap_or(phase.outside_window);
        loop {
            let now = self.clock.now();
            let opens_at = match window.next_opening(now) {
                Some(at) if at <= now => return Ok(None),
                Some(at) => at,
                None => {
                    return Err(WorkerError::WindowNeverOpens {
                        phase: phase.name.clone(),
                        window: window.to_string(),
                    });
                }
            };

            let opening = WindowOpening::new(&phase.name, window, opens_at);
            self.sender.observer.progress(&Progress::WindowClosed {
                opening: opening.clone(),
                waiting: choice == OutsideWindow::Wait,
            });
            if choice == OutsideWindow::Exit {
                return Ok(Some(opening));
            }
            let note = opening.wait_note();
            let (actor, digest) = (self.options.actor.as_str(), self.plan.digest());
            let waiting = NewEvent {
                phase: Some(&phase.name),
                note: Some(&note),
                ..NewEvent::new(EventKind::PhaseWaiting, actor, digest)
            };
            self.sender
                .ledger
                .record_event(&self.run.id, &waiting)
                .await?;

            self.clock.sleep_until(opens_at).await;
            self.sender.observer.progress(&Progress::WindowOpened {
                phase: phase.name.clone(),
            });
            self.summary.waited.push(opening);
        }
    }
}
