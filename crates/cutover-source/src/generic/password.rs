//! Reading a record's password hash as the plan describes it, and handing it over faithfully.
//!
//! Home-grown tables store hashes in every way an application ever chose: a self-describing
//! string, a hex digest with a salt column, PBKDF2 parts with an iteration column, several
//! generations side by side with a column naming each row's scheme. This module turns the
//! columns into a [`LegacyHash`] (a string or its decoded parts) without judging it: whether
//! Kratos can import it is the hash crate's decision.
//!
//! What it does check is what only the reader can: that hex is hex, that a digest has its
//! algorithm's length, that a salt or an iteration count is there. A record that fails such a
//! check keeps its user, marked as having a password the export cannot carry, with a problem
//! that names the column and never its value.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::config::{
    Encoding, HashScheme, Param, PasswordColumns, SaltColumn, SchemeChoice, WhenEmpty,
};
use super::values::{decode, is_empty, lookup, text, whole_number};
use crate::{Env, LegacyHash, LegacyPassword, SourceError};

/// The setting that names an HMAC key's environment variable, for error messages.
const KEY_SETTING: &str = "source.password.key_env";

/// What the password columns of one record gave.
#[derive(Debug, Default)]
pub(crate) struct PasswordRead {
    /// The hash, when the record has a usable one.
    pub password: Option<LegacyPassword>,
    /// Whether the user has a password that the export does not carry usably.
    pub unavailable: bool,
    /// Why a hash that is present could not be read (never quotes a value).
    pub problem: Option<String>,
}

/// The password settings with the HMAC keys read from the environment.
///
/// It has no `Debug` on purpose: it holds keys.
pub(crate) struct PasswordReader {
    choice: Choice,
    when_empty: WhenEmpty,
}

enum Choice {
    Fixed(Scheme),
    PerRecord {
        column: String,
        schemes: BTreeMap<String, Scheme>,
    },
}

/// One scheme and, for HMAC, its key.
struct Scheme {
    spec: HashScheme,
    key: Option<Vec<u8>>,
}

impl PasswordReader {
    /// Prepares the settings, reading HMAC keys from the environment variables they name.
    pub(crate) fn new(
        columns: &PasswordColumns,
        format: &'static str,
        env: Env<'_>,
    ) -> Result<Self, SourceError> {
        let choice = match &columns.schemes {
            SchemeChoice::Fixed(spec) => Choice::Fixed(Scheme::new(spec, format, env)?),
            SchemeChoice::PerRecord { column, schemes } => Choice::PerRecord {
                column: column.clone(),
                schemes: schemes
                    .iter()
                    .map(|(name, spec)| Ok((name.clone(), Scheme::new(spec, format, env)?)))
                    .collect::<Result<_, SourceError>>()?,
            },
        };
        Ok(Self {
            choice,
            when_empty: columns.when_empty,
        })
    }

    /// Every column the settings read, with the setting that names it.
    pub(crate) fn columns(&self) -> Vec<(String, &str)> {
        fn add<'a>(columns: &mut Vec<(String, &'a str)>, prefix: &str, spec: &'a HashScheme) {
            columns.push((format!("{prefix}.hash"), spec.hash()));
            if let Some(salt) = spec.salt() {
                columns.push((format!("{prefix}.salt"), salt.path.as_str()));
            }
            for column in spec.parameter_columns() {
                columns.push((format!("{prefix} parameters"), column));
            }
        }

        let mut columns = Vec::new();
        match &self.choice {
            Choice::Fixed(scheme) => add(&mut columns, "source.password", &scheme.spec),
            Choice::PerRecord { column, schemes } => {
                for (name, scheme) in schemes {
                    let prefix = format!("source.password.schemes.{name}");
                    add(&mut columns, &prefix, &scheme.spec);
                }
                columns.push(("source.password.scheme_column".into(), column));
            }
        }
        columns
    }

    /// The hash and salt columns, which are kept out of the raw record.
    pub(crate) fn secret_columns(&self) -> Vec<&str> {
        let specs: Vec<&HashScheme> = match &self.choice {
            Choice::Fixed(scheme) => vec![&scheme.spec],
            Choice::PerRecord { schemes, .. } => schemes.values().map(|s| &s.spec).collect(),
        };
        let mut columns = Vec::new();
        for spec in specs {
            columns.push(spec.hash());
            columns.extend(spec.salt().map(|salt| salt.path.as_str()));
        }
        columns.sort_unstable();
        columns.dedup();
        columns
    }

    /// Reads the password of one record.
    pub(crate) fn read(&self, record: &Map<String, Value>) -> PasswordRead {
        let scheme = match &self.choice {
            Choice::Fixed(scheme) => scheme,
            Choice::PerRecord { column, schemes } => {
                let name = text(lookup(record, column))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                match schemes.get(name.trim()) {
                    Some(scheme) => scheme,
                    None if self.hash_is_empty(record, schemes.values()) => return self.empty(),
                    None => {
                        let known: Vec<&str> = schemes.keys().map(String::as_str).collect();
                        return unusable(format!(
                            "{} in column {column} is not one of source.password.schemes ({})",
                            describe_scheme(name.trim()),
                            known.join(", ")
                        ));
                    }
                }
            }
        };

        if is_empty(lookup(record, scheme.spec.hash())) {
            return self.empty();
        }
        match scheme.hash(record) {
            Ok(hash) => PasswordRead {
                password: Some(LegacyPassword::new(hash)),
                ..PasswordRead::default()
            },
            Err(problem) => unusable(problem),
        }
    }

    /// Whether every hash column a record could use is empty.
    fn hash_is_empty<'a>(
        &self,
        record: &Map<String, Value>,
        mut schemes: impl Iterator<Item = &'a Scheme>,
    ) -> bool {
        schemes.all(|scheme| is_empty(lookup(record, scheme.spec.hash())))
    }

    fn empty(&self) -> PasswordRead {
        PasswordRead {
            unavailable: self.when_empty == WhenEmpty::Unavailable,
            ..PasswordRead::default()
        }
    }
}

/// A password that is there but cannot be read.
fn unusable(problem: String) -> PasswordRead {
    PasswordRead {
        password: None,
        unavailable: true,
        problem: Some(problem),
    }
}

impl Scheme {
    fn new(spec: &HashScheme, format: &'static str, env: Env<'_>) -> Result<Self, SourceError> {
        let key = match spec {
            HashScheme::Hmac {
                key_env,
                key_encoding,
                ..
            } => Some(read_key(key_env, *key_encoding, format, env)?),
            _ => None,
        };
        Ok(Self {
            spec: spec.clone(),
            key,
        })
    }

    /// The hash of a record whose hash column is not empty.
    fn hash(&self, record: &Map<String, Value>) -> Result<LegacyHash, String> {
        match &self.spec {
            HashScheme::Encoded { hash } => Ok(LegacyHash::Encoded(hash_text(record, hash)?)),
            HashScheme::Digest {
                algorithm,
                hash,
                encoding,
                salt,
                salt_position,
            } => {
                let digest = bytes(record, hash, *encoding)?;
                expect_len(hash, &digest, algorithm.output_len(), "digest")?;
                let salt = match salt {
                    Some(salt) if !is_empty(lookup(record, &salt.path)) => {
                        Some(salt_bytes(record, salt)?)
                    }
                    _ => None,
                };
                Ok(LegacyHash::Digest {
                    algorithm: *algorithm,
                    digest,
                    salt,
                    salt_position: *salt_position,
                })
            }
            HashScheme::Hmac {
                algorithm,
                hash,
                encoding,
                ..
            } => {
                let mac = bytes(record, hash, *encoding)?;
                expect_len(hash, &mac, algorithm.output_len(), "HMAC")?;
                Ok(LegacyHash::Hmac {
                    algorithm: *algorithm,
                    mac,
                    key: self.key.clone().unwrap_or_default(),
                })
            }
            HashScheme::Pbkdf2 {
                algorithm,
                hash,
                encoding,
                salt,
                iterations,
            } => Ok(LegacyHash::Pbkdf2 {
                algorithm: *algorithm,
                key: bytes(record, hash, *encoding)?,
                salt: required_salt(record, salt)?,
                iterations: param_u32(record, iterations, "iteration count")?,
            }),
            HashScheme::Scrypt {
                hash,
                encoding,
                salt,
                n,
                r,
                p,
            } => Ok(LegacyHash::Scrypt {
                key: bytes(record, hash, *encoding)?,
                salt: required_salt(record, salt)?,
                n: param(record, n, "scrypt N")?,
                r: param_u32(record, r, "scrypt r")?,
                p: param_u32(record, p, "scrypt p")?,
            }),
        }
    }
}

/// Reads and decodes an HMAC key from its environment variable.
fn read_key(
    name: &str,
    encoding: Encoding,
    format: &'static str,
    env: Env<'_>,
) -> Result<Vec<u8>, SourceError> {
    let value = env(name).unwrap_or_default();
    if value.is_empty() {
        return Err(SourceError::MissingSecret {
            env: name.to_string(),
            setting: KEY_SETTING,
        });
    }
    decode(&value, encoding).map_err(|expected| SourceError::Options {
        format,
        reason: format!("the value of {name} ({KEY_SETTING}) is {expected}, as key_encoding says"),
    })
}

/// The hash column as text, trimmed: no hash format has surrounding whitespace, and exports
/// often add some.
fn hash_text(record: &Map<String, Value>, column: &str) -> Result<String, String> {
    match text(lookup(record, column)) {
        Ok(Some(hash)) => Ok(hash.trim().to_string()),
        Ok(None) => Err(format!("column {column} is empty")),
        Err(kind) => Err(format!("column {column} holds {kind}")),
    }
}

fn bytes(record: &Map<String, Value>, column: &str, encoding: Encoding) -> Result<Vec<u8>, String> {
    let text = hash_text(record, column)?;
    decode(&text, encoding).map_err(|expected| format!("column {column} is {expected}"))
}

fn salt_bytes(record: &Map<String, Value>, salt: &SaltColumn) -> Result<Vec<u8>, String> {
    // A text salt is used exactly as stored, spaces included; encoded salts are trimmed.
    let text = match text(lookup(record, &salt.path)) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(format!("salt column {} is empty", salt.path)),
        Err(kind) => return Err(format!("salt column {} holds {kind}", salt.path)),
    };
    decode(&text, salt.encoding)
        .map_err(|expected| format!("salt column {} is {expected}", salt.path))
}

fn required_salt(record: &Map<String, Value>, salt: &SaltColumn) -> Result<Vec<u8>, String> {
    if is_empty(lookup(record, &salt.path)) {
        return Err(format!("salt column {} is empty", salt.path));
    }
    salt_bytes(record, salt)
}

fn expect_len(column: &str, bytes: &[u8], expected: usize, what: &str) -> Result<(), String> {
    if bytes.len() == expected {
        return Ok(());
    }
    Err(format!(
        "column {column} holds {} bytes, where the {what} has {expected}",
        bytes.len()
    ))
}

fn param(record: &Map<String, Value>, param: &Param, what: &str) -> Result<u64, String> {
    match param {
        Param::Fixed(value) => Ok(*value),
        Param::Column(column) => match whole_number(lookup(record, column)) {
            Some(value) if value > 0 => Ok(value),
            _ => Err(format!(
                "the {what} in column {column} is not a whole number above 0"
            )),
        },
    }
}

fn param_u32(record: &Map<String, Value>, param: &Param, what: &str) -> Result<u32, String> {
    let value = self::param(record, param, what)?;
    u32::try_from(value).map_err(|_| format!("the {what} {value} is too large"))
}

/// Names a scheme value for a message: a short word as it is, anything else (which could be
/// a hash, if the scheme column was set to the wrong column) not at all.
fn describe_scheme(name: &str) -> String {
    let word = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    match name {
        "" => "the empty scheme".to_string(),
        _ if word && name.len() <= 24 => format!("the scheme {name:?}"),
        _ => "a scheme".to_string(),
    }
}
