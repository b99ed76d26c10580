//! Why a hash cannot go to Kratos as it is, and what that means for its user.
//!
//! Callers branch on three outcomes, given by [`HashError::kind`]: the hash is intact but
//! Kratos has no format that computes it (the user goes to the password migration hook),
//! the hash is broken (no password can be checked against it), or nothing recognises it.
//!
//! Hashes are secrets, so no message ever carries the hash or any piece of it: a reason
//! names the family, the field and what is wrong with it, and at most repeats a cost
//! parameter or a length, which tell nothing about the password.

use crate::HashFamily;

/// Why a hash cannot be imported into Kratos, or cannot be read at all.
///
/// The variants are the decisions a caller may branch on; the text of each says what to
/// fix in words a platform engineer can act on. [`HashError::kind`] folds them into the
/// three outcomes that decide what happens to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// Nothing recognises the string: neither a Kratos prefix nor a known legacy layout.
    #[error(
        "unknown hash format: it matches none of the formats Kratos imports nor any legacy \
         layout cutover knows; name the hash scheme in the plan"
    )]
    UnknownFormat,

    /// The hash is intact and cutover can verify a password against it, but Kratos has no
    /// import format that computes it (or it exceeds a cost bound Kratos enforces).
    ///
    /// The user cannot be imported with this hash. Create the identity with the password
    /// migration hook instead, so that `cutover serve` checks the password against the
    /// legacy hash at the user's next login; [`crate::verify`] does that check.
    #[error(
        "{family} hash cannot be imported into Kratos: {reason}; send the user to the \
         password migration hook, which can check it"
    )]
    NotImportable {
        /// The family the hash was recognised as.
        family: HashFamily,
        /// Why Kratos cannot take it, for a platform engineer.
        reason: String,
    },

    /// A cost parameter lies outside the range Kratos (or, for sha-crypt, crypt(3)) allows.
    #[error("{family} hash: {field} {value} outside {min}..={max}")]
    OutOfBounds {
        /// The family the prefix announced.
        family: HashFamily,
        /// The parameter, in words (`iterations`, `cost`, `memory (m=, KiB)`, ...).
        field: &'static str,
        /// The value found.
        value: u64,
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },

    /// The string does not have the layout of its family: Kratos refuses it at import,
    /// fails every login with it, or quietly ignores part of it.
    #[error("{family} hash: {problem}")]
    Malformed {
        /// The family the prefix announced.
        family: HashFamily,
        /// What is wrong, naming the field.
        problem: String,
    },

    /// The layout is right, but Kratos would never match it, would match any password, or
    /// would compute it differently from the standard algorithm the source system used.
    #[error("{family} hash: {problem}")]
    Unusable {
        /// The family the prefix announced.
        family: HashFamily,
        /// What is wrong and what Kratos would do with it.
        problem: String,
    },
}

/// What a [`HashError`] means for the user whose hash it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashErrorKind {
    /// The hash is recognised and intact, but Kratos cannot import it: the user goes to
    /// the password migration hook, where [`crate::verify`] checks the password.
    NotImportable,
    /// The hash is recognised but broken: no password can be checked against it, here or
    /// in Kratos. The user needs a password reset (or the legacy system to check it).
    Broken,
    /// Nothing recognises the hash; naming its scheme in the plan may help.
    Unknown,
}

impl HashError {
    /// The family the hash announced; [`HashFamily::Unknown`] for an unknown prefix.
    pub fn family(&self) -> HashFamily {
        match self {
            Self::UnknownFormat => HashFamily::Unknown,
            Self::NotImportable { family, .. }
            | Self::OutOfBounds { family, .. }
            | Self::Malformed { family, .. }
            | Self::Unusable { family, .. } => *family,
        }
    }

    /// Which of the three outcomes this error is: not importable, broken, or unknown.
    ///
    /// [`OutOfBounds`](Self::OutOfBounds) counts as broken: [`crate::to_kratos`] reports a
    /// cost that the algorithm allows but Kratos does not as
    /// [`NotImportable`](Self::NotImportable), so one that reaches a caller as
    /// `OutOfBounds` came from [`crate::validate_for_kratos`], which judges strings that
    /// claim to be in Kratos form already.
    pub fn kind(&self) -> HashErrorKind {
        match self {
            Self::NotImportable { .. } => HashErrorKind::NotImportable,
            Self::UnknownFormat => HashErrorKind::Unknown,
            Self::OutOfBounds { .. } | Self::Malformed { .. } | Self::Unusable { .. } => {
                HashErrorKind::Broken
            }
        }
    }

    /// Whether the hash was recognised and is intact, so that the password migration hook
    /// can verify the user's password against it although Kratos cannot import it.
    pub fn is_recognised(&self) -> bool {
        self.kind() == HashErrorKind::NotImportable
    }

    pub(crate) fn not_importable(family: HashFamily, reason: impl Into<String>) -> Self {
        Self::NotImportable {
            family,
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(family: HashFamily, problem: impl Into<String>) -> Self {
        Self::Malformed {
            family,
            problem: problem.into(),
        }
    }

    pub(crate) fn unusable(family: HashFamily, problem: impl Into<String>) -> Self {
        Self::Unusable {
            family,
            problem: problem.into(),
        }
    }

    /// A hash whose `$`-separated field count is not the one its layout needs.
    pub(crate) fn field_count(
        family: HashFamily,
        found: usize,
        expected: &str,
        layout: &str,
    ) -> Self {
        Self::malformed(
            family,
            format!("has {found} `$`-separated fields where Kratos expects {expected} ({layout})"),
        )
    }

    /// A parameter outside `range`, with the value found.
    pub(crate) fn out_of_bounds(
        family: HashFamily,
        field: &'static str,
        value: u64,
        range: std::ops::RangeInclusive<u64>,
    ) -> Self {
        Self::OutOfBounds {
            family,
            field,
            value,
            min: *range.start(),
            max: *range.end(),
        }
    }
}
