//! Percentage buckets: stable slices of the users by legacy id, for canaries and ramps.
//!
//! Every legacy id falls into one of 10,000 buckets through a hash of the id, so a
//! `percent` segment is the same users on every run, every machine and every version of
//! cutover, whatever else changes in the plan (even its name). The optional seed picks a
//! different slice of the same size: two canaries with different seeds overlap only by
//! chance.

use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::error::field_key;
use crate::validate::Checker;
use crate::yaml::Node;

/// How many buckets legacy ids are spread over; one bucket is a hundredth of a percent.
pub const PERCENT_BUCKETS: u16 = 10_000;

/// The bucket, 0 to 9,999, of a legacy id under a seed.
///
/// The bucket is the SHA-256 of the UTF-8 bytes of `cutover-bucket:<seed>:<legacy_id>` (the
/// seed empty when the plan gives none, so `cutover-bucket::auth0|42`), its first 8 bytes
/// read as a big-endian unsigned 64-bit integer, modulo 10,000. This definition is part of
/// the plan format: changing it would move users between segments in the middle of a run.
pub fn percent_bucket(seed: &str, legacy_id: &str) -> u16 {
    let mut hasher = Sha256::new();
    hasher.update(b"cutover-bucket:");
    hasher.update(seed.as_bytes());
    hasher.update(b":");
    hasher.update(legacy_id.as_bytes());
    let digest = hasher.finalize();

    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let bucket = u64::from_be_bytes(first) % u64::from(PERCENT_BUCKETS);
    u16::try_from(bucket).expect("a remainder of 10,000 fits u16")
}

/// Users whose bucket lies in `from..to` (`where.percent:`), bounds in hundredths of a
/// percent: `percent: { from: 5, to: 12.5 }` is `from: 500, to: 1250` and matches when
/// `500 <= percent_bucket(seed, legacy_id) < 1250`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentRange {
    /// The first bucket in the range, 0 to 10,000.
    pub from: u16,
    /// The first bucket past the range, 0 to 10,000; greater than `from`.
    pub to: u16,
    /// The seed mixed into the hash; empty by default.
    pub seed: String,
}

impl PercentRange {
    /// Tells whether the user with this legacy id is in the range.
    pub fn contains_id(&self, legacy_id: &str) -> bool {
        let bucket = percent_bucket(&self.seed, legacy_id);
        self.from <= bucket && bucket < self.to
    }
}

/// Checks a `percent:` selector: a number `N` (from 0 to N) or `{ from, to, seed }`.
pub(crate) fn build_percent(
    raw: &Spanned<Node>,
    path: &str,
    check: &mut Checker,
) -> Option<PercentRange> {
    let range = match &raw.value {
        Node::Int(_) | Node::UInt(_) | Node::Float(_) => PercentRange {
            from: 0,
            to: hundredths(raw, path, check)?,
            seed: String::new(),
        },
        Node::Map(entries) => from_mapping(raw, entries, path, check)?,
        other => {
            let message = format!(
                "percent must be a number (percent: 5) or a mapping such as \
                 {{ from: 0, to: 5, seed: canary }}, found {}",
                other.kind()
            );
            check.report(&raw.referenced, path, message);
            return None;
        }
    };

    if range.from >= range.to {
        let message = format!(
            "the percent range from {} to {} is empty, so the segment can never match",
            shown(range.from),
            shown(range.to)
        );
        check.report(&raw.referenced, path, message);
        return None;
    }
    Some(range)
}

/// Reads `{ from, to, seed }`; `from` defaults to 0 and `to` to 100, one of them is needed.
fn from_mapping(
    raw: &Spanned<Node>,
    entries: &[(Spanned<String>, Spanned<Node>)],
    path: &str,
    check: &mut Checker,
) -> Option<PercentRange> {
    let (mut from, mut to, mut seed) = (Some(0), Some(PERCENT_BUCKETS), String::new());
    let mut bounded = false;
    for (key, value) in entries {
        let field = field_key(path, &key.value);
        match key.value.as_str() {
            "from" => (from, bounded) = (hundredths(value, &field, check), true),
            "to" => (to, bounded) = (hundredths(value, &field, check), true),
            "seed" => match &value.value {
                Node::Str(text) => seed.clone_from(text),
                other => {
                    let message =
                        format!("seed must be a string (quote it), found {}", other.kind());
                    check.report(&value.referenced, &field, message);
                }
            },
            unknown => {
                let message =
                    format!("unknown field `{unknown}` in percent, expected from, to or seed");
                check.report(&key.referenced, &field, message);
                return None;
            }
        }
    }
    if !bounded {
        check.report(&raw.referenced, path, "give from, to or both (in percent)");
        return None;
    }
    Some(PercentRange {
        from: from?,
        to: to?,
        seed,
    })
}

/// Reads a percentage from 0 to 100 with at most two decimals, as hundredths.
fn hundredths(node: &Spanned<Node>, field: &str, check: &mut Checker) -> Option<u16> {
    let value = match node.value {
        Node::Int(i) => i as f64,
        Node::UInt(u) => u as f64,
        Node::Float(f) => f,
        ref other => {
            let message = format!(
                "expected a percentage from 0 to 100, found {}",
                other.kind()
            );
            check.report(&node.referenced, field, message);
            return None;
        }
    };
    let scaled = value * 100.0;
    let rounded = scaled.round();
    if !(0.0..=100.0).contains(&value) || (scaled - rounded).abs() > 1e-6 {
        let message = format!(
            "a percentage must be from 0 to 100 with at most two decimals (12.5, 0.25), \
             found {value}"
        );
        check.report(&node.referenced, field, message);
        return None;
    }
    // `rounded` is a whole number from 0 to 10,000, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(rounded as u16)
}

/// Writes hundredths of a percent the way the plan would: `1250` as `12.5`.
fn shown(hundredths: u16) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        part if part % 10 == 0 => format!("{whole}.{}", part / 10),
        part => format!("{whole}.{part:02}"),
    }
}
