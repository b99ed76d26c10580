//! The settings of one phase: sizes, limits, window, activation and go-live gates.
//!
//! `phases` checks how phases refer to segments and to each other; this module checks what
//! each phase says about itself and fills in its defaults, some of which come from the rest
//! of the plan (`target.rate_limit_per_minute`, `identity.activate`). Every value on the
//! resulting `Phase` is the effective one, so the worker never has to look elsewhere.

use std::str::FromStr;

use chrono_tz::Tz;
use serde_saphyr::Spanned;

use crate::error::{field_key, printable};
use crate::model::{Activate, DEFAULT_GOLIVE_SAMPLE, MAX_GOLIVE_SAMPLE, OutsideWindow, Phase};
use crate::phases::MAX_BATCH_SIZE;
use crate::raw::{RawActivate, RawOutsideWindow, RawPhase, RawWindow};
use crate::validate::Checker;
use crate::window::{MAX_WINDOW_MINUTES, Window, WindowError};

/// What a phase inherits when it does not say otherwise.
pub(crate) struct PhaseDefaults {
    /// `target.rate_limit_per_minute`.
    pub rate_limit_per_minute: Option<u32>,
    /// `identity.activate` (or what `identity.state` implies).
    pub activate: Activate,
}

/// Checks the settings of the phase at `path` and builds it with its effective values.
pub(crate) fn build_phase(
    raw: &RawPhase,
    path: &str,
    defaults: &PhaseDefaults,
    check: &mut Checker,
) -> Phase {
    let after: Vec<String> = raw
        .after
        .iter()
        .flat_map(|a| &a.value)
        .map(|a| a.value.clone())
        .collect();
    let after_golive = match &raw.after_golive {
        Some(flag) if flag.value && after.is_empty() => {
            let message = "after_golive needs after: name the phases whose go-live this phase \
                           waits for";
            check.report(&flag.referenced, &field_key(path, "after_golive"), message);
            true
        }
        Some(flag) => flag.value,
        None => false,
    };

    let window = raw
        .window
        .as_ref()
        .and_then(|w| window(&w.value, &field_key(path, "window"), check));
    let outside_window = match &raw.outside_window {
        None => OutsideWindow::Wait,
        Some(choice) => {
            if raw.window.is_none() {
                let message = "outside_window has no effect without a window; add window or \
                               remove outside_window";
                check.report(
                    &choice.referenced,
                    &field_key(path, "outside_window"),
                    message,
                );
            }
            match choice.value {
                RawOutsideWindow::Wait => OutsideWindow::Wait,
                RawOutsideWindow::Exit => OutsideWindow::Exit,
            }
        }
    };

    let activate = raw
        .activate
        .as_ref()
        .map_or(defaults.activate, |a| activate(a.value));
    let rate_limit_per_minute = match &raw.rate_limit_per_minute {
        Some(rate) => Some(rate_limit(
            rate,
            &field_key(path, "rate_limit_per_minute"),
            check,
        )),
        None => defaults.rate_limit_per_minute,
    };

    Phase {
        name: raw.name.value.clone(),
        segments: raw.segments.value.iter().map(|s| s.value.clone()).collect(),
        batch_size: batch_size(raw, path, check),
        after,
        after_golive,
        max_failed_ratio: failed_ratio(raw, path, check),
        golive_sample: golive_sample(raw, path, check),
        rate_limit_per_minute,
        window,
        outside_window,
        activate,
        identity_state: activate.created_state(),
    }
}

/// The activation a plan word stands for.
pub(crate) fn activate(raw: RawActivate) -> Activate {
    match raw {
        RawActivate::OnGolive => Activate::OnGolive,
        RawActivate::OnImport => Activate::OnImport,
    }
}

/// Checks `window:`: each of its fields is reported on its own line, all in one run.
fn window(w: &RawWindow, path: &str, check: &mut Checker) -> Option<Window> {
    let time_zone = match &w.time_zone {
        None => Some(Tz::UTC),
        Some(name) => Tz::from_str(name.value.trim()).ok().or_else(|| {
            let error = WindowError::TimeZone(printable(&name.value));
            check.report(
                &name.referenced,
                &field_key(path, "time_zone"),
                error.to_string(),
            );
            None
        }),
    };
    let minutes_ok = (1..=u64::from(MAX_WINDOW_MINUTES)).contains(&w.minutes.value);
    if !minutes_ok {
        let error = WindowError::Minutes(w.minutes.value);
        check.report(
            &w.minutes.referenced,
            &field_key(path, "minutes"),
            error.to_string(),
        );
    }

    // The expression is checked even when the zone or the length is bad, with stand-ins for
    // them, so that its own problem is not hidden until those are fixed.
    let minutes = if minutes_ok { w.minutes.value } else { 1 };
    match Window::new(&w.cron.value, minutes, time_zone.unwrap_or(Tz::UTC)) {
        Ok(window) => (minutes_ok && time_zone.is_some()).then_some(window),
        Err(error) => {
            let field = field_key(path, "cron");
            check.report(&w.cron.referenced, &field, printable(&error.to_string()));
            None
        }
    }
}

fn rate_limit(rate: &Spanned<u64>, field: &str, check: &mut Checker) -> u32 {
    match u32::try_from(rate.value) {
        Ok(n) if n >= 1 => n,
        _ => {
            let message = format!(
                "rate_limit_per_minute must be between 1 and {}, found {}",
                u32::MAX,
                rate.value
            );
            check.report(&rate.referenced, field, message);
            1
        }
    }
}

fn golive_sample(phase: &RawPhase, path: &str, check: &mut Checker) -> u32 {
    let Some(sample) = &phase.golive_sample else {
        return DEFAULT_GOLIVE_SAMPLE;
    };
    match u32::try_from(sample.value) {
        Ok(n) if n <= MAX_GOLIVE_SAMPLE => n,
        _ => {
            let message = format!(
                "golive_sample must be between 0 and {MAX_GOLIVE_SAMPLE}, found {}",
                sample.value
            );
            check.report(
                &sample.referenced,
                &field_key(path, "golive_sample"),
                message,
            );
            DEFAULT_GOLIVE_SAMPLE
        }
    }
}

fn batch_size(phase: &RawPhase, path: &str, check: &mut Checker) -> u32 {
    let Some(size) = &phase.batch_size else {
        return MAX_BATCH_SIZE;
    };
    match u32::try_from(size.value) {
        Ok(n) if (1..=MAX_BATCH_SIZE).contains(&n) => n,
        _ => {
            let message = format!(
                "batch_size must be between 1 and {MAX_BATCH_SIZE}, found {}",
                size.value
            );
            check.report(&size.referenced, &field_key(path, "batch_size"), message);
            MAX_BATCH_SIZE
        }
    }
}

fn failed_ratio(phase: &RawPhase, path: &str, check: &mut Checker) -> Option<f64> {
    let ratio: &Spanned<f64> = phase.max_failed_ratio.as_ref()?;
    if !(0.0..=1.0).contains(&ratio.value) {
        let message = format!(
            "max_failed_ratio must be between 0 and 1 (a share, 0.02 for 2%), found {}",
            ratio.value
        );
        check.report(
            &ratio.referenced,
            &field_key(path, "max_failed_ratio"),
            message,
        );
        return None;
    }
    Some(ratio.value)
}
