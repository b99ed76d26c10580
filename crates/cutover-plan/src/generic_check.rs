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
    BinaryEncoding, ByteEncoding, CountSpec, CsvDialect, DigestAlgorithm, FieldMapping,
    GENERIC_FORMATS, PasswordChoice, PasswordSpec, SqlSource, WhenEmpty,
};
use crate::generic_scheme::scheme;
use crate::raw::RawSource;
use crate::raw_generic::{
    RawBinary, RawCsv, RawEncoding, RawFields, RawPassword, RawSql, RawWhenEmpty,
};
use crate::validate::{Checker, plan_path};
use crate::yaml::Node;

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
            out.password = self::password(password, check);
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

fn password(raw: &Spanned<RawPassword>, check: &mut Checker) -> Option<PasswordSpec> {
    let p = &raw.value;
    refuse_key(p, "source.password", check);
    let when_empty = match p.when_empty.as_ref().map(|w| w.value) {
        None | Some(RawWhenEmpty::NoPassword) => WhenEmpty::NoPassword,
        Some(RawWhenEmpty::Unavailable) => WhenEmpty::Unavailable,
    };

    let choice = match (&p.scheme_column, &p.schemes) {
        (None, None) => {
            if p.scheme.is_none() {
                let message = "give scheme: how the hash is stored (encoded, md5, sha256, \
                               hmac_sha256, pbkdf2_sha256, scrypt ...), or scheme_column with \
                               schemes when each record names its own";
                check.report(&raw.referenced, "source.password.scheme", message);
                return None;
            }
            PasswordChoice::Fixed(scheme(p, None, "source.password", &raw.referenced, check)?)
        }
        (Some(column), Some(schemes)) => {
            if let Some(given) = &p.scheme {
                let message = "give scheme (one scheme for every record) or scheme_column \
                               with schemes (a scheme named by each record), not both";
                check.report(&given.referenced, "source.password.scheme", message);
            }
            let column = column_name(column, "source.password.scheme_column", check);
            PasswordChoice::PerRecord {
                column,
                schemes: per_record(p, schemes, check)?,
            }
        }
        (Some(column), None) => {
            let message = "scheme_column needs schemes: the scheme each value of the column \
                           names";
            check.report(&column.referenced, "source.password.scheme_column", message);
            return None;
        }
        (None, Some(schemes)) => {
            let message = "schemes needs scheme_column: the column naming each record's scheme";
            check.report(&schemes.referenced, "source.password.schemes", message);
            return None;
        }
    };
    Some(PasswordSpec { choice, when_empty })
}

/// The entries of `schemes`, each completed by the settings beside `schemes`.
fn per_record(
    shared: &RawPassword,
    schemes: &Spanned<BTreeMap<String, Spanned<RawPassword>>>,
    check: &mut Checker,
) -> Option<BTreeMap<String, crate::generic::PasswordScheme>> {
    if schemes.value.is_empty() {
        let message = "schemes needs at least one entry";
        check.report(&schemes.referenced, "source.password.schemes", message);
        return None;
    }

    let mut checked = BTreeMap::new();
    let mut complete = true;
    for (name, case) in &schemes.value {
        let field = field_key("source.password.schemes", name);
        refuse_key(&case.value, &field, check);
        let nested = [
            (
                "scheme_column",
                case.value.scheme_column.as_ref().map(|s| s.referenced),
            ),
            ("schemes", case.value.schemes.as_ref().map(|s| s.referenced)),
            (
                "when_empty",
                case.value.when_empty.as_ref().map(|s| s.referenced),
            ),
        ];
        for (key, at) in nested {
            if let Some(at) = at {
                let message = format!("{key} belongs beside schemes, not inside one of them");
                check.report(&at, &format!("{field}.{key}"), message);
            }
        }
        if case.value.scheme.is_none() {
            let message = format!("give scheme: how the hashes named {name:?} are stored");
            check.report(&case.referenced, &format!("{field}.scheme"), message);
            complete = false;
            continue;
        }
        match scheme(&case.value, Some(shared), &field, &case.referenced, check) {
            Some(scheme) => {
                checked.insert(name.trim().to_string(), scheme);
            }
            None => complete = false,
        }
    }
    complete.then_some(checked)
}

/// Refuses an HMAC key written into the plan.
fn refuse_key(raw: &RawPassword, field: &str, check: &mut Checker) {
    if let Some(key) = &raw.key {
        let message = "an HMAC key must not be written in a plan; put it in an environment \
                       variable and give that variable's name as key_env";
        check.report(&key.referenced, &format!("{field}.key"), message);
    }
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

/// The model's encoding for a raw one.
pub(crate) fn encoding(raw: RawEncoding) -> ByteEncoding {
    match raw {
        RawEncoding::Text => ByteEncoding::Text,
        RawEncoding::Hex => ByteEncoding::Hex,
        RawEncoding::Base64 => ByteEncoding::Base64,
    }
}

/// A number written in the plan, or the name of the column holding it.
pub(crate) fn count(
    node: &Spanned<Node>,
    field: &str,
    range: (u64, u64),
    check: &mut Checker,
) -> Option<CountSpec> {
    let (min, max) = range;
    let number = match &node.value {
        Node::UInt(n) => Some(*n),
        Node::Int(n) => Some(u64::try_from(*n).unwrap_or(0)),
        Node::Str(text) if text.trim().bytes().all(|b| b.is_ascii_digit()) => {
            text.trim().parse().ok()
        }
        Node::Str(text) => {
            return Some(CountSpec::Column(column_name_of(text, node, field, check)));
        }
        _ => None,
    };
    let name = field.rsplit('.').next().unwrap_or(field);
    match number {
        Some(n) if (min..=max).contains(&n) => Some(CountSpec::Fixed(n)),
        Some(n) => {
            let message = format!("{name} must be between {min} and {max}, found {n}");
            check.report(&node.referenced, field, message);
            None
        }
        None => {
            let message = format!("{name} is a whole number, or the name of the column holding it");
            check.report(&node.referenced, field, message);
            None
        }
    }
}

fn column_name_of(text: &str, node: &Spanned<Node>, field: &str, check: &mut Checker) -> String {
    if text.trim().is_empty() {
        check.report(&node.referenced, field, "the column name is empty");
    }
    text.trim().to_string()
}

/// The digest algorithm of a scheme word's suffix.
pub(crate) fn digest_of(word: &str) -> Option<DigestAlgorithm> {
    Some(match word.rsplit('_').next()? {
        "md4" => DigestAlgorithm::Md4,
        "md5" => DigestAlgorithm::Md5,
        "sha1" => DigestAlgorithm::Sha1,
        "sha224" => DigestAlgorithm::Sha224,
        "sha256" => DigestAlgorithm::Sha256,
        "sha384" => DigestAlgorithm::Sha384,
        "sha512" => DigestAlgorithm::Sha512,
        _ => return None,
    })
}
