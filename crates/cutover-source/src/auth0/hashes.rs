//! The password-hash file Auth0 support delivers, indexed for joining with the user export.
//!
//! Auth0 never puts hashes in its user export; they come separately, as NDJSON with MongoDB
//! field names, only through a support ticket. This module reads that file, tolerating the
//! variants seen in the wild (`_id` as a plain string, an `_id.$oid` that already carries
//! `auth0|`, camelCase `emailVerified`, the email inside `identifiers[]`), and answers which
//! row belongs to a user and which rows no user claimed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::input::open_input;
use crate::records::Records;
use crate::{JoinKey, SourceError, SourceItem, SourceWarning, Unreadable};

/// One row of the password-hash file.
///
/// It has no `Debug` on purpose: the hash must not be printable by accident.
pub(crate) struct HashRow {
    /// The 1-based line of the row.
    pub line: u64,
    /// The Auth0 user id the row belongs to (`auth0|<alt_id>` or `auth0|<_id.$oid>`).
    pub user_id: String,
    /// The email as exported, case preserved.
    pub email: Option<String>,
    /// Whether Auth0 considered that email verified, when the row says.
    pub email_verified: Option<bool>,
    /// The password hash; never put into a message.
    pub hash: String,
    /// The Auth0 tenant the row was exported from.
    pub tenant: Option<String>,
}

/// What a user needs to offer to be joined with a row.
pub(crate) struct UserKeys<'a> {
    /// Every Auth0 id under which the user may have a database password; empty for a user
    /// with no database identity (social or enterprise only), who never gets a hash.
    pub ids: &'a [String],
    /// The user's email as exported.
    pub email: Option<&'a str>,
}

/// The outcome of joining one user: the row (if any) and what the operator should know.
pub(crate) struct Joined<'a> {
    /// The row whose hash belongs to the user.
    pub row: Option<&'a HashRow>,
    /// Mismatches between the two keys, as messages naming ids and lines only.
    pub warnings: Vec<String>,
}

/// The rows of a password-hash file, looked up by user id and by lowercased email.
// TODO: the whole index is held in memory (roughly the file size); a streaming join over
// exports sorted by user id would keep very large tenants flat, and can come later.
pub(crate) struct HashIndex {
    file: PathBuf,
    rows: Vec<HashRow>,
    /// Rows already joined or named in a warning, so the final report skips them.
    reported: Vec<bool>,
    by_id: HashMap<String, usize>,
    by_email: HashMap<String, Vec<usize>>,
}

impl HashIndex {
    /// Reads the whole file; unreadable rows and duplicate ids come back as items to report.
    pub(crate) fn load(path: &Path) -> Result<(Self, Vec<SourceItem>), SourceError> {
        let io_error = |source| SourceError::Io {
            role: "password-hash",
            path: path.to_path_buf(),
            source,
        };
        let records = Records::new(open_input(path).map_err(io_error)?).map_err(io_error)?;

        let mut index = Self {
            file: path.to_path_buf(),
            rows: Vec::new(),
            reported: Vec::new(),
            by_id: HashMap::new(),
            by_email: HashMap::new(),
        };
        let mut items = Vec::new();
        for record in records {
            let line = record.line;
            match record.parsed.and_then(|value| parse_row(line, &value)) {
                Ok(row) => items.extend(index.insert(row)),
                Err(reason) => items.push(SourceItem::Unreadable(Unreadable {
                    file: index.file.clone(),
                    line,
                    reason,
                })),
            }
        }
        Ok((index, items))
    }

    /// The path of the password-hash file.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// Adds a row; a second row for the same user id is reported and otherwise ignored.
    fn insert(&mut self, row: HashRow) -> Option<SourceItem> {
        if let Some(&first) = self.by_id.get(&row.user_id) {
            let message = format!(
                "password-hash row for user id {} repeats line {}; the first row is used",
                row.user_id, self.rows[first].line
            );
            return Some(self.warning(row.line, message));
        }

        let position = self.rows.len();
        self.by_id.insert(row.user_id.clone(), position);
        if let Some(email) = &row.email {
            self.by_email
                .entry(email.to_lowercase())
                .or_default()
                .push(position);
        }
        self.rows.push(row);
        self.reported.push(false);
        None
    }

    /// Finds the row of a user by the configured key and checks it against the other key.
    pub(crate) fn join(&mut self, user: &UserKeys<'_>, key: JoinKey) -> Joined<'_> {
        let by_id = user.ids.iter().find_map(|id| self.by_id.get(id)).copied();
        let by_email = user.email.and_then(|email| self.find_by_email(email));
        let mut warnings = Vec::new();

        // A user without an email can only be joined by id, whatever the key; a user without
        // a database identity has no password to join, but an email match is still worth
        // reporting, and the user-id branch does exactly that.
        let key = if user.email.is_none() || user.ids.is_empty() {
            JoinKey::UserId
        } else {
            key
        };
        let chosen = match key {
            JoinKey::UserId => {
                if let Some(row) = by_id.map(|i| &self.rows[i]) {
                    if let (Some(theirs), Some(ours)) = (&row.email, user.email)
                        && theirs.to_lowercase() != ours.to_lowercase()
                    {
                        warnings.push(format!(
                            "password-hash line {} matches by user id but has another email",
                            row.line
                        ));
                    }
                } else if let Some(row) = by_email.map(|i| &self.rows[i]) {
                    warnings.push(format!(
                        "no password-hash row has this user id, but line {} (user id {}) has \
                         the same email; not joined",
                        row.line, row.user_id
                    ));
                }
                by_id
            }
            JoinKey::Email => {
                if let Some(row) = by_email.map(|i| &self.rows[i]) {
                    if !user.ids.contains(&row.user_id) {
                        warnings.push(format!(
                            "password-hash line {} matches by email but belongs to user id {}",
                            row.line, row.user_id
                        ));
                    }
                } else if let Some(row) = by_id.map(|i| &self.rows[i]) {
                    warnings.push(format!(
                        "password-hash line {} matches by user id but not by email; not joined",
                        row.line
                    ));
                }
                by_email
            }
        };

        for position in [by_id, by_email].into_iter().flatten() {
            self.reported[position] = true;
        }
        Joined {
            row: chosen.map(|i| &self.rows[i]),
            warnings,
        }
    }

    /// The row with this email: the one with the same spelling when several differ in case.
    fn find_by_email(&self, email: &str) -> Option<usize> {
        let candidates = self.by_email.get(&email.to_lowercase())?;
        let exact = candidates
            .iter()
            .find(|&&i| self.rows[i].email.as_deref() == Some(email));
        match (exact, candidates.as_slice()) {
            (Some(&i), _) => Some(i),
            (None, [only]) => Some(*only),
            // Several rows differ from this email only in case and none is spelt like it:
            // picking one would be a guess, so none is joined.
            (None, _) => None,
        }
    }

    /// Warnings for the rows no user was joined with, in file order.
    pub(crate) fn unmatched(&self) -> impl Iterator<Item = SourceItem> + '_ {
        self.rows
            .iter()
            .zip(&self.reported)
            .filter(|(_, reported)| !**reported)
            .map(|(row, _)| {
                let message = format!(
                    "password-hash row for user id {} matched no user",
                    row.user_id
                );
                self.warning(row.line, message)
            })
    }

    fn warning(&self, line: u64, message: String) -> SourceItem {
        SourceItem::Warning(SourceWarning {
            file: self.file.clone(),
            line: Some(line),
            message,
        })
    }
}

/// Reads one row, naming the missing field when it cannot be used.
fn parse_row(line: u64, value: &Value) -> Result<HashRow, String> {
    let Value::Object(row) = value else {
        return Err("a password-hash record must be a JSON object".into());
    };

    let oid = match row.get("_id") {
        Some(Value::String(id)) => id.as_str(),
        Some(Value::Object(id)) => match id.get("$oid") {
            Some(Value::String(oid)) => oid.as_str(),
            _ => return Err("`_id` has no `$oid` string".into()),
        },
        _ => return Err("missing `_id`".into()),
    };
    let user_id = match text(row, "alt_id") {
        Some(alt_id) => format!("auth0|{alt_id}"),
        None if oid.contains('|') => oid.to_string(),
        None if oid.is_empty() => return Err("`_id` is empty".into()),
        None => format!("auth0|{oid}"),
    };

    let hash = match row.get("passwordHash") {
        Some(Value::String(hash)) => hash.clone(),
        Some(Value::Null) | None => return Err("missing `passwordHash`".into()),
        Some(_) => return Err("`passwordHash` is not a string".into()),
    };

    let identifier = email_identifier(row);
    let email = text(row, "email").or_else(|| identifier.and_then(|i| text(i, "value")));
    let email_verified = flag(row, "email_verified")
        .or_else(|| flag(row, "emailVerified"))
        .or_else(|| identifier.and_then(|i| flag(i, "verified")));

    Ok(HashRow {
        line,
        user_id,
        email: email.map(str::to_string),
        email_verified,
        hash,
        tenant: text(row, "tenant").map(str::to_string),
    })
}

/// The `{"type": "email"}` entry of `identifiers[]`, where newer exports keep the email.
fn email_identifier(row: &Map<String, Value>) -> Option<&Map<String, Value>> {
    row.get("identifiers")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|identifier| text(identifier, "type") == Some("email"))
}

/// A non-empty string field.
fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key)?.as_str().filter(|s| !s.is_empty())
}

fn flag(object: &Map<String, Value>, key: &str) -> Option<bool> {
    object.get(key)?.as_bool()
}
