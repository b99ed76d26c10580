//! The common loop of a reader: records in, users with their warnings (or unreadable
//! records) out, in file order.
//!
//! Every format but Auth0's joined export reads one file record by record and maps each
//! record on its own, so the loop, the bookkeeping of positions and the wording of warnings
//! live here once; a format supplies only its record source and its mapping.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::input::{Input, first_byte, open_input};
use crate::records::{Record, Records};
use crate::table::HeaderRecords;
use crate::{LegacyUser, SourceConfig, SourceError, SourceItem, SourceWarning, Unreadable};

/// A record mapped to a user, with what the operator should know about it.
pub(crate) struct Mapped {
    /// The user.
    pub user: LegacyUser,
    /// Fields that were present but could not be used, worded without any secret.
    pub warnings: Vec<String>,
}

/// Maps one record, or says (without quoting secrets) why it is no user.
pub(crate) type MapResult = Result<Mapped, String>;

/// The iterator a format's `open` returns.
pub(crate) type Items = Box<dyn Iterator<Item = SourceItem> + Send>;

/// The records of a users file, whichever layout they were read from.
pub(crate) type RecordStream = Box<dyn Iterator<Item = Record> + Send>;

/// Streams the users of one file through a format's mapping.
pub(crate) struct UserStream<R, F> {
    file: PathBuf,
    records: R,
    map: F,
    /// Items produced but not handed out yet: a user and its warnings come together.
    pending: VecDeque<SourceItem>,
}

impl<R, F> UserStream<R, F>
where
    R: Iterator<Item = Record> + Send + 'static,
    F: FnMut(Value) -> MapResult + Send + 'static,
{
    /// Maps the records of `file` with `map`.
    pub(crate) fn items(file: PathBuf, records: R, map: F) -> Items {
        Box::new(Self {
            file,
            records,
            map,
            pending: VecDeque::new(),
        })
    }

    fn read(&mut self, record: Record) {
        let line = record.line;
        let mapped = match record.parsed.and_then(&mut self.map) {
            Ok(mapped) => mapped,
            Err(reason) => {
                let file = self.file.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        let user = Box::new(mapped.user);
        let items = user_items(&self.file, line, user, mapped.warnings);
        self.pending.extend(items);
    }
}

impl<R, F> Iterator for UserStream<R, F>
where
    R: Iterator<Item = Record> + Send + 'static,
    F: FnMut(Value) -> MapResult + Send + 'static,
{
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let record = self.records.next()?;
            self.read(record);
        }
    }
}

/// The items of a user read at `line` of `file`: the user, then its warnings, each naming
/// the user so that the operator can find it.
pub(crate) fn user_items(
    file: &Path,
    line: u64,
    user: Box<LegacyUser>,
    warnings: Vec<String>,
) -> impl Iterator<Item = SourceItem> {
    let legacy_id = user.legacy_id.clone();
    let warnings = warnings.into_iter().map(move |warning| {
        SourceItem::Warning(SourceWarning {
            file: file.to_path_buf(),
            line: Some(line),
            message: format!("user {legacy_id}: {warning}"),
        })
    });
    std::iter::once(SourceItem::User(user)).chain(warnings)
}

/// A user with only an id and the raw record; readers fill in the rest.
pub(crate) fn blank_user(legacy_id: String) -> LegacyUser {
    LegacyUser {
        legacy_id,
        email: None,
        email_verified: false,
        phone: None,
        phone_verified: false,
        username: None,
        name: None,
        given_name: None,
        family_name: None,
        created_at: None,
        updated_at: None,
        last_login: None,
        password: None,
        password_unavailable: false,
        social: Vec::new(),
        application: None,
        tenant: None,
        blocked: false,
        raw: Value::Null,
    }
}

/// Refuses a separate password-hash file for formats that carry hashes in the users file.
pub(crate) fn users_file_only(
    config: &SourceConfig,
    format: &'static str,
) -> Result<(), SourceError> {
    if config.password_hashes.is_none() {
        return Ok(());
    }
    Err(SourceError::Options {
        format,
        reason: "this format keeps password hashes in the users file; remove \
                 source.password_hashes"
            .into(),
    })
}

/// Opens the users file of `config` as JSON (an array or NDJSON) or as CSV with a header
/// row, told apart by its first byte.
pub(crate) fn json_or_csv_records(config: &SourceConfig) -> Result<RecordStream, SourceError> {
    let mut input = open_users(config)?;
    let records: RecordStream = match first_byte(&mut input).map_err(|e| users_error(config, e))? {
        Some(b'[' | b'{') => Box::new(Records::new(input).map_err(|e| users_error(config, e))?),
        _ => Box::new(HeaderRecords::new(input)),
    };
    Ok(records)
}

/// Opens the users file of `config`, naming it in the error.
pub(crate) fn open_users(config: &SourceConfig) -> Result<Input, SourceError> {
    open_input(&config.users).map_err(|source| users_error(config, source))
}

/// An I/O error on the users file of `config`.
pub(crate) fn users_error(config: &SourceConfig, source: std::io::Error) -> SourceError {
    SourceError::Io {
        role: "users",
        path: config.users.clone(),
        source,
    }
}
