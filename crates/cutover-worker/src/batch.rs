//! The I/O of one batch: look up users that may already be on the target, record the intent,
//! send, and record every user's outcome, retrying what the target did not finish.

use std::collections::HashMap;

use cutover_ledger::{Activation, BatchOutcome, Ledger, Outcome, UserRow, UserState};
use cutover_ory::{BatchEntry, CreateIdentityBody, IdentityState, OryClient, OryError};
use cutover_plan::Plan;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

use crate::resolve::{self, Found, ItemDecision};
use crate::steps::retry_delays;
use crate::{Checkpoint, Observer, Progress, WorkerError};

/// A user on its way to the target: its ledger row and the identity to create.
pub struct Candidate {
    pub row: UserRow,
    pub body: CreateIdentityBody,
}

/// What one batch did.
#[derive(Default)]
pub struct BatchTally {
    pub imported: u64,
    pub failed: u64,
    pub sent: u64,
}

/// Sends batches for one run, one at a time.
pub struct BatchSender<'a> {
    pub plan_name: &'a str,
    pub run_id: &'a str,
    pub ledger: &'a Ledger,
    pub client: &'a OryClient,
    pub observer: &'a dyn Observer,
    /// Batches sent by this process, to number checkpoints.
    pub sent: u64,
    /// Each phase's limit on write requests, for the phases that have one.
    limiters: HashMap<String, PhaseLimiter>,
}

/// The pace of one phase's write requests.
struct PhaseLimiter {
    per_minute: u32,
    limiter: DefaultDirectRateLimiter,
}

/// A limiter for every phase with an effective rate limit, by phase name.
fn phase_limiters(plan: &Plan) -> HashMap<String, PhaseLimiter> {
    plan.phases
        .iter()
        .filter_map(|phase| {
            let per_minute = phase.rate_limit_per_minute?;
            let limiter = rate_limiter(Some(per_minute))?;
            Some((
                phase.name.clone(),
                PhaseLimiter {
                    per_minute,
                    limiter,
                },
            ))
        })
        .collect()
}

/// A limiter allowing `per_minute` write requests a minute, without bursts.
pub fn rate_limiter(per_minute: Option<u32>) -> Option<DefaultDirectRateLimiter> {
    let per_minute = std::num::NonZeroU32::new(per_minute?)?;
    Some(RateLimiter::direct(
        Quota::per_minute(per_minute).allow_burst(std::num::NonZeroU32::MIN),
    ))
}

impl<'a> BatchSender<'a> {
    /// A sender for the run `run_id` of `plan`, pacing each phase's requests by the phase's
    /// effective `rate_limit_per_minute` (its own, else the target's).
    pub fn new(
        plan: &'a Plan,
        run_id: &'a str,
        ledger: &'a Ledger,
        client: &'a OryClient,
        observer: &'a dyn Observer,
    ) -> BatchSender<'a> {
        BatchSender {
            plan_name: &plan.name,
            run_id,
            ledger,
            client,
            observer,
            sent: 0,
            limiters: phase_limiters(plan),
        }
    }

    /// The limiter pacing the write requests of `phase`, if the phase has a rate limit.
    pub fn limiter(&self, phase: &str) -> Option<&DefaultDirectRateLimiter> {
        self.limiters.get(phase).map(|paced| &paced.limiter)
    }

    /// The requests per minute `phase` is held to, if any.
    pub fn per_minute(&self, phase: &str) -> Option<u32> {
        self.limiters.get(phase).map(|paced| paced.per_minute)
    }

    /// Moves a batch of candidates to the target and records every outcome.
    pub async fn send(
        &mut self,
        phase: &str,
        candidates: Vec<Candidate>,
    ) -> Result<BatchTally, WorkerError> {
        let mut tally = BatchTally::default();
        let mut waiting = self.reconcile_in_flight(candidates, &mut tally).await?;
        let mut delays = retry_delays();

        while !waiting.is_empty() {
            let members: Vec<(&str, Activation)> = waiting
                .iter()
                .map(|c| (c.row.legacy_id.as_str(), created_state(&c.body)))
                .collect();
            let batch_id = self
                .ledger
                .begin_batch_creating(self.run_id, phase, &members)
                .await?;
            for candidate in &mut waiting {
                candidate.row.state = UserState::InFlight;
                candidate.row.attempts += 1;
                candidate.row.batch_id = Some(batch_id.clone());
            }
            self.sent += 1;
            tally.sent += 1;
            self.observer
                .checkpoint(Checkpoint::BeforeSend { batch: self.sent });

            let entries: Vec<BatchEntry> = waiting
                .iter()
                .map(|c| BatchEntry {
                    patch_id: patch_uuid(&c.row),
                    create: c.body.clone(),
                })
                .collect();
            if let Some(limiter) = self.limiter(phase) {
                limiter.until_ready().await;
            }
            let response = self.client.batch_create(&entries).await;
            self.observer
                .checkpoint(Checkpoint::AfterSend { batch: self.sent });

            let error = match response {
                Ok(outcome) if outcome.items.len() == waiting.len() => {
                    waiting = self
                        .record_items(&batch_id, waiting, outcome.items, &mut tally)
                        .await?;
                    self.observer
                        .checkpoint(Checkpoint::AfterRecord { batch: self.sent });
                    continue;
                }
                Ok(outcome) => OryError::UnexpectedResponse {
                    operation: cutover_ory::Operation::BatchCreate {
                        count: entries.len(),
                    },
                    reason: format!(
                        "{} results for {} identities",
                        outcome.items.len(),
                        waiting.len()
                    ),
                },
                Err(err) if !err.is_transient() && err.status().is_some_and(|s| s < 500) => {
                    // The target refused the whole request; send one at a time so that one
                    // bad entry cannot hold back the rest.
                    self.send_one_by_one(&batch_id, waiting, &mut tally).await?;
                    self.observer
                        .checkpoint(Checkpoint::AfterRecord { batch: self.sent });
                    return Ok(tally);
                }
                Err(err) => err,
            };

            self.ledger
                .abandon_batch(&batch_id, &error.to_string())
                .await?;
            let Some(delay) = delays.next().filter(|_| error.is_transient()) else {
                return Err(WorkerError::Target(error));
            };
            self.observer.progress(&Progress::Retrying {
                phase: phase.to_string(),
                attempt: u32::try_from(tally.sent).unwrap_or(u32::MAX),
                reason: error.to_string(),
            });
            tokio::time::sleep(crate::steps::pause(&error, delay)).await;
            if error.may_have_been_applied() {
                waiting = self.reconcile_in_flight(waiting, &mut tally).await?;
            }
        }
        Ok(tally)
    }

    /// Looks up every candidate that may already be on the target (it was in flight when a
    /// run stopped, or its request's fate is unknown) and records those found.
    async fn reconcile_in_flight(
        &self,
        candidates: Vec<Candidate>,
        tally: &mut BatchTally,
    ) -> Result<Vec<Candidate>, WorkerError> {
        let mut outcomes = Vec::new();
        let mut waiting = Vec::new();
        for candidate in candidates {
            if candidate.row.state != UserState::InFlight {
                waiting.push(candidate);
                continue;
            }
            let found = self.look_up(&candidate.row).await?;
            match resolve::after_lookup(found, true) {
                Some(result) => outcomes.push(outcome(&candidate.row, result)),
                None => waiting.push(candidate),
            }
        }
        self.record(outcomes, None, tally).await?;
        Ok(waiting)
    }

    /// Records the per-entry results of a batch; returns the candidates to send again.
    async fn record_items(
        &self,
        batch_id: &str,
        waiting: Vec<Candidate>,
        items: Vec<cutover_ory::BatchItem>,
        tally: &mut BatchTally,
    ) -> Result<Vec<Candidate>, WorkerError> {
        let mut outcomes = Vec::new();
        let mut again = Vec::new();
        for (candidate, item) in waiting.into_iter().zip(items) {
            match resolve::decide_item(&item) {
                ItemDecision::Record(result) => outcomes.push(outcome(&candidate.row, result)),
                ItemDecision::LookUp => {
                    let result = self.resolve_conflict(&candidate).await?;
                    outcomes.push(outcome(&candidate.row, result));
                }
                ItemDecision::Resend => {
                    outcomes.push(outcome(&candidate.row, BatchOutcome::NotSent));
                    again.push(candidate);
                }
            }
        }
        self.record(outcomes, Some(batch_id), tally).await?;
        for candidate in &mut again {
            candidate.row.state = UserState::Pending;
        }
        Ok(again)
    }

    /// Sends each candidate on its own, after the target refused their batch as a whole.
    async fn send_one_by_one(
        &self,
        batch_id: &str,
        waiting: Vec<Candidate>,
        tally: &mut BatchTally,
    ) -> Result<(), WorkerError> {
        let mut outcomes = Vec::new();
        for candidate in waiting {
            let result = match self.client.create(&candidate.body).await {
                Ok(identity) => BatchOutcome::Imported {
                    identity_id: identity.id.to_string(),
                    created: true,
                },
                Err(err) if err.is_conflict() => self.resolve_conflict(&candidate).await?,
                Err(OryError::Api { error, .. }) if error.code < 500 => resolve::rejected(&error),
                Err(err) => {
                    self.record(outcomes, None, tally).await?;
                    self.ledger
                        .abandon_batch(batch_id, &err.to_string())
                        .await?;
                    return Err(WorkerError::Target(err));
                }
            };
            outcomes.push(outcome(&candidate.row, result));
        }
        self.record(outcomes, Some(batch_id), tally).await
    }

    /// Learns whose identity a 409 collided with.
    async fn resolve_conflict(&self, candidate: &Candidate) -> Result<BatchOutcome, WorkerError> {
        let found = self.look_up(&candidate.row).await?;
        // The first attempt of this ledger cannot have created it; a later one may have.
        let sent_before = candidate.row.attempts > 1;
        if let Some(result) = resolve::after_lookup(found, sent_before) {
            return Ok(result);
        }

        let email = candidate
            .body
            .traits
            .get("email")
            .and_then(|email| email.as_str());
        let holder = match email {
            Some(email) => {
                let found = self.client.list_by_identifier(email).await;
                found.map_err(WorkerError::Target)?.into_iter().next()
            }
            None => None,
        };
        Ok(resolve::identifier_conflict(holder.as_ref()))
    }

    async fn look_up(&self, row: &UserRow) -> Result<Found, WorkerError> {
        let identity = self
            .client
            .get_by_external_id(&row.external_id)
            .await
            .map_err(WorkerError::Target)?;
        Ok(resolve::judge(self.plan_name, identity.as_ref()))
    }

    async fn record(
        &self,
        outcomes: Vec<Outcome>,
        batch_id: Option<&str>,
        tally: &mut BatchTally,
    ) -> Result<(), WorkerError> {
        if outcomes.is_empty() && batch_id.is_none() {
            return Ok(());
        }
        let imported = count(&outcomes, |r| matches!(r, BatchOutcome::Imported { .. }));
        let failed = count(&outcomes, |r| matches!(r, BatchOutcome::Failed { .. }));
        self.ledger
            .record_outcomes(self.run_id, &outcomes, batch_id)
            .await?;
        tally.imported += imported;
        tally.failed += failed;
        Ok(())
    }
}

fn outcome(row: &UserRow, result: BatchOutcome) -> Outcome {
    Outcome {
        legacy_id: row.legacy_id.clone(),
        batch_id: row.batch_id.clone().unwrap_or_default(),
        result,
    }
}

fn count(outcomes: &[Outcome], pred: impl Fn(&BatchOutcome) -> bool) -> u64 {
    outcomes.iter().filter(|o| pred(&o.result)).count() as u64
}

fn patch_uuid(row: &UserRow) -> Uuid {
    Uuid::parse_str(&row.patch_id).unwrap_or_else(|_| Uuid::nil())
}

/// The state an identity is created in: the one its body names, else Kratos's default, active.
fn created_state(body: &CreateIdentityBody) -> Activation {
    match body.state {
        Some(IdentityState::Inactive) => Activation::Inactive,
        Some(IdentityState::Active) | None => Activation::Active,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn each_phase_is_paced_by_its_own_limit_else_the_target_one() {
        let text = "version: 1\nname: paced\nsource: { format: auth0, users: users.ndjson }\n\
                    target:\n  admin_url: http://127.0.0.1:4434\n  schema_id: preset://email\n  \
                    rate_limit_per_minute: 600\n\
                    segments:\n  - { name: a, where: { tenant: [a] } }\n  \
                    - { name: b, where: { all: true } }\n\
                    phases:\n  - { name: one, segments: [a], rate_limit_per_minute: 60 }\n  \
                    - { name: two, segments: [b], after: [one] }\n";
        let plan = Plan::parse(text, Path::new("paced.yaml")).expect("a valid plan");

        let limiters = phase_limiters(&plan);
        let pace = |phase: &str| limiters.get(phase).map(|paced| paced.per_minute);
        assert_eq!(pace("one"), Some(60));
        assert_eq!(pace("two"), Some(600));
    }

    #[test]
    fn a_plan_without_limits_paces_nothing() {
        let text = "version: 1\nname: free\nsource: { format: auth0, users: users.ndjson }\n\
                    target: { admin_url: http://127.0.0.1:4434, schema_id: preset://email }\n\
                    segments:\n  - { name: a, where: { all: true } }\n\
                    phases:\n  - { name: one, segments: [a] }\n";
        let plan = Plan::parse(text, Path::new("free.yaml")).expect("a valid plan");

        assert!(phase_limiters(&plan).is_empty());
    }
}
