//! `cutover status`: where every phase and segment of a run stands, read from the ledger.

use chrono::{DateTime, Utc};
use cutover_ledger::{
    Disappeared, Event, Ledger, PasswordRouteCount, Run, SegmentState, SourceProblem, StateCounts,
    UserRow, UserState,
};
use cutover_plan::{Plan, Window};

use crate::run::describe_time;
use crate::{Clock, WorkerError};

/// One phase of a run, with its segments.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PhaseStatus {
    /// The phase.
    pub phase: String,
    /// Users per state, over all its segments.
    pub counts: StateCounts,
    /// Each segment's users per state.
    pub segments: Vec<(String, StateCounts)>,
}

/// Everything `status` shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StatusReport {
    /// The run.
    pub run: Run,
    /// Whether the plan file differs from the one the run last accepted.
    pub plan_changed: bool,
    /// Phases in plan order.
    pub phases: Vec<PhaseStatus>,
    /// Failed and skipped users per reason code.
    pub reasons: Vec<(String, u64)>,
    /// The first failed users.
    pub failures: Vec<UserRow>,
    /// Users per password route (hash, hook, none) and its family or reason.
    pub password_routes: Vec<PasswordRouteCount>,
    /// Records of the export that could not be read, and warnings.
    pub source_problems: Vec<SourceProblem>,
    /// Users of the ledger that the latest export no longer has (kept, never deleted).
    pub disappeared: Disappeared,
    /// Every segment's go-live state, segments in plan order.
    pub golive: Vec<SegmentState>,
    /// The time windows of the phases that have one, in plan order, judged at the time of the
    /// report.
    pub windows: Vec<WindowStatus>,
    /// The run's event trail.
    pub events: Vec<Event>,
}

/// Whether a phase's time window is open, and until or from when.
#[derive(Clone, Debug, serde::Serialize)]
pub struct WindowStatus {
    /// The phase.
    pub phase: String,
    /// The window as the plan gives it, such as `` `0 0 22 * * *` for 480 minutes
    /// (Europe/Berlin) ``.
    pub window: String,
    /// Whether the phase may send now.
    pub open: bool,
    /// When an open window closes, or when a closed one opens next; `None` for a closed
    /// window that never opens again.
    pub until: Option<DateTime<Utc>>,
    /// `until` on the clock of the window's time zone and in UTC.
    pub until_text: Option<String>,
}

impl WindowStatus {
    /// The state of `window` of `phase` at `now`.
    fn at(phase: &str, window: &Window, now: DateTime<Utc>) -> WindowStatus {
        let open = window.is_open(now);
        let until = if open {
            window.closes_at(now)
        } else {
            window.next_opening(now)
        };
        WindowStatus {
            phase: phase.to_string(),
            window: window.to_string(),
            open,
            until,
            until_text: until.map(|at| describe_time(window, at)),
        }
    }
}

/// The status of a plan's run, listing at most `failures` failed users, or `None` if the plan
/// never ran with this ledger. Phase windows are judged at the time `clock` gives.
pub async fn status(
    plan: &Plan,
    ledger: &Ledger,
    failures: u32,
    clock: &dyn Clock,
) -> Result<Option<StatusReport>, WorkerError> {
    let Some(run) = ledger.find_run(&plan.name).await? else {
        return Ok(None);
    };
    Ok(Some(StatusReport {
        plan_changed: run.plan_digest != plan.digest(),
        phases: phase_status(plan, ledger, &run.id).await?,
        reasons: ledger.failure_reasons(&run.id).await?,
        failures: ledger
            .users_in_state(&run.id, UserState::Failed, failures)
            .await?,
        password_routes: ledger.password_routes(&run.id).await?,
        source_problems: ledger.source_problems(&run.id).await?,
        disappeared: ledger.disappeared(&run.id, failures).await?,
        golive: golive_states(plan, ledger, &run.id).await?,
        windows: window_states(plan, clock),
        events: ledger.events(&run.id).await?,
        run,
    }))
}

/// Users per phase and segment, phases and segments in plan order.
pub async fn phase_status(
    plan: &Plan,
    ledger: &Ledger,
    run_id: &str,
) -> Result<Vec<PhaseStatus>, WorkerError> {
    let rows = ledger.status(run_id).await?;
    Ok(plan
        .phases
        .iter()
        .map(|phase| {
            let segments: Vec<(String, StateCounts)> = phase
                .segments
                .iter()
                .map(|segment| {
                    let counts = rows
                        .iter()
                        .filter(|row| row.phase == phase.name && &row.segment == segment)
                        .fold(StateCounts::default(), |total, row| total.plus(&row.counts));
                    (segment.clone(), counts)
                })
                .collect();
            let counts = segments
                .iter()
                .fold(StateCounts::default(), |total, (_, c)| total.plus(c));
            PhaseStatus {
                phase: phase.name.clone(),
                counts,
                segments,
            }
        })
        .collect())
}

/// The windows of the phases that have one, judged at the clock's time.
fn window_states(plan: &Plan, clock: &dyn Clock) -> Vec<WindowStatus> {
    let windowed: Vec<_> = plan
        .phases
        .iter()
        .filter_map(|phase| Some((phase.name.as_str(), phase.window.as_ref()?)))
        .collect();
    if windowed.is_empty() {
        return Vec::new();
    }
    let now = clock.now();
    windowed
        .into_iter()
        .map(|(phase, window)| WindowStatus::at(phase, window, now))
        .collect()
}

/// The go-live state of every segment of the plan, in plan order; a segment the ledger has
/// no state for never went live.
pub async fn golive_states(
    plan: &Plan,
    ledger: &Ledger,
    run_id: &str,
) -> Result<Vec<SegmentState>, WorkerError> {
    let mut states = Vec::with_capacity(plan.segments.len());
    for segment in &plan.segments {
        states.push(ledger.segment_state(run_id, &segment.name).await?);
    }
    Ok(states)
}
