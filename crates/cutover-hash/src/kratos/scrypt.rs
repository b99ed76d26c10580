//! scrypt: `$scrypt$ln=<N>,r=<r>,p=<p>$<salt>$<hash>`, salt and hash in padded base64.
//!
//! Despite its name, `ln` holds N itself, not its logarithm (passlib's `ln=16` is Kratos's
//! `ln=65536`). Kratos bounds N, r and p at import but does not check that N is a power of
//! two; such a hash is stored and then fails every login.

use crate::encoding::{Flavour, GoScan};
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Scrypt;
const LAYOUT: &str = "`$scrypt$ln=<N>,r=<r>,p=<p>$<salt>$<hash>`";
const N: std::ops::RangeInclusive<u64> = 1..=131_072;
const R: std::ops::RangeInclusive<u64> = 1..=8;
const P: std::ops::RangeInclusive<u64> = 1..=10;

/// The `ln=…,r=…,p=…` field as Go's scanner reads it, before any bounds are applied.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScannedCosts {
    /// N for scrypt, log2 N for firescrypt.
    pub(super) ln: u64,
    pub(super) r: u64,
    pub(super) p: u64,
    /// Whether the field was exactly the three parameters and nothing else.
    pub(super) exact: bool,
}

/// Reads `ln=…,r=…,p=…` as Kratos's scrypt and firescrypt decoders do.
pub(super) fn scan_costs(family: HashFamily, field: &str) -> Result<ScannedCosts, HashError> {
    let unreadable = || {
        HashError::malformed(
            family,
            "the parameter field is not `ln=<number>,r=<number>,p=<number>`",
        )
    };
    let mut scan = GoScan::new(field);
    scan.literal("ln=").ok_or_else(unreadable)?;
    let ln = scan.unsigned().ok_or_else(unreadable)?;
    scan.literal(",r=").ok_or_else(unreadable)?;
    let r = scan.unsigned().ok_or_else(unreadable)?;
    scan.literal(",p=").ok_or_else(unreadable)?;
    let p = scan.unsigned().ok_or_else(unreadable)?;
    Ok(ScannedCosts {
        ln,
        r,
        p,
        exact: scan.is_exact(),
    })
}

/// Checks r and p against Kratos's bounds, shared by scrypt and firescrypt.
pub(super) fn bounded_r_p(family: HashFamily, r: u64, p: u64) -> Result<(u32, u32), HashError> {
    if !R.contains(&r) {
        return Err(HashError::out_of_bounds(family, "block size (r=)", r, R));
    }
    if !P.contains(&p) {
        return Err(HashError::out_of_bounds(family, "parallelism (p=)", p, P));
    }
    // Both ranges are far inside u32, so the conversions cannot fail.
    Ok((
        u32::try_from(r).unwrap_or(u32::MAX),
        u32::try_from(p).unwrap_or(u32::MAX),
    ))
}

/// A scrypt hash, decoded as Kratos decodes it.
struct Scrypt {
    n: u64,
    r: u32,
    p: u32,
    exact_params: bool,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn parse(hash: &str) -> Result<Scrypt, HashError> {
    let fields = super::split_fields(hash, FAMILY, 4, LAYOUT)?;
    let costs = scan_costs(FAMILY, fields[2])?;
    if !N.contains(&costs.ln) {
        return Err(HashError::out_of_bounds(FAMILY, "N (ln=)", costs.ln, N));
    }
    let (r, p) = bounded_r_p(FAMILY, costs.r, costs.p)?;
    Ok(Scrypt {
        n: costs.ln,
        r,
        p,
        exact_params: costs.exact,
        salt: super::decode_field(FAMILY, "salt", Flavour::StdStrict, fields[3])?,
        hash: super::decode_field(FAMILY, "hash", Flavour::StdStrict, fields[4])?,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if !parsed.exact_params {
        return Err(HashError::malformed(
            FAMILY,
            "the parameter field has text after `p=<number>` that Kratos ignores",
        ));
    }
    let n = parsed.n;
    if n < 2 || !n.is_power_of_two() {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "N {n} (ln=) is not a power of two greater than 1, so Kratos stores it and no \
                 password can ever match; `ln` holds N itself (ln=16384), not log2 N"
            ),
        ));
    }
    if parsed.hash.is_empty() {
        return Err(HashError::unusable(
            FAMILY,
            "hash is empty, which Kratos cannot derive, so no password can ever match",
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    if parsed.n < 2 || !parsed.n.is_power_of_two() || parsed.hash.is_empty() {
        return false;
    }
    let mut derived = vec![0; parsed.hash.len()];
    derive(
        password,
        &parsed.salt,
        parsed.n,
        parsed.r,
        parsed.p,
        &mut derived,
    ) && super::constant_time_eq(&parsed.hash, &derived)
}

/// Runs scrypt with N given directly; false if the crate refuses the parameters.
pub(crate) fn derive(password: &[u8], salt: &[u8], n: u64, r: u32, p: u32, out: &mut [u8]) -> bool {
    let Ok(log_n) = u8::try_from(n.trailing_zeros()) else {
        return false;
    };
    let Ok(params) = scrypt::Params::new(log_n, r, p) else {
        return false;
    };
    scrypt::scrypt(password, salt, &params, out).is_ok()
}
