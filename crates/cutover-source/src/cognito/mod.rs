//! The Cognito reader: the user-import CSV and `ListUsers` JSON, which hold no hashes.
//!
//! Cognito has no export of its own, and never gives out password hashes. What people have
//! is the output of `aws cognito-idp list-users` (`{"Users": [...]}`, pages of it, or the
//! users one a line after `jq -c`) or a CSV in the layout of Cognito's user-import template,
//! which exporter scripts imitate. The layout is recognised from the file's first bytes:
//! JSON starts with `{` or `[`, anything else is read as CSV. Users are read one at a time
//! in every layout, so memory stays flat.

mod csv_rows;
mod layouts;
mod user;

use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::input::open_input;
use crate::nested::{Found, Nesting, Scanner};
use crate::records::Records;
use crate::stream::user_items;
use crate::{SourceConfig, SourceError, SourceItem, Unreadable};
use csv_rows::CsvRows;
use user::CognitoUser;

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "cognito";

/// Where `ListUsers` puts its users: in `Users`, with no group.
const NESTING: Nesting = Nesting {
    records_key: "Users",
    group_key: None,
    record_marker: "Username",
};

/// How much of a first line is looked at to tell JSON Lines from one JSON document.
const SNIFF_LIMIT: u64 = 1 << 20;

/// The layouts a Cognito user file comes in.
#[derive(Debug, PartialEq, Eq)]
enum Layout {
    /// The user-import CSV, or a file imitating it.
    Csv,
    /// One JSON document (or several in a row): `ListUsers` pages or an array of users.
    Json,
    /// One JSON object a line: users, or `ListUsers` pages.
    JsonLines,
}

/// Opens the file named by `config` and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    config.refuse_password_hashes(FORMAT)?;
    let path = &config.users;
    let io_error = |source| SourceError::Io {
        role: "users",
        path: path.clone(),
        source,
    };
    let layout = sniff(path).map_err(io_error)?;
    let input = open_input(path).map_err(io_error)?;

    let rows = match layout {
        Layout::Json => Rows::Json(Scanner::new(input, NESTING)),
        Layout::JsonLines => Rows::JsonLines(Records::new(input).map_err(io_error)?),
        Layout::Csv => {
            let not_cognito = |reason: &str| SourceError::Options {
                format: FORMAT,
                reason: format!("{} {reason}", path.display()),
            };
            let Some((header, rows)) = CsvRows::new(input).map_err(io_error)? else {
                return Err(not_cognito("is empty"));
            };
            let header: Vec<String> = header
                .values
                .map_err(|reason| not_cognito(&format!("has an unreadable header: {reason}")))?
                .iter()
                .map(|column| column.trim().to_string())
                .collect();
            if !layouts::is_cognito_header(&header) {
                return Err(not_cognito(
                    "is neither JSON nor a Cognito user CSV: its first line has no \
                     `cognito:username` column",
                ));
            }
            Rows::Csv { header, rows }
        }
    };

    Ok(Box::new(CognitoReader {
        file: path.clone(),
        rows,
        pending: VecDeque::new(),
    }))
}

/// Tells the layout from the first non-blank line (and the start of the next one).
fn sniff(path: &Path) -> std::io::Result<Layout> {
    let mut input = open_input(path)?;
    let first = next_non_blank_line(&mut input)?;
    let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&first);
    let first = first.trim_ascii();

    match first.first() {
        Some(b'[') => Ok(Layout::Json),
        Some(b'{') => {
            // A first line that is a whole object, followed by another object, is JSON
            // Lines; a pretty-printed document's first line is never a whole object.
            let whole = serde_json::from_slice::<Value>(first).is_ok_and(|v| v.is_object());
            let next = next_non_blank_line(&mut input)?;
            if whole && next.trim_ascii_start().starts_with(b"{") {
                Ok(Layout::JsonLines)
            } else {
                Ok(Layout::Json)
            }
        }
        _ => Ok(Layout::Csv),
    }
}

/// The next line with something in it, at most [`SNIFF_LIMIT`] bytes of it.
fn next_non_blank_line(input: &mut crate::input::Input) -> std::io::Result<Vec<u8>> {
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(SNIFF_LIMIT)
            .read_until(b'\n', &mut line)?;
        if read == 0 || !line.trim_ascii().is_empty() {
            return Ok(line);
        }
    }
}

/// The records of the file, in its layout.
enum Rows {
    Csv { header: Vec<String>, rows: CsvRows },
    Json(Scanner),
    JsonLines(Records),
}

/// The iterator behind [`open`]: one record in, one or more items out.
struct CognitoReader {
    file: PathBuf,
    rows: Rows,
    /// Items produced but not yet handed out (a user and its warnings come together).
    pending: VecDeque<SourceItem>,
}

impl Iterator for CognitoReader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }

            match &mut self.rows {
                Rows::Csv { header, rows } => {
                    let row = rows.next()?;
                    let user = row
                        .values
                        .and_then(|values| layouts::from_csv(header, values));
                    self.push(row.line, user);
                }
                Rows::Json(scanner) => match scanner.next()? {
                    Found::Record { line, parsed, .. } => {
                        self.push(line, parsed.and_then(layouts::from_json));
                    }
                    Found::Problem { line, reason } => self.push(line, Err(reason)),
                },
                Rows::JsonLines(records) => {
                    let record = records.next()?;
                    self.read_line(record.line, record.parsed);
                }
            }
        }
    }
}

impl CognitoReader {
    /// A line of JSON Lines: a `ListUsers` page, whose users are read in turn, or one user.
    fn read_line(&mut self, line: u64, parsed: Result<Value, String>) {
        let mut record = match parsed {
            Ok(record) => record,
            Err(reason) => return self.push(line, Err(reason)),
        };
        match record.get_mut("Users").map(Value::take) {
            Some(Value::Array(users)) => {
                for user in users {
                    self.push(line, layouts::from_json(user));
                }
            }
            Some(Value::Null) => {}
            Some(_) => self.push(line, Err("`Users` is not a list".into())),
            None => self.push(line, layouts::from_json(record)),
        }
    }

    /// Maps one user read at `line` and queues it with its warnings, or queues why not.
    fn push(&mut self, line: u64, user: Result<CognitoUser, String>) {
        let mapped = user.and_then(user::map_user);
        let (user, warnings) = match mapped {
            Ok(mapped) => mapped,
            Err(reason) => {
                let file = self.file.clone();
                self.pending
                    .push_back(SourceItem::Unreadable(Unreadable { file, line, reason }));
                return;
            }
        };

        let items = user_items(&self.file, line, Box::new(user), warnings);
        self.pending.extend(items);
    }
}
