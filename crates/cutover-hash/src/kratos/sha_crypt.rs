//! crypt(3) SHA-256 and SHA-512 with Kratos's prefixes: `$sha256-crypt$rounds=<n>$<salt>$<hash>`
//! and `$sha512-crypt$…`, for `$5$…` and `$6$…`; `rounds=` may be left out (5000).
//!
//! Kratos hands the string to go-crypt, which, unlike standard crypt(3) libraries, neither
//! clamps the rounds to 1000..=999999999 nor shortens the salt to 16 characters, and
//! without `rounds=` treats the first field as the salt whatever it says. A hash that
//! relies on any of that was not written by a standard library and would not verify what
//! the source system verified, so it is refused; the RustCrypto implementation used to
//! verify follows the standard and cannot compute those variants either.

use sha_crypt::Params;

use crate::encoding::crypt64;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::ShaCrypt;
const LAYOUT: &str = "`$sha512-crypt$rounds=<n>$<salt>$<hash>` or `$sha512-crypt$<salt>$<hash>`";
const ROUNDS: std::ops::RangeInclusive<u64> = 1000..=999_999_999;
const DEFAULT_ROUNDS: u64 = 5000;
const MAX_SALT: usize = 16;

/// SHA-256-crypt's digest bytes behind each group of output characters, most significant
/// first, as Drepper's specification lists them.
const SHA256_GROUPS: [&[usize]; 11] = [
    &[0, 10, 20],
    &[21, 1, 11],
    &[12, 22, 2],
    &[3, 13, 23],
    &[24, 4, 14],
    &[15, 25, 5],
    &[6, 16, 26],
    &[27, 7, 17],
    &[18, 28, 8],
    &[9, 19, 29],
    &[31, 30],
];

/// SHA-512-crypt's groups, likewise.
const SHA512_GROUPS: [&[usize]; 22] = [
    &[0, 21, 42],
    &[22, 43, 1],
    &[44, 2, 23],
    &[3, 24, 45],
    &[25, 46, 4],
    &[47, 5, 26],
    &[6, 27, 48],
    &[28, 49, 7],
    &[50, 8, 29],
    &[9, 30, 51],
    &[31, 52, 10],
    &[53, 11, 32],
    &[12, 33, 54],
    &[34, 55, 13],
    &[56, 14, 35],
    &[15, 36, 57],
    &[37, 58, 16],
    &[59, 17, 38],
    &[18, 39, 60],
    &[40, 61, 19],
    &[62, 20, 41],
    &[63],
];

#[derive(Debug, Clone, Copy)]
enum Variant {
    Sha256,
    Sha512,
}

/// A sha-crypt hash, split and read as go-crypt does.
struct ShaCrypt<'a> {
    variant: Variant,
    rounds: u64,
    /// Whether `rounds=` was a single, plain parameter (or absent).
    exact_params: bool,
    rounds_given: bool,
    salt: &'a str,
    hash: &'a str,
}

fn parse(hash: &str) -> Result<ShaCrypt<'_>, HashError> {
    let variant = if hash.starts_with("$sha256-crypt$") {
        Variant::Sha256
    } else {
        Variant::Sha512
    };
    let fields: Vec<&str> = hash.split('$').collect();
    let (params, salt, key) = match fields.as_slice() {
        [_, _, salt, key] => (None, *salt, *key),
        [_, _, params, salt, key] => (Some(*params), *salt, *key),
        _ => {
            return Err(HashError::field_count(
                FAMILY,
                fields.len() - 1,
                "3 or 4",
                LAYOUT,
            ));
        }
    };
    if key.is_empty() {
        return Err(HashError::malformed(FAMILY, "hash is empty"));
    }

    let mut rounds = DEFAULT_ROUNDS;
    let mut exact_params = true;
    if let Some(params) = params {
        let unreadable = || HashError::malformed(FAMILY, "the parameter field is not `rounds=<n>`");
        if params.is_empty() {
            return Err(unreadable());
        }
        let pairs: Vec<&str> = params.split(',').collect();
        exact_params = pairs.len() == 1;
        for pair in pairs {
            let value = match pair.split_once('=') {
                Some(("rounds", value)) => value,
                _ => return Err(unreadable()),
            };
            // Go's ParseUint: decimal digits only, at most 32 bits.
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(unreadable());
            }
            rounds = value
                .parse::<u32>()
                .map(u64::from)
                .map_err(|_| HashError::malformed(FAMILY, "rounds does not fit in 32 bits"))?;
        }
    }

    Ok(ShaCrypt {
        variant,
        rounds,
        exact_params,
        rounds_given: params.is_some(),
        salt,
        hash: key,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if !parsed.exact_params {
        return Err(HashError::malformed(
            FAMILY,
            "the parameter field repeats `rounds=`",
        ));
    }
    if !ROUNDS.contains(&parsed.rounds) {
        return Err(HashError::out_of_bounds(
            FAMILY,
            "rounds",
            parsed.rounds,
            ROUNDS,
        ));
    }
    if !parsed.rounds_given && parsed.salt.starts_with("rounds=") {
        return Err(HashError::unusable(
            FAMILY,
            "the salt field starts with `rounds=` but no salt follows; crypt(3) would read it \
             as the rounds, Kratos reads it as the salt",
        ));
    }
    if parsed.salt.len() > MAX_SALT {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "salt is {} characters where crypt(3) reads at most {MAX_SALT}; Kratos uses all \
                 of them, so it would not verify what the source system verified",
                parsed.salt.len()
            ),
        ));
    }
    let (chars, digest_len) = match parsed.variant {
        Variant::Sha256 => (43, 32),
        Variant::Sha512 => (86, 64),
    };
    if !crypt64::is_encoding_of_len(parsed.hash, digest_len) {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "hash is not the {chars} characters of crypt(3) base64 that sha-crypt produces, \
                 so no password can ever match"
            ),
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    // Outside these limits go-crypt computes a non-standard variant the crate cannot.
    if parsed.salt.len() > MAX_SALT {
        return false;
    }
    let Some(params) = u32::try_from(parsed.rounds)
        .ok()
        .and_then(|r| Params::new(r).ok())
    else {
        return false;
    };
    let salt = parsed.salt.as_bytes();
    let computed = match parsed.variant {
        Variant::Sha256 => crypt64::encode(
            &sha_crypt::sha256_crypt(password, salt, params),
            &SHA256_GROUPS,
        ),
        Variant::Sha512 => crypt64::encode(
            &sha_crypt::sha512_crypt(password, salt, params),
            &SHA512_GROUPS,
        ),
    };
    super::constant_time_eq(parsed.hash.as_bytes(), computed.as_bytes())
}
