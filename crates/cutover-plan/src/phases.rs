//! Phases: checking their references and putting them in execution order.
//!
//! Every segment must be migrated by exactly one phase, and every `after` must name another
//! phase, without cycles. Phases are then ordered topologically; among phases that could run
//! next, the one written first in the file goes first, so the order is predictable and a plan
//! without `after` runs top to bottom.

use crate::error::{field_index, field_key};
use crate::model::Phase;
use crate::phase_settings::{PhaseDefaults, build_phase};
use crate::raw::{RawPhase, RawSegment, SpannedList};
use crate::segment::Segment;
use crate::validate::Checker;

/// The largest `batch_size`; Kratos takes up to 2000 per batch, and half that keeps a failed
/// request cheap to retry.
pub const MAX_BATCH_SIZE: u32 = 1000;

/// Checks `phases:`, assigns each segment its phase, and returns the phases in execution order.
pub(crate) fn build_phases(
    raw: &SpannedList<RawPhase>,
    raw_segments: &SpannedList<RawSegment>,
    segments: &mut [Segment],
    defaults: &PhaseDefaults,
    check: &mut Checker,
) -> Vec<Phase> {
    if raw.value.is_empty() {
        check.report(&raw.referenced, "phases", "a plan needs at least one phase");
    }

    let names: Vec<&str> = raw
        .value
        .iter()
        .map(|p| p.value.name.value.as_str())
        .collect();
    let segment_names: Vec<&str> = raw_segments
        .value
        .iter()
        .map(|s| s.value.name.value.as_str())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; segment_names.len()];
    let mut phases = Vec::new();
    let mut deps: Vec<Vec<usize>> = Vec::new();

    for (i, item) in raw.value.iter().enumerate() {
        let path = field_index("phases", i);
        let phase = &item.value;
        check.name("phase", &phase.name, &field_key(&path, "name"));
        if let Some(first) = raw.value[..i]
            .iter()
            .find(|p| p.value.name.value == names[i])
        {
            let line = first.value.name.referenced.line();
            let message = format!("duplicate phase name {:?} (first on line {line})", names[i]);
            check.report(&phase.name.referenced, &field_key(&path, "name"), message);
        }

        claim_segments(
            i,
            &phase.segments,
            &path,
            &segment_names,
            &names,
            &mut owner,
            check,
        );
        deps.push(after_indices(i, phase.after.as_ref(), &path, &names, check));
        phases.push(build_phase(phase, &path, defaults, check));
    }

    for (j, segment) in raw_segments.value.iter().enumerate() {
        // A repeated name is reported as a duplicate already; its phase is its first's.
        if segment_names[..j].contains(&segment_names[j]) {
            continue;
        }
        match owner.get(j).copied().flatten() {
            Some(phase) => {
                if let Some(built) = segments.iter_mut().find(|s| s.name == segment_names[j]) {
                    built.phase = names[phase].to_owned();
                }
            }
            None => {
                let message = format!(
                    "segment {:?} is in no phase; add it to the segments of a phase",
                    segment_names[j]
                );
                let field = field_key(&field_index("segments", j), "name");
                check.report(&segment.value.name.referenced, &field, message);
            }
        }
    }

    let order = execution_order(&deps, raw, check);
    let mut slots: Vec<Option<Phase>> = phases.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Checks the `segments` of phase `i` and records which phase owns each segment.
fn claim_segments(
    i: usize,
    list: &SpannedList<String>,
    path: &str,
    segment_names: &[&str],
    phase_names: &[&str],
    owner: &mut [Option<usize>],
    check: &mut Checker,
) {
    let path = field_key(path, "segments");
    if list.value.is_empty() {
        check.report(
            &list.referenced,
            &path,
            "a phase needs at least one segment",
        );
    }

    for wanted in &list.value {
        let Some(j) = segment_names.iter().position(|s| *s == wanted.value) else {
            let message = format!(
                "unknown segment {:?} (known: {})",
                wanted.value,
                segment_names.join(", ")
            );
            check.report(&wanted.referenced, &path, message);
            continue;
        };
        match owner[j] {
            None => owner[j] = Some(i),
            Some(other) if other == i => {
                let message = format!("segment {:?} is listed twice", wanted.value);
                check.report(&wanted.referenced, &path, message);
            }
            Some(other) => {
                let message = format!(
                    "segment {:?} is already in phase {:?}; a segment belongs to one phase",
                    wanted.value, phase_names[other]
                );
                check.report(&wanted.referenced, &path, message);
            }
        }
    }
}

/// Resolves the `after` list of phase `i` to phase indices, reporting bad references.
fn after_indices(
    i: usize,
    after: Option<&SpannedList<String>>,
    path: &str,
    names: &[&str],
    check: &mut Checker,
) -> Vec<usize> {
    let path = field_key(path, "after");
    let mut indices = Vec::new();
    for (k, wanted) in after.iter().flat_map(|a| a.value.iter()).enumerate() {
        let Some(j) = names.iter().position(|n| *n == wanted.value) else {
            let known = names.join(", ");
            let message = format!("unknown phase {:?} (known: {known})", wanted.value);
            check.report(&wanted.referenced, &path, message);
            continue;
        };
        let listed_before = after.is_some_and(|a| {
            a.value[..k]
                .iter()
                .any(|earlier| earlier.value == wanted.value)
        });
        if j == i {
            check.report(&wanted.referenced, &path, "a phase cannot run after itself");
        } else if listed_before {
            let message = format!("phase {:?} is listed twice", wanted.value);
            check.report(&wanted.referenced, &path, message);
        } else {
            indices.push(j);
        }
    }
    indices
}

/// Orders phases so each comes after its `after` phases, earliest in the file first among
/// those ready; reports a cycle when there is one and then keeps file order for the rest.
fn execution_order(
    deps: &[Vec<usize>],
    raw: &SpannedList<RawPhase>,
    check: &mut Checker,
) -> Vec<usize> {
    let mut placed = vec![false; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    while order.len() < deps.len() {
        let ready = (0..deps.len()).find(|&i| !placed[i] && deps[i].iter().all(|&d| placed[d]));
        let Some(next) = ready else {
            report_cycle(deps, &placed, raw, check);
            order.extend((0..deps.len()).filter(|&i| !placed[i]));
            break;
        };
        placed[next] = true;
        order.push(next);
    }
    order
}

/// Finds one cycle among the phases not yet placed and reports it at the first phase in it.
fn report_cycle(
    deps: &[Vec<usize>],
    placed: &[bool],
    raw: &SpannedList<RawPhase>,
    check: &mut Checker,
) {
    // Every unplaced phase waits for another unplaced phase, so walking those edges from
    // any of them must come back to a phase already visited.
    let Some(start) = (0..deps.len()).find(|&i| !placed[i]) else {
        return;
    };
    let mut walk = vec![start];
    let mut current = start;
    let cycle_start = loop {
        let Some(&next) = deps[current].iter().find(|&&d| !placed[d]) else {
            return;
        };
        if let Some(pos) = walk.iter().position(|&w| w == next) {
            break pos;
        }
        walk.push(next);
        current = next;
    };

    let cycle = &walk[cycle_start..];
    let first = cycle[0];
    let mut names: Vec<&str> = cycle
        .iter()
        .map(|&i| raw.value[i].value.name.value.as_str())
        .collect();
    names.push(names[0]);
    let message = format!(
        "after forms a cycle: {} (each waits for the next)",
        names.join(" -> ")
    );
    let phase = &raw.value[first].value;
    let at = phase
        .after
        .as_ref()
        .map_or(&phase.name.referenced, |a| &a.referenced);
    check.report(
        at,
        &field_key(&field_index("phases", first), "after"),
        message,
    );
}
