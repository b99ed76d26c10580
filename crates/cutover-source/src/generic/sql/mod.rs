//! The `sql` reader: the rows of a query against PostgreSQL, MySQL/MariaDB or SQLite.
//!
//! Readers are synchronous iterators, and sqlx is asynchronous. The bridge is a thread of the
//! reader's own, running a small single-threaded tokio runtime that connects, runs the query
//! and streams its rows, converting and mapping each one, into a bounded channel. The
//! iterator takes items from the channel. Because the channel is bounded, the database is
//! read only as fast as the migration consumes users, and memory stays flat; because the
//! runtime is the thread's own, the iterator works the same whether it is consumed on a plain
//! thread or inside the caller's async runtime. Dropping the iterator ends the thread at its
//! next row.
//!
//! `open` waits until the query has produced its first row (or ended), so that a wrong
//! connection string, an unreachable server, a failing query or a mapping that names a
//! column the query does not return is an error of `open`, never a silently empty export.

mod cells;
mod connect;

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use futures_util::TryStreamExt;
use serde_json::Map;

use super::config::SqlOptions;
use super::mapper::{Mapper, items};
use crate::{Env, SourceConfig, SourceError, SourceItem, SourceWarning, Unreadable};
use cells::{Cell, Cells};
use connect::{Driver, connect, scrub};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "sql";

/// Where problems with rows are said to be: the query, with the row number as the line.
const QUERY_LABEL: &str = "source.sql.query";

/// Rows converted ahead of the consumer at most.
const CHANNEL_ROWS: usize = 256;

/// What the reading thread tells the iterator.
enum Event {
    /// The query runs; items follow.
    Opened,
    /// Opening failed; nothing follows.
    Failed(SourceError),
    /// The items of one row.
    Items(Vec<SourceItem>),
    /// Reading stopped before the end of the rows.
    Stopped { row: u64, reason: String },
    /// Every row was read.
    Finished,
}

/// Connects, starts the query and returns the stream of items once the first row arrived.
pub(crate) fn open(
    config: &SourceConfig,
    env: Env<'_>,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    let options = config
        .options
        .sql
        .clone()
        .ok_or_else(|| SourceError::Options {
            format: FORMAT,
            reason: "no database and query were given (source.sql)".into(),
        })?;
    let mapper = Mapper::from_options(config.options.mapping.as_ref(), FORMAT, env)?;
    let url = env(&options.url_env).unwrap_or_default();
    if url.trim().is_empty() {
        return Err(SourceError::MissingSecret {
            env: options.url_env,
            setting: "source.sql.url_env",
        });
    }
    let Some(driver) = Driver::of(&url) else {
        return Err(SourceError::Options {
            format: FORMAT,
            reason: format!(
                "the connection string in {} (source.sql.url_env) does not start with \
                 postgres://, postgresql://, mysql://, mariadb:// or sqlite:",
                options.url_env
            ),
        });
    };

    let (sender, events) = sync_channel(CHANNEL_ROWS);
    let producer = Producer {
        options,
        url,
        driver,
        mapper,
        events: sender,
    };
    std::thread::Builder::new()
        .name("cutover-sql-source".into())
        .spawn(move || producer.run())
        .map_err(|error| SourceError::Options {
            format: FORMAT,
            reason: format!("cannot start the database reader: {error}"),
        })?;

    let mut pending = VecDeque::new();
    loop {
        match events.recv() {
            Ok(Event::Opened) => break,
            Ok(Event::Failed(error)) => return Err(error),
            Ok(Event::Items(items)) => pending.extend(items),
            Ok(Event::Stopped { .. } | Event::Finished) | Err(_) => {
                return Err(SourceError::Options {
                    format: FORMAT,
                    reason: "the database reader stopped before the query ran".into(),
                });
            }
        }
    }
    Ok(Box::new(SqlReader {
        events,
        pending,
        done: false,
    }))
}

/// The iterator behind [`open`]: items from the reading thread.
struct SqlReader {
    events: Receiver<Event>,
    pending: VecDeque<SourceItem>,
    done: bool,
}

impl Iterator for SqlReader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }

            match self.events.recv() {
                Ok(Event::Items(items)) => self.pending.extend(items),
                Ok(Event::Finished) => self.done = true,
                Ok(Event::Stopped { row, reason }) => {
                    self.done = true;
                    return Some(stopped(row, reason));
                }
                Ok(Event::Opened | Event::Failed(_)) => {}
                // The thread ended without saying it finished: it panicked.
                Err(_) => {
                    self.done = true;
                    let reason = "the database reader stopped unexpectedly".to_string();
                    return Some(stopped(0, reason));
                }
            }
        }
    }
}

/// The unreadable record that says the rest of the rows were not read.
// TODO: like a read error in the middle of a file, a lost connection ends the export early
// and the run goes on with the users read so far; a run could instead refuse a cut export.
fn stopped(row: u64, reason: String) -> SourceItem {
    SourceItem::Unreadable(Unreadable {
        file: PathBuf::from(QUERY_LABEL),
        line: row,
        reason: format!("reading stopped, the rows from here on were not read: {reason}"),
    })
}

/// The reading thread's state.
struct Producer {
    options: SqlOptions,
    url: String,
    driver: Driver,
    mapper: Mapper,
    events: SyncSender<Event>,
}

impl Producer {
    fn run(self) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match runtime {
            Ok(runtime) => runtime.block_on(self.read()),
            Err(error) => {
                let _ = self.events.send(Event::Failed(SourceError::Options {
                    format: FORMAT,
                    reason: format!("cannot start the database reader: {error}"),
                }));
            }
        }
    }

    async fn read(self) {
        let mut connection = match connect(self.driver, &self.url).await {
            Ok(connection) => connection,
            Err(reason) => {
                self.send(Event::Failed(self.database_error("connect to", &reason)));
                return;
            }
        };
        self.stream(&mut connection).await;
        connection.close().await;
    }

    /// Runs the query and sends its rows; returns when they end, fail, or nobody listens.
    async fn stream(&self, connection: &mut connect::Connection) {
        let mut rows = connection.rows(&self.options.query, self.options.binary);
        let mut mapping = RowMapping::new(&self.mapper);

        // The first row, the end or an error decides whether the source opens at all.
        let first = match rows.try_next().await {
            Ok(Some(first)) => first,
            Ok(None) => {
                let _ = self.send(Event::Opened) && self.send(Event::Finished);
                return;
            }
            Err(error) => {
                let action = "run source.sql.query on";
                self.send(Event::Failed(
                    self.database_error(action, &error.to_string()),
                ));
                return;
            }
        };
        let warnings = match mapping.first_row(&first) {
            Ok(warnings) => warnings,
            Err(error) => {
                self.send(Event::Failed(error));
                return;
            }
        };
        let mut row = 1;
        if !(self.send(Event::Opened)
            && self.send(Event::Items(warnings))
            && self.send(Event::Items(mapping.items(row, first))))
        {
            return;
        }

        loop {
            let event = match rows.try_next().await {
                Ok(Some(cells)) => {
                    row += 1;
                    Event::Items(mapping.items(row, cells))
                }
                Ok(None) => Event::Finished,
                Err(error) => Event::Stopped {
                    row: row + 1,
                    reason: scrub(&error.to_string(), &self.url),
                },
            };
            let last = !matches!(event, Event::Items(_));
            if !self.send(event) || last {
                return;
            }
        }
    }

    /// Sends an event; false when the iterator is gone and reading should stop.
    fn send(&self, event: Event) -> bool {
        self.events.send(event).is_ok()
    }

    /// A connection or query error, naming the variable and never the connection string.
    fn database_error(&self, action: &'static str, reason: &str) -> SourceError {
        SourceError::Database {
            env: self.options.url_env.clone(),
            action,
            reason: scrub(reason, &self.url),
        }
    }
}

/// Turns converted rows into items: checks the columns once, then maps each row.
struct RowMapping<'m> {
    mapper: &'m Mapper,
    /// Columns whose type has no JSON form; left out of every record.
    left_out: HashSet<String>,
}

impl<'m> RowMapping<'m> {
    fn new(mapper: &'m Mapper) -> Self {
        Self {
            mapper,
            left_out: HashSet::new(),
        }
    }

    /// Checks the query's columns against the mapping; returns warnings about left-out ones.
    fn first_row(&mut self, cells: &Cells) -> Result<Vec<SourceItem>, SourceError> {
        let names: Vec<&str> = cells.iter().map(|(name, _)| name.as_str()).collect();
        for (setting, path) in self.mapper.columns() {
            let top = path.split('.').next().unwrap_or(path);
            if !names.contains(&path) && !names.contains(&top) {
                return Err(SourceError::Options {
                    format: FORMAT,
                    reason: format!(
                        "{setting} names column {path:?}, which source.sql.query does not \
                         return (its columns: {})",
                        names.join(", ")
                    ),
                });
            }
        }

        let mut warnings = Vec::new();
        for (name, cell) in cells {
            let Cell::Unsupported(ty) = cell else {
                continue;
            };
            let mapped = self
                .mapper
                .columns()
                .into_iter()
                .find(|(_, path)| path.split('.').next() == Some(name.as_str()));
            if let Some((setting, _)) = mapped {
                return Err(SourceError::Options {
                    format: FORMAT,
                    reason: format!(
                        "{setting} names column {name:?} of type {ty}, which cutover cannot \
                         read; cast it to text in the query ({name}::text or CAST({name} AS \
                         CHAR))"
                    ),
                });
            }
            self.left_out.insert(name.clone());
            warnings.push(SourceItem::Warning(SourceWarning {
                file: PathBuf::from(QUERY_LABEL),
                line: None,
                message: format!(
                    "column {name:?} has type {ty}, which cutover cannot read; it is left out \
                     of the records (cast it to text in the query to keep it)"
                ),
            }));
        }
        Ok(warnings)
    }

    /// The items of row number `row`.
    fn items(&self, row: u64, cells: Cells) -> Vec<SourceItem> {
        let mut record = Map::with_capacity(cells.len());
        for (name, cell) in cells {
            match cell {
                Cell::Value(value) => {
                    record.insert(name, value);
                }
                Cell::Unsupported(_) if self.left_out.contains(&name) => {}
                Cell::Unsupported(ty) | Cell::Failed(ty) => {
                    let reason = format!(
                        "row {row}: the value of column {name:?} ({ty}) cannot be converted"
                    );
                    return items(&PathBuf::from(QUERY_LABEL), row, Err(reason));
                }
            }
        }
        let mapped = self.mapper.map(record);
        items(&PathBuf::from(QUERY_LABEL), row, mapped)
    }
}
