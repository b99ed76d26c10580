//! `cutover golive`: a segment goes live when its gates hold (or are overridden with a
//! reason), by activating every identity of it that is ours, one at a time, in resumable
//! steps, and recording who did it, when, under which plan and with what numbers.
//!
//! The ledger records each activation after it reached the target, so a go-live killed
//! halfway continues where it stopped: the segment stays `activating` and the next go-live
//! skips the gates (they were judged when it began) and activates the rest. Setting a state
//! twice is harmless, so an activation whose record was lost is simply sent again.
//!
//! A phase with `activate: on_import` created its identities active, so its go-live has
//! nothing to activate (except identities a rollback deactivated since): the gates are still
//! judged and the go-live still recorded, as the moment the segment is declared moved.

use std::collections::HashSet;

use cutover_ledger::{
    Activation, EventKind, GoLiveState, Ledger, NewEvent, RollbackMode, Run, TargetChanges,
    Transition,
};
use cutover_ory::OryClient;
use cutover_plan::{IdentityState, Plan};
use tracing::Instrument;
use uuid::Uuid;

use crate::batch::rate_limiter;
use crate::gates::{Gate, GateInputs, judge, read_back_problem};
use crate::steps::{Scope, idempotent};
use crate::{Checkpoint, Observer, WorkerError};

/// Users read from the ledger per page while activating.
const PAGE: u32 = 500;

/// Missing identities named in the event that records them.
const NAMED: usize = 10;

/// How a go-live is carried out.
#[derive(Clone, Debug, Default)]
pub struct GoLiveOptions {
    /// The segment to take live.
    pub segment: String,
    /// Who declares it, for the audit trail.
    pub actor: String,
    /// A note for the audit trail.
    pub note: Option<String>,
    /// Go live even though gates fail, for this reason (recorded with the failed gates).
    pub force: Option<String>,
    /// How many imported identities to read back from the target before going live; by
    /// default the phase's `golive_sample`.
    pub sample: Option<u32>,
}

/// What a go-live did.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum GoLiveOutcome {
    /// The segment was already live; nothing was sent.
    AlreadyLive {
        /// The segment.
        segment: String,
        /// When it went live.
        live_at: Option<String>,
    },
    /// A gate failed and nothing was changed.
    Blocked {
        /// The segment.
        segment: String,
        /// Every gate, judged.
        gates: Vec<Gate>,
        /// Whether `--force` may override the failed gates: not for a go-live stopped halfway
        /// whose plan changed since it began.
        forcible: bool,
    },
    /// The segment is live now.
    Live(GoLiveSummary),
}

/// A finished go-live.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GoLiveSummary {
    /// The segment.
    pub segment: String,
    /// The phase that moved it.
    pub phase: String,
    /// The gates as judged when the go-live began; empty when this call resumed it.
    pub gates: Vec<Gate>,
    /// Whether failed gates were overridden.
    pub forced: bool,
    /// Whether this call continued a go-live that had stopped halfway.
    pub resumed: bool,
    /// Whether the phase creates its identities active (`activate: on_import`), so that only
    /// identities a rollback deactivated had to be activated.
    pub created_active: bool,
    /// Identities activated by this call.
    pub activated_now: u64,
    /// Identities of the segment cutover has activated, in all.
    pub active: u64,
    /// Users left inactive because they were blocked in the legacy system.
    pub held_inactive: Vec<String>,
}

/// Takes a segment live: judges its gates, activates its identities and records the event.
pub async fn golive(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    options: &GoLiveOptions,
    observer: &dyn Observer,
) -> Result<GoLiveOutcome, WorkerError> {
    let segment = options.segment.as_str();
    let phase = plan
        .phase_of_segment(segment)
        .ok_or_else(|| WorkerError::UnknownSegment(segment.to_string()))?;
    let span = tracing::info_span!("golive", segment, phase = %phase.name);
    let scope = Scope {
        actor: &options.actor,
        digest: plan.digest(),
        phase: &phase.name,
        segment,
    };
    let golive = GoLive {
        plan,
        ledger,
        client,
        options,
        observer,
        scope,
    };
    golive.run().instrument(span).await
}

/// One go-live of one segment and what it needs.
struct GoLive<'a> {
    plan: &'a Plan,
    ledger: &'a Ledger,
    client: &'a OryClient,
    options: &'a GoLiveOptions,
    observer: &'a dyn Observer,
    scope: Scope<'a>,
}

impl GoLive<'_> {
    async fn run(&self) -> Result<GoLiveOutcome, WorkerError> {
        let (ledger, scope) = (self.ledger, self.scope);
        let segment = scope.segment;
        let run = ledger
            .find_run(&self.plan.name)
            .await?
            .ok_or_else(|| WorkerError::NotRun {
                plan: self.plan.name.clone(),
            })?;

        let state = ledger.segment_state(&run.id, segment).await?;
        // Intake recorded who the legacy system blocked, as the latest export said: the export
        // is not read again, so a record that became unreadable cannot unblock anyone.
        let blocked = ledger.blocked_in_segment(&run.id, segment).await?;
        let (gates, forced, resumed) = match state.state {
            GoLiveState::Live => {
                return Ok(GoLiveOutcome::AlreadyLive {
                    segment: segment.to_string(),
                    live_at: state.live_at,
                });
            }
            GoLiveState::RollingBack => {
                let mode = state.rollback_mode.unwrap_or(RollbackMode::Delete);
                let segment = segment.to_string();
                return Err(WorkerError::RollbackUnderway { segment, mode });
            }
            GoLiveState::Activating
                if began_under(ledger, &run.id, segment).await?.as_deref()
                    != Some(self.plan.digest()) =>
            {
                // The gates were judged under the plan the go-live began with; resuming under
                // another would activate what nobody judged.
                let gate = Gate {
                    name: "plan unchanged",
                    passed: false,
                    detail: "the plan file changed since this go-live began: put the plan back \
                             as it was to finish the go-live (--force does not override this)"
                        .to_string(),
                };
                let segment = segment.to_string();
                return Ok(GoLiveOutcome::Blocked {
                    segment,
                    gates: vec![gate],
                    forcible: false,
                });
            }
            GoLiveState::Activating => {
                tracing::info!("resuming the go-live begun earlier");
                (Vec::new(), false, true)
            }
            GoLiveState::NotLive | GoLiveState::RolledBack => {
                let gates = judge_gates(self.plan, ledger, self.client, &run, self.options).await?;
                let failed: Vec<&Gate> = gates.iter().filter(|gate| !gate.passed).collect();
                let Some(forced) = self.begin(&run, state.state, &failed).await? else {
                    let segment = segment.to_string();
                    return Ok(GoLiveOutcome::Blocked {
                        segment,
                        gates,
                        forcible: true,
                    });
                };
                (gates, forced, false)
            }
        };

        let interruption = EventKind::GoliveInterrupted;
        let activation = activate(
            self.plan,
            ledger,
            self.client,
            &run.id,
            segment,
            &blocked,
            self.observer,
        );
        let tally = match activation.await {
            Ok(tally) => tally,
            Err(err) => {
                let why = err.to_string();
                scope
                    .record_interruption(ledger, &run.id, interruption, &why)
                    .await?;
                return Err(err);
            }
        };
        if let Some(first) = tally.missing.first() {
            let named: Vec<&str> = tally
                .missing
                .iter()
                .take(NAMED)
                .map(String::as_str)
                .collect();
            let why = format!(
                "{} identities are gone from the target: {}",
                tally.missing.len(),
                named.join(", ")
            );
            scope
                .record_interruption(ledger, &run.id, interruption, &why)
                .await?;
            return Err(WorkerError::IdentitiesMissing {
                segment: segment.to_string(),
                count: tally.missing.len() as u64,
                first: first.clone(),
            });
        }

        let active = tally.activated + tally.already;
        let live = NewEvent {
            changes: TargetChanges {
                activated: Some(active),
                ..TargetChanges::default()
            },
            ..scope.event(EventKind::Golive, self.options.note.as_deref())
        };
        let finish = Transition {
            segment,
            from: GoLiveState::Activating,
            to: GoLiveState::Live,
            mode: None,
        };
        ledger.transition_segment(&run.id, finish, &[live]).await?;
        tracing::info!(activated = tally.activated, active, "segment is live");

        Ok(GoLiveOutcome::Live(GoLiveSummary {
            segment: segment.to_string(),
            phase: scope.phase.to_string(),
            gates,
            forced,
            resumed,
            created_active: created_active(self.plan, segment),
            activated_now: tally.activated,
            active,
            held_inactive: tally.held,
        }))
    }

    /// Begins the go-live if the gates allow it (or `--force` overrides the failed ones):
    /// the segment becomes `activating` and the start, and any override with its reason and
    /// gates, is recorded. Returns whether gates were overridden, or `None` when blocked.
    async fn begin(
        &self,
        run: &Run,
        from: GoLiveState,
        failed: &[&Gate],
    ) -> Result<Option<bool>, WorkerError> {
        let override_note = match (&self.options.force, failed.is_empty()) {
            (_, true) => None,
            (None, false) => return Ok(None),
            (Some(why), false) => {
                let gates: Vec<String> = failed
                    .iter()
                    .map(|g| format!("{} ({})", g.name, g.detail))
                    .collect();
                Some(format!("{why}; gates overridden: {}", gates.join("; ")))
            }
        };

        let mut events = Vec::new();
        if let Some(note) = &override_note {
            events.push(
                self.scope
                    .event(EventKind::GoliveForced, Some(note.as_str())),
            );
        }
        events.push(
            self.scope
                .event(EventKind::GoliveStarted, self.options.note.as_deref()),
        );
        let begin = Transition {
            segment: self.scope.segment,
            from,
            to: GoLiveState::Activating,
            mode: None,
        };
        self.ledger
            .transition_segment(&run.id, begin, &events)
            .await?;
        Ok(Some(override_note.is_some()))
    }
}

/// Gathers the numbers behind the gates: the ledger's counts, and a read-back of a random
/// sample of imported identities from the target.
async fn judge_gates(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    run: &Run,
    options: &GoLiveOptions,
) -> Result<Vec<Gate>, WorkerError> {
    let segment = options.segment.as_str();
    let phase = plan.phase_of_segment(segment);
    let counts = ledger.scope_counts(&run.id, None, Some(segment)).await?;
    let size = options.sample.or(phase.map(|phase| phase.golive_sample));
    let sample = ledger
        .sample_imported(&run.id, segment, size.unwrap_or(0))
        .await?;

    let mut sample_problems = Vec::new();
    for user in &sample {
        let identity = match Uuid::parse_str(&user.identity_id) {
            Ok(id) => client.get(id).await.map_err(WorkerError::Target)?,
            Err(_) => None,
        };
        if let Some(problem) = read_back_problem(&plan.name, user, identity.as_ref()) {
            sample_problems.push(problem);
        }
    }
    Ok(judge(&GateInputs {
        counts,
        max_failed_ratio: phase.and_then(|phase| phase.max_failed_ratio),
        sampled: sample.len() as u64,
        sample_problems,
        plan_changed: run.plan_digest != plan.digest(),
        phase: phase.map(|phase| phase.name.clone()).unwrap_or_default(),
    }))
}

/// The plan digest the segment's latest go-live began under, from its `golive_started` event.
async fn began_under(
    ledger: &Ledger,
    run_id: &str,
    segment: &str,
) -> Result<Option<String>, WorkerError> {
    let events = ledger.events(run_id).await?;
    Ok(events
        .into_iter()
        .rev()
        .find(|event| {
            event.kind == EventKind::GoliveStarted.as_str()
                && event.segment.as_deref() == Some(segment)
        })
        .map(|event| event.plan_digest))
}

/// Whether the phase of `segment` creates its identities active (`activate: on_import`).
fn created_active(plan: &Plan, segment: &str) -> bool {
    plan.phase_of_segment(segment)
        .is_some_and(|phase| phase.identity_state == IdentityState::Active)
}

/// What the activation of a segment did.
#[derive(Default)]
struct Tally {
    activated: u64,
    already: u64,
    held: Vec<String>,
    missing: Vec<String>,
}

/// Activates every imported identity of the segment that is not active yet, except those of
/// users blocked in the legacy system. The ledger records the state each identity was created
/// in and every change cutover made to it since, so identities created active
/// (`activate: on_import`) are sent only when a rollback deactivated them; one whose state the
/// ledger does not know is sent, activating an active identity being harmless. Identities gone
/// from the target are collected, not fatal, so one missing identity does not hold back the
/// rest.
async fn activate(
    plan: &Plan,
    ledger: &Ledger,
    client: &OryClient,
    run_id: &str,
    segment: &str,
    blocked: &HashSet<String>,
    observer: &dyn Observer,
) -> Result<Tally, WorkerError> {
    let phase = plan.phase_of_segment(segment);
    let limiter = rate_limiter(phase.and_then(|phase| phase.rate_limit_per_minute));
    let mut tally = Tally::default();
    let mut after: Option<String> = None;
    let mut step = 0;
    loop {
        let page = ledger
            .imported_users(run_id, segment, after.as_deref(), PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.legacy_id.clone());

        for user in page {
            if user.activation == Some(Activation::Active) {
                tally.already += 1;
                continue;
            }
            // Blocked users were created inactive whatever their phase says.
            if blocked.contains(&user.legacy_id) {
                tally.held.push(user.legacy_id);
                continue;
            }
            let Ok(id) = Uuid::parse_str(&user.identity_id) else {
                tally.missing.push(user.identity_id);
                continue;
            };
            let sent = idempotent(limiter.as_ref(), || {
                client.set_state(id, cutover_ory::IdentityState::Active)
            });
            match sent.await {
                Ok(_) => {}
                Err(err) if err.is_not_found() => {
                    tally.missing.push(user.identity_id);
                    continue;
                }
                Err(err) => return Err(WorkerError::Target(err)),
            }
            step += 1;
            observer.checkpoint(Checkpoint::AfterActivation { step });
            ledger
                .record_activation(run_id, &user, Activation::Active)
                .await?;
            tally.activated += 1;
        }
        tracing::debug!(activated = tally.activated, "activation page done");
    }
    Ok(tally)
}
