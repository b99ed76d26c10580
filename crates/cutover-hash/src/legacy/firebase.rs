//! Firebase's modified scrypt, from the three places it comes from: a Firebase export's
//! `passwordHash` and `salt` with the project's hash parameters, Supabase's carried-over
//! `$fbscrypt$v=1,n=<mem_cost>,r=<rounds>,p=<p>[,ss=<separator>][,sk=<signer key>]$<salt>$<hash>`,
//! and Kratos's own `$firescrypt$`.
//!
//! In every one of them the cost is the logarithm of N (Firebase's `mem_cost`), which is
//! also what Kratos's `$firescrypt$ln=` holds, unlike its `$scrypt$ln=`.

use super::FirebaseParams;
use super::scheme::finish;
use crate::encoding::legacy_base64;
use crate::kratos::firescrypt::{FirebaseCosts, firebase_scrypt};
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Firescrypt;

/// A Firebase scrypt hash with everything needed to check it.
pub(crate) struct Firebase {
    hash: Vec<u8>,
    salt: Vec<u8>,
    separator: Vec<u8>,
    signer_key: Vec<u8>,
    mem_cost: u32,
    rounds: u32,
    parallelism: u32,
}

impl Firebase {
    /// A hash from an export's fields and the project's parameters (p is always 1).
    pub(crate) fn from_parts(
        hash: &[u8],
        salt: &[u8],
        params: &FirebaseParams,
    ) -> Result<Self, HashError> {
        Self::new(Self {
            hash: hash.to_vec(),
            salt: salt.to_vec(),
            separator: params.salt_separator.clone(),
            signer_key: params.signer_key.clone(),
            mem_cost: params.mem_cost,
            rounds: params.rounds,
            parallelism: 1,
        })
    }

    /// Reads Supabase's `$fbscrypt$…` string.
    pub(crate) fn parse_supabase(text: &str) -> Result<Self, HashError> {
        let fields: Vec<&str> = text.split('$').collect();
        let [_, _, params, salt, hash] = fields.as_slice() else {
            return Err(HashError::field_count(
                FAMILY,
                fields.len() - 1,
                "4",
                concat!(
                    "`$fbscrypt$v=1,n=<mem_cost>,r=<rounds>,p=<p>,ss=<separator>,",
                    "sk=<signer key>$<salt>$<hash>`"
                ),
            ));
        };
        let mut found = Supabase::default();
        for pair in params.split(',') {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(unreadable_params());
            };
            match name {
                "v" if value == "1" => found.version = true,
                "n" => found.mem_cost = Some(number(value)?),
                "r" => found.rounds = Some(number(value)?),
                "p" => found.parallelism = Some(number(value)?),
                "ss" => found.separator = decode("salt separator (ss=)", value)?,
                "sk" => found.signer_key = decode("signer key (sk=)", value)?,
                _ => return Err(unreadable_params()),
            }
        }
        let (true, Some(mem_cost), Some(rounds), Some(parallelism)) = (
            found.version,
            found.mem_cost,
            found.rounds,
            found.parallelism,
        ) else {
            return Err(unreadable_params());
        };
        if found.signer_key.is_empty() {
            return Err(HashError::malformed(
                FAMILY,
                "has no signer key (sk=), so Supabase itself could never match it",
            ));
        }
        Self::new(Self {
            hash: decode("hash", hash)?,
            salt: decode("salt", salt)?,
            separator: found.separator,
            signer_key: found.signer_key,
            mem_cost,
            rounds,
            parallelism,
        })
    }

    /// Reads Kratos's own `$firescrypt$ln=<mem_cost>,r=…,p=…$salt$hash$separator$key`.
    pub(crate) fn parse_kratos(text: &str) -> Result<Self, HashError> {
        let fields: Vec<&str> = text.split('$').collect();
        let [_, _, params, salt, hash, separator, signer_key] = fields.as_slice() else {
            return Err(HashError::field_count(
                FAMILY,
                fields.len() - 1,
                "6",
                "`$firescrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>$<salt separator>$<signer key>`",
            ));
        };
        let mut costs = [0u32; 3];
        let mut pairs = params.split(',');
        for (slot, label) in costs.iter_mut().zip(["ln=", "r=", "p="]) {
            let value = pairs.next().and_then(|pair| pair.strip_prefix(label));
            *slot = number(value.ok_or_else(unreadable_params)?)?;
        }
        if pairs.next().is_some() {
            return Err(unreadable_params());
        }
        let [mem_cost, rounds, parallelism] = costs;
        Self::new(Self {
            hash: decode("hash", hash)?,
            salt: decode("salt", salt)?,
            separator: decode("salt separator", separator)?,
            signer_key: decode("signer key", signer_key)?,
            mem_cost,
            rounds,
            parallelism,
        })
    }

    /// Refuses what could never match (or would match anyone) whatever the password.
    fn new(hash: Self) -> Result<Self, HashError> {
        if hash.mem_cost == 0 || hash.mem_cost >= 64 {
            return Err(HashError::malformed(
                FAMILY,
                format!("mem_cost {} is not a usable log2 of N", hash.mem_cost),
            ));
        }
        if scrypt::Params::new(
            u8::try_from(hash.mem_cost).unwrap_or(u8::MAX),
            hash.rounds,
            hash.parallelism,
        )
        .is_err()
        {
            return Err(HashError::malformed(
                FAMILY,
                "the scrypt parameters (mem_cost, rounds, p) are outside what scrypt allows",
            ));
        }
        super::check_memory(FAMILY, (128 * u128::from(hash.rounds)) << hash.mem_cost)?;
        if hash.signer_key.is_empty() || hash.hash.is_empty() || hash.salt.is_empty() {
            return Err(HashError::malformed(
                FAMILY,
                "the hash, the salt or the project's signer key is empty",
            ));
        }
        if hash.hash.len() != hash.signer_key.len() {
            return Err(HashError::malformed(
                FAMILY,
                format!(
                    "the hash is {} bytes but the signer key is {}; Firebase hashes are the \
                     encrypted signer key, so check the project's hash parameters",
                    hash.hash.len(),
                    hash.signer_key.len()
                ),
            ));
        }
        Ok(hash)
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        finish(format!(
            "$firescrypt$ln={},r={},p={}${}${}${}${}",
            self.mem_cost,
            self.rounds,
            self.parallelism,
            legacy_base64::padded(&self.salt),
            legacy_base64::padded(&self.hash),
            legacy_base64::padded(&self.separator),
            legacy_base64::padded(&self.signer_key)
        ))
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let costs = FirebaseCosts {
            log_n: u64::from(self.mem_cost),
            r: self.rounds,
            p: self.parallelism,
        };
        firebase_scrypt(
            password,
            &self.salt,
            &self.separator,
            &self.signer_key,
            costs,
        )
        .is_some_and(|computed| crate::kratos::constant_time_eq(&self.hash, &computed))
    }
}

/// The parameters of a `$fbscrypt$` string as they are found.
#[derive(Default)]
struct Supabase {
    version: bool,
    mem_cost: Option<u32>,
    rounds: Option<u32>,
    parallelism: Option<u32>,
    separator: Vec<u8>,
    signer_key: Vec<u8>,
}

fn unreadable_params() -> HashError {
    HashError::malformed(
        FAMILY,
        "the parameter field is not Kratos's `ln=<mem_cost>,r=<rounds>,p=<p>` nor \
         Supabase's `v=1,n=<mem_cost>,r=<rounds>,p=<p>` with optional `ss=` and `sk=`",
    )
}

fn number(text: &str) -> Result<u32, HashError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unreadable_params());
    }
    text.parse().map_err(|_| unreadable_params())
}

fn decode(field: &str, text: &str) -> Result<Vec<u8>, HashError> {
    legacy_base64::decode_any_alphabet(text)
        .ok_or_else(|| HashError::malformed(FAMILY, format!("{field} is not base64")))
}
