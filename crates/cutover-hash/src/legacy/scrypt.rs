//! Plain scrypt: Kratos's `$scrypt$ln=<N>,…` (padded base64, `ln` holding N itself),
//! passlib's `$scrypt$ln=<log2 N>,…` (unpadded base64), and the parts Django and
//! Werkzeug layouts decode to.
//!
//! Both `$scrypt$` layouts share their prefix and their `ln=` label, but not its meaning.
//! passlib never pads its base64 and always writes a 32-byte key (which needs padding), so
//! a string whose fields are padded base64 is Kratos's and anything else is passlib's.

use super::scheme::finish;
use crate::encoding::{Flavour, go_base64, legacy_base64};
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Scrypt;

/// A scrypt hash, decoded.
pub(crate) struct Scrypt {
    n: u64,
    r: u32,
    p: u32,
    salt: Vec<u8>,
    key: Vec<u8>,
}

impl Scrypt {
    /// A scrypt hash with N written out; refuses parameters scrypt itself refuses.
    pub(crate) fn new(n: u64, r: u32, p: u32, salt: &[u8], key: &[u8]) -> Result<Self, HashError> {
        if n < 2 || !n.is_power_of_two() {
            return Err(HashError::malformed(
                FAMILY,
                format!("N {n} is not a power of two greater than 1"),
            ));
        }
        let log_n = u8::try_from(n.trailing_zeros()).unwrap_or(u8::MAX);
        if scrypt::Params::new(log_n, r, p).is_err() {
            return Err(HashError::malformed(
                FAMILY,
                format!("parameters N={n}, r={r}, p={p} are outside what scrypt allows"),
            ));
        }
        if key.is_empty() {
            return Err(HashError::malformed(FAMILY, "the derived key is empty"));
        }
        super::check_memory(FAMILY, 128 * u128::from(r) * u128::from(n))?;
        Ok(Self {
            n,
            r,
            p,
            salt: salt.to_vec(),
            key: key.to_vec(),
        })
    }

    /// Reads `$scrypt$ln=…,r=…,p=…$<salt>$<hash>` in Kratos's layout or passlib's.
    pub(crate) fn parse_dollar(text: &str) -> Result<Self, HashError> {
        let fields: Vec<&str> = text.split('$').collect();
        let [_, _, params, salt, key] = fields.as_slice() else {
            return Err(HashError::field_count(
                FAMILY,
                fields.len() - 1,
                "4",
                "`$scrypt$ln=<N>,r=<r>,p=<p>$<salt>$<hash>`",
            ));
        };
        let (ln, r, p) = read_costs(params)?;
        let kratos = (
            go_base64::decode(Flavour::StdStrict, salt),
            go_base64::decode(Flavour::StdStrict, key),
        );
        if let (Some(salt), Some(key)) = kratos {
            return Self::new(ln, r, p, &salt, &key);
        }

        // passlib: N is 2^ln and the fields are unpadded.
        let unpadded = |text: &str| {
            Some(text)
                .filter(|text| !text.contains('='))
                .and_then(legacy_base64::decode)
        };
        let passlib = (
            u32::try_from(ln).ok().and_then(|ln| 1u64.checked_shl(ln)),
            unpadded(salt),
            unpadded(key),
        );
        let (Some(n), Some(salt), Some(key)) = passlib else {
            return Err(HashError::malformed(
                FAMILY,
                "is neither Kratos's layout (N in `ln=`, padded base64) nor passlib's (log2 N \
                 in `ln=`, unpadded base64)",
            ));
        };
        Self::new(n, r, p, &salt, &key)
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        finish(format!(
            "$scrypt$ln={},r={},p={}${}${}",
            self.n,
            self.r,
            self.p,
            legacy_base64::padded(&self.salt),
            legacy_base64::padded(&self.key)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let mut derived = vec![0; self.key.len()];
        crate::kratos::scrypt::derive(password, &self.salt, self.n, self.r, self.p, &mut derived)
            && crate::kratos::constant_time_eq(&self.key, &derived)
    }
}

/// Reads `ln=<number>,r=<number>,p=<number>` into `ln`, r and p.
fn read_costs(field: &str) -> Result<(u64, u32, u32), HashError> {
    let unreadable = || {
        HashError::malformed(
            FAMILY,
            "the parameter field is not `ln=<number>,r=<number>,p=<number>`",
        )
    };
    let mut values = [0u64; 3];
    let mut pairs = field.split(',');
    for (slot, label) in values.iter_mut().zip(["ln=", "r=", "p="]) {
        let value = pairs
            .next()
            .and_then(|pair| pair.strip_prefix(label))
            .filter(|value| !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(unreadable)?;
        *slot = value.parse().map_err(|_| unreadable())?;
    }
    if pairs.next().is_some() {
        return Err(unreadable());
    }
    let [ln, r, p] = values;
    let narrow = |value: u64| u32::try_from(value).map_err(|_| unreadable());
    Ok((ln, narrow(r)?, narrow(p)?))
}
