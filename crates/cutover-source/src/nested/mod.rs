//! Finding user records nested inside wrapper objects, without loading the file.
//!
//! Some exports do not put their users at the top of the file: a Keycloak realm export is a
//! realm object (`{"realm": "acme", …, "users": [ … ]}`), an array of realms, or a users file
//! `{"realm": "acme", "users": [ … ]}`; a Cognito `ListUsers` answer is `{"Users": [ … ]}`.
//! The users array is what grows with the user count, so this scanner walks the bytes key by
//! key, skips everything else without keeping it, and hands out each element of the users
//! array as its own record, with the line it starts on and the name of its group (the
//! realm) when the wrapper names one.
//!
//! An object that turns out to have neither the users key nor the group key but has the
//! record marker (`username`, `Username`) is a user record itself, so that a plain array of
//! users reads too. Only the keys read before an object's kind is known are held; Keycloak
//! writes `realm` second, so a realm's settings are never held. Several top-level values in
//! a row (concatenated pages) are read one after the other.

mod cursor;

use serde_json::{Map, Value};

use crate::input::Input;
use cursor::Cursor;

/// How a format nests its user records.
#[derive(Clone, Copy)]
pub(crate) struct Nesting {
    /// The key of the array holding the records inside a wrapper (`users`, `Users`).
    pub records_key: &'static str,
    /// The key naming the group a wrapper stands for (`realm`), if the format has groups.
    pub group_key: Option<&'static str>,
    /// A key that marks a bare object as a user record itself (`username`, `Username`).
    pub record_marker: &'static str,
}

/// One thing found in the file: a user record, or a problem at a line.
pub(crate) enum Found {
    /// An element of a users array, or a bare user object, not yet interpreted.
    Record {
        /// The 1-based line the record starts on.
        line: u64,
        /// The record, or why it is not valid JSON (never quoting it).
        parsed: Result<Value, String>,
        /// The group the record is inside of, when the wrapper named it before its users.
        group: Option<String>,
    },
    /// Something at this line that is not a user; reading may go on after it.
    Problem {
        /// The 1-based line of the problem.
        line: u64,
        /// What is wrong.
        reason: String,
    },
}

/// What an object at the top of the file (or of the top-level array) turned out to be.
enum Kind {
    /// Not known yet: the entries read so far are kept in case it is a bare record.
    Undecided(Map<String, Value>),
    /// A wrapper: only its group name and its records matter.
    Wrapper,
}

/// A container the scanner is inside of, innermost last.
enum Frame {
    /// The top-level array of wrappers (or of records).
    TopArray { after_item: bool },
    /// A wrapper, or an object whose kind is not known yet.
    Object {
        after_item: bool,
        kind: Kind,
        line: u64,
        /// Why a value could not be parsed while the kind was undecided.
        broken: Option<String>,
    },
    /// The records array of a wrapper.
    Records { after_item: bool },
}

/// Streams the user records of one file.
pub(crate) struct Scanner {
    cursor: Cursor,
    nesting: Nesting,
    stack: Vec<Frame>,
    started: bool,
    /// Whether any top-level value was seen, to tell an empty file apart.
    seen_value: bool,
    done: bool,
    group: Option<String>,
}

/// What one step of the scanner gave: nothing yet, or something to hand out.
type Step = std::io::Result<Option<Found>>;

impl Scanner {
    /// Starts scanning `input`; nothing is read until the first call to `next`.
    pub(crate) fn new(input: Input, nesting: Nesting) -> Self {
        Self {
            cursor: Cursor::new(input),
            nesting,
            stack: Vec::new(),
            started: false,
            seen_value: false,
            done: false,
            group: None,
        }
    }

    /// Reads up to the next record or problem.
    fn step(&mut self) -> Step {
        if !self.started {
            self.started = true;
            self.cursor.skip_bom()?;
        }

        self.cursor.skip_whitespace()?;
        let line = self.cursor.line();
        let Some(byte) = self.cursor.peek()? else {
            return Ok(self.end_of_file(line));
        };

        match self.stack.last_mut() {
            None => self.top_level(byte, line),
            Some(Frame::TopArray { after_item }) => match byte {
                b']' => self.close(),
                b',' if *after_item => {
                    *after_item = false;
                    self.cursor.bump(byte);
                    Ok(None)
                }
                b'{' if !*after_item => {
                    *after_item = true;
                    self.open_object(line);
                    Ok(None)
                }
                _ if !*after_item => {
                    *after_item = true;
                    if !self.cursor.scan_value(false)? {
                        return Ok(Some(self.fail(line, "the file ends inside a value")));
                    }
                    let reason = "an element of the top-level array is not an object".into();
                    Ok(Some(Found::Problem { line, reason }))
                }
                _ => Ok(Some(
                    self.fail(line, "expected `,` or `]` in the top-level array"),
                )),
            },
            Some(Frame::Records { after_item }) => match byte {
                b']' => self.close(),
                b',' if *after_item => {
                    *after_item = false;
                    self.cursor.bump(byte);
                    Ok(None)
                }
                _ if !*after_item => {
                    *after_item = true;
                    if !self.cursor.scan_value(true)? {
                        return Ok(Some(self.fail(line, "the file ends inside a user record")));
                    }
                    let parsed = parse(self.cursor.value());
                    let group = self.group.clone();
                    Ok(Some(Found::Record {
                        line,
                        parsed,
                        group,
                    }))
                }
                _ => Ok(Some(
                    self.fail(line, "expected `,` or `]` after a user record"),
                )),
            },
            Some(Frame::Object { after_item, .. }) => match byte {
                b'}' => self.close(),
                b',' if *after_item => {
                    *after_item = false;
                    self.cursor.bump(byte);
                    Ok(None)
                }
                b'"' if !*after_item => {
                    *after_item = true;
                    self.entry(line)
                }
                _ => Ok(Some(self.fail(line, "expected a key or `}` in an object"))),
            },
        }
    }

    /// Starts the next top-level value: an object or an array.
    fn top_level(&mut self, byte: u8, line: u64) -> Step {
        self.seen_value = true;
        match byte {
            b'[' => {
                self.cursor.bump(b'[');
                self.stack.push(Frame::TopArray { after_item: false });
                Ok(None)
            }
            b'{' => {
                self.open_object(line);
                Ok(None)
            }
            _ => Ok(Some(self.fail(line, "expected a JSON object or array"))),
        }
    }

    /// What the end of the file means where it was reached.
    fn end_of_file(&mut self, line: u64) -> Option<Found> {
        self.done = true;
        if !self.stack.is_empty() {
            return Some(self.fail(line, "the file ends before the JSON is closed"));
        }
        (!self.seen_value).then(|| self.fail(line, "the file holds no JSON"))
    }

    /// Consumes `{` and starts an object whose kind is not known yet.
    fn open_object(&mut self, line: u64) {
        self.cursor.bump(b'{');
        self.stack.push(Frame::Object {
            after_item: false,
            kind: Kind::Undecided(Map::new()),
            line,
            broken: None,
        });
    }

    /// Reads one `"key": value` entry of the object on top of the stack.
    fn entry(&mut self, line: u64) -> Step {
        if !self.cursor.scan_value(true)? {
            return Ok(Some(self.fail(line, "the file ends inside a key")));
        }
        let Ok(key) = serde_json::from_slice::<String>(self.cursor.value()) else {
            return Ok(Some(
                self.fail(line, "an object key is not a valid JSON string"),
            ));
        };
        self.cursor.skip_whitespace()?;
        if self.cursor.peek()? != Some(b':') {
            return Ok(Some(
                self.fail(self.cursor.line(), "expected `:` after an object key"),
            ));
        }
        self.cursor.bump(b':');
        self.cursor.skip_whitespace()?;
        let value_line = self.cursor.line();

        if key == self.nesting.records_key {
            return self.records(value_line);
        }

        let is_group = self.nesting.group_key == Some(key.as_str());
        let undecided = matches!(
            self.stack.last(),
            Some(Frame::Object {
                kind: Kind::Undecided(_),
                ..
            })
        );
        let keep = undecided || is_group;
        if !self.cursor.scan_value(keep)? {
            return Ok(Some(self.fail(value_line, "the file ends inside a value")));
        }
        if !keep {
            return Ok(None);
        }

        let value = parse(self.cursor.value());
        if is_group {
            self.decide_wrapper();
            self.group = value.ok().and_then(|v| v.as_str().map(str::to_string));
            return Ok(None);
        }
        if let Some(Frame::Object {
            kind: Kind::Undecided(entries),
            broken,
            ..
        }) = self.stack.last_mut()
        {
            match value {
                Ok(value) => {
                    entries.insert(key, value);
                }
                Err(reason) => {
                    broken.get_or_insert(reason);
                }
            }
        }
        Ok(None)
    }

    /// Reads the value of the records key: opens the array, or reports what it is instead.
    fn records(&mut self, line: u64) -> Step {
        self.decide_wrapper();
        if self.cursor.peek()? == Some(b'[') {
            self.cursor.bump(b'[');
            self.stack.push(Frame::Records { after_item: false });
            return Ok(None);
        }

        if !self.cursor.scan_value(true)? {
            return Ok(Some(self.fail(line, "the file ends inside the users")));
        }
        if self.cursor.value() == b"null" {
            return Ok(None);
        }
        let reason = format!(
            "`{}` is not an array; the users it holds are skipped",
            self.nesting.records_key
        );
        Ok(Some(Found::Problem { line, reason }))
    }

    /// Marks the object on top of the stack as a wrapper, dropping the entries held so far.
    fn decide_wrapper(&mut self) {
        if let Some(Frame::Object { kind, .. }) = self.stack.last_mut() {
            *kind = Kind::Wrapper;
        }
    }

    /// Consumes the closing bracket of the innermost container and says what it closed.
    fn close(&mut self) -> Step {
        let byte = match self.stack.last() {
            Some(Frame::Object { .. }) => b'}',
            _ => b']',
        };
        self.cursor.bump(byte);

        let Some(Frame::Object {
            kind, line, broken, ..
        }) = self.stack.pop()
        else {
            return Ok(None);
        };
        match kind {
            Kind::Wrapper => {
                self.group = None;
                Ok(None)
            }
            Kind::Undecided(_) if broken.is_some() => Ok(Some(Found::Record {
                line,
                parsed: Err(broken.unwrap_or_default()),
                group: None,
            })),
            Kind::Undecided(entries) if entries.contains_key(self.nesting.record_marker) => {
                Ok(Some(Found::Record {
                    line,
                    parsed: Ok(Value::Object(entries)),
                    group: None,
                }))
            }
            Kind::Undecided(_) => {
                let reason = format!(
                    "an object with neither `{}` nor `{}`: not an export of users",
                    self.nesting.records_key, self.nesting.record_marker
                );
                Ok(Some(Found::Problem { line, reason }))
            }
        }
    }

    /// Ends the file with one last problem: what follows cannot be found reliably.
    fn fail(&mut self, line: u64, reason: &str) -> Found {
        self.done = true;
        Found::Problem {
            line,
            reason: reason.into(),
        }
    }
}

impl Iterator for Scanner {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        while !self.done {
            let line = self.cursor.line();
            match self.step() {
                Ok(Some(found)) => return Some(found),
                Ok(None) => {}
                Err(error) => return Some(self.fail(line, &format!("read error: {error}"))),
            }
        }
        None
    }
}

/// Parses one record; serde_json's messages give a position, never the offending text.
fn parse(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|error| format!("invalid JSON: {error}"))
}

#[cfg(test)]
mod tests;
