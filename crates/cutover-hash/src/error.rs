//! Why a hash cannot go to Kratos as it is.
//!
//! Hashes are secrets, so no message ever carries the hash or any piece of it: a reason
//! names the family, the field and what is wrong with it, and at most repeats a cost
//! parameter or a length, which tell nothing about the password.

use crate::HashFamily;

/// The reason [`validate_for_kratos`](crate::validate_for_kratos) refuses a hash.
///
/// The variants are the decisions a caller may branch on; the text of each says what to
/// fix in words a platform engineer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The prefix matches none of the formats Kratos imports; Kratos answers 400.
    #[error("unknown hash format: the prefix matches none of the formats Kratos imports")]
    UnknownFormat,

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

impl HashError {
    /// The family the hash announced; [`HashFamily::Unknown`] for an unknown prefix.
    pub fn family(&self) -> HashFamily {
        match self {
            Self::UnknownFormat => HashFamily::Unknown,
            Self::OutOfBounds { family, .. }
            | Self::Malformed { family, .. }
            | Self::Unusable { family, .. } => *family,
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
