//! How the `sql` reader turns each database's column types into the JSON of a record, so
//! that the field mapping and the raw record work the same as for files.

mod common;
mod databases;
mod example_table;

use cutover_source::{
    BinaryText, FieldPaths, FormatOptions, RecordMapping, SourceConfig, SourceItem, SqlOptions,
    open_with_env,
};
use serde_json::json;

use common::{unreadable, users, warnings};
use databases::{Server, TestDatabase};

fn config(query: &str, fields: FieldPaths, binary: BinaryText) -> SourceConfig {
    let mut options = FormatOptions::default();
    options.mapping = Some(RecordMapping {
        fields,
        password: None,
    });
    options.sql = Some(SqlOptions {
        url_env: "LEGACY_DATABASE_URL".into(),
        query: query.into(),
        binary,
    });
    SourceConfig {
        format: "sql".into(),
        options,
        ..SourceConfig::default()
    }
}

fn read(database: &TestDatabase, config: &SourceConfig) -> Vec<SourceItem> {
    let url = database.url.clone();
    open_with_env(config, &move |_| Some(url.clone()))
        .expect("the query runs")
        .collect()
}

fn some(path: &str) -> Option<String> {
    Some(path.to_string())
}

#[test]
fn postgresql_types_become_json_and_numeric_is_left_out_with_a_warning() {
    let database = TestDatabase::create(Server::Postgres);
    database.execute(
        "create type mood as enum ('happy', 'sad');
         create domain email_address as text;
         create table t (
             id uuid primary key,
             email email_address,
             mood mood,
             profile jsonb,
             seen timestamptz,
             created timestamp,
             born date,
             avatar bytea,
             tags text[],
             counter bigint,
             ratio double precision,
             balance numeric(10, 2),
             verified boolean,
             small smallint
         );
         insert into t values ('6f1c1c9e-2b1a-4a59-9c64-0f0b5e3a9d10', 'a@example.com',
             'happy', '{\"first\": \"Zoë\", \"address\": {\"city\": \"Köln\"}}',
             '2021-03-04 05:06:07.25+01', '2021-03-04 05:06:07', '1990-12-31',
             '\\xdeadbeef', '{a,b}', 9007199254740993, 0.5, 12.34, true, 7);
",
    );
    let fields = FieldPaths {
        legacy_id: "id".into(),
        email: some("email"),
        email_verified: some("verified"),
        given_name: some("profile.first"),
        tenant: some("profile.address.city"),
        created_at: some("seen"),
        updated_at: some("created"),
        ..FieldPaths::default()
    };

    let items = read(
        &database,
        &config("select * from t", fields, BinaryText::Hex),
    );

    let user = users(&items)[0];
    assert_eq!(user.legacy_id, "6f1c1c9e-2b1a-4a59-9c64-0f0b5e3a9d10");
    assert_eq!(user.email.as_deref(), Some("a@example.com"));
    assert!(user.email_verified);
    assert_eq!(user.given_name.as_deref(), Some("Zoë"));
    assert_eq!(user.tenant.as_deref(), Some("Köln"));
    let at = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|t| t.to_rfc3339());
    assert_eq!(
        at(user.created_at).as_deref(),
        Some("2021-03-04T04:06:07.250+00:00")
    );
    assert_eq!(
        at(user.updated_at).as_deref(),
        Some("2021-03-04T05:06:07+00:00")
    );
    assert_eq!(
        user.raw,
        json!({
            "id": "6f1c1c9e-2b1a-4a59-9c64-0f0b5e3a9d10",
            "email": "a@example.com",
            "mood": "happy",
            "profile": {"first": "Zoë", "address": {"city": "Köln"}},
            "seen": "2021-03-04T04:06:07.250Z",
            "created": "2021-03-04T05:06:07",
            "born": "1990-12-31",
            "avatar": "deadbeef",
            "tags": ["a", "b"],
            "counter": 9_007_199_254_740_993_i64,
            "ratio": 0.5,
            "verified": true,
            "small": 7
        })
    );
    let warning = &warnings(&items)[0];
    assert_eq!(warning.line, None);
    assert!(
        warning
            .message
            .starts_with("column \"balance\" has type numeric"),
        "{}",
        warning.message
    );
}

#[test]
fn a_mapped_column_of_a_type_without_json_form_is_an_error_advising_a_cast() {
    let database = TestDatabase::create(Server::Postgres);
    let fields = FieldPaths {
        legacy_id: "id".into(),
        email: some("email"),
        tenant: some("balance"),
        ..FieldPaths::default()
    };
    let query = "select 1 as id, 'a@example.com' as email, 12.5::numeric as balance";

    let url = database.url.clone();
    let error = match open_with_env(&config(query, fields, BinaryText::Hex), &move |_| {
        Some(url.clone())
    }) {
        Ok(_) => panic!("opened"),
        Err(error) => error,
    };

    let message = error.to_string();
    assert!(message.contains("source.fields.tenant names column \"balance\" of type numeric"));
    assert!(message.contains("balance::text"), "{message}");
}

#[test]
fn mariadb_types_become_json_zero_dates_are_null_and_an_impossible_time_is_reported() {
    let database = TestDatabase::create(Server::MySql);
    database.execute(
        "create table t (
             id bigint unsigned primary key,
             email varchar(100),
             verified tinyint(1),
             balance decimal(10, 2),
             created datetime(3),
             born date,
             salt varbinary(8),
             role enum('admin', 'user'),
             prefs json,
             small tinyint,
             opens time
         );
         insert into t values (18446744073709551615, 'a@example.com', 1, 12.34,
             '2021-03-04 05:06:07.250', '0000-00-00', x'deadbeef', 'admin', '{\"a\": 1}', -3,
             '12:00:00');
         insert into t values (2, 'b@example.com', 0, 0, null, null, null, 'user', null, 0,
             '838:59:59');
",
    );
    let fields = FieldPaths {
        legacy_id: "id".into(),
        email: some("email"),
        email_verified: some("verified"),
        created_at: some("created"),
        tenant: some("role"),
        ..FieldPaths::default()
    };

    let items = read(
        &database,
        &config("select * from t order by email", fields, BinaryText::Base64),
    );

    let user = users(&items)[0];
    assert_eq!(user.legacy_id, "18446744073709551615");
    assert!(user.email_verified);
    assert_eq!(user.tenant.as_deref(), Some("admin"));
    assert_eq!(
        user.created_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2021-03-04T05:06:07.250+00:00")
    );
    assert_eq!(
        user.raw,
        json!({
            "id": 18_446_744_073_709_551_615_u64,
            "email": "a@example.com",
            "verified": true,
            "balance": "12.34",
            "created": "2021-03-04T05:06:07.250",
            "born": null,
            "salt": "3q2+7w==",
            "role": "admin",
            "prefs": "{\"a\": 1}",
            "small": -3,
            "opens": "12:00:00"
        })
    );
    assert_eq!(users(&items).len(), 1);
    let broken = unreadable(&items);
    assert_eq!(broken[0].line, 2);
    assert_eq!(
        broken[0].reason,
        "row 2: the value of column \"opens\" (time) cannot be converted"
    );
}

#[test]
fn sqlite_values_are_read_by_their_own_type_and_declared_booleans_stay_booleans() {
    let database = TestDatabase::create(Server::Sqlite);
    database.execute(
        "create table t (id integer primary key, email text, verified boolean, score real,
             avatar blob, note);
         insert into t values (1, 'a@example.com', 1, 2.5, x'deadbeef', 42);
         insert into t values (2, 'b@example.com', 0, null, null, 'text');
",
    );
    let fields = FieldPaths {
        legacy_id: "id".into(),
        email: some("email"),
        email_verified: some("verified"),
        ..FieldPaths::default()
    };

    let items = read(
        &database,
        &config("select * from t order by id", fields, BinaryText::Hex),
    );

    let read = users(&items);
    assert!(read[0].email_verified);
    assert!(!read[1].email_verified);
    assert_eq!(
        read[0].raw,
        json!({"id": 1, "email": "a@example.com", "verified": true, "score": 2.5,
               "avatar": "deadbeef", "note": 42})
    );
    assert_eq!(read[1].raw["note"], json!("text"));
    assert_eq!(read[1].raw["avatar"], json!(null));
}
