//! What a reader found in a user's password fields, and how that lands on the user.
//!
//! Three outcomes are kept apart on purpose. No hash means a user without a password. A
//! hash, as a string or as parts, is handed over as it is, whether or not the hash crate can
//! convert it yet: judging it is that crate's job. A hash that is there but cannot be
//! carried (its encoding is broken, its scheme needs something no hash layout can hold, such
//! as a pepper) is neither: the user has a password the export cannot carry, which is what
//! `password_unavailable` says, so the plan can send the user down the graceful path instead
//! of treating them as password-less.

use cutover_hash::LegacyHash;

use crate::{LegacyPassword, LegacyUser};

/// A reader's verdict on a user's password fields.
pub(crate) enum Found {
    /// The record has no password hash.
    Nothing,
    /// The hash, handed over as exported.
    Hash(LegacyHash),
    /// A hash is there but cannot be carried; the reason names fields, never their values.
    Unusable(String),
}

impl Found {
    /// Sets the user's password fields, adding a warning for a hash that cannot be carried.
    pub(crate) fn apply(self, user: &mut LegacyUser, warnings: &mut Vec<String>) {
        match self {
            Found::Nothing => {}
            Found::Hash(hash) => user.password = Some(LegacyPassword::new(hash)),
            Found::Unusable(reason) => {
                user.password_unavailable = true;
                warnings.push(format!(
                    "{reason}; the user is read without a password hash"
                ));
            }
        }
    }
}
