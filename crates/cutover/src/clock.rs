//! The clock `run` and `status` judge phase windows by: the system's, or a simulated one for
//! tests.
//!
//! When `CUTOVER_FAKE_CLOCK` is set to `START` or `START,STEP` (an RFC 3339 time, and a step
//! such as `90s`, `10m` or `2h`), the run believes it is `START`, every later reading of the
//! clock is `STEP` later than the one before (none by default), and waiting for a window
//! jumps to its opening at once. The run reads the clock only for phases with a window: once
//! when such a phase is about to start, and once before each of its batches.

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use cutover_worker::{Clock, SimulatedClock, SystemClock};

/// The environment variable that replaces the system clock.
const FAKE_CLOCK: &str = "CUTOVER_FAKE_CLOCK";

/// The clock named by `CUTOVER_FAKE_CLOCK`, else the system clock.
pub fn from_env() -> anyhow::Result<Box<dyn Clock>> {
    match std::env::var(FAKE_CLOCK) {
        Ok(spec) => Ok(Box::new(parse(&spec)?)),
        Err(_) => Ok(Box::new(SystemClock)),
    }
}

fn parse(spec: &str) -> anyhow::Result<SimulatedClock> {
    let (start, step) = match spec.split_once(',') {
        Some((start, step)) => (start, parse_step(step.trim())?),
        None => (spec, TimeDelta::zero()),
    };
    let start = DateTime::parse_from_rfc3339(start.trim())
        .with_context(|| {
            format!("{FAKE_CLOCK}: {start:?} is not an RFC 3339 time like 2026-12-05T21:00:00Z")
        })?
        .with_timezone(&Utc);
    Ok(SimulatedClock::new(start, step))
}

fn parse_step(step: &str) -> anyhow::Result<TimeDelta> {
    let unit = step.chars().last().unwrap_or(' ');
    let number = step[..step.len().saturating_sub(unit.len_utf8())].parse::<i64>();
    let delta = match (number, unit) {
        (Ok(n), 's') => TimeDelta::try_seconds(n),
        (Ok(n), 'm') => TimeDelta::try_minutes(n),
        (Ok(n), 'h') => TimeDelta::try_hours(n),
        _ => None,
    };
    delta
        .filter(|delta| *delta >= TimeDelta::zero())
        .with_context(|| {
            format!(
                "{FAKE_CLOCK}: the step {step:?} must be a whole number, 0 or more, with s, m or \
             h, such as 10m"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_and_a_step_are_read() {
        let clock = parse("2026-12-05T21:00:00Z,10m").unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2026-12-05T21:00:00+00:00");
        assert_eq!(clock.now().to_rfc3339(), "2026-12-05T21:10:00+00:00");

        let still = parse("2026-12-05T22:00:00+01:00").unwrap();
        assert_eq!(still.now(), still.now());
    }

    #[test]
    fn bad_specs_are_refused_with_what_to_write() {
        for spec in [
            "tomorrow",
            "2026-12-05T21:00:00Z,10",
            "2026-12-05T21:00:00Z,-5m",
        ] {
            let Err(error) = parse(spec) else {
                panic!("{spec} was accepted")
            };
            let error = error.to_string();
            assert!(error.starts_with(FAKE_CLOCK), "{error}");
        }
    }
}
