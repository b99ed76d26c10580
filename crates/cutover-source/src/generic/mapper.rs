//! Turning one record of a generic export into a [`LegacyUser`], as the plan's field
//! mapping says.
//!
//! The three generic readers differ only in how they get records (CSV rows, JSON lines, SQL
//! rows); from a JSON object on, the mapping is this one piece of code, so a column means the
//! same thing in every format. A record without a legacy id cannot be tracked through a
//! migration and is unreadable; every other field is optional, and a value that is present
//! but unusable becomes a warning, with the most cautious reading (an unreadable
//! `email_verified` is false, an unreadable `blocked` is true).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::config::{FieldPaths, RecordMapping};
use super::password::PasswordReader;
use super::timestamp;
use super::values::{self, flag, lookup, remove};
use crate::stream::user_items;
use crate::{Env, LegacyUser, SocialIdentity, SourceError, SourceItem, Unreadable};

/// The field mapping and password settings, ready to map records.
///
/// It has no `Debug` on purpose: its password settings hold HMAC keys.
pub(crate) struct Mapper {
    fields: FieldPaths,
    password: Option<PasswordReader>,
}

/// A user mapped from a record, with what the operator should know about it.
pub(crate) struct Mapped {
    /// The user.
    pub user: LegacyUser,
    /// Values that were present but could not be used, naming columns, never values.
    pub warnings: Vec<String>,
}

impl Mapper {
    /// Prepares a mapping; fails when an HMAC key's environment variable is unusable.
    pub(crate) fn new(
        mapping: &RecordMapping,
        format: &'static str,
        env: Env<'_>,
    ) -> Result<Self, SourceError> {
        let password = match &mapping.password {
            Some(columns) => Some(PasswordReader::new(columns, format, env)?),
            None => None,
        };
        Ok(Self {
            fields: mapping.fields.clone(),
            password,
        })
    }

    /// The mapping of `format`, or the error saying that the plan gave none.
    pub(crate) fn from_options(
        mapping: Option<&RecordMapping>,
        format: &'static str,
        env: Env<'_>,
    ) -> Result<Self, SourceError> {
        let mapping = mapping.ok_or_else(|| SourceError::Options {
            format,
            reason: "no field mapping was given (source.fields)".into(),
        })?;
        Self::new(mapping, format, env)
    }

    /// Every column the mapping reads, with the setting that names it, for formats whose
    /// columns are known before the first record (a CSV header, a query's result).
    pub(crate) fn columns(&self) -> Vec<(String, &str)> {
        let f = &self.fields;
        let mut columns = vec![("source.fields.legacy_id".to_string(), f.legacy_id.as_str())];
        let optional = [
            ("email", &f.email),
            ("email_verified", &f.email_verified),
            ("phone", &f.phone),
            ("phone_verified", &f.phone_verified),
            ("username", &f.username),
            ("given_name", &f.given_name),
            ("family_name", &f.family_name),
            ("name", &f.name),
            ("created_at", &f.created_at),
            ("updated_at", &f.updated_at),
            ("last_login", &f.last_login),
            ("blocked", &f.blocked),
            ("application", &f.application),
            ("tenant", &f.tenant),
        ];
        for (field, path) in optional {
            if let Some(path) = path {
                columns.push((format!("source.fields.{field}"), path.as_str()));
            }
        }
        for (connection, path) in &f.social {
            columns.push((format!("source.fields.social.{connection}"), path.as_str()));
        }
        if let Some(password) = &self.password {
            columns.extend(password.columns());
        }
        columns
    }

    /// Maps one record; an `Err` says why it is unreadable.
    pub(crate) fn map(&self, mut record: Map<String, Value>) -> Result<Mapped, String> {
        let f = &self.fields;
        let legacy_id = match values::text(lookup(&record, &f.legacy_id)) {
            Ok(Some(id)) if !id.trim().is_empty() => id.trim().to_string(),
            Ok(_) => return Err(format!("no legacy id: column {} is empty", f.legacy_id)),
            Err(kind) => return Err(format!("the legacy id in column {} is {kind}", f.legacy_id)),
        };

        let mut warnings = Vec::new();
        let password = self
            .password
            .as_ref()
            .map(|reader| reader.read(&record))
            .unwrap_or_default();
        if let Some(problem) = password.problem {
            warnings.push(format!(
                "password: {problem}; the user is read without a usable password"
            ));
        }
        if let Some(reader) = &self.password {
            for column in reader.secret_columns() {
                remove(&mut record, column);
            }
        }

        let mut read = Reading {
            record: &record,
            warnings: &mut warnings,
        };
        let user = LegacyUser {
            email: read.text("email", f.email.as_deref()),
            email_verified: read.flag("email_verified", f.email_verified.as_deref(), false),
            phone: read.text("phone", f.phone.as_deref()),
            phone_verified: read.flag("phone_verified", f.phone_verified.as_deref(), false),
            username: read.text("username", f.username.as_deref()),
            name: read.text("name", f.name.as_deref()),
            given_name: read.text("given_name", f.given_name.as_deref()),
            family_name: read.text("family_name", f.family_name.as_deref()),
            created_at: read.time("created_at", f.created_at.as_deref()),
            updated_at: read.time("updated_at", f.updated_at.as_deref()),
            last_login: read.time("last_login", f.last_login.as_deref()),
            password: password.password,
            password_unavailable: password.unavailable,
            social: read.social(&f.social),
            application: read.text("application", f.application.as_deref()),
            tenant: read.text("tenant", f.tenant.as_deref()),
            blocked: read.flag("blocked", f.blocked.as_deref(), true),
            legacy_id,
            raw: Value::Null,
        };

        Ok(Mapped {
            user: LegacyUser {
                raw: Value::Object(record),
                ..user
            },
            warnings,
        })
    }
}

/// Reads the fields of one record, collecting warnings.
struct Reading<'a> {
    record: &'a Map<String, Value>,
    warnings: &'a mut Vec<String>,
}

impl Reading<'_> {
    fn text(&mut self, field: &str, path: Option<&str>) -> Option<String> {
        let path = path?;
        match values::text(lookup(self.record, path)) {
            Ok(text) => text.filter(|t| !t.trim().is_empty()),
            Err(kind) => {
                self.warnings
                    .push(format!("{field}: column {path} holds {kind}; left empty"));
                None
            }
        }
    }

    /// A flag; an unreadable value is taken as `cautious` (the safer reading of the field).
    fn flag(&mut self, field: &str, path: Option<&str>, cautious: bool) -> bool {
        let Some(path) = path else {
            return false;
        };
        match flag(lookup(self.record, path)) {
            Ok(value) => value.unwrap_or(false),
            Err(()) => {
                self.warnings.push(format!(
                    "{field}: column {path} is not true or false (or 1/0, t/f, yes/no); taken \
                     as {cautious}"
                ));
                cautious
            }
        }
    }

    fn time(&mut self, field: &str, path: Option<&str>) -> Option<DateTime<Utc>> {
        let path = path?;
        timestamp::parse(lookup(self.record, path)).unwrap_or_else(|()| {
            self.warnings.push(format!(
                "{field}: column {path} is not a date, a time or an epoch number; left empty"
            ));
            None
        })
    }

    // TODO: only one column per connection is read; a JSON list of logins in one column
    // (`[{"provider": ..., "id": ...}]`) cannot be mapped yet.
    fn social(
        &mut self,
        paths: &std::collections::BTreeMap<String, String>,
    ) -> Vec<SocialIdentity> {
        let mut social = Vec::new();
        for (connection, path) in paths {
            if let Some(subject) = self.text(&format!("social.{connection}"), Some(path)) {
                social.push(SocialIdentity {
                    connection: connection.clone(),
                    subject: subject.trim().to_string(),
                });
            }
        }
        social
    }
}

/// The items for one record: the user and its warnings, or the record as unreadable.
pub(crate) fn items(file: &Path, line: u64, mapped: Result<Mapped, String>) -> Vec<SourceItem> {
    let mapped = match mapped {
        Ok(mapped) => mapped,
        Err(reason) => {
            let file = file.to_path_buf();
            return vec![SourceItem::Unreadable(Unreadable { file, line, reason })];
        }
    };

    user_items(file, line, Box::new(mapped.user), mapped.warnings).collect()
}
