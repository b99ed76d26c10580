//! The `csv` reader: a header row naming the columns, then one user per row, plain or gzip.
//!
//! Rows are read one at a time with the `csv` crate, so memory does not depend on the size
//! of the file. The header is checked against the plan's mapping before any row is read: a
//! mapped column the file does not have is an error naming the setting, not a million
//! users without an email. A row that cannot be used (a wrong number of fields, bytes that
//! are not UTF-8, no legacy id) is reported with the line it starts on and reading goes on.

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use csv::{ByteRecord, ReaderBuilder, Trim};
use serde_json::{Map, Value};

use super::mapper::{Mapper, items};
use crate::input::{Input, open_input};
use crate::table::wrong_width;
use crate::{Env, SourceConfig, SourceError, SourceItem, Unreadable};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "csv";

/// The UTF-8 byte order mark that spreadsheet programs put at the start of a CSV file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Opens the users file named by `config`, checks its header and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
    env: Env<'_>,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    let mapper = Mapper::from_options(config.options.mapping.as_ref(), FORMAT, env)?;
    let dialect = config.options.csv.clone().unwrap_or_default();
    let io_error = |source| SourceError::Io {
        role: "users",
        path: config.users.clone(),
        source,
    };
    let mut input = open_input(&config.users).map_err(io_error)?;
    if input.fill_buf().map_err(io_error)?.starts_with(BOM) {
        input.consume(BOM.len());
    }

    let mut reader = ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .escape(dialect.escape)
        .double_quote(dialect.escape.is_none())
        .flexible(true)
        .trim(Trim::Headers)
        .from_reader(input);
    let header = read_header(&mut reader, &config.users)?;
    check_columns(&mapper, &header, &config.users)?;

    Ok(Box::new(CsvReader {
        file: config.users.clone(),
        reader,
        header,
        null: dialect.null,
        mapper,
        row: ByteRecord::new(),
        pending: VecDeque::new(),
        done: false,
    }))
}

/// Reads the header row; a file without one, or with unusable column names, is refused.
fn read_header(reader: &mut csv::Reader<Input>, file: &Path) -> Result<Vec<String>, SourceError> {
    let refuse = |reason: String| SourceError::Options {
        format: FORMAT,
        reason: format!("{}: {reason}", file.display()),
    };
    let header = match reader.byte_headers() {
        Ok(header) => header.clone(),
        Err(error) => return Err(refuse(format!("cannot read the header row: {error}"))),
    };
    if header.is_empty() || header.iter().all(<[u8]>::is_empty) {
        return Err(refuse(
            "the file is empty; a CSV export starts with a header row naming the columns".into(),
        ));
    }

    let mut names = Vec::with_capacity(header.len());
    let mut seen = HashSet::new();
    for (index, name) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(name) else {
            return Err(refuse(format!(
                "the name of column {} in the header is not UTF-8",
                index + 1
            )));
        };
        if !name.is_empty() && !seen.insert(name) {
            return Err(refuse(format!(
                "the header names column {name:?} twice, so its values would be ambiguous"
            )));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// Refuses a mapping that names a column the header does not have.
fn check_columns(mapper: &Mapper, header: &[String], file: &Path) -> Result<(), SourceError> {
    for (setting, column) in mapper.columns() {
        if !header.iter().any(|name| name == column) {
            return Err(SourceError::Options {
                format: FORMAT,
                reason: format!(
                    "{setting} names column {column:?}, which the header of {} does not have \
                     (its columns: {})",
                    file.display(),
                    list(header)
                ),
            });
        }
    }
    Ok(())
}

/// The column names for a message, the first 40 of them.
fn list(header: &[String]) -> String {
    let shown: Vec<&str> = header.iter().take(40).map(String::as_str).collect();
    let more = header.len().saturating_sub(shown.len());
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// The iterator behind [`open`].
struct CsvReader<R> {
    file: PathBuf,
    reader: csv::Reader<R>,
    header: Vec<String>,
    null: Option<String>,
    mapper: Mapper,
    row: ByteRecord,
    pending: VecDeque<SourceItem>,
    done: bool,
}

impl<R: Read> Iterator for CsvReader<R> {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }

            match self.reader.read_byte_record(&mut self.row) {
                Ok(true) => {
                    let line = self.row.position().map_or(0, csv::Position::line);
                    let next_line = self.reader.position().line();
                    let mapped = self
                        .record(line, next_line)
                        .and_then(|record| self.mapper.map(record));
                    self.pending.extend(items(&self.file, line, mapped));
                }
                Ok(false) => self.done = true,
                Err(error) => {
                    // Only an I/O error can end up here (rows of any length are accepted and
                    // checked below), and the reader cannot go on after one.
                    self.done = true;
                    let line = error.position().map_or(0, csv::Position::line);
                    return Some(SourceItem::Unreadable(Unreadable {
                        file: self.file.clone(),
                        line,
                        reason: format!("read error, the rest of the file was not read: {error}"),
                    }));
                }
            }
        }
    }
}

impl<R> CsvReader<R> {
    /// The current row, which starts on `line` and ends before `next_line`, as an object from
    /// column name to cell (empty and null cells as null).
    fn record(&self, line: u64, next_line: u64) -> Result<Map<String, Value>, String> {
        if self.row.len() != self.header.len() {
            let (found, expected) = (self.row.len(), self.header.len());
            return Err(wrong_width(found, expected, line, next_line));
        }

        let mut record = Map::with_capacity(self.header.len());
        for (name, cell) in self.header.iter().zip(self.row.iter()) {
            let Ok(cell) = std::str::from_utf8(cell) else {
                return Err(format!("the value of column {name:?} is not UTF-8"));
            };
            let value = if cell.is_empty() || self.null.as_deref() == Some(cell) {
                Value::Null
            } else {
                Value::String(cell.to_string())
            };
            // Columns without a name are kept out: they cannot be mapped or used by rules.
            if !name.is_empty() {
                record.insert(name.clone(), value);
            }
        }
        Ok(record)
    }
}
