//! How one user's password goes to Kratos: the legacy hash as Kratos imports it, the password
//! migration hook, no password at all, or not at all (the user fails), as the plan's policy
//! decides.
//!
//! The decision is taken once per user during preparation. Mapping turns it into the
//! identity's password credential (or the verdict that stops the user), intake records its
//! route and reason in the ledger, and `check` counts it per segment, so all three agree on
//! every user. Reasons say whether Kratos cannot import the hash's format, the hash is broken
//! or its format is unknown, and name the hash family and what is wrong, never the hash.

use std::fmt;

use cutover_hash::{HashError, HashErrorKind, HashFamily};
use cutover_ledger::{PasswordRoute, ReasonCode, UserPassword, UserState};
use cutover_ory::{PasswordConfig, PasswordImport};
use cutover_plan::{Policy, UnavailablePassword, UnimportableHash};
use cutover_source::LegacyUser;

use crate::mapping::Verdict;

/// Why a user's password does not reach the target as a hash.
///
/// A hash the hash crate refuses is one of three kinds, and the reason says which: a format
/// cutover recognises (and can check at the migration hook) but Kratos cannot import, a hash
/// of a known family that is broken, or a format nothing recognises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordReason {
    /// The hash is intact and recognised, but Kratos has no format that computes it.
    NotImportable {
        /// The family the hash was recognised as.
        family: HashFamily,
        /// Why Kratos cannot take it, naming parameters at most, never the hash.
        why: String,
    },
    /// The hash announces a known family but is broken: no password can match it.
    Broken {
        /// The family the hash announced.
        family: HashFamily,
        /// What is wrong with it, naming the field, never the hash.
        why: String,
    },
    /// Nothing recognises the hash.
    UnknownFormat,
    /// The legacy system has a password that the export cannot carry.
    Unavailable,
    /// The export has no password for the user (social logins only, or no hash row).
    Absent,
}

impl PasswordReason {
    /// The reason the hash crate's refusal of a hash gives, by the kind of the refusal.
    pub fn refused(error: &HashError) -> PasswordReason {
        let family = error.family();
        match error.kind() {
            HashErrorKind::NotImportable => {
                // The error's own text ends in advice to use the hook, which would mislead
                // under the other policies; only its explanation is kept.
                let why = match error {
                    HashError::NotImportable { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                PasswordReason::NotImportable { family, why }
            }
            HashErrorKind::Broken => {
                let text = error.to_string();
                let why = text
                    .strip_prefix(&format!("{family} hash: "))
                    .map_or_else(|| text.clone(), str::to_string);
                PasswordReason::Broken { family, why }
            }
            // Unknown, and any kind the hash crate may add later: nothing here can read it.
            _ => PasswordReason::UnknownFormat,
        }
    }

    /// The reason without its details: the kind and the hash family, by which `check` groups
    /// users. The full reason, which the ledger records, starts with it.
    pub fn group(&self) -> String {
        match self {
            PasswordReason::NotImportable { family, .. } => {
                format!("hash format Kratos cannot import ({family})")
            }
            PasswordReason::Broken { family, .. } => format!("broken hash ({family})"),
            PasswordReason::UnknownFormat => "unknown hash format".to_string(),
            PasswordReason::Unavailable | PasswordReason::Absent => self.to_string(),
        }
    }
}

impl fmt::Display for PasswordReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordReason::NotImportable { why, .. } | PasswordReason::Broken { why, .. } => {
                write!(f, "{}: {why}", self.group())
            }
            PasswordReason::UnknownFormat => f.write_str(
                "unknown hash format: it matches no format Kratos imports and no legacy layout \
                 cutover knows",
            ),
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

        // Whatever its kind, a refused hash follows `policy.unimportable_hash`: the legacy
        // system stays the judge of a broken or unknown hash, so the hook is as safe for them
        // as for a format Kratos lacks, and the reason tells the operator which it is.
        let error = match cutover_hash::to_kratos(&legacy.hash) {
            Ok(hash) => {
                return PasswordDecision::Hash {
                    hash,
                    family: legacy.family,
                };
            }
            Err(error) => error,
        };
        let reason = PasswordReason::refused(&error);
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
