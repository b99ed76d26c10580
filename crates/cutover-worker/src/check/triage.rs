//! The password triage of `check`: per segment, which hash families the users have and which
//! way each password would go to the target (the hash itself, the migration hook, no
//! password) or why the user would fail, with the reasons grouped.
//!
//! It counts exactly what a run would do: the same decision and the same verdicts that
//! intake records, so the numbers of `check` are the numbers `status` shows after the run.
//! Reasons are grouped by kind and hash family ("hash format Kratos cannot import (phpass)",
//! "broken hash (bcrypt)", "unknown hash format"); the ledger keeps each user's full reason,
//! which adds what exactly is wrong.

use std::collections::BTreeMap;

use cutover_ledger::ReasonCode;

use crate::password::PasswordDecision;
use crate::prepare::PreparedUser;

/// Some users, in all and per hash family or per reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// How many users.
    pub total: u64,
    /// How many per hash family (for `hash`) or per reason (for the others).
    pub by: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, key: String) {
        self.total += 1;
        *self.by.entry(key).or_default() += 1;
    }
}

/// The password triage of one segment.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SegmentTriage {
    /// The phase that moves the segment.
    pub phase: String,
    /// The segment.
    pub segment: String,
    /// Users in the segment.
    pub users: u64,
    /// Users per hash family of their legacy password (`none` without one).
    pub families: BTreeMap<String, u64>,
    /// Users whose hash is imported (converted into a Kratos format where needed), per family.
    pub hash: Tally,
    /// Users imported with the password migration hook, per kind of reason.
    pub hook: Tally,
    /// Users imported without a password, per kind of reason.
    pub none: Tally,
    /// Users that fail because of their password hash (`policy.unimportable_hash: fail`), per
    /// kind of reason.
    pub fail: Tally,
    /// Users stopped for another reason before their password matters (listed among the
    /// users that cannot be imported).
    pub stopped: u64,
}

impl SegmentTriage {
    /// An empty triage for a segment of a phase.
    pub(crate) fn new(phase: &str, segment: &str) -> Self {
        Self {
            phase: phase.to_string(),
            segment: segment.to_string(),
            ..Self::default()
        }
    }

    /// Counts one prepared user of this segment.
    pub(crate) fn count(&mut self, user: &PreparedUser) {
        self.users += 1;
        *self.families.entry(user.hash_family.clone()).or_default() += 1;

        match (&user.body, &user.password) {
            (Err((_, ReasonCode::InvalidHash, _)), PasswordDecision::Fail(reason)) => {
                self.fail.add(reason.group());
            }
            (Err((_, ReasonCode::InvalidHash, reason)), _) => self.fail.add(reason.clone()),
            (Err(_), _) => self.stopped += 1,
            (Ok(_), PasswordDecision::Hash { family, .. }) => self.hash.add(family.to_string()),
            (Ok(_), PasswordDecision::Hook(reason)) => self.hook.add(reason.group()),
            (Ok(_), PasswordDecision::NoPassword(reason)) => self.none.add(reason.group()),
            // Mapping never builds a body for a failing decision; counted as failed all the same.
            (Ok(_), PasswordDecision::Fail(reason)) => self.fail.add(reason.group()),
        }
    }
}

/// The triage of every segment of a plan, in plan order.
#[derive(Debug, Default)]
pub(crate) struct Triage {
    segments: BTreeMap<(String, String), SegmentTriage>,
}

impl Triage {
    /// Counts one prepared user under its phase and segment.
    pub(crate) fn count(&mut self, user: &PreparedUser) {
        self.segments
            .entry((user.phase.clone(), user.segment.clone()))
            .or_insert_with(|| SegmentTriage::new(&user.phase, &user.segment))
            .count(user);
    }

    /// The triage of each `(phase, segment)`, in the order given; empty segments included.
    pub(crate) fn finish<'a>(
        mut self,
        order: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Vec<SegmentTriage> {
        order
            .map(|(phase, segment)| {
                self.segments
                    .remove(&(phase.to_string(), segment.to_string()))
                    .unwrap_or_else(|| SegmentTriage::new(phase, segment))
            })
            .collect()
    }
}
