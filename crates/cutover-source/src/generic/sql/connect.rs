//! Connecting to the legacy database, read-only, with the driver the connection string names.
//!
//! The connection string comes from an environment variable because it usually holds a
//! password; nothing here ever puts it in an error. Every connection is made read-only before
//! the plan's query runs, so a mistaken query (`delete ... returning *`) is refused by the
//! database instead of changing the system being migrated from.

use std::str::FromStr;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection as _};

use super::cells::{self, Cells};
use crate::generic::config::BinaryText;

/// How long connecting may take before the source gives up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The database a connection string names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    /// PostgreSQL (`postgres://`, `postgresql://`).
    Postgres,
    /// MySQL or MariaDB (`mysql://`, `mariadb://`).
    MySql,
    /// SQLite (`sqlite:`).
    Sqlite,
}

impl Driver {
    /// The driver for a connection string, from its scheme.
    pub(super) fn of(url: &str) -> Option<Driver> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Some(Driver::Postgres),
            "mysql" | "mariadb" => Some(Driver::MySql),
            "sqlite" => Some(Driver::Sqlite),
            _ => None,
        }
    }
}

/// An open, read-only connection.
pub(super) enum Connection {
    Postgres(PgConnection),
    MySql(MySqlConnection),
    Sqlite(SqliteConnection),
}

/// Connects and makes the session read-only.
pub(super) async fn connect(driver: Driver, url: &str) -> Result<Connection, String> {
    let connecting = async {
        match driver {
            Driver::Postgres => {
                let options = PgConnectOptions::from_str(url)?
                    .options([("default_transaction_read_only", "on")]);
                Ok(Connection::Postgres(options.connect().await?))
            }
            Driver::MySql => {
                let options = MySqlConnectOptions::from_str(url)?;
                let mut connection = options.connect().await?;
                sqlx::raw_sql("SET SESSION TRANSACTION READ ONLY")
                    .execute(&mut connection)
                    .await?;
                Ok(Connection::MySql(connection))
            }
            Driver::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)?.read_only(true);
                Ok(Connection::Sqlite(options.connect().await?))
            }
        }
    };

    match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(result) => result.map_err(|error: sqlx::Error| error.to_string()),
        Err(_) => Err(format!(
            "no connection after {} seconds",
            CONNECT_TIMEOUT.as_secs()
        )),
    }
}

impl Connection {
    /// Runs `query` and streams its rows converted to cells.
    pub(super) fn rows<'c>(
        &'c mut self,
        query: &'c str,
        binary: BinaryText,
    ) -> futures_util::stream::BoxStream<'c, Result<Cells, sqlx::Error>> {
        match self {
            Connection::Postgres(connection) => sqlx::query(AssertSqlSafe(query))
                .fetch(connection)
                .map_ok(move |row| cells::postgres(&row, binary))
                .boxed(),
            Connection::MySql(connection) => sqlx::query(AssertSqlSafe(query))
                .fetch(connection)
                .map_ok(move |row| cells::mysql(&row, binary))
                .boxed(),
            Connection::Sqlite(connection) => sqlx::query(AssertSqlSafe(query))
                .fetch(connection)
                .map_ok(move |row| cells::sqlite(&row, binary))
                .boxed(),
        }
    }

    /// Closes the connection politely; a failure to do so changes nothing for the reader.
    pub(super) async fn close(self) {
        let _ = match self {
            Connection::Postgres(connection) => connection.close().await,
            Connection::MySql(connection) => connection.close().await,
            Connection::Sqlite(connection) => connection.close().await,
        };
    }
}

/// Removes the password of a connection string from a message, in case a driver quoted it.
pub(super) fn scrub(message: &str, url: &str) -> String {
    let mut scrubbed = message.replace(url, "<connection string>");
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password);
    if let Some(password) = password.filter(|p| p.len() >= 4) {
        scrubbed = scrubbed.replace(password, "***");
    }
    scrubbed
}
