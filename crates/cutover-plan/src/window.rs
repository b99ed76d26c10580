//! Phase windows: the times a phase may send, as a cron schedule of openings and a length.
//!
//! A window opens at every fire time of its cron expression, read on the clock of its time
//! zone, and stays open for its length in elapsed minutes. Every question about a window takes
//! the current time as an argument, so the worker decides when "now" is and tests can ask
//! about any instant without waiting for it.
//!
//! The cron crate walks the local clock forward. On the night clocks go back it yields both
//! instants of a repeated local time, so its instants are then out of order, and a walk that
//! starts inside the repeated hour can even yield instants before its start. `FireTimes`
//! puts them back in order; the rest of this module relies on that order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use cron::Schedule;

/// The longest `window.minutes`: 31 days.
pub const MAX_WINDOW_MINUTES: u32 = 44_640;

/// More than any change of a zone's offset from UTC at one instant (daylight saving moves
/// clocks by an hour, a few zones by two); how far apart in time two instants the local walk
/// yields in a row can be out of order.
const CLOCK_SLACK: TimeDelta = TimeDelta::hours(3);

/// How many following openings `closes_at` merges at most, so that a window that never
/// closes (openings that always overlap) still gets an answer.
const MERGE_LIMIT: usize = 10_000;

/// When a phase may send (`phases[].window:`): openings at the fire times of a cron
/// expression in a time zone, each lasting `minutes`.
///
/// The expression has 6 or 7 fields, seconds first (`sec min hour day-of-month month
/// day-of-week [year]`), or is one of `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
/// A fire time that does not exist on the local clock (02:30 in Europe/Berlin on the night
/// clocks go forward) is skipped that day; one that exists twice (the night they go back)
/// opens the window twice. The length is elapsed time, so a window that spans a clock change
/// ends an hour earlier or later on the local clock than on other days.
#[derive(Clone)]
pub struct Window {
    cron: String,
    schedule: Schedule,
    minutes: u32,
    time_zone: Tz,
}

/// Why a window could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The expression does not have 6 or 7 fields (a 5-field Unix crontab line, say).
    #[error(
        "cron expression {expression:?} has {found} fields; write 6 or 7, seconds first \
         (`0 0 22 * * Mon-Fri` opens at 22:00 on weekdays)"
    )]
    FieldCount {
        /// The expression as written.
        expression: String,
        /// How many fields it has.
        found: usize,
    },
    /// The cron crate refused the expression.
    #[error("cron expression {expression:?} is not valid: {detail}")]
    Cron {
        /// The expression as written.
        expression: String,
        /// What the cron parser said.
        detail: String,
    },
    /// The expression is valid but names no instant from 1970 on (such as 30 February).
    #[error("cron expression {0:?} never fires")]
    NeverFires(String),
    /// The length is 0 or longer than [`MAX_WINDOW_MINUTES`].
    #[error("minutes must be between 1 and {MAX_WINDOW_MINUTES}, found {0}")]
    Minutes(u64),
    /// The time zone is not an IANA name chrono-tz knows.
    #[error("unknown time zone {0:?}; use an IANA name such as Europe/Berlin or UTC")]
    TimeZone(String),
}

impl Window {
    /// Builds a window opening at the fire times of `cron` in `time_zone`, each opening
    /// lasting `minutes` (1 to [`MAX_WINDOW_MINUTES`]).
    pub fn new(cron: &str, minutes: u64, time_zone: Tz) -> Result<Window, WindowError> {
        let fields = cron.split_whitespace().count();
        let shorthand = cron.trim_start().starts_with('@');
        if !shorthand && !(6..=7).contains(&fields) {
            let expression = cron.to_owned();
            return Err(WindowError::FieldCount {
                expression,
                found: fields,
            });
        }
        let schedule = Schedule::from_str(cron).map_err(|error| WindowError::Cron {
            expression: cron.to_owned(),
            detail: cron_detail(&error.to_string()),
        })?;
        let minutes = u32::try_from(minutes)
            .ok()
            .filter(|m| (1..=MAX_WINDOW_MINUTES).contains(m))
            .ok_or(WindowError::Minutes(minutes))?;

        let window = Window {
            cron: cron.to_owned(),
            schedule,
            minutes,
            time_zone,
        };
        if window.fires_after(DateTime::UNIX_EPOCH).next().is_none() {
            return Err(WindowError::NeverFires(cron.to_owned()));
        }
        Ok(window)
    }

    /// The cron expression as written.
    pub fn cron(&self) -> &str {
        &self.cron
    }

    /// How long each opening lasts, in minutes.
    pub fn minutes(&self) -> u32 {
        self.minutes
    }

    /// The time zone whose clock the expression is read on (default UTC).
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// Tells whether the window is open at `now`: some fire time `s` has `s <= now < s +
    /// minutes`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opening_covering(now).is_some()
    }

    /// `now` when the window is open, else its next opening; [`DateTime::<Utc>::MAX_UTC`]
    /// when it never opens again (every year in its expression is past).
    pub fn opens_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.next_opening(now).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// `now` when the window is open, else its next opening; `None` when it never opens again.
    pub fn next_opening(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.is_open(now) {
            return Some(now);
        }
        self.fires_after(now).next()
    }

    /// When the window open at `now` closes; `None` when it is closed at `now`.
    ///
    /// Openings that overlap or touch count as one, so the answer is the first instant at
    /// which the window is closed. For a window whose openings keep overlapping (an hourly
    /// expression with 90 minutes) only the next 10,000 openings are merged; the answer is
    /// then a time up to which the window is certainly open, and asking again then gives the
    /// next.
    pub fn closes_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut fires = self.fires_after(back(now, self.length()));
        let first = fires.next().filter(|fire| *fire <= now)?;
        let mut end = ahead(first, self.length());
        for fire in fires.take(MERGE_LIMIT) {
            if fire > end {
                break;
            }
            end = ahead(fire, self.length());
        }
        Some(end)
    }

    /// The length of one opening.
    fn length(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.minutes))
    }

    /// The earliest fire time whose opening covers `now`, if any.
    fn opening_covering(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // An opening covers `now` when it started after `now - length` and not after `now`;
        // the first fire time after `now - length` is the earliest candidate.
        let fire = self.fires_after(back(now, self.length())).next()?;
        (fire <= now).then_some(fire)
    }

    /// The fire times strictly after `start`, in time order.
    fn fires_after(&self, start: DateTime<Utc>) -> FireTimes {
        let walk_from = back(start, CLOCK_SLACK).with_timezone(&self.time_zone);
        FireTimes {
            walk: self.schedule.after_owned(walk_from),
            start,
            held: BinaryHeap::new(),
            walked_to: None,
            exhausted: false,
        }
    }
}

impl PartialEq for Window {
    fn eq(&self, other: &Self) -> bool {
        self.cron == other.cron
            && self.minutes == other.minutes
            && self.time_zone == other.time_zone
    }
}

impl fmt::Debug for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Window")
            .field("cron", &self.cron)
            .field("minutes", &self.minutes)
            .field("time_zone", &self.time_zone.name())
            .finish()
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (cron, minutes, zone) = (&self.cron, self.minutes, self.time_zone.name());
        write!(f, "`{cron}` for {minutes} minutes ({zone})")
    }
}

/// The fire times of a schedule strictly after `start`, in time order.
///
/// The walk starts `CLOCK_SLACK` before `start`, so that no instant after `start` whose local
/// time is earlier than `start`'s is missed. Each instant is held until the walk has yielded
/// one more than `CLOCK_SLACK` later: the walk's local time never goes back, so nothing it
/// yields afterwards can be earlier than the held instant.
struct FireTimes {
    walk: cron::OwnedScheduleIterator<Tz>,
    start: DateTime<Utc>,
    held: BinaryHeap<Reverse<DateTime<Utc>>>,
    walked_to: Option<DateTime<Utc>>,
    exhausted: bool,
}

impl Iterator for FireTimes {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        loop {
            if let Some(&Reverse(earliest)) = self.held.peek() {
                let settled = self.exhausted
                    || self
                        .walked_to
                        .is_some_and(|to| back(to, CLOCK_SLACK) > earliest);
                if settled {
                    self.held.pop();
                    // The same instant can be held twice only if the walk repeated itself;
                    // dropping equal ones keeps the order strict either way.
                    while self.held.peek() == Some(&Reverse(earliest)) {
                        self.held.pop();
                    }
                    return Some(earliest);
                }
            } else if self.exhausted {
                return None;
            }

            match self.walk.next() {
                Some(fire) => {
                    let fire = fire.with_timezone(&Utc);
                    self.walked_to = Some(fire);
                    if fire > self.start {
                        self.held.push(Reverse(fire));
                    }
                }
                None => self.exhausted = true,
            }
        }
    }
}

/// The cron parser's message without its picture of the expression: it repeats the
/// expression and points at the fault with `^` on a second line, which a one-line plan issue
/// cannot show, so only the words after the caret are kept.
fn cron_detail(message: &str) -> String {
    let words = message.rsplit_once('^').map_or(message, |(_, after)| after);
    let words = words.trim().trim_end_matches('.');
    if words.is_empty() {
        "the cron parser refused it".to_owned()
    } else {
        words.to_owned()
    }
}

/// `at - by`, or the earliest time there is.
fn back(at: DateTime<Utc>, by: TimeDelta) -> DateTime<Utc> {
    at.checked_sub_signed(by)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `at + by`, or the latest time there is.
fn ahead(at: DateTime<Utc>, by: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(by)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
