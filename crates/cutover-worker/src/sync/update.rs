//! One identity update: what to send, sending it through its phase's rate limiter with the
//! retry rules of batches, and recording what the target made of it.

use cutover_ledger::{Fingerprints, ReasonCode, SyncChange, UserRow, sync_change};
use cutover_ory::{CreateIdentityBody, OryError, UpdateIdentityBody};
use uuid::Uuid;

use super::SyncSummary;
use crate::batch::BatchSender;
use crate::keys::fingerprints;
use crate::mapping::update_body;
use crate::steps::retry_delays;
use crate::{Checkpoint, Progress, WorkerError};

/// What a failed update means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateFailure {
    /// The identity is gone from the target.
    Missing,
    /// One of the new identifiers belongs to another identity. That may be a user whose own
    /// update has yet to free it, so the update is tried once more after the others.
    Conflict,
    /// The target refused the record; the reason says why.
    Refused(String),
    /// The target may take it later: send it again after a wait.
    Retry,
    /// Nothing this run can do about it: stop, to be resumed later.
    Stop,
}

/// Decides what a failed update means.
pub fn judge_update_failure(error: &OryError) -> UpdateFailure {
    match error {
        _ if error.is_not_found() => UpdateFailure::Missing,
        _ if error.is_conflict() => UpdateFailure::Conflict,
        _ if error.is_transient() => UpdateFailure::Retry,
        OryError::Api { error, status, .. } if *status < 500 => {
            let detail = error.reason.as_deref().unwrap_or(&error.message);
            UpdateFailure::Refused(format!("target refused the update ({status}): {detail}"))
        }
        _ => UpdateFailure::Stop,
    }
}
/// One update: the user, the record to send and what the target holds once it is sent.
pub(super) struct Update {
    row: UserRow,
    identity: Uuid,
    body: UpdateIdentityBody,
    sent: Fingerprints,
    password: bool,
}

impl Update {
    /// The update for a changed user, or `None` when the record now matches the target's.
    pub(super) fn new(row: UserRow, create: &CreateIdentityBody) -> Option<Update> {
        let identity = Uuid::parse_str(row.identity_id.as_deref()?).ok()?;
        let now = fingerprints(create);
        let synced = row.sync.synced.clone()?;
        let password = sync_change(&synced, &now)? == SyncChange::Password;
        // Without the password, the target keeps the credentials it had.
        let credentials = if password {
            now.credentials
        } else {
            synced.credentials
        };
        let body = update_body(create, &row.phase, &row.segment, password);
        Some(Update {
            row,
            identity,
            body,
            sent: Fingerprints {
                profile: now.profile,
                credentials,
            },
            password,
        })
    }
}
/// Sends one update and records its outcome. Returns false for a conflict left for a second
/// try (`last_try` false); on the last try a conflict is recorded as refused.
pub(super) async fn send(
    sender: &BatchSender<'_>,
    phase: &str,
    update: &Update,
    last_try: bool,
    summary: &mut SyncSummary,
) -> Result<bool, WorkerError> {
    let (ledger, run_id, legacy_id) = (sender.ledger, sender.run_id, update.row.legacy_id.as_str());
    let identity = update.identity.to_string();
    let mut delays = retry_delays();

    let mut attempt = 0;
    loop {
        attempt += 1;
        if let Some(limiter) = sender.limiter(phase) {
            limiter.until_ready().await;
        }
        let error = match sender.client.update(update.identity, &update.body).await {
            Ok(_) => {
                ledger
                    .record_sync(run_id, legacy_id, &identity, &update.sent)
                    .await?;
                summary.updated += 1;
                summary.with_password += u64::from(update.password);
                sender.observer.checkpoint(Checkpoint::AfterSync {
                    update: summary.updated,
                });
                return Ok(true);
            }
            Err(error) => error,
        };
        match judge_update_failure(&error) {
            UpdateFailure::Missing => {
                let reason = format!(
                    "identity {identity} no longer exists on the target, so the changed record \
                     could not be sent"
                );
                ledger
                    .record_identity_missing(run_id, legacy_id, &identity, &reason)
                    .await?;
                summary.missing += 1;
                return Ok(true);
            }
            UpdateFailure::Conflict if !last_try => return Ok(false),
            UpdateFailure::Conflict => {
                let reason = conflict_reason(sender, &update.body).await?;
                let code = ReasonCode::Conflict;
                ledger
                    .record_sync_refused(run_id, legacy_id, &identity, code, &reason)
                    .await?;
                summary.refused += 1;
                return Ok(true);
            }
            UpdateFailure::Refused(reason) => {
                let code = ReasonCode::Rejected;
                ledger
                    .record_sync_refused(run_id, legacy_id, &identity, code, &reason)
                    .await?;
                summary.refused += 1;
                return Ok(true);
            }
            UpdateFailure::Stop => return Err(WorkerError::Target(error)),
            UpdateFailure::Retry => {}
        }

        let Some(delay) = delays.next() else {
            return Err(WorkerError::Target(error));
        };
        sender.observer.progress(&Progress::Retrying {
            phase: phase.into(),
            attempt,
            reason: error.to_string(),
        });
        tokio::time::sleep(crate::steps::pause(&error, delay)).await;
    }
}
/// Names who holds the identifier an update collided with, when the target says.
async fn conflict_reason(
    sender: &BatchSender<'_>,
    body: &UpdateIdentityBody,
) -> Result<String, WorkerError> {
    let email = body.traits.get("email").and_then(|email| email.as_str());
    let holder = match email {
        Some(email) => {
            let found = sender.client.list_by_identifier(email).await;
            found.map_err(WorkerError::Target)?.into_iter().next()
        }
        None => None,
    };
    Ok(match holder {
        Some(holder) => format!(
            "update refused: the new email address already belongs to identity {}",
            holder.id
        ),
        None => "update refused: a new login identifier is already taken on the target".into(),
    })
}
#[cfg(test)]
mod tests {
    use cutover_ory::{ApiError, Operation};

    use super::*;

    fn api(status: u16) -> OryError {
        let error = ApiError {
            code: status,
            message: "no".into(),
            reason: Some("because".into()),
            ..ApiError::default()
        };
        OryError::Api {
            operation: Operation::Update { id: Uuid::nil() },
            status,
            error: Box::new(error),
        }
    }

    #[test]
    fn a_deleted_identity_is_missing_and_a_taken_email_a_conflict() {
        assert_eq!(judge_update_failure(&api(404)), UpdateFailure::Missing);
        assert_eq!(judge_update_failure(&api(409)), UpdateFailure::Conflict);
    }

    #[test]
    fn an_update_is_sent_again_after_a_transient_failure() {
        for status in [500, 502, 503, 504] {
            assert_eq!(
                judge_update_failure(&api(status)),
                UpdateFailure::Retry,
                "{status}"
            );
        }
        let limited = OryError::RateLimited {
            operation: Operation::Update { id: Uuid::nil() },
            retry_after: None,
        };
        assert_eq!(judge_update_failure(&limited), UpdateFailure::Retry);
    }

    #[test]
    fn an_invalid_record_is_refused_with_the_targets_reason() {
        let UpdateFailure::Refused(reason) = judge_update_failure(&api(400)) else {
            panic!("a 400 must be refused");
        };
        assert!(
            reason.contains("400") && reason.contains("because"),
            "{reason}"
        );
        assert_eq!(judge_update_failure(&api(501)), UpdateFailure::Stop);
    }
}
