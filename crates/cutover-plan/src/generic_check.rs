//! Checking the `source:` settings of the generic formats (`csv`, `jsonl`, `sql`).
//!
//! Which settings a format takes is checked here too: `fields` only with a generic format
//! (and required there), `csv` only with `csv`, `sql` only with (and required by) `sql`,
//! `users` by every format but `sql`. The password scheme is checked key by key, because a
//! scheme described half-way (a salted digest without the salt's position, an HMAC without
//! its key) would lock every user out silently after the migration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_saphyr::{Location, Spanned};

use crate::error::{field_key, printable};
use crate::generic::{
    BinaryEncoding, CsvDialect, FieldMapping, GENERIC_FORMATS, PasswordSpec, SqlSource,
};
use crate::raw::RawSource;
use crate::raw_generic::{RawBinary, RawCsv, RawFields, RawSql};
use crate::validate::{Checker, plan_path};

/// The checked settings of a generic source; all `None` for other formats.
#[derive(Default)]
pub(crate) struct GenericSource {
    pub fields: Option<FieldMapping>,
    pub password: Option<PasswordSpec>,
    pub csv: Option<CsvDialect>,
    pub sql: Option<SqlSource>,
}

/// The users file, which every format but `sql` needs and `sql` does not take.
pub(crate) fn users(
    raw: &Spanned<RawSource>,
    base_dir: &Path,
    check: &mut Checker,
) -> Option<PathBuf> {
    let format = raw.value.format.value.as_str();
    match (&raw.value.users, format == "sql") {
        (Some(users), false) => Some(plan_path(users, base_dir, "source.users", check)),
        (None, false) => {
            let message = format!("give users: the export file that format {format} reads");
            check.report(&raw.referenced, "source.users", message);
            None
        }
        (Some(users), true) => {
            let message = "format sql reads no file: its users are the rows of \
                           source.sql.query; remove users";
            check.report(&users.referenced, "source.users", message);
            None
        }
        (None, true) => None,
    }
}

/// Checks `fields`, `password`, `csv` and `sql` against the format.
pub(crate) fn generic(raw: &Spanned<RawSource>, check: &mut Checker) -> GenericSource {
    let source = &raw.value;
    let format = source.format.value.as_str();
    let generic = GENERIC_FORMATS.contains(&format);
    let mut out = GenericSource::default();

    match (&source.fields, generic) {
        (Some(raw_fields), true) => out.fields = Some(fields(raw_fields, check)),
        (None, true) => {
            let message = format!(
                "give fields: format {format} needs to know which column holds legacy_id, \
                 email and the other fields of a user"
            );
            check.report(&raw.referenced, "source.fields", message);
        }
        (Some(raw_fields), false) => only_generic(&raw_fields.referenced, "fields", check),
        (None, false) => {}
    }
    if let Some(password) = &source.password {
        if generic {
            out.password = crate::generic_password::password(password, check);
        } else {
            only_generic(&password.referenced, "password", check);
        }
    }
    if generic {
        if let Some(hashes) = &source.password_hashes {
            let message = format!(
                "password_hashes is the separate hash file of format auth0; format {format} \
                 reads hashes from the columns that source.password names"
            );
            check.report(&hashes.referenced, "source.password_hashes", message);
        }
        if let Some(join) = &source.join {
            let message = "join matches auth0's separate hash file to its users; remove it";
            check.report(&join.referenced, "source.join", message);
        }
    }

    match (&source.csv, format) {
        (Some(csv), "csv") => out.csv = Some(dialect(csv, check)),
        (Some(csv), _) => {
            let message = format!("csv sets the dialect of format csv, not of {format}");
            check.report(&csv.referenced, "source.csv", message);
        }
        (None, _) => {}
    }
    match (&source.sql, format) {
        (Some(sql), "sql") => out.sql = self::sql(sql, check),
        (None, "sql") => {
            let message = "give sql: url_env (the environment variable holding the \
                           connection string) and query";
            check.report(&raw.referenced, "source.sql", message);
        }
        (Some(sql), _) => {
            let message = format!("sql is the database of format sql, not of {format}");
            check.report(&sql.referenced, "source.sql", message);
        }
        (None, _) => {}
    }
    out
}

fn only_generic(at: &Location, key: &str, check: &mut Checker) {
    let message = format!(
        "{key} applies to the formats {} only; other readers know their own fields",
        GENERIC_FORMATS.join(", ")
    );
    check.report(at, &format!("source.{key}"), message);
}

fn fields(raw: &Spanned<RawFields>, check: &mut Checker) -> FieldMapping {
    let f = &raw.value;
    let mut column = |value: &Option<Spanned<String>>, name: &str| {
        let value = value.as_ref()?;
        Some(column_name(value, &format!("source.fields.{name}"), check))
    };
    let mut mapping = FieldMapping {
        legacy_id: String::new(),
        email: column(&f.email, "email"),
        email_verified: column(&f.email_verified, "email_verified"),
        phone: column(&f.phone, "phone"),
        phone_verified: column(&f.phone_verified, "phone_verified"),
        username: column(&f.username, "username"),
        given_name: column(&f.given_name, "given_name"),
        family_name: column(&f.family_name, "family_name"),
        name: column(&f.name, "name"),
        created_at: column(&f.created_at, "created_at"),
        updated_at: column(&f.updated_at, "updated_at"),
        last_login: column(&f.last_login, "last_login"),
        blocked: column(&f.blocked, "blocked"),
        application: column(&f.application, "application"),
        tenant: column(&f.tenant, "tenant"),
        social: BTreeMap::new(),
    };
    mapping.legacy_id = column_name(&f.legacy_id, "source.fields.legacy_id", check);

    if let Some(social) = &f.social {
        for (connection, path) in &social.value {
            let field = field_key("source.fields.social", connection);
            if connection.trim().is_empty() {
                check.report(&path.referenced, &field, "the connection name is empty");
            }
            let path = column_name(path, &field, check);
            mapping.social.insert(connection.clone(), path);
        }
    }
    mapping
}

/// A column name or path, reported when empty.
pub(crate) fn column_name(value: &Spanned<String>, field: &str, check: &mut Checker) -> String {
    let name = value.value.trim();
    if name.is_empty() {
        check.report(&value.referenced, field, "the column name is empty");
    }
    name.to_string()
}

/// Checks that a setting names an environment variable rather than holding the secret.
pub(crate) fn env_name(env: &Spanned<String>, field: &str, secret: &str, check: &mut Checker) {
    let name = &env.value;
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let message = if name.contains("://") || name.starts_with("sqlite:") {
        format!(
            "this looks like a {secret} itself; give the name of the environment variable \
             holding it"
        )
    } else if !valid {
        "not an environment variable name (letters, digits and _, not starting with a digit)"
            .to_string()
    } else {
        return;
    };
    check.report(&env.referenced, field, message);
}

fn dialect(raw: &Spanned<RawCsv>, check: &mut Checker) -> CsvDialect {
    let c = &raw.value;
    let mut dialect = CsvDialect::default();
    let mut char_of = |value: &Option<Spanned<String>>, name: &str| {
        let value = value.as_ref()?;
        let bytes = value.value.as_bytes();
        if bytes.len() == 1 && bytes[0].is_ascii() && !matches!(bytes[0], b'\n' | b'\r') {
            return Some(bytes[0]);
        }
        let message = format!(
            "{name} must be one ASCII character such as , or ; (a tab is \"\\t\" in double \
             quotes), found {:?}",
            printable(&value.value)
        );
        check.report(&value.referenced, &format!("source.csv.{name}"), message);
        None
    };
    if let Some(delimiter) = char_of(&c.delimiter, "delimiter") {
        dialect.delimiter = delimiter;
    }
    if let Some(quote) = char_of(&c.quote, "quote") {
        dialect.quote = quote;
    }
    dialect.escape = char_of(&c.escape, "escape");
    if dialect.delimiter == dialect.quote {
        let at = c
            .quote
            .as_ref()
            .or(c.delimiter.as_ref())
            .map(|v| v.referenced);
        let message = "the delimiter and the quote must be different characters";
        check.report(&at.unwrap_or(raw.referenced), "source.csv.quote", message);
    }
    if let Some(null) = &c.null_value {
        if null.value.is_empty() {
            let message = "null_value is the text that means null besides the empty cell, \
                           which is always null; remove it or give a text such as \\N";
            check.report(&null.referenced, "source.csv.null_value", message);
        }
        dialect.null = Some(null.value.clone()).filter(|n| !n.is_empty());
    }
    dialect
}

fn sql(raw: &Spanned<RawSql>, check: &mut Checker) -> Option<SqlSource> {
    let s = &raw.value;
    if let Some(url) = &s.url {
        let message = "a connection string must not be written in a plan (it usually holds a \
                       password); put it in an environment variable and give that variable's \
                       name as url_env";
        check.report(&url.referenced, "source.sql.url", message);
    }
    env_name(&s.url_env, "source.sql.url_env", "connection string", check);
    if s.query.value.trim().is_empty() {
        check.report(
            &s.query.referenced,
            "source.sql.query",
            "the query is empty",
        );
    }

    Some(SqlSource {
        url_env: s.url_env.value.clone(),
        query: s.query.value.trim().to_string(),
        binary: match s.binary.as_ref().map(|b| b.value) {
            None | Some(RawBinary::Hex) => BinaryEncoding::Hex,
            Some(RawBinary::Base64) => BinaryEncoding::Base64,
        },
    })
}
