//! bcrypt: `$2a$<cost>$<22-character salt><31-character hash>`, also with `$2$`, `$2b$`,
//! `$2y$` and `$2z$`, all computed alike.
//!
//! Kratos uses Go's bcrypt, which reads fixed byte positions: the two cost characters,
//! then skips one character without looking at it, then 22 salt characters, and compares
//! only the first 31 characters of what follows. Strings with a wrong separator or
//! trailing text therefore still verify; they are refused here as malformed. Passwords
//! over 72 bytes never match: Kratos rejects them rather than truncating.

use base64::Engine as _;

use crate::encoding::bcrypt64::{LENIENT as BCRYPT_B64, STRICT as BCRYPT_B64_STRICT};
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Bcrypt;
const COST: std::ops::RangeInclusive<u64> = 4..=15;
const SALT_CHARS: usize = 22;
const HASH_CHARS: usize = 31;
/// The shortest string Go's bcrypt parses at all.
const MIN_LEN: usize = 59;
/// The longest password bcrypt reads; Kratos refuses longer ones.
const MAX_PASSWORD: usize = 72;

/// A bcrypt hash cut at Go's byte positions.
struct Bcrypt<'a> {
    cost: u32,
    cost_text: &'a [u8],
    separator: u8,
    salt: &'a [u8],
    /// Everything after the salt; Go compares its first 31 bytes.
    tail: &'a [u8],
}

fn parse(hash: &str) -> Result<Bcrypt<'_>, HashError> {
    let bytes = hash.as_bytes();
    if bytes.len() < MIN_LEN {
        return Err(HashError::malformed(
            FAMILY,
            format!(
                "is {} characters long where bcrypt hashes are 60 (59 with `$2$`)",
                bytes.len()
            ),
        ));
    }
    // Detection guarantees `$2$` or `$2?$`.
    let prefix = if bytes[2] == b'$' { 3 } else { 4 };
    let cost_text = &bytes[prefix..prefix + 2];
    let cost =
        go_atoi(cost_text).ok_or_else(|| HashError::malformed(FAMILY, "cost is not a number"))?;
    let cost = u64::try_from(cost)
        .map_err(|_| HashError::malformed(FAMILY, "cost is negative; bcrypt costs are 4..=15"))?;
    if !COST.contains(&cost) {
        return Err(HashError::out_of_bounds(FAMILY, "cost", cost, COST));
    }
    let salt_start = prefix + 3;
    Ok(Bcrypt {
        cost: u32::try_from(cost).unwrap_or(u32::MAX),
        cost_text,
        separator: bytes[prefix + 2],
        salt: &bytes[salt_start..salt_start + SALT_CHARS],
        tail: &bytes[salt_start + SALT_CHARS..],
    })
}

/// Go's `strconv.Atoi` on a short byte string: an optional sign, then decimal digits.
fn go_atoi(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0i64, |value, &d| value * 10 + i64::from(d - b'0'));
    Some(if negative { -value } else { value })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if !parsed.cost_text.iter().all(u8::is_ascii_digit) {
        return Err(HashError::malformed(FAMILY, "cost is not two digits"));
    }
    if parsed.separator != b'$' {
        return Err(HashError::malformed(
            FAMILY,
            "the character after the cost is not `$` (Kratos skips it unread)",
        ));
    }
    if BCRYPT_B64.decode(parsed.salt).is_err() {
        return Err(HashError::malformed(
            FAMILY,
            "salt is not 22 characters of bcrypt's base64 alphabet (`./A-Za-z0-9`)",
        ));
    }
    match parsed.tail.len() {
        HASH_CHARS => {}
        found if found < HASH_CHARS => {
            return Err(HashError::malformed(
                FAMILY,
                format!("hash is {found} characters where bcrypt hashes are {HASH_CHARS}"),
            ));
        }
        found => {
            return Err(HashError::malformed(
                FAMILY,
                format!(
                    "has {} characters after the {HASH_CHARS}-character hash, which Kratos \
                     ignores",
                    found - HASH_CHARS
                ),
            ));
        }
    }
    if BCRYPT_B64_STRICT.decode(parsed.tail).is_err() {
        return Err(HashError::unusable(
            FAMILY,
            "hash is not bcrypt base64 that bcrypt can produce (a foreign character, or unused \
             bits set in the last one), so no password can ever match",
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    if password.len() > MAX_PASSWORD {
        return false;
    }
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    // Go always encodes its result canonically, so a stored hash that is not canonical
    // cannot match and the costly derivation can be skipped.
    let Some(stored) = parsed.tail.get(..HASH_CHARS) else {
        return false;
    };
    if BCRYPT_B64_STRICT.decode(stored).is_err() {
        return false;
    }
    // Go skips line breaks while decoding the salt, which changes its length; the bcrypt
    // crate only takes 16-byte salts, and no real hash has line breaks, so those fail.
    let Some(salt) = BCRYPT_B64
        .decode(parsed.salt)
        .ok()
        .and_then(|salt| <[u8; 16]>::try_from(salt).ok())
    else {
        return false;
    };

    // bcrypt hashes the password with its terminating NUL, at most 72 bytes in all.
    let mut key = Vec::with_capacity(MAX_PASSWORD + 1);
    key.extend_from_slice(password);
    key.push(0);
    key.truncate(MAX_PASSWORD);
    let output = bcrypt::bcrypt(parsed.cost, salt, &key);
    let computed = BCRYPT_B64.encode(&output[..23]);
    super::constant_time_eq(stored, computed.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_atoi_takes_a_sign() {
        assert_eq!(go_atoi(b"10"), Some(10));
        assert_eq!(go_atoi(b"+9"), Some(9));
        assert_eq!(go_atoi(b"-4"), Some(-4));
        assert_eq!(go_atoi(b"1$"), None);
        assert_eq!(go_atoi(b"+"), None);
    }
}
