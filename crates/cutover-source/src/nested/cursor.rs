//! Reading JSON bytes by hand: whitespace, whole values, and the line they are on.
//!
//! The scanner decides what a value means; this cursor only knows where one ends. It counts
//! brackets outside strings (so a `]` inside a name does not end a value) and leaves
//! checking that the bytes are valid JSON to the parser.

use std::io::BufRead;

use crate::input::Input;
use crate::value_end::ValueEnd;

/// The UTF-8 byte order mark some Windows tools put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A position in the input, with the line it is on and the last value read.
pub(super) struct Cursor {
    input: Input,
    /// Newlines consumed so far; the current line is one more.
    newlines: u64,
    /// The bytes of the last value read with `keep`.
    value: Vec<u8>,
}

impl Cursor {
    pub(super) fn new(input: Input) -> Self {
        Self {
            input,
            newlines: 0,
            value: Vec::new(),
        }
    }

    /// Skips a byte order mark at the current position, if there is one.
    pub(super) fn skip_bom(&mut self) -> std::io::Result<()> {
        if self.input.fill_buf()?.starts_with(BOM) {
            self.input.consume(BOM.len());
        }
        Ok(())
    }

    /// The 1-based line of the current position.
    pub(super) fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// The bytes of the last value read with `keep`.
    pub(super) fn value(&self) -> &[u8] {
        &self.value
    }

    /// Reads one JSON value, into [`Cursor::value`] when `keep`; false if the input ends
    /// inside it.
    pub(super) fn scan_value(&mut self, keep: bool) -> std::io::Result<bool> {
        self.value.clear();
        let (mut end, mut any) = (ValueEnd::default(), false);
        loop {
            let Some(byte) = self.peek()? else {
                return Ok(any && !end.is_open());
            };
            let scalar_ended =
                matches!(byte, b',' | b']' | b'}' | b':') || byte.is_ascii_whitespace();
            if !end.is_open() && any && scalar_ended {
                return Ok(true);
            }

            self.bump(byte);
            any = true;
            if keep {
                self.value.push(byte);
            }
            if end.take(byte) {
                return Ok(true);
            }
        }
    }

    /// Consumes whitespace up to the next meaningful byte.
    pub(super) fn skip_whitespace(&mut self) -> std::io::Result<()> {
        while let Some(byte) = self.peek()? {
            if !byte.is_ascii_whitespace() {
                break;
            }
            self.bump(byte);
        }
        Ok(())
    }

    /// The next byte, without consuming it; `None` at the end of the input.
    pub(super) fn peek(&mut self) -> std::io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Consumes the byte just peeked, counting lines.
    pub(super) fn bump(&mut self, byte: u8) {
        self.input.consume(1);
        if byte == b'\n' {
            self.newlines += 1;
        }
    }
}
