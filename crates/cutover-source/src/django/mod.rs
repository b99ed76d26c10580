//! The Django reader: `manage.py dumpdata` of the user model, as JSON or JSON Lines.
//!
//! `dumpdata` writes one JSON array (on a single line unless `--indent` is given) or, with
//! `--format jsonl`, one record a line; both are read record by record. A dump often holds
//! more than the users (groups, permissions, sessions of `dumpdata auth` or of a whole
//! project): those records are counted by model and reported in one warning, not one per
//! record. Since an array without `--indent` is one long line, unreadable records are
//! located by their position in the file as well as by line.

mod user;

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;

use crate::input::open_input;
use crate::records::{Record, Records};
use crate::stream::user_items;
use crate::{SourceConfig, SourceError, SourceItem, SourceWarning, Unreadable};
use user::{Mapped, MappedUser, PasswordState, map_record};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "django";

/// Opens the dump named by `config` and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    config.refuse_password_hashes(FORMAT)?;
    let io_error = |source| SourceError::Io {
        role: "users",
        path: config.users.clone(),
        source,
    };
    let records = Records::new(open_input(&config.users).map_err(io_error)?).map_err(io_error)?;

    Ok(Box::new(DjangoReader {
        file: config.users.clone(),
        records,
        position: 0,
        pending: VecDeque::new(),
        tally: Tally::default(),
        finished: false,
    }))
}

// TODO: django-allauth keeps verified addresses (`account.emailaddress`) and social logins
// (`socialaccount.socialaccount`) in models of their own, which `dumpdata` usually writes
// after the users; joining them needs a second pass over the dump, so today they are
// counted as other models and users get `email_verified: false` and no social logins.

/// What is counted over the whole dump and reported once at the end.
#[derive(Default)]
struct Tally {
    /// Records of other models, per model.
    other_models: BTreeMap<String, u64>,
    /// Users read, per user model.
    user_models: BTreeMap<String, u64>,
    unusable: u64,
    empty: u64,
    ids_from_natural_key: u64,
    naive_times: u64,
}

/// The iterator behind [`open`]: one record in, one or more items out.
struct DjangoReader {
    file: PathBuf,
    records: Records,
    /// How many records were read so far; the current one's position from 1.
    position: u64,
    /// Items produced but not yet handed out (a user and its warnings come together).
    pending: VecDeque<SourceItem>,
    tally: Tally,
    finished: bool,
}

impl Iterator for DjangoReader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }

            match self.records.next() {
                Some(record) => self.read(record),
                None => {
                    self.finished = true;
                    self.summarise();
                }
            }
        }
    }
}

impl DjangoReader {
    /// Turns one record of the dump into pending items.
    fn read(&mut self, record: Record) {
        self.position += 1;
        let line = record.line;
        let mapped = match record.parsed.and_then(map_record) {
            Ok(Mapped::User(mapped)) => mapped,
            Ok(Mapped::OtherModel(model)) => {
                *self.tally.other_models.entry(model).or_default() += 1;
                return;
            }
            Err(reason) => {
                let reason = format!("record {} of the dump: {reason}", self.position);
                let file = self.file.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        let MappedUser {
            user,
            model,
            password_state,
            id_from_natural_key,
            naive_time,
            warnings,
        } = *mapped;
        *self.tally.user_models.entry(model).or_default() += 1;
        match password_state {
            PasswordState::Unusable => self.tally.unusable += 1,
            PasswordState::Empty => self.tally.empty += 1,
            PasswordState::Hashed | PasswordState::Missing => {}
        }
        self.tally.ids_from_natural_key += u64::from(id_from_natural_key);
        self.tally.naive_times += u64::from(naive_time);

        let items = user_items(&self.file, line, Box::new(user), warnings);
        self.pending.extend(items);
    }

    /// The warnings about the dump as a whole.
    fn summarise(&mut self) {
        let tally = &self.tally;
        let mut messages = Vec::new();
        if !tally.other_models.is_empty() {
            let total: u64 = tally.other_models.values().sum();
            messages.push(format!(
                "{total} records of other models skipped: {}",
                counts(&tally.other_models)
            ));
        }
        if tally.user_models.is_empty() && !tally.other_models.is_empty() {
            messages.push(
                "no record is a user (a model whose fields include `password` and \
                 `last_login`); dump the user model, e.g. `manage.py dumpdata auth.user`"
                    .into(),
            );
        }
        if tally.user_models.len() > 1 {
            messages.push(format!(
                "users were read from several models: {}",
                counts(&tally.user_models)
            ));
        }
        if tally.unusable > 0 {
            messages.push(format!(
                "{} users have an unusable password (Django's `!` marker, for users who sign \
                 in another way) and get no password",
                tally.unusable
            ));
        }
        if tally.empty > 0 {
            messages.push(format!(
                "{} users have an empty password field and get no password",
                tally.empty
            ));
        }
        if tally.ids_from_natural_key > 0 {
            messages.push(format!(
                "{} users have no `pk` (dumped with --natural-primary); their username, or \
                 else their email, is their legacy id",
                tally.ids_from_natural_key
            ));
        }
        if tally.naive_times > 0 {
            messages.push(format!(
                "{} users have times without a time zone (USE_TZ = False); they were read \
                 as UTC",
                tally.naive_times
            ));
        }

        for message in messages {
            self.pending.push_back(SourceItem::Warning(SourceWarning {
                file: self.file.clone(),
                line: None,
                message,
            }));
        }
    }
}

/// `a (2), b (40)`: counts by name, in name order.
fn counts(by_name: &BTreeMap<String, u64>) -> String {
    by_name
        .iter()
        .map(|(name, count)| format!("{name} ({count})"))
        .collect::<Vec<_>>()
        .join(", ")
}
