//! Throwaway databases on the real servers the `sql` reader supports: each test creates a
//! database (or a SQLite file) with a name of its own and drops it when done, so parallel
//! runs never meet.
//!
//! The servers are PostgreSQL and MariaDB on loopback, as on the development machines and in
//! CI; `CUTOVER_TEST_POSTGRES_URL` and `CUTOVER_TEST_MYSQL_URL` point the tests at others
//! (a URL of the server's administrative database, whose user may create databases).

#![allow(dead_code)]

use sqlx::{AssertSqlSafe, Connection};

/// The PostgreSQL server used unless `CUTOVER_TEST_POSTGRES_URL` says otherwise.
const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The MySQL/MariaDB server used unless `CUTOVER_TEST_MYSQL_URL` says otherwise.
const MYSQL: &str = "mysql://root@127.0.0.1:3306/test";

/// Which server a test database lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Postgres,
    MySql,
    Sqlite,
}

/// A database that exists for one test and is dropped with this value.
pub struct TestDatabase {
    /// The connection string of the database, for the reader.
    pub url: String,
    server: Server,
    name: String,
    admin_url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    /// Creates an empty database on `server`.
    pub fn create(server: Server) -> TestDatabase {
        let name = format!("cutover_test_{}", uuid::Uuid::new_v4().simple());
        match server {
            Server::Postgres => {
                let admin_url = admin_url("CUTOVER_TEST_POSTGRES_URL", POSTGRES);
                run_admin(server, &admin_url, &format!("create database {name}"));
                let url = with_database(&admin_url, &name);
                TestDatabase {
                    url,
                    server,
                    name,
                    admin_url,
                    _dir: None,
                }
            }
            Server::MySql => {
                let admin_url = admin_url("CUTOVER_TEST_MYSQL_URL", MYSQL);
                let create = format!("create database {name} character set utf8mb4");
                run_admin(server, &admin_url, &create);
                let url = with_database(&admin_url, &name);
                TestDatabase {
                    url,
                    server,
                    name,
                    admin_url,
                    _dir: None,
                }
            }
            Server::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let path = dir.path().join(format!("{name}.db"));
                let url = format!("sqlite://{}", path.display());
                let create = format!("{url}?mode=rwc");
                block_on(async {
                    let connection = sqlx::SqliteConnection::connect(&create).await;
                    connection
                        .expect("create the SQLite file")
                        .close()
                        .await
                        .ok();
                });
                TestDatabase {
                    url,
                    server,
                    name,
                    admin_url: String::new(),
                    _dir: Some(dir),
                }
            }
        }
    }

    /// Creates a database holding the example table of `plans/examples/sql`.
    pub fn with_example_table(server: Server) -> TestDatabase {
        let database = TestDatabase::create(server);
        let dir = crate::example_table::examples_dir().join("sql");
        for file in ["schema.sql", "seed.sql"] {
            let text = std::fs::read_to_string(dir.join(file)).expect("example SQL");
            database.execute(&text);
        }
        database
    }

    /// Runs SQL statements, each ending with `;` at the end of a line.
    pub fn execute(&self, sql: &str) {
        let statements: Vec<String> = sql
            .split(";\n")
            .map(str::trim)
            .filter(|s| {
                s.lines()
                    .any(|line| !line.trim().is_empty() && !line.starts_with("--"))
            })
            .map(str::to_string)
            .collect();
        let url = if self.server == Server::Sqlite {
            format!("{}?mode=rw", self.url)
        } else {
            self.url.clone()
        };
        let server = self.server;
        block_on(async move {
            for statement in statements {
                let result = match server {
                    Server::Postgres => {
                        let mut c = sqlx::PgConnection::connect(&url).await.expect("connect");
                        sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                            .execute(&mut c)
                            .await
                            .map(|_| ())
                    }
                    Server::MySql => {
                        let mut c = sqlx::MySqlConnection::connect(&url).await.expect("connect");
                        sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                            .execute(&mut c)
                            .await
                            .map(|_| ())
                    }
                    Server::Sqlite => {
                        let mut c = sqlx::SqliteConnection::connect(&url)
                            .await
                            .expect("connect");
                        sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                            .execute(&mut c)
                            .await
                            .map(|_| ())
                    }
                };
                result.unwrap_or_else(|error| panic!("{statement}\nfailed: {error}"));
            }
        });
    }

    /// One number from a query, such as a count.
    pub fn number(&self, query: &str) -> i64 {
        let url = self.url.clone();
        let server = self.server;
        let query = query.to_string();
        block_on(async move {
            let query = AssertSqlSafe(query);
            match server {
                Server::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&url).await.expect("connect");
                    sqlx::query_scalar(query)
                        .fetch_one(&mut c)
                        .await
                        .expect("query")
                }
                Server::MySql => {
                    let mut c = sqlx::MySqlConnection::connect(&url).await.expect("connect");
                    sqlx::query_scalar(query)
                        .fetch_one(&mut c)
                        .await
                        .expect("query")
                }
                Server::Sqlite => {
                    let mut c = sqlx::SqliteConnection::connect(&url)
                        .await
                        .expect("connect");
                    sqlx::query_scalar(query)
                        .fetch_one(&mut c)
                        .await
                        .expect("query")
                }
            }
        })
    }

    /// The database's name (PostgreSQL, MySQL) or file stem (SQLite).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The administrative connection string of the server.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let drop = match self.server {
            Server::Postgres => format!("drop database if exists {} with (force)", self.name),
            Server::MySql => format!("drop database if exists {}", self.name),
            Server::Sqlite => return,
        };
        run_admin(self.server, &self.admin_url, &drop);
    }
}

/// Runs one statement on the server's administrative database.
pub fn run_admin(server: Server, admin_url: &str, statement: &str) {
    let url = admin_url.to_string();
    let statement = statement.to_string();
    block_on(async move {
        let result = match server {
            Server::Postgres => {
                let mut c = sqlx::PgConnection::connect(&url)
                    .await
                    .expect("connect as admin");
                sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                    .execute(&mut c)
                    .await
                    .map(|_| ())
            }
            Server::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&url)
                    .await
                    .expect("connect as admin");
                sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                    .execute(&mut c)
                    .await
                    .map(|_| ())
            }
            Server::Sqlite => Ok(()),
        };
        result.unwrap_or_else(|error| panic!("{statement} failed: {error}"));
    });
}

/// Runs a future to completion on a runtime of its own (the reader under test has another).
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn admin_url(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_string())
}

/// The connection string of another database on the same server.
fn with_database(url: &str, name: &str) -> String {
    let (server, _) = url.rsplit_once('/').expect("a URL with a database");
    format!("{server}/{name}")
}
