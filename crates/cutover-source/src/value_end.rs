//! Where one JSON value ends, byte by byte, for the readers that cut values out of a stream
//! before parsing them.
//!
//! Brackets are counted outside strings only, so a `]` inside a name does not end a value.
//! Whether the bytes are valid JSON is left to the parser.

/// How far a scan has got into one JSON value: how deep in brackets, and whether in a string.
#[derive(Debug, Default)]
pub(crate) struct ValueEnd {
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl ValueEnd {
    /// Whether the scan stands inside a string or brackets, where a value cannot end.
    pub(crate) fn is_open(&self) -> bool {
        self.depth > 0 || self.in_string
    }

    /// Takes the next byte of the value; true if it closes the value (the closing quote of a
    /// top-level string or the bracket that closes the outermost one).
    pub(crate) fn take(&mut self, byte: u8) -> bool {
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return !self.in_string && self.depth == 0;
        }
        match byte {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                return self.depth == 0;
            }
            _ => {}
        }
        false
    }
}
