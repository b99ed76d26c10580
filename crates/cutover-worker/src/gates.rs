//! The go-live gates of a segment: every user settled, few enough failed, no conflicts, a
//! read-back of a sample of identities matching the ledger, and the plan unchanged.
//!
//! Judging the gates is a pure function of numbers gathered beforehand, so that what blocks
//! a go-live can be read and tested without a ledger or a target.

use cutover_ledger::{EventCounts, TargetUser};
use cutover_ory::Identity;

use crate::mapping::created_by_plan;

/// One gate of a go-live, judged.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Gate {
    /// The gate's name, as shown to users.
    pub name: &'static str,
    /// Whether it holds.
    pub passed: bool,
    /// The numbers behind the verdict, and what to do when it fails.
    pub detail: String,
}

/// What the gates are judged on.
#[derive(Clone, Debug)]
pub struct GateInputs {
    /// The segment's users per state.
    pub counts: EventCounts,
    /// The phase's `max_failed_ratio`, if it sets one.
    pub max_failed_ratio: Option<f64>,
    /// How many identities were read back.
    pub sampled: u64,
    /// What the read-back found wrong, one line per identity.
    pub sample_problems: Vec<String>,
    /// Whether the plan file differs from the one the run last accepted.
    pub plan_changed: bool,
    /// The phase that moves the segment, for the advice.
    pub phase: String,
}

/// Judges every gate; all of them are judged even when one fails, so the operator sees the
/// whole picture at once.
pub fn judge(inputs: &GateInputs) -> Vec<Gate> {
    let c = &inputs.counts;
    let unsettled = c.pending + c.in_flight;
    let settled = Gate {
        name: "all users settled",
        passed: unsettled == 0,
        detail: format!(
            "{} imported, {} failed, {} skipped, {} pending, {} in flight{}",
            c.imported,
            c.failed,
            c.skipped,
            c.pending,
            c.in_flight,
            advice(
                unsettled > 0,
                &format!(
                    "run `cutover run PLAN --phase {}` to settle them",
                    inputs.phase
                )
            )
        ),
    };

    let total = c.total();
    let ratio = if total == 0 {
        0.0
    } else {
        c.failed as f64 / total as f64
    };
    let failures = match inputs.max_failed_ratio {
        Some(limit) => Gate {
            name: "failure ratio",
            passed: ratio <= limit,
            detail: format!(
                "{} of {total} failed ({:.2} %), the phase allows {:.2} %{}",
                c.failed,
                ratio * 100.0,
                limit * 100.0,
                advice(
                    ratio > limit,
                    "see `cutover status PLAN` for the reasons and fix them"
                )
            ),
        },
        None => Gate {
            name: "failure ratio",
            passed: true,
            detail: format!(
                "{} of {total} failed ({:.2} %); the phase sets no max_failed_ratio",
                c.failed,
                ratio * 100.0
            ),
        },
    };

    let conflicts = Gate {
        name: "no conflicts",
        passed: c.conflicts == 0,
        detail: format!(
            "{} users collide with identities this plan did not create{}",
            c.conflicts,
            advice(
                c.conflicts > 0,
                "resolve them on the target (see `cutover status PLAN`), or go live without \
                 them with --force"
            )
        ),
    };

    let wrong = inputs.sample_problems.len();
    let read_back = Gate {
        name: "read-back",
        passed: wrong == 0,
        detail: match inputs.sample_problems.first() {
            None => format!(
                "{} of {} imported identities read back from the target, all matching",
                inputs.sampled, c.imported
            ),
            Some(first) => format!(
                "{wrong} of {} identities read back do not match the ledger (first: {first})",
                inputs.sampled
            ),
        },
    };

    let plan = Gate {
        name: "plan unchanged",
        passed: !inputs.plan_changed,
        detail: if inputs.plan_changed {
            "the plan file changed since the run last accepted it: run `cutover run PLAN \
             --accept-plan-change` so the run follows it, then go live"
                .to_string()
        } else {
            "the plan file is the one the run follows".to_string()
        },
    };
    vec![settled, failures, conflicts, read_back, plan]
}

fn advice(failed: bool, what: &str) -> String {
    if failed {
        format!(": {what}")
    } else {
        String::new()
    }
}

/// What is wrong with an identity read back for a user, or `None` when it matches the ledger:
/// it exists, carries the ledger's external id, and its admin metadata names this plan.
pub fn read_back_problem(
    plan_name: &str,
    user: &TargetUser,
    identity: Option<&Identity>,
) -> Option<String> {
    let Some(identity) = identity else {
        return Some(format!(
            "identity {} of user {} is not on the target",
            user.identity_id, user.legacy_id
        ));
    };
    if identity.external_id.as_deref() != Some(user.external_id.as_str()) {
        return Some(format!(
            "identity {} carries another external_id than user {}",
            user.identity_id, user.legacy_id
        ));
    }
    if !created_by_plan(plan_name, identity.metadata_admin.as_ref()) {
        return Some(format!(
            "identity {} of user {} does not name plan {plan_name} in its metadata_admin",
            user.identity_id, user.legacy_id
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(counts: EventCounts) -> GateInputs {
        GateInputs {
            counts,
            max_failed_ratio: Some(0.1),
            sampled: 3,
            sample_problems: Vec::new(),
            plan_changed: false,
            phase: "staff".into(),
        }
    }

    fn failed_gates(inputs: &GateInputs) -> Vec<&'static str> {
        judge(inputs)
            .into_iter()
            .filter(|gate| !gate.passed)
            .map(|gate| gate.name)
            .collect()
    }

    #[test]
    fn a_settled_clean_segment_passes_every_gate() {
        let counts = EventCounts {
            imported: 9,
            failed: 1,
            ..EventCounts::default()
        };
        assert!(failed_gates(&inputs(counts)).is_empty());
    }

    #[test]
    fn pending_users_and_too_many_failures_each_fail_their_gate() {
        let counts = EventCounts {
            imported: 7,
            failed: 2,
            pending: 1,
            ..EventCounts::default()
        };
        assert_eq!(
            failed_gates(&inputs(counts)),
            vec!["all users settled", "failure ratio"]
        );
    }

    #[test]
    fn conflicts_sample_problems_and_a_changed_plan_fail_their_gates() {
        let counts = EventCounts {
            imported: 9,
            failed: 1,
            conflicts: 1,
            ..EventCounts::default()
        };
        let mut inputs = inputs(counts);
        inputs
            .sample_problems
            .push("identity x is not on the target".into());
        inputs.plan_changed = true;
        assert_eq!(
            failed_gates(&inputs),
            vec!["no conflicts", "read-back", "plan unchanged"]
        );
    }

    #[test]
    fn without_a_limit_failures_do_not_block() {
        let counts = EventCounts {
            imported: 1,
            failed: 9,
            ..EventCounts::default()
        };
        let mut inputs = inputs(counts);
        inputs.max_failed_ratio = None;
        assert!(failed_gates(&inputs).is_empty());
    }
}
