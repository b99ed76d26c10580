//! Splitting an export file into JSON records, each tagged with the line it starts on.
//!
//! Exports come as NDJSON (one record a line, what Auth0's export job writes), as one JSON
//! array (what people get after `jq -s`, and Auth0's import format), or as an array under a
//! key of one top-level object (an *envelope*: `firebase auth:export` writes
//! `{"users": [...]}`). All are read record by record so that memory stays flat however
//! large the file is; for an array that means scanning the bytes for element boundaries
//! instead of parsing the whole document.
//!
//! A record that is not valid JSON becomes an `Err` with a reason and reading goes on. Only
//! an I/O error or a broken array or envelope structure ends the stream, after one last
//! `Err` record.

use std::io::{self, BufRead};

use serde_json::Value;

use crate::input::Input;
use crate::value_end::ValueEnd;

/// The UTF-8 byte order mark some Windows tools put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One record of an export file: where it starts, and its JSON or why it has none.
///
/// It has no `Debug` on purpose: a record of the password-hash file holds a hash.
pub(crate) struct Record {
    /// The 1-based line the record starts on.
    pub line: u64,
    /// The parsed record, or a reason that never quotes the record's content.
    pub parsed: Result<Value, String>,
}

/// Where the reader stands in the file's structure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One record per line.
    Lines,
    /// Inside a top-level array.
    Array,
    /// Between the members of the envelope object.
    Members,
    /// Inside the array held by the envelope's key.
    Wrapped,
}

/// An iterator over the records of an NDJSON file, a JSON array file or an envelope.
pub(crate) struct Records {
    input: Input,
    mode: Mode,
    /// The envelope key whose array holds the records, when reading an envelope.
    key: Option<&'static str>,
    /// Whether the envelope's key was found.
    key_seen: bool,
    /// In an array: whether an element was read since the last comma.
    after_element: bool,
    /// Newlines consumed so far; the current line is one more.
    newlines: u64,
    buf: Vec<u8>,
    done: bool,
}

impl Records {
    /// Starts reading `input`, detecting NDJSON or a JSON array.
    pub(crate) fn new(input: Input) -> io::Result<Self> {
        Self::start(input, None)
    }

    /// Starts reading `input` as an envelope, `{"<key>": [records...], ...}`.
    ///
    /// A bare top-level array is accepted too, since people unwrap envelopes with `jq`.
    /// Other members of the envelope are checked to be JSON and skipped.
    pub(crate) fn envelope(input: Input, key: &'static str) -> io::Result<Self> {
        Self::start(input, Some(key))
    }

    fn start(input: Input, key: Option<&'static str>) -> io::Result<Self> {
        let mut records = Self {
            input,
            mode: Mode::Lines,
            key,
            key_seen: false,
            after_element: false,
            newlines: 0,
            buf: Vec::new(),
            done: false,
        };

        if records.input.fill_buf()?.starts_with(BOM) {
            records.input.consume(BOM.len());
        }

        records.skip_whitespace()?;
        match records.peek()? {
            Some(b'[') => {
                records.bump(b'[');
                records.mode = Mode::Array;
            }
            Some(b'{') if key.is_some() => {
                records.bump(b'{');
                records.mode = Mode::Members;
            }
            _ => {}
        }
        Ok(records)
    }

    /// Reads the next non-blank line as a record.
    fn next_line(&mut self) -> Option<Record> {
        loop {
            self.buf.clear();
            let line = self.newlines + 1;
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(error) => return Some(self.fail(line, format!("read error: {error}"))),
            }

            if self.buf.last() == Some(&b'\n') {
                self.newlines += 1;
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // Without its line break, a cut-off record is reported as ending early rather
            // than as holding a control character.
            let record = self.buf.trim_ascii_end();
            return Some(Record {
                line,
                parsed: parse(record, line),
            });
        }
    }

    /// Reads the next element of the JSON array as a record.
    fn next_element(&mut self) -> io::Result<Option<Record>> {
        loop {
            self.skip_whitespace()?;
            let line = self.newlines + 1;
            match self.peek()? {
                None => return Ok(Some(self.fail(line, "the JSON array is not closed".into()))),
                Some(b']') => {
                    self.bump(b']');
                    if self.mode == Mode::Wrapped {
                        self.mode = Mode::Members;
                        self.after_element = true;
                        return Ok(None);
                    }
                    return self.end("unexpected content after the JSON array");
                }
                // A comma only separates; a trailing one before `]` is tolerated.
                Some(b',') if self.after_element => {
                    self.bump(b',');
                    self.after_element = false;
                }
                Some(_) if self.after_element => {
                    let reason = "expected `,` or `]` after an array element";
                    return Ok(Some(self.fail(line, reason.into())));
                }
                Some(_) => {
                    self.after_element = true;
                    if !self.collect_element()? {
                        let reason = "the file ends inside an array element";
                        return Ok(Some(self.fail(line, reason.into())));
                    }
                    return Ok(Some(Record {
                        line,
                        parsed: parse(&self.buf, line),
                    }));
                }
            }
        }
    }

    /// Reads the envelope's members up to its array (or its end), skipping the others.
    ///
    /// Returns a record only for a problem; `Ok(None)` with `mode` switched to `Wrapped`
    /// means the array starts, and `Ok(None)` with `done` set means the file ended well.
    fn next_member(&mut self) -> io::Result<Option<Record>> {
        let key = self.key.unwrap_or_default();
        loop {
            self.skip_whitespace()?;
            let line = self.newlines + 1;
            match self.peek()? {
                None => {
                    let reason = "the file ends inside the top-level object";
                    return Ok(Some(self.fail(line, reason.into())));
                }
                Some(b'}') => {
                    self.bump(b'}');
                    if !self.key_seen {
                        let reason = format!("the top-level object has no `{key}` array");
                        return Ok(Some(self.fail(line, reason)));
                    }
                    return self.end("unexpected content after the top-level object");
                }
                Some(b',') if self.after_element => {
                    self.bump(b',');
                    self.after_element = false;
                }
                Some(b'"') if !self.after_element => {
                    if !self.collect_element()? {
                        let reason = "the file ends inside a member name";
                        return Ok(Some(self.fail(line, reason.into())));
                    }
                    let name: Option<String> = serde_json::from_slice(&self.buf).ok();
                    self.skip_whitespace()?;
                    if self.peek()? != Some(b':') {
                        let reason = "expected `:` after a member name of the top-level object";
                        return Ok(Some(self.fail(line, reason.into())));
                    }
                    self.bump(b':');
                    self.skip_whitespace()?;

                    if name.as_deref() == Some(key) {
                        if self.peek()? != Some(b'[') {
                            let reason = format!("`{key}` is not an array");
                            return Ok(Some(self.fail(line, reason)));
                        }
                        self.bump(b'[');
                        self.key_seen = true;
                        self.mode = Mode::Wrapped;
                        self.after_element = false;
                        return Ok(None);
                    }
                    if !self.collect_element()? || parse(&self.buf, line).is_err() {
                        let reason = "a member of the top-level object is not valid JSON";
                        return Ok(Some(self.fail(line, reason.into())));
                    }
                    self.after_element = true;
                }
                Some(_) => {
                    let reason = "expected a member name, `,` or `}` in the top-level object";
                    return Ok(Some(self.fail(line, reason.into())));
                }
            }
        }
    }

    /// Ends the stream after the closing bracket, reporting anything but white space after it.
    fn end(&mut self, reason: &str) -> io::Result<Option<Record>> {
        self.done = true;
        self.skip_whitespace()?;
        let trailing = self.peek()?.is_some();
        Ok(trailing.then(|| self.fail(self.newlines + 1, reason.into())))
    }

    /// Copies the bytes of one array element into `buf`; false if the file ends inside it.
    ///
    /// Brackets are counted outside strings only, so a `]` inside a name does not end the
    /// element. Whether the bytes are valid JSON is left to the parser.
    fn collect_element(&mut self) -> io::Result<bool> {
        self.buf.clear();
        let mut end = ValueEnd::default();
        loop {
            let Some(byte) = self.peek()? else {
                return Ok(!end.is_open());
            };
            let scalar_ended = matches!(byte, b',' | b']' | b'}') || byte.is_ascii_whitespace();
            if !end.is_open() && !self.buf.is_empty() && scalar_ended {
                return Ok(true);
            }

            self.bump(byte);
            self.buf.push(byte);
            if end.take(byte) {
                return Ok(true);
            }
        }
    }

    /// Ends the stream with one last unreadable record.
    fn fail(&mut self, line: u64, reason: String) -> Record {
        self.done = true;
        Record {
            line,
            parsed: Err(reason),
        }
    }

    fn skip_whitespace(&mut self) -> io::Result<()> {
        while let Some(byte) = self.peek()? {
            if !byte.is_ascii_whitespace() {
                break;
            }
            self.bump(byte);
        }
        Ok(())
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Consumes the byte just peeked, counting lines.
    fn bump(&mut self, byte: u8) {
        self.input.consume(1);
        if byte == b'\n' {
            self.newlines += 1;
        }
    }
}

impl Iterator for Records {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if self.done {
                return None;
            }

            let line = self.newlines + 1;
            let step = match self.mode {
                Mode::Lines => return self.next_line(),
                Mode::Array | Mode::Wrapped => self.next_element(),
                Mode::Members => self.next_member(),
            };
            match step {
                Ok(Some(record)) => return Some(record),
                // The structure moved on (into or out of the envelope's array): read again.
                Ok(None) => {}
                Err(error) => return Some(self.fail(line, format!("read error: {error}"))),
            }
        }
    }
}

/// Parses one record that starts on line `first_line` of the file.
///
/// serde_json counts lines from the start of the record; the reason gives the line in the
/// file instead, and never quotes the offending text.
fn parse(bytes: &[u8], first_line: u64) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|error| {
        let text = error.to_string();
        let what = text.split(" at line ").next().unwrap_or(&text);
        let within = u64::try_from(error.line()).unwrap_or(u64::MAX);
        let line = first_line.saturating_add(within.saturating_sub(1));
        format!(
            "invalid JSON at line {line}, column {}: {what}",
            error.column()
        )
    })
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
