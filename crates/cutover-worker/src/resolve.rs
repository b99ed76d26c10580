//! The decisions about a batch's results, kept apart from the I/O that feeds them so that the
//! rules of resume and reconciliation can be read, and tested, on their own.
//!
//! The rules: an identity found on the target under a user's `external_id` is *ours* when its
//! admin metadata names this plan. Ours and possibly sent by this ledger before (the user was
//! in flight) means this run created it: it is imported with a rollback marker. Ours but never
//! sent by this ledger means it is adopted: imported, but no rollback marker, since this ledger
//! cannot prove it created it. Anyone else's identity is a conflict, never touched.

use cutover_ledger::{BatchOutcome, ReasonCode};
use cutover_ory::{ApiError, BatchItem, Identity};

use crate::mapping::created_by_plan;

/// What to do with one entry of a batch response.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemDecision {
    /// Record this outcome.
    Record(BatchOutcome),
    /// The entry conflicts with an existing identity: look the user up to learn whose it is.
    LookUp,
    /// The entry was not processed: send it again.
    Resend,
}

/// Decides what one entry of a batch response means.
pub fn decide_item(item: &BatchItem) -> ItemDecision {
    match item {
        BatchItem::Created { identity, .. } => ItemDecision::Record(BatchOutcome::Imported {
            identity_id: identity.to_string(),
            created: true,
        }),
        BatchItem::Error { error, .. } if error.code == 409 => ItemDecision::LookUp,
        BatchItem::Error { error, .. } => ItemDecision::Record(rejected(error)),
        BatchItem::Skipped => ItemDecision::Resend,
    }
}

/// The outcome of a user the target refused.
pub fn rejected(error: &ApiError) -> BatchOutcome {
    let detail = error.reason.as_deref().unwrap_or(&error.message);
    BatchOutcome::Failed {
        code: ReasonCode::Rejected,
        reason: format!("target refused the identity ({}): {detail}", error.code),
    }
}

/// What a lookup of a user on the target found.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// An identity this plan created.
    Ours(String),
    /// An identity that this plan did not create.
    Foreign(String),
    /// Nothing.
    Absent,
}

/// Judges an identity found under a user's `external_id`.
pub fn judge(plan_name: &str, identity: Option<&Identity>) -> Found {
    match identity {
        None => Found::Absent,
        Some(identity) if created_by_plan(plan_name, identity.metadata_admin.as_ref()) => {
            Found::Ours(identity.id.to_string())
        }
        Some(identity) => Found::Foreign(identity.id.to_string()),
    }
}

/// The outcome of a user after a lookup, or `None` when the user must be sent (again).
/// `sent_before` says whether an earlier request of this ledger may have created the identity.
pub fn after_lookup(found: Found, sent_before: bool) -> Option<BatchOutcome> {
    match found {
        Found::Ours(identity_id) => Some(BatchOutcome::Imported {
            identity_id,
            created: sent_before,
        }),
        Found::Foreign(identity_id) => Some(BatchOutcome::Failed {
            code: ReasonCode::Conflict,
            reason: format!(
                "the target already has identity {identity_id} for this user, not created by \
                 this plan"
            ),
        }),
        Found::Absent => None,
    }
}

/// The outcome of a 409 whose `external_id` lookup found nothing: another identity holds one
/// of the user's identifiers (an email address, a social login).
pub fn identifier_conflict(holder: Option<&Identity>) -> BatchOutcome {
    let reason = match holder {
        Some(identity) => format!(
            "a login identifier of this user already belongs to identity {}",
            identity.id
        ),
        None => {
            "a login identifier or address of this user is already taken on the target".to_string()
        }
    };
    BatchOutcome::Failed {
        code: ReasonCode::Conflict,
        reason,
    }
}

#[cfg(test)]
mod tests;
