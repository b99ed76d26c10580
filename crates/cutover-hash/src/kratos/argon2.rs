//! Argon2id and Argon2i: `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`.
//!
//! Salt and hash are unpadded standard base64, the tag length is the decoded hash's, and
//! only version 19 (Argon2 1.3) is read. Go's Argon2 is more permissive than the RFC
//! 9106 reference: it takes salts under 8 bytes, tags under 4 bytes and memory below
//! 8 KiB per lane (which it quietly raises). No standard library writes such hashes and
//! the RustCrypto implementation refuses them, so they are refused here too.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::encoding::{Flavour, GoScan};
use crate::{HashError, HashFamily};

const LAYOUT: &str = "`$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`";
const MEMORY: std::ops::RangeInclusive<u64> = 1..=1_048_576;
const PASSES: std::ops::RangeInclusive<u64> = 1..=10;
const LANES: std::ops::RangeInclusive<u64> = 1..=16;
const MIN_SALT: usize = 8;
const MIN_TAG: usize = 4;

/// An Argon2 hash, decoded as Kratos decodes it.
struct Argon2Hash {
    family: HashFamily,
    exact_version: bool,
    exact_params: bool,
    memory: u32,
    passes: u32,
    lanes: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn family_of(hash: &str) -> HashFamily {
    if hash.starts_with("$argon2id$") {
        HashFamily::Argon2id
    } else {
        HashFamily::Argon2i
    }
}

fn parse(hash: &str) -> Result<Argon2Hash, HashError> {
    let family = family_of(hash);
    let fields = super::split_fields(hash, family, 5, LAYOUT)?;

    let mut version = GoScan::new(fields[2]);
    let unreadable_version = || HashError::malformed(family, "the version field is not `v=19`");
    version.literal("v=").ok_or_else(unreadable_version)?;
    if version.signed().ok_or_else(unreadable_version)? != 19 {
        return Err(HashError::malformed(
            family,
            "the version is not v=19; Kratos reads Argon2 version 1.3 (v=19) only",
        ));
    }

    let unreadable = || {
        HashError::malformed(
            family,
            "the parameter field is not `m=<KiB>,t=<passes>,p=<lanes>`",
        )
    };
    let mut params = GoScan::new(fields[3]);
    params.literal("m=").ok_or_else(unreadable)?;
    let memory = params.unsigned().ok_or_else(unreadable)?;
    params.literal(",t=").ok_or_else(unreadable)?;
    let passes = params.unsigned().ok_or_else(unreadable)?;
    params.literal(",p=").ok_or_else(unreadable)?;
    let lanes = params.unsigned().ok_or_else(unreadable)?;
    let bounded = [
        ("memory (m=, KiB)", memory, MEMORY),
        ("passes (t=)", passes, PASSES),
        ("lanes (p=)", lanes, LANES),
    ];
    for (field, value, range) in bounded {
        if !range.contains(&value) {
            return Err(HashError::out_of_bounds(family, field, value, range));
        }
    }

    // The bounds above keep all three far inside u32.
    let narrow = |value: u64| u32::try_from(value).map_err(|_| unreadable());
    Ok(Argon2Hash {
        family,
        exact_version: version.is_exact(),
        exact_params: params.is_exact(),
        memory: narrow(memory)?,
        passes: narrow(passes)?,
        lanes: narrow(lanes)?,
        salt: super::decode_field(family, "salt", Flavour::RawStdStrict, fields[4])?,
        hash: super::decode_field(family, "hash", Flavour::RawStdStrict, fields[5])?,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    let family = parsed.family;
    if !parsed.exact_version {
        return Err(HashError::malformed(
            family,
            "the version field is not exactly `v=19`",
        ));
    }
    if !parsed.exact_params {
        return Err(HashError::malformed(
            family,
            "the parameter field has text after `p=<lanes>` that Kratos ignores (a key id or \
             associated data would be dropped)",
        ));
    }
    if parsed.hash.is_empty() {
        return Err(HashError::unusable(
            family,
            "hash is empty, which Kratos cannot derive, so no password can ever match",
        ));
    }
    if let Some(problem) = nonstandard(&parsed) {
        return Err(HashError::unusable(family, problem));
    }
    Ok(())
}

/// What makes the hash one that only Go's lenient Argon2 would compute, if anything.
fn nonstandard(parsed: &Argon2Hash) -> Option<String> {
    if parsed.hash.len() < MIN_TAG {
        return Some(format!(
            "hash is {} bytes where Argon2 tags are at least {MIN_TAG}; no standard library \
             writes it",
            parsed.hash.len()
        ));
    }
    if parsed.salt.len() < MIN_SALT {
        return Some(format!(
            "salt is {} bytes where the Argon2 reference implementation needs at least \
             {MIN_SALT}; no standard library writes it",
            parsed.salt.len()
        ));
    }
    if u64::from(parsed.memory) < 8 * u64::from(parsed.lanes) {
        return Some(format!(
            "memory {} KiB is below 8 KiB per lane ({} lanes); Kratos would raise it quietly \
             and compute a hash no standard library computes",
            parsed.memory, parsed.lanes
        ));
    }
    None
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    if parsed.hash.is_empty() || nonstandard(&parsed).is_some() {
        return false;
    }
    let algorithm = match parsed.family {
        HashFamily::Argon2id => Algorithm::Argon2id,
        _ => Algorithm::Argon2i,
    };
    let Ok(params) = Params::new(
        parsed.memory,
        parsed.passes,
        parsed.lanes,
        Some(parsed.hash.len()),
    ) else {
        return false;
    };
    let mut derived = vec![0; parsed.hash.len()];
    Argon2::new(algorithm, Version::V0x13, params)
        .hash_password_into(password, &parsed.salt, &mut derived)
        .is_ok()
        && super::constant_time_eq(&parsed.hash, &derived)
}
