//! The `source:` settings of the generic formats: the field mapping, the password scheme, the
//! CSV dialect and the SQL query are read into the checked plan, and every mistake is
//! refused at its line with the field it concerns.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{issue_at, line_of, parse, refuse};
use cutover_plan::{
    BinaryEncoding, ByteEncoding, CountSpec, CsvDialect, DigestAlgorithm, PasswordChoice,
    PasswordScheme, SaltPosition, SaltSpec, SqlSource, WhenEmpty,
};

/// A complete plan around a `source:` section given as indented YAML lines.
fn with_source(source: &str) -> String {
    format!(
        "version: 1\nname: generic\nsource:\n{source}target:\n  sandbox: sandbox.db\n  \
         schema_id: preset://email\nsegments:\n  - name: all\n    where: {{ all: true }}\n\
         phases:\n  - name: all\n    segments: [all]\n"
    )
}

const CSV_SOURCE: &str = "  format: csv
  users: exports/users.csv
  csv: { delimiter: ';', null_value: '\\N' }
  fields:
    legacy_id: id
    email: email
    email_verified: email_confirmed
    given_name: first_name
    created_at: signup_at
    blocked: is_banned
    social: { google: google_sub }
  password:
    scheme: sha256
    hash: password_hash
    encoding: hex
    salt: password_salt
    salt_encoding: text
    salt_position: prefix
    when_empty: unavailable
";

fn accept(source: &str) -> cutover_plan::Plan {
    let text = with_source(source);
    parse(&text).unwrap_or_else(|error| panic!("plan refused:\n{error}\n{text}"))
}

fn refused(source: &str) -> (String, Vec<cutover_plan::Issue>) {
    let text = with_source(source);
    let issues = refuse(&text);
    (text, issues)
}

#[test]
fn a_csv_source_maps_fields_password_and_dialect_into_the_plan() {
    let plan = accept(CSV_SOURCE);
    let source = &plan.source;

    assert_eq!(source.format, "csv");
    assert_eq!(
        source.users.as_deref(),
        Some(Path::new("plans/exports/users.csv"))
    );
    let fields = source.fields.as_ref().expect("fields");
    assert_eq!(fields.legacy_id, "id");
    assert_eq!(fields.email.as_deref(), Some("email"));
    assert_eq!(fields.email_verified.as_deref(), Some("email_confirmed"));
    assert_eq!(fields.created_at.as_deref(), Some("signup_at"));
    assert_eq!(fields.phone, None);
    assert_eq!(
        fields.social,
        BTreeMap::from([("google".to_string(), "google_sub".to_string())])
    );

    let password = source.password.as_ref().expect("password");
    assert_eq!(password.when_empty, WhenEmpty::Unavailable);
    assert_eq!(
        password.choice,
        PasswordChoice::Fixed(PasswordScheme::Digest {
            algorithm: DigestAlgorithm::Sha256,
            hash: "password_hash".into(),
            encoding: ByteEncoding::Hex,
            salt: Some(SaltSpec {
                column: "password_salt".into(),
                encoding: ByteEncoding::Text,
            }),
            salt_position: SaltPosition::Prefix,
        })
    );
    assert_eq!(
        source.csv,
        Some(CsvDialect {
            delimiter: b';',
            quote: b'"',
            escape: None,
            null: Some("\\N".into()),
        })
    );
}

#[test]
fn per_record_schemes_take_the_shared_settings_they_do_not_set() {
    let plan = accept(
        "  format: jsonl
  users: users.jsonl
  fields: { legacy_id: id }
  password:
    hash: credentials.hash
    salt: credentials.salt
    salt_encoding: base64
    scheme_column: credentials.algo
    schemes:
      bcrypt: { scheme: encoded }
      pbkdf2: { scheme: pbkdf2_sha512, encoding: base64, iterations: credentials.rounds }
      old: { scheme: md5, hash: legacy_md5, encoding: hex, salt_position: prefix }
",
    );

    let password = plan.source.password.expect("password");
    assert_eq!(password.when_empty, WhenEmpty::NoPassword);
    let PasswordChoice::PerRecord { column, schemes } = password.choice else {
        panic!("a per-record choice");
    };
    assert_eq!(column, "credentials.algo");
    assert_eq!(
        schemes["bcrypt"],
        PasswordScheme::Encoded {
            hash: "credentials.hash".into()
        }
    );
    assert_eq!(
        schemes["pbkdf2"],
        PasswordScheme::Pbkdf2 {
            algorithm: DigestAlgorithm::Sha512,
            hash: "credentials.hash".into(),
            encoding: ByteEncoding::Base64,
            salt: SaltSpec {
                column: "credentials.salt".into(),
                encoding: ByteEncoding::Base64,
            },
            iterations: CountSpec::Column("credentials.rounds".into()),
        }
    );
    // The shared salt applies to md5 too, since md5 takes one; the scheme's own hash column
    // wins over the shared one.
    let PasswordScheme::Digest {
        hash,
        salt,
        salt_position,
        ..
    } = &schemes["old"]
    else {
        panic!("a digest");
    };
    assert_eq!(hash, "legacy_md5");
    assert_eq!(
        salt.as_ref().map(|s| s.column.as_str()),
        Some("credentials.salt")
    );
    assert_eq!(*salt_position, SaltPosition::Prefix);
}

#[test]
fn an_sql_source_needs_no_users_file_and_keeps_only_the_variable_name() {
    let plan = accept(
        "  format: sql
  sql:
    url_env: LEGACY_DATABASE_URL
    query: |
      select id, email from app_users
    binary: base64
  fields: { legacy_id: id, email: email }
  password: { scheme: scrypt, hash: h, encoding: base64, salt: s, salt_encoding: hex, n: 16384, r: 8, p: 1 }
",
    );

    assert_eq!(plan.source.users, None);
    assert_eq!(
        plan.source.sql,
        Some(SqlSource {
            url_env: "LEGACY_DATABASE_URL".into(),
            query: "select id, email from app_users".into(),
            binary: BinaryEncoding::Base64,
        })
    );
    assert_eq!(
        plan.source.location(),
        "query on the database named by LEGACY_DATABASE_URL"
    );
    let Some(PasswordChoice::Fixed(PasswordScheme::Scrypt { n, r, p, .. })) =
        plan.source.password.map(|p| p.choice)
    else {
        panic!("a fixed scrypt scheme");
    };
    assert_eq!(
        (n, r, p),
        (
            CountSpec::Fixed(16384),
            CountSpec::Fixed(8),
            CountSpec::Fixed(1)
        )
    );
}

#[test]
fn an_unknown_field_of_the_user_is_refused_with_the_known_ones() {
    let (text, issues) = refused(&CSV_SOURCE.replace("given_name: first_name", "first: x"));

    let issue = issue_at(&issues, "source.fields.first");
    assert_eq!(issue.line, line_of(&text, "first: x"));
    for known in [
        "legacy_id",
        "given_name",
        "family_name",
        "last_login",
        "social",
    ] {
        assert!(issue.message.contains(known), "{}", issue.message);
    }
}

#[test]
fn a_generic_format_without_fields_or_users_is_refused_at_the_source() {
    let (text, issues) = refused("  format: csv\n");

    let line = line_of(&text, "format: csv");
    assert!(
        issue_at(&issues, "source.fields")
            .message
            .contains("legacy_id")
    );
    assert_eq!(issue_at(&issues, "source.fields").line, line);
    assert!(
        issue_at(&issues, "source.users")
            .message
            .contains("format csv")
    );
}

#[test]
fn settings_of_other_formats_are_refused_where_they_are_written() {
    let (text, issues) = refused(
        "  format: auth0\n  users: u.ndjson\n  fields: { legacy_id: id }\n  sql: { url_env: X, \
         query: q }\n",
    );
    let fields = issue_at(&issues, "source.fields");
    assert_eq!(fields.line, line_of(&text, "fields:"));
    assert!(
        fields.message.contains("csv, jsonl, sql"),
        "{}",
        fields.message
    );
    assert!(
        issue_at(&issues, "source.sql")
            .message
            .contains("not of auth0")
    );

    let (_, issues) = refused(
        "  format: sql\n  users: u.csv\n  csv: { delimiter: ';' }\n  fields: { legacy_id: id }\n",
    );
    assert!(
        issue_at(&issues, "source.users")
            .message
            .contains("reads no file")
    );
    assert!(
        issue_at(&issues, "source.csv")
            .message
            .contains("not of sql")
    );
    assert!(issue_at(&issues, "source.sql").message.contains("url_env"));
}

#[test]
fn a_salted_digest_must_say_where_the_salt_goes_and_how_it_is_written() {
    let (text, issues) =
        refused(&CSV_SOURCE.replace("    salt_encoding: text\n    salt_position: prefix\n", ""));

    let position = issue_at(&issues, "source.password.salt_position");
    let first_key = line_of(&text, "scheme: sha256");
    assert_eq!(position.line, first_key, "reported at the password mapping");
    assert!(position.message.contains("prefix"), "{}", position.message);
    let encoding = issue_at(&issues, "source.password.salt_encoding");
    assert!(
        encoding.message.contains("text, hex or base64"),
        "{}",
        encoding.message
    );
}

#[test]
fn a_digest_written_as_text_or_without_an_encoding_is_refused() {
    let (text, issues) = refused(&CSV_SOURCE.replace("encoding: hex", "encoding: text"));
    let issue = issue_at(&issues, "source.password.encoding");
    assert_eq!(issue.line, line_of(&text, "encoding: text"));
    assert!(issue.message.contains("hex or base64"), "{}", issue.message);

    let (_, issues) = refused(&CSV_SOURCE.replace("    encoding: hex\n", ""));
    assert!(
        issue_at(&issues, "source.password.encoding")
            .message
            .starts_with("give encoding")
    );
}

#[test]
fn settings_a_scheme_does_not_use_are_refused() {
    let (text, issues) = refused(&CSV_SOURCE.replace("scheme: sha256", "scheme: encoded"));

    let issue = issue_at(&issues, "source.password.salt");
    assert_eq!(issue.line, line_of(&text, "salt: password_salt"));
    assert!(
        issue.message.contains("describe themselves"),
        "{}",
        issue.message
    );
    issue_at(&issues, "source.password.encoding");
}

#[test]
fn an_unknown_scheme_is_refused_with_the_known_ones() {
    let (text, issues) = refused(&CSV_SOURCE.replace("scheme: sha256", "scheme: sha3_256"));

    let issue = issue_at(&issues, "source.password.scheme");
    assert_eq!(issue.line, line_of(&text, "scheme: sha3_256"));
    for known in ["encoded", "hmac_sha256", "pbkdf2_sha512", "scrypt"] {
        assert!(issue.message.contains(known), "{}", issue.message);
    }
}

#[test]
fn pbkdf2_and_scrypt_parameters_are_checked() {
    let (text, issues) = refused(
        "  format: csv\n  users: u.csv\n  fields: { legacy_id: id }\n  password:\n    scheme: \
         pbkdf2_sha256\n    hash: h\n    encoding: base64\n    salt: s\n    salt_encoding: \
         base64\n    iterations: 0\n",
    );
    let issue = issue_at(&issues, "source.password.iterations");
    assert_eq!(issue.line, line_of(&text, "iterations: 0"));
    assert!(issue.message.contains("between 1 and"), "{}", issue.message);

    let (_, issues) = refused(
        "  format: csv\n  users: u.csv\n  fields: { legacy_id: id }\n  password: { scheme: \
         scrypt, hash: h, encoding: hex, salt: s, salt_encoding: hex, n: 1000, r: 8 }\n",
    );
    assert!(
        issue_at(&issues, "source.password.n")
            .message
            .contains("power of two")
    );
    assert!(
        issue_at(&issues, "source.password.p")
            .message
            .starts_with("give p")
    );
}

#[test]
fn an_hmac_key_written_in_the_plan_is_refused_and_never_shown() {
    const KEY: &str = "9f86d081884c7d659a2feaa0c55ad015";
    let (text, issues) = refused(&format!(
        "  format: csv\n  users: u.csv\n  fields: {{ legacy_id: id }}\n  password:\n    scheme: \
         hmac_sha256\n    hash: h\n    encoding: hex\n    key: {KEY}\n    key_encoding: hex\n"
    ));

    let issue = issue_at(&issues, "source.password.key");
    assert_eq!(issue.line, line_of(&text, "key: "));
    assert!(issue.message.contains("key_env"), "{}", issue.message);
    assert!(
        issue_at(&issues, "source.password.key_env")
            .message
            .starts_with("give key_env")
    );
    let error = parse(&text).expect_err("refused");
    assert!(!error.to_string().contains(KEY));
    for report in error.to_reports() {
        assert!(!format!("{report:?}").contains(KEY), "{report:?}");
    }
}

#[test]
fn a_connection_string_given_for_url_env_is_refused_and_never_shown() {
    const SECRET: &str = "hunter2hunter2";
    let (text, issues) = refused(&format!(
        "  format: sql\n  fields: {{ legacy_id: id }}\n  sql:\n    url_env: \
         postgres://app:{SECRET}@db.internal/app\n    query: select 1\n"
    ));

    let issue = issue_at(&issues, "source.sql.url_env");
    assert_eq!(issue.line, line_of(&text, "url_env:"));
    assert!(
        issue.message.contains("connection string"),
        "{}",
        issue.message
    );
    let error = parse(&text).expect_err("refused");
    for report in error.to_reports() {
        assert!(!format!("{report:?}").contains(SECRET), "{report:?}");
    }
}

#[test]
fn half_a_per_record_choice_is_refused() {
    let (text, issues) = refused(
        "  format: csv\n  users: u.csv\n  fields: { legacy_id: id }\n  password:\n    \
         scheme_column: algo\n    hash: h\n",
    );
    let issue = issue_at(&issues, "source.password.scheme_column");
    assert_eq!(issue.line, line_of(&text, "scheme_column: algo"));

    let (_, issues) = refused(
        "  format: csv\n  users: u.csv\n  fields: { legacy_id: id }\n  password:\n    \
         scheme: md5\n    scheme_column: algo\n    hash: h\n    encoding: hex\n    schemes:\n      \
         old: { when_empty: unavailable }\n",
    );
    assert!(
        issue_at(&issues, "source.password.scheme")
            .message
            .contains("not both")
    );
    issue_at(&issues, "source.password.schemes.old.when_empty");
    issue_at(&issues, "source.password.schemes.old.scheme");
}

#[test]
fn a_csv_dialect_character_must_be_one_character() {
    let (text, issues) = refused(&CSV_SOURCE.replace("delimiter: ';'", "delimiter: ';;'"));

    let issue = issue_at(&issues, "source.csv.delimiter");
    assert_eq!(issue.line, line_of(&text, "delimiter"));
    assert!(
        issue.message.contains("one ASCII character"),
        "{}",
        issue.message
    );
}
