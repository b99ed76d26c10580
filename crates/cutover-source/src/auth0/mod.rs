//! The Auth0 reader: the bulk user export joined with the support-delivered hash file.
//!
//! Users are streamed from the export one record at a time; the optional password-hash
//! file is loaded first and each user picks up its row by user id or by email. Everything
//! that does not fit (rows without users, keys that disagree, broken lines) is reported as
//! an item in the stream rather than failing the whole read.

mod hashes;
pub(crate) mod import;
mod user;

use std::collections::VecDeque;
use std::path::PathBuf;

use crate::input::open_input;
use crate::records::{Record, Records};
use crate::stream::user_items;
use crate::{JoinKey, LegacyPassword, SourceConfig, SourceError, SourceItem, Unreadable};
use hashes::{HashIndex, UserKeys};
use user::map_user;

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "auth0";

/// Opens the export files named by `config` and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    let io_error = |source| SourceError::Io {
        role: "users",
        path: config.users.clone(),
        source,
    };
    let records = Records::new(open_input(&config.users).map_err(io_error)?).map_err(io_error)?;

    let mut pending = VecDeque::new();
    let hashes = match &config.password_hashes {
        Some(path) => {
            let (index, items) = HashIndex::load(path)?;
            pending.extend(items);
            Some(index)
        }
        None => None,
    };

    Ok(Box::new(Auth0Reader {
        users_file: config.users.clone(),
        records,
        hashes,
        join: config.join,
        pending,
        users_done: false,
    }))
}

/// The iterator behind [`open`]: one user record in, one or more items out.
struct Auth0Reader {
    users_file: PathBuf,
    records: Records,
    hashes: Option<HashIndex>,
    join: JoinKey,
    /// Items produced but not yet handed out (a user and its warnings come together).
    pending: VecDeque<SourceItem>,
    users_done: bool,
}

impl Iterator for Auth0Reader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.users_done {
                return None;
            }

            match self.records.next() {
                Some(record) => self.read(record),
                None => {
                    // Only now is it known which hash rows no user claimed.
                    self.users_done = true;
                    if let Some(hashes) = &self.hashes {
                        self.pending.extend(hashes.unmatched());
                    }
                }
            }
        }
    }
}

impl Auth0Reader {
    /// Turns one record of the users file into pending items.
    fn read(&mut self, record: Record) {
        let line = record.line;
        let mapped = match record.parsed.and_then(map_user) {
            Ok(mapped) => mapped,
            Err(reason) => {
                let file = self.users_file.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        let mut user = mapped.user;
        let mut warnings = mapped.warnings;
        if let Some(hashes) = &mut self.hashes {
            let file = hashes.file().display().to_string();
            let keys = UserKeys {
                ids: &mapped.hash_ids,
                email: user.email.as_deref(),
            };
            let joined = hashes.join(&keys, self.join);
            warnings.extend(
                joined
                    .warnings
                    .into_iter()
                    .map(|w| format!("{w} (in {file})")),
            );

            if let Some(row) = joined.row {
                let hash = cutover_hash::LegacyHash::Encoded(row.hash.clone());
                user.password = Some(LegacyPassword::new(hash));
                user.tenant.clone_from(&row.tenant);
                if !mapped.states_email_verified {
                    user.email_verified = row.email_verified.unwrap_or(false);
                }
            }
        }

        let items = user_items(&self.users_file, line, Box::new(user), warnings);
        self.pending.extend(items);
    }
}
