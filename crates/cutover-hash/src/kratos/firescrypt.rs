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
    // The salt separator may be empty: Kratos then salts with the user's salt alone, as
    // Supabase does for Firebase hashes carried over without `ss=`.
    let empty = [
        ("salt", &parsed.salt),
        ("hash", &parsed.hash),
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
    let Some(encrypted) = firebase_scrypt(
        password,
        &parsed.salt,
        &parsed.separator,
        &parsed.signer_key,
        FirebaseCosts {
            log_n: parsed.ln,
            r: parsed.r,
            p: parsed.p,
        },
    ) else {
        return false;
    };
    super::constant_time_eq(&parsed.hash, &encrypted)
}

/// The cost parameters of Firebase's scrypt, with N given as its logarithm.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FirebaseCosts {
    /// log2 of scrypt's N (Firebase's `mem_cost`).
    pub(crate) log_n: u64,
    /// scrypt's block size r (Firebase's `rounds`).
    pub(crate) r: u32,
    /// scrypt's parallelism p.
    pub(crate) p: u32,
}

/// Firebase's modified scrypt: the signer key encrypted under a key derived from the
/// password, or `None` if scrypt refuses the parameters.
pub(crate) fn firebase_scrypt(
    password: &[u8],
    salt: &[u8],
    separator: &[u8],
    signer_key: &[u8],
    costs: FirebaseCosts,
) -> Option<Vec<u8>> {
    let n = 1u64.checked_shl(u32::try_from(costs.log_n).ok()?)?;
    let salted = [salt, separator].concat();
    let mut key = [0u8; 32];
    if !derive(password, &salted, n, costs.r, costs.p, &mut key) {
        return None;
    }

    let mut encrypted = signer_key.to_vec();
    let mut cipher = Ctr128BE::<Aes256>::new(&key.into(), &[0u8; 16].into());
    cipher.apply_keystream(&mut encrypted);
    Some(encrypted)
}
