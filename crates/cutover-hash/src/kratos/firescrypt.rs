//! Firebase's modified scrypt:
//! `$firescrypt$ln=<log2 N>,r=<rounds>,p=<p>$<salt>$<hash>$<salt separator>$<signer key>`.
//!
//! Here `ln` is the logarithm (Firebase's `mem_cost`). Kratos derives a 32-byte key with
//! scrypt over salt ‖ separator, encrypts the signer key with AES-256-CTR under it (zero
//! IV) and compares the result with the hash. An empty hash and an empty signer key
//! therefore compare equal for every password, which Kratos accepts without complaint.

use aes::Aes256;
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit as _, StreamCipher as _};

use super::scrypt::{bounded_r_p, derive, scan_costs};
use crate::encoding::Flavour;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Firescrypt;
const LAYOUT: &str =
    "`$firescrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>$<salt separator>$<signer key>`";
const LN: std::ops::RangeInclusive<u64> = 1..=17;

/// A Firebase scrypt hash, decoded as Kratos decodes it.
struct Firescrypt {
    ln: u64,
    r: u32,
    p: u32,
    exact_params: bool,
    salt: Vec<u8>,
    hash: Vec<u8>,
    separator: Vec<u8>,
    signer_key: Vec<u8>,
}

fn parse(hash: &str) -> Result<Firescrypt, HashError> {
    let fields = super::split_fields(hash, FAMILY, 6, LAYOUT)?;
    let costs = scan_costs(FAMILY, fields[2])?;
    // Kratos bounds ln from above only; ln=0 passes import and is caught by `validate`.
    if costs.ln > *LN.end() {
        return Err(HashError::out_of_bounds(
            FAMILY,
            "log2 N (ln=)",
            costs.ln,
            LN,
        ));
    }
    let (r, p) = bounded_r_p(FAMILY, costs.r, costs.p)?;
    Ok(Firescrypt {
        ln: costs.ln,
        r,
        p,
        exact_params: costs.exact,
        salt: super::decode_field(FAMILY, "salt", Flavour::StdStrict, fields[3])?,
        hash: super::decode_field(FAMILY, "hash", Flavour::StdStrict, fields[4])?,
        separator: super::decode_field(FAMILY, "salt separator", Flavour::StdStrict, fields[5])?,
        signer_key: super::decode_field(FAMILY, "signer key", Flavour::StdStrict, fields[6])?,
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
    if parsed.ln == 0 {
        return Err(HashError::unusable(
            FAMILY,
            "log2 N (ln=) is 0, which makes N = 1; scrypt refuses it, so Kratos stores the \
             hash and no password can ever match",
        ));
    }
    if parsed.hash.is_empty() && parsed.signer_key.is_empty() {
        return Err(HashError::unusable(
            FAMILY,
            "hash and signer key are both empty, so Kratos would accept any password",
        ));
    }
    let empty = [
        ("salt", &parsed.salt),
        ("hash", &parsed.hash),
        ("salt separator", &parsed.separator),
        ("signer key", &parsed.signer_key),
    ]
    .into_iter()
    .find(|(_, field)| field.is_empty());
    if let Some((name, _)) = empty {
        return Err(HashError::malformed(
            FAMILY,
            format!("{name} is empty; Firebase exports always fill it"),
        ));
    }
    if parsed.hash.len() != parsed.signer_key.len() {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "hash is {} bytes but the signer key is {}; Kratos compares the encrypted \
                 signer key with the hash, so no password can ever match",
                parsed.hash.len(),
                parsed.signer_key.len()
            ),
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    if parsed.ln == 0 {
        return false;
    }

    let mut salt = parsed.salt;
    salt.extend_from_slice(&parsed.separator);
    let mut key = [0u8; 32];
    if !derive(
        password,
        &salt,
        1 << parsed.ln,
        parsed.r,
        parsed.p,
        &mut key,
    ) {
        return false;
    }

    let mut encrypted = parsed.signer_key;
    let mut cipher = Ctr128BE::<Aes256>::new(&key.into(), &[0u8; 16].into());
    cipher.apply_keystream(&mut encrypted);
    super::constant_time_eq(&parsed.hash, &encrypted)
}
