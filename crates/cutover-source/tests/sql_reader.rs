//! The `sql` reader against real PostgreSQL, MariaDB and SQLite databases: the example table
//! reads the same from each, errors name the variable and never the connection string, the
//! session is read-only, and rows stream in order with their numbers.

mod common;
mod databases;
mod example_table;

use std::time::{Duration, Instant};

use cutover_source::{
    FieldPaths, FormatOptions, RecordMapping, SourceConfig, SourceError, SourceItem, SqlOptions,
    open_with_env,
};

use common::{unreadable, users, warnings};
use databases::{Server, TestDatabase};
use example_table::{FLAT, assert_example_table, mapping, passwords};

/// The variable the tests name for the connection string.
const URL_ENV: &str = "LEGACY_DATABASE_URL";

/// A configuration reading `query` from the database at `url` (given as `URL_ENV`).
fn config(query: &str, mapping: RecordMapping) -> SourceConfig {
    let mut options = FormatOptions::default();
    options.mapping = Some(mapping);
    options.sql = Some(SqlOptions {
        url_env: URL_ENV.into(),
        query: query.into(),
        binary: cutover_source::BinaryText::Hex,
    });
    SourceConfig {
        format: "sql".into(),
        options,
        ..SourceConfig::default()
    }
}

/// The environment of a test: the connection string and the example HMAC key.
fn env_for(url: &str) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| match name {
        URL_ENV => Some(url.to_string()),
        other => example_table::env(other),
    }
}

fn open(config: &SourceConfig, url: &str) -> Result<Vec<SourceItem>, SourceError> {
    open_with_env(config, &env_for(url)).map(Iterator::collect)
}

fn open_error(config: &SourceConfig, url: &str) -> SourceError {
    match open(config, url) {
        Ok(_) => panic!("the source opened"),
        Err(error) => error,
    }
}

/// A mapping of `id` and `email` only.
fn id_and_email() -> RecordMapping {
    RecordMapping {
        fields: FieldPaths {
            legacy_id: "id".into(),
            email: Some("email".into()),
            ..FieldPaths::default()
        },
        password: None,
    }
}

const EXAMPLE_QUERY: &str = "select * from app_users order by id";

fn example_table_reads_from(server: Server) {
    let database = TestDatabase::with_example_table(server);

    let items = open(&config(EXAMPLE_QUERY, mapping(&FLAT)), &database.url).expect("opens");

    assert_example_table(&items, &passwords("sql"));
    assert!(unreadable(&items).is_empty());
    let hana = warnings(&items)
        .into_iter()
        .find(|w| w.message.starts_with("user 1012: password:"))
        .expect("a warning about user 1012");
    assert_eq!(hana.file, std::path::Path::new("source.sql.query"));
    assert_eq!(hana.line, Some(12), "the row number of user 1012");
}

#[test]
fn the_example_table_reads_from_postgresql() {
    example_table_reads_from(Server::Postgres);
}

#[test]
fn the_example_table_reads_from_mariadb() {
    example_table_reads_from(Server::MySql);
}

#[test]
fn the_example_table_reads_from_sqlite() {
    example_table_reads_from(Server::Sqlite);
}

#[test]
fn a_connection_error_names_the_variable_and_never_the_connection_string() {
    let cases = [
        "postgres://cutover:s3cr3t-pw@127.0.0.1:1/legacy".to_string(),
        "mysql://root:s3cr3t-pw@127.0.0.1:3306/test".to_string(),
        format!(
            "sqlite:///nonexistent-{}/s3cr3t-pw.db",
            uuid::Uuid::new_v4()
        ),
    ];
    for url in cases {
        let error = open_error(&config("select 1 as id", id_and_email()), &url);

        let message = error.to_string();
        let connecting = matches!(
            &error,
            SourceError::Database { env, action: "connect to", .. } if env == URL_ENV
        );
        assert!(connecting, "{message}");
        assert!(
            message.contains("LEGACY_DATABASE_URL (source.sql.url_env)"),
            "{message}"
        );
        assert!(
            !message.contains("s3cr3t-pw"),
            "the password leaked: {message}"
        );
        assert!(!format!("{error:?}").contains("s3cr3t-pw"), "{error:?}");
    }
}

#[test]
fn a_connection_string_of_another_kind_or_no_variable_at_all_is_refused() {
    let config = config("select 1 as id", id_and_email());

    let error = open_error(&config, "http://db.internal/legacy");
    assert!(
        error
            .to_string()
            .contains("does not start with postgres://"),
        "{error}"
    );

    let error = match open_with_env(&config, &|_| None) {
        Ok(_) => panic!("opened without a connection string"),
        Err(error) => error,
    };
    assert!(matches!(error, SourceError::MissingSecret { env, .. } if env == URL_ENV));
}

#[test]
fn a_failing_query_is_an_error_of_open() {
    for server in [Server::Postgres, Server::MySql, Server::Sqlite] {
        let database = TestDatabase::create(server);

        let error = open_error(
            &config("select id, email from no_such_table", id_and_email()),
            &database.url,
        );

        let message = error.to_string();
        assert!(
            message.starts_with("cannot run source.sql.query on the database named by"),
            "{server:?}: {message}"
        );
        assert!(message.contains("no_such_table"), "{server:?}: {message}");
    }
}

#[test]
fn a_query_that_would_change_the_table_is_refused_by_the_database() {
    let queries = [
        (
            Server::Postgres,
            "delete from app_users returning id, email",
        ),
        (Server::MySql, "delete from app_users"),
        (Server::Sqlite, "delete from app_users returning id, email"),
    ];
    for (server, query) in queries {
        let database = TestDatabase::with_example_table(server);

        let error = open_error(&config(query, id_and_email()), &database.url);

        assert!(
            matches!(error, SourceError::Database { .. }),
            "{server:?}: {error}"
        );
        assert_eq!(
            database.number("select count(*) from app_users"),
            22,
            "{server:?}"
        );
    }
}

#[test]
fn a_mapped_column_the_query_does_not_return_is_an_error_naming_the_setting() {
    let database = TestDatabase::with_example_table(Server::Postgres);

    let error = open_error(
        &config("select id, email as mail from app_users", id_and_email()),
        &database.url,
    );

    let message = error.to_string();
    assert!(
        message.contains(
            "source.fields.email names column \"email\", which source.sql.query \
                          does not return (its columns: id, mail)"
        ),
        "{message}"
    );
}

#[test]
fn rows_stream_in_order_with_their_numbers() {
    let database = TestDatabase::create(Server::Postgres);
    let query = "select g as id, 'user' || g || '@example.com' as email \
                 from generate_series(1, 20000) as g order by g";

    let items = open(&config(query, id_and_email()), &database.url).expect("opens");

    let read = users(&items);
    assert_eq!(read.len(), 20_000);
    assert_eq!(read[0].legacy_id, "1");
    assert_eq!(read[19_999].email.as_deref(), Some("user20000@example.com"));
}

#[test]
fn dropping_the_reader_ends_the_query_and_its_connection() {
    let database = TestDatabase::create(Server::Postgres);
    let query = "select g as id, null as email from generate_series(1, 1000000) as g";
    let active = format!(
        "select count(*) from pg_stat_activity where datname = '{}' and pid <> pg_backend_pid()",
        database.name()
    );

    let mut reader =
        open_with_env(&config(query, id_and_email()), &env_for(&database.url)).expect("opens");
    let first: Vec<SourceItem> = reader.by_ref().take(10).collect();
    assert_eq!(first.len(), 10);
    assert_eq!(
        database.number(&active),
        1,
        "the reader's connection is open"
    );
    drop(reader);

    // The reading thread notices at its next row that nobody listens, and disconnects.
    let deadline = Instant::now() + Duration::from_secs(20);
    while database.number(&active) > 0 {
        assert!(Instant::now() < deadline, "the connection is still open");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_connection_lost_midway_ends_the_stream_with_an_unreadable_record_saying_so() {
    let database = TestDatabase::create(Server::Postgres);
    let query = "select g as id, null as email from generate_series(1, 1000000) as g";
    let terminate = format!(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = '{}'",
        database.name()
    );

    let mut reader =
        open_with_env(&config(query, id_and_email()), &env_for(&database.url)).expect("opens");
    assert_eq!(reader.by_ref().take(5).count(), 5);
    databases::run_admin(Server::Postgres, database.admin_url(), &terminate);
    let rest: Vec<SourceItem> = reader.collect();

    let read = 5 + users(&rest).len();
    assert!(
        read < 1_000_000,
        "every row was read despite the lost connection"
    );
    let broken = unreadable(&rest);
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].line, read as u64 + 1, "the first row not read");
    assert!(
        broken[0]
            .reason
            .starts_with("reading stopped, the rows from here on were not read"),
        "{}",
        broken[0].reason
    );
}

#[test]
fn a_row_that_cannot_be_converted_is_reported_with_its_number_and_reading_goes_on() {
    let database = TestDatabase::create(Server::Sqlite);
    let query = "select 1 as id, 'a@example.com' as email \
                 union all select 2, cast(x'c328' as text) \
                 union all select 3, 'c@example.com'";

    let items = open(&config(query, id_and_email()), &database.url).expect("opens");

    let ids: Vec<&str> = users(&items).iter().map(|u| u.legacy_id.as_str()).collect();
    assert_eq!(ids, ["1", "3"]);
    let broken = unreadable(&items);
    assert_eq!(broken[0].line, 2);
    assert_eq!(
        broken[0].reason,
        "row 2: the value of column \"email\" (text) cannot be converted"
    );
}
