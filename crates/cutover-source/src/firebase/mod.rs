//! The Firebase Authentication reader: `firebase auth:export` JSON or CSV.
//!
//! JSON is `{"users": [...]}`, read element by element; CSV has no header and comes in two
//! column layouts (see [`csv`]). Which of the two file types a file is, is told from its
//! first byte. Password hashes are Firebase's modified scrypt and need the project's hash
//! parameters, which the plan gives (the signer key through an environment variable).
//!
//! An export of the Firebase Auth emulator is refused before any user is read: its "hashes"
//! hold the plaintext passwords. It is recognised by the first hash in the file; a fake hash
//! found later makes its record unreadable, so no plaintext ever travels on.

mod csv;
mod options;
mod user;

use std::collections::VecDeque;
use std::path::Path;

use serde_json::Value;

pub use options::FirebaseOptions;

use self::csv::FirebaseCsv;
use crate::input::first_byte;
use crate::records::Records;
use crate::stream::{Items, RecordStream, UserStream, open_users, users_error, users_file_only};
use crate::{Env, SourceConfig, SourceError};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "firebase";

/// How many records are looked at, at most, to find the first password hash.
const LOOKAHEAD: usize = 1000;

/// Opens the export named by `config`; the signer key is looked up through `secrets`.
pub(crate) fn open(config: &SourceConfig, secrets: Env<'_>) -> Result<Items, SourceError> {
    users_file_only(config, FORMAT)?;
    let options = config
        .options
        .firebase
        .as_ref()
        .ok_or_else(|| SourceError::Options {
            format: FORMAT,
            reason: "the project's password hash parameters are missing; give them in \
                     source.firebase (signer_key_env, salt_separator, rounds, mem_cost)"
                .into(),
        })?;
    let params = options.params(secrets)?;

    let mut input = open_users(config)?;
    let records: RecordStream = match first_byte(&mut input).map_err(|e| users_error(config, e))? {
        Some(b'{' | b'[') => {
            Box::new(Records::envelope(input, "users").map_err(|e| users_error(config, e))?)
        }
        _ => Box::new(FirebaseCsv::new(input)),
    };
    let records = refuse_emulator(records, &config.users)?;

    Ok(UserStream::items(
        config.users.clone(),
        records,
        move |record| user::map_user(record, &params),
    ))
}

/// Reads ahead to the first record with a password hash and refuses the file if that hash
/// is an emulator fake; the records read ahead are put back in front of the stream.
fn refuse_emulator(mut records: RecordStream, file: &Path) -> Result<RecordStream, SourceError> {
    let mut ahead = VecDeque::new();
    while ahead.len() < LOOKAHEAD {
        let Some(record) = records.next() else { break };
        let verdict = match &record.parsed {
            Ok(Value::Object(object)) if crate::fields::present(object, "passwordHash") => {
                Some(user::is_emulator_fake(object))
            }
            _ => None,
        };
        ahead.push_back(record);
        match verdict {
            Some(true) => {
                return Err(SourceError::EmulatorExport {
                    path: file.to_path_buf(),
                });
            }
            Some(false) => break,
            None => {}
        }
    }
    Ok(Box::new(ahead.into_iter().chain(records)))
}
