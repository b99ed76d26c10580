//! The Keycloak reader: realm exports, as one file or the directory `kc.sh export` writes.
//!
//! A realm export is a realm object, an array of realm objects (a full single-file
//! export), or, with `--users different_files`, per-realm users files
//! `{"realm": …, "users": […]}`. Every user record is found by the streaming scanner of
//! [`crate::nested`] and mapped on its own, so memory stays flat however many users a realm
//! has. The realm becomes the user's tenant; realms the plan does not name, and the service
//! accounts of clients, are skipped and counted in one warning each at the end.

mod credential;
mod files;
mod options;
mod user;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;

pub use options::KeycloakOptions;

use crate::input::open_input;
use crate::nested::{Found, Nesting, Scanner};
use crate::stream::user_items;
use crate::{SourceConfig, SourceError, SourceItem, SourceWarning, Unreadable};
use user::{Mapped, map_user};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "keycloak";

/// Where Keycloak puts its users: in `users` of a realm named by `realm`.
const NESTING: Nesting = Nesting {
    records_key: "users",
    group_key: Some("realm"),
    record_marker: "username",
};

/// Opens the export named by `config` and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    config.refuse_password_hashes(FORMAT)?;
    let realms = config
        .options
        .keycloak
        .as_ref()
        .map(|options| options.realms.clone())
        .unwrap_or_default();
    let mut files: VecDeque<PathBuf> = files::export_files(&config.users)?.into();

    // The first file is opened now, so that a missing export stops the run before it starts.
    let first = files.pop_front().expect("an export has at least one file");
    let input = open_input(&first).map_err(|source| SourceError::Io {
        role: "users",
        path: first.clone(),
        source,
    })?;

    Ok(Box::new(KeycloakReader {
        export: config.users.clone(),
        files,
        current: Some(CurrentFile::new(first, Scanner::new(input, NESTING))),
        realms: realms.iter().cloned().collect(),
        pending: VecDeque::new(),
        tally: Tally::default(),
        finished: false,
    }))
}

/// The file being read, and what is counted per file.
struct CurrentFile {
    path: PathBuf,
    scanner: Scanner,
    /// Users of this file whose legacy id is their username, for lack of an `id`.
    ids_from_username: u64,
}

impl CurrentFile {
    fn new(path: PathBuf, scanner: Scanner) -> Self {
        Self {
            path,
            scanner,
            ids_from_username: 0,
        }
    }
}

/// What is skipped over the whole export, reported once at the end.
#[derive(Default)]
struct Tally {
    service_accounts: u64,
    /// Users of realms the plan does not name, per realm.
    other_realms: BTreeMap<String, u64>,
    /// Users whose realm the file does not say, when the plan names realms.
    without_realm: u64,
    /// The realms users were read from.
    seen: BTreeSet<String>,
}

/// The iterator behind [`open`]: file after file, one user record in, items out.
struct KeycloakReader {
    export: PathBuf,
    files: VecDeque<PathBuf>,
    current: Option<CurrentFile>,
    /// The realms to read; empty means all.
    realms: BTreeSet<String>,
    /// Items produced but not yet handed out (a user and its warnings come together).
    pending: VecDeque<SourceItem>,
    tally: Tally,
    finished: bool,
}

impl Iterator for KeycloakReader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }

            let found = self.current.as_mut().map(|file| file.scanner.next());
            match found {
                Some(Some(found)) => self.read(found),
                Some(None) => self.end_file(),
                None => self.next_file(),
            }
        }
    }
}

impl KeycloakReader {
    /// Turns one thing the scanner found into pending items.
    fn read(&mut self, found: Found) {
        let Some(file) = self.current.as_mut() else {
            return;
        };
        let (line, parsed, realm) = match found {
            Found::Record {
                line,
                parsed,
                group,
            } => (line, parsed, group),
            Found::Problem { line, reason } => {
                let file = file.path.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        if !self.realms.is_empty() {
            match &realm {
                Some(name) if self.realms.contains(name) => {}
                Some(name) => {
                    *self.tally.other_realms.entry(name.clone()).or_default() += 1;
                    return;
                }
                None => {
                    self.tally.without_realm += 1;
                    return;
                }
            }
        }

        let mapped = parsed.and_then(|record| map_user(record, realm.as_deref()));
        let (user, warnings) = match mapped {
            Ok(Mapped::User {
                user,
                warnings,
                id_from_username,
            }) => {
                file.ids_from_username += u64::from(id_from_username);
                (user, warnings)
            }
            Ok(Mapped::ServiceAccount) => {
                self.tally.service_accounts += 1;
                return;
            }
            Err(reason) => {
                let file = file.path.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        if let Some(realm) = realm {
            self.tally.seen.insert(realm);
        }
        self.pending
            .extend(user_items(&file.path, line, user, warnings));
    }

    /// Closes the current file with its own summary.
    fn end_file(&mut self) {
        let Some(file) = self.current.take() else {
            return;
        };
        if file.ids_from_username > 0 {
            self.pending.push_back(SourceItem::Warning(SourceWarning {
                file: file.path,
                line: None,
                message: format!(
                    "{} users have no `id` (a hand-written import file?); their username is \
                     their legacy id",
                    file.ids_from_username
                ),
            }));
        }
    }

    /// Opens the next file of a directory export, or ends the export with its summary.
    fn next_file(&mut self) {
        let Some(path) = self.files.pop_front() else {
            self.finished = true;
            self.summarise();
            return;
        };
        match open_input(&path) {
            Ok(input) => self.current = Some(CurrentFile::new(path, Scanner::new(input, NESTING))),
            Err(error) => self.pending.push_back(SourceItem::Unreadable(Unreadable {
                file: path,
                line: 1,
                reason: format!("cannot open the file: {error}"),
            })),
        }
    }

    /// The warnings about what the whole export skipped.
    fn summarise(&mut self) {
        let mut messages = Vec::new();
        if self.tally.service_accounts > 0 {
            messages.push(format!(
                "{} service-account users (`serviceAccountClientId`) skipped: they stand for \
                 clients, not people",
                self.tally.service_accounts
            ));
        }
        for (realm, count) in &self.tally.other_realms {
            messages.push(format!(
                "{count} users of realm `{realm}` skipped: the realm is not in \
                 source.keycloak.realms"
            ));
        }
        if self.tally.without_realm > 0 {
            messages.push(format!(
                "{} users skipped: the file does not name their realm before them, so \
                 source.keycloak.realms cannot select them",
                self.tally.without_realm
            ));
        }
        for realm in self.realms.difference(&self.tally.seen) {
            messages.push(format!(
                "realm `{realm}` of source.keycloak.realms has no users in the export"
            ));
        }

        for message in messages {
            self.pending.push_back(SourceItem::Warning(SourceWarning {
                file: self.export.clone(),
                line: None,
                message,
            }));
        }
    }
}
