//! How one user's password goes to Kratos: the legacy hash as Kratos imports it, the password
//! migration hook, no password at all, or not at all (the user fails), as the plan's policy
//! decides.
//!
//! The decision is taken once per user during preparation. Mapping turns it into the
//! identity's password credential (or the verdict that stops the user), intake records its
//! route and reason in the ledger, and `check` counts it per segment, so all three agree on
//! every user. Reasons name the hash family and what is wrong, never the hash.

use std::fmt;

use cutover_hash::HashFamily;
use cutover_ledger::{PasswordRoute, ReasonCode, UserPassword, UserState};
use cutover_ory::{PasswordConfig, PasswordImport};
use cutover_plan::{Policy, UnavailablePassword, UnimportableHash};
use cutover_source::LegacyUser;

use crate::mapping::Verdict;

/// Why a user's password does not reach the target as a hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordReason {
    /// The export has a hash that Kratos cannot import; the text says why.
    Unimportable(String),
    /// The legacy system has a password that the export cannot carry.
    Unavailable,
    /// The export has no password for the user (social logins only, or no hash row).
    Absent,
}

impl fmt::Display for PasswordReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordReason::Unimportable(why) => {
                write!(f, "password hash cannot be imported: {why}")
            }
            PasswordReason::Unavailable => {
                f.write_str("the legacy system has a password that the export does not carry")
            }
            PasswordReason::Absent => f.write_str("no password in the export"),
        }
    }
}

/// The way one user's password goes to the target.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordDecision {
    /// The hash is imported, as `hash` (already in a format Kratos imports).
    Hash {
        /// The Kratos import string; a secret.
        hash: String,
        /// The family of the legacy hash.
        family: HashFamily,
    },
    /// The identity is imported with the password migration hook enabled.
    Hook(PasswordReason),
    /// The identity is imported without a password.
    NoPassword(PasswordReason),
    /// The user is not imported (`policy.unimportable_hash: fail`).
    Fail(PasswordReason),
}

impl PasswordDecision {
    /// Decides the way of `user`'s password under the plan's `policy`.
    pub fn decide(policy: &Policy, user: &LegacyUser) -> PasswordDecision {
        // A hash in the export wins over a flag saying the password is elsewhere.
        let Some(legacy) = &user.password else {
            return match (user.password_unavailable, policy.unavailable_password) {
                (false, _) => PasswordDecision::NoPassword(PasswordReason::Absent),
                (true, UnavailablePassword::Hook) => {
                    PasswordDecision::Hook(PasswordReason::Unavailable)
                }
                (true, UnavailablePassword::NoPassword) => {
                    PasswordDecision::NoPassword(PasswordReason::Unavailable)
                }
            };
        };

        // TODO: every refusal of the hash crate counts as unimportable for now, a malformed
        // export value included; once it tells "Kratos cannot import this format" apart from
        // "this hash is broken", the reasons can say which.
        let error = match cutover_hash::to_kratos(&legacy.hash) {
            Ok(hash) => {
                return PasswordDecision::Hash {
                    hash,
                    family: legacy.family,
                };
            }
            Err(error) => error,
        };
        let reason = PasswordReason::Unimportable(error.to_string());
        match policy.unimportable_hash {
            UnimportableHash::Hook => PasswordDecision::Hook(reason),
            UnimportableHash::NoPassword => PasswordDecision::NoPassword(reason),
            UnimportableHash::Fail => PasswordDecision::Fail(reason),
        }
    }

    /// The password credential the identity is created with, or the verdict that stops the
    /// user.
    pub fn credential(&self) -> Result<Option<PasswordImport>, Verdict> {
        match self {
            PasswordDecision::Hash { hash, .. } => Ok(Some(PasswordImport {
                config: PasswordConfig::hashed(hash.clone()),
            })),
            PasswordDecision::Hook(_) => Ok(Some(PasswordImport {
                config: PasswordConfig::migration_hook(),
            })),
            PasswordDecision::NoPassword(_) => Ok(None),
            PasswordDecision::Fail(reason) => Err((
                UserState::Failed,
                ReasonCode::InvalidHash,
                reason.to_string(),
            )),
        }
    }

    /// The route and its detail for the ledger; `None` for a user who is not imported.
    pub fn route(&self) -> Option<UserPassword> {
        match self {
            PasswordDecision::Hash { family, .. } => {
                Some(UserPassword::new(PasswordRoute::Hash, family.as_str()))
            }
            PasswordDecision::Hook(reason) => {
                Some(UserPassword::new(PasswordRoute::Hook, reason.to_string()))
            }
            PasswordDecision::NoPassword(reason) => {
                Some(UserPassword::new(PasswordRoute::None, reason.to_string()))
            }
            PasswordDecision::Fail(_) => None,
        }
    }
}

// The Kratos import string is as secret as the legacy hash, so Debug leaves it out.
impl fmt::Debug for PasswordDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordDecision::Hash { family, .. } => f
                .debug_struct("Hash")
                .field("hash", &"<redacted>")
                .field("family", family)
                .finish(),
            PasswordDecision::Hook(reason) => f.debug_tuple("Hook").field(reason).finish(),
            PasswordDecision::NoPassword(reason) => {
                f.debug_tuple("NoPassword").field(reason).finish()
            }
            PasswordDecision::Fail(reason) => f.debug_tuple("Fail").field(reason).finish(),
        }
    }
}

#[cfg(test)]
mod tests;
