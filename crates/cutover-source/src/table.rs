//! Reading CSV exports row by row, each row tagged with the line it starts on.
//!
//! The `csv` crate does the parsing (quoting, doubled quotes, line breaks inside quotes) and
//! streams, so memory stays flat. This module adds what the readers need on top: the
//! 1-based line of every row, fields checked to be UTF-8 one by one (so one bad byte makes
//! one record unreadable, not the file), and rows turned into JSON objects keyed by a
//! header, so that CSV and JSON exports of the same system go through the same mapping.

use serde_json::{Map, Value};

use crate::input::Input;
use crate::records::Record;

/// One row of a CSV file: where it starts, and its fields or why it has none.
pub(crate) struct Row {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The line after the row: more than one line on is a row with a quoted line break.
    pub next_line: u64,
    /// The fields, or a reason that never quotes the row's content.
    pub fields: Result<Vec<String>, String>,
}

/// The rows of a CSV file without a header, in file order.
pub(crate) struct Rows {
    reader: csv::Reader<Input>,
    record: csv::ByteRecord,
    done: bool,
}

impl Rows {
    /// Starts reading `input`; rows may have different numbers of fields.
    pub(crate) fn new(input: Input) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        Self {
            reader,
            record: csv::ByteRecord::new(),
            done: false,
        }
    }
}

impl Iterator for Rows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.done {
            return None;
        }

        let line = self.reader.position().line();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(line, csv::Position::line);
                Some(Row {
                    line,
                    next_line: self.reader.position().line(),
                    fields: utf8_fields(&self.record),
                })
            }
            Err(error) => {
                // Without strict settings the parser only fails on I/O, which ends the file.
                self.done = true;
                let line = error.position().map_or(line, csv::Position::line);
                Some(Row {
                    line,
                    next_line: line + 1,
                    fields: Err(format!("read error: {error}")),
                })
            }
        }
    }
}

/// The fields of a row as text; a field that is not UTF-8 makes the row unreadable.
fn utf8_fields(record: &csv::ByteRecord) -> Result<Vec<String>, String> {
    record
        .iter()
        .enumerate()
        .map(|(index, field)| {
            String::from_utf8(field.to_vec())
                .map_err(|_| format!("field {} is not UTF-8 text", index + 1))
        })
        .collect()
}

/// The rows of a CSV file with a header row, each turned into a JSON object.
///
/// Every value is a JSON string, except empty cells, which become `null` (a CSV cannot tell
/// an empty string from a missing value, and exports write missing values as empty cells).
/// A row whose number of fields differs from the header's is unreadable: its values cannot
/// be matched to their columns.
pub(crate) struct HeaderRecords {
    rows: Rows,
    header: Option<Vec<String>>,
}

impl HeaderRecords {
    /// Reads `input`, taking its first row as the header.
    pub(crate) fn new(input: Input) -> Self {
        Self {
            rows: Rows::new(input),
            header: None,
        }
    }
}

impl Iterator for HeaderRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            let row = self.rows.next()?;
            let Some(header) = &self.header else {
                match row.fields {
                    Ok(fields) => {
                        self.header = Some(fields.iter().map(|f| f.trim().to_string()).collect());
                        continue;
                    }
                    Err(reason) => {
                        let reason = format!("the header row cannot be read: {reason}");
                        return Some(Record {
                            line: row.line,
                            parsed: Err(reason),
                        });
                    }
                }
            };

            let parsed = row.fields.and_then(|fields| {
                if fields.len() == header.len() {
                    Ok(object(header, fields))
                } else {
                    Err(wrong_width(
                        fields.len(),
                        header.len(),
                        row.line,
                        row.next_line,
                    ))
                }
            });
            return Some(Record {
                line: row.line,
                parsed,
            });
        }
    }
}

/// Why a row whose number of fields differs from the header's is unreadable. A row that runs
/// over several lines usually holds a quote that is never closed: the parser then reads every
/// line up to the next quote, or to the end of the file, into it, and the operator must hear
/// that those lines were lost with it.
// TODO: a quote left open in the last column swallows the following lines without changing the
// row's width, so that row is read as a user with a long last value and no error.
pub(crate) fn wrong_width(found: usize, expected: usize, line: u64, next_line: u64) -> String {
    let width = format!("the row has {found} fields where the header has {expected}");
    over_lines(width, line, next_line)
}

/// Adds to why a row is unreadable the lines it swallowed, when it runs over several lines.
pub(crate) fn over_lines(reason: String, line: u64, next_line: u64) -> String {
    if next_line <= line + 1 {
        return reason;
    }
    format!(
        "{reason}; it runs inside a quoted field from line {line} to line {}, so none of those \
         lines is read as a user: close the quote opened on line {line} and read the file again",
        next_line - 1
    )
}

/// Pairs a row's fields with the header's column names.
fn object(header: &[String], fields: Vec<String>) -> Value {
    let mut object = Map::new();
    for (name, value) in header.iter().zip(fields) {
        let value = if value.is_empty() {
            Value::Null
        } else {
            Value::String(value)
        };
        object.insert(name.clone(), value);
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::input::decode;

    fn input(text: &str) -> Input {
        decode(Cursor::new(text.as_bytes().to_vec())).expect("in-memory input")
    }

    #[test]
    fn rows_carry_the_line_they_start_on_even_across_quoted_line_breaks() {
        let rows: Vec<(u64, Vec<String>)> = Rows::new(input("a,\"b\nc\",d\ne,f\n"))
            .map(|row| (row.line, row.fields.expect("readable")))
            .collect();

        assert_eq!(rows[0], (1, vec!["a".into(), "b\nc".into(), "d".into()]));
        assert_eq!(rows[1], (3, vec!["e".into(), "f".into()]));
    }

    #[test]
    fn a_quote_never_closed_is_reported_with_the_lines_it_ran_over() {
        let records: Vec<Record> =
            HeaderRecords::new(input("email,id\n\"a@example.com,1\nb,2\nc,3\n")).collect();

        assert_eq!(records.len(), 1);
        let reason = records[0].parsed.as_ref().unwrap_err();
        assert!(reason.contains("from line 2 to line 4"), "{reason}");
    }

    #[test]
    fn a_field_that_is_not_utf8_makes_only_its_row_unreadable() {
        let bytes = b"a,b\nx,\xff\ny,z\n".to_vec();
        let rows: Vec<Row> = Rows::new(decode(Cursor::new(bytes)).expect("input")).collect();

        assert_eq!(rows[1].fields, Err("field 2 is not UTF-8 text".into()));
        assert_eq!(rows[2].fields, Ok(vec!["y".to_string(), "z".to_string()]));
    }

    #[test]
    fn header_records_are_objects_with_nulls_for_empty_cells() {
        let records: Vec<Record> =
            HeaderRecords::new(input("id,email\n1,a@example.com\n2,\n3\n")).collect();

        let values: Vec<(u64, Result<Value, String>)> =
            records.into_iter().map(|r| (r.line, r.parsed)).collect();
        assert_eq!(
            values[0],
            (
                2,
                Ok(serde_json::json!({"id": "1", "email": "a@example.com"}))
            )
        );
        assert_eq!(
            values[1],
            (3, Ok(serde_json::json!({"id": "2", "email": null})))
        );
        assert_eq!(
            values[2],
            (4, Err("the row has 1 fields where the header has 2".into()))
        );
    }
}
