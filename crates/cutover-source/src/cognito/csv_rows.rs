//! The rows of a Cognito user CSV, read the way Cognito's import reads them.
//!
//! Cognito's CSV is not RFC 4180: values are written unquoted and a comma inside a value is
//! escaped with a backslash (`123 Any Street\, Apt 4`), which general CSV readers split
//! into two fields. Exporter scripts imitating the format quote values instead, and some
//! separate with `;`. This reader takes all three: a backslash before the separator makes
//! it part of the value, double quotes enclose a value (with `""` for a quote, and line
//! breaks allowed inside), and the separator is `;` when the header has `;` and no `,`.
//! Every other backslash is kept as it is.

use std::io::BufRead;

use crate::input::Input;

/// The UTF-8 byte order mark, which Cognito's rules forbid but editors add.
const BOM: &str = "\u{feff}";

/// One row of the file: the line it starts on, and its values or why it has none.
pub(crate) struct Row {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The values, or a reason that never quotes the row.
    pub values: Result<Vec<String>, String>,
}

/// An iterator over the rows after the header.
pub(crate) struct CsvRows {
    input: Input,
    separator: char,
    /// Newlines consumed so far; the current line is one more.
    newlines: u64,
    line_buf: Vec<u8>,
    done: bool,
}

impl CsvRows {
    /// Reads the header row and returns it with an iterator over the rows after it;
    /// `None` when the file has no non-blank line.
    pub(crate) fn new(input: Input) -> Result<Option<(Row, Self)>, std::io::Error> {
        let mut rows = Self {
            input,
            separator: ',',
            newlines: 0,
            line_buf: Vec::new(),
            done: false,
        };

        let Some((line, first)) = rows.read_line(true)? else {
            return Ok(None);
        };
        let first = first.strip_prefix(BOM).unwrap_or(&first).to_string();
        if first.contains(';') && !first.contains(',') {
            rows.separator = ';';
        }
        let header = rows.finish_row(line, first)?;
        Ok(Some((header, rows)))
    }

    /// The next physical line and its number, without its line break, skipping blank lines
    /// when `skip_blank` (between rows, but not inside a quoted value); `None` at the end.
    fn read_line(&mut self, skip_blank: bool) -> Result<Option<(u64, String)>, std::io::Error> {
        loop {
            let line = self.newlines + 1;
            self.line_buf.clear();
            if self.input.read_until(b'\n', &mut self.line_buf)? == 0 {
                return Ok(None);
            }
            if self.line_buf.last() == Some(&b'\n') {
                self.newlines += 1;
            }
            while matches!(self.line_buf.last(), Some(b'\n' | b'\r')) {
                self.line_buf.pop();
            }
            if skip_blank && self.line_buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = String::from_utf8(self.line_buf.clone())
                .unwrap_or_else(|_| INVALID_UTF8.to_string());
            return Ok(Some((line, text)));
        }
    }

    /// Splits a row that starts with `first`, reading more lines while a quoted value is
    /// open. `line` is the row's first line.
    fn finish_row(&mut self, line: u64, first: String) -> Result<Row, std::io::Error> {
        let mut text = first;
        loop {
            if text.contains(INVALID_UTF8) {
                return Ok(Row {
                    line,
                    values: Err("the row is not valid UTF-8".into()),
                });
            }
            match split(&text, self.separator) {
                Split::Values(values) => {
                    return Ok(Row {
                        line,
                        values: Ok(values),
                    });
                }
                Split::OpenQuote => match self.read_line(false)? {
                    Some((_, next)) => {
                        text.push('\n');
                        text.push_str(&next);
                    }
                    None => {
                        self.done = true;
                        return Ok(Row {
                            line,
                            values: Err("a quoted value is not closed before the end of the \
                                         file"
                                .into()),
                        });
                    }
                },
            }
        }
    }
}

impl Iterator for CsvRows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.done {
            return None;
        }
        let line = self.newlines + 1;
        let result = self.read_line(true).and_then(|first| match first {
            Some((line, first)) => self.finish_row(line, first).map(Some),
            None => Ok(None),
        });
        match result {
            Ok(row) => row,
            Err(error) => {
                self.done = true;
                Some(Row {
                    line,
                    values: Err(format!("read error: {error}")),
                })
            }
        }
    }
}

/// Stands in for a line that is not UTF-8, so the row can be reported and skipped.
const INVALID_UTF8: &str = "\u{0}\u{0}invalid utf-8\u{0}\u{0}";

/// What splitting a row gave.
#[derive(Debug, PartialEq)]
enum Split {
    /// The row's values.
    Values(Vec<String>),
    /// A quoted value runs past the end of the text: the row continues on the next line.
    OpenQuote,
}

/// Splits one row into values by `separator`, honouring backslash escapes and quotes.
fn split(text: &str, separator: char) -> Split {
    let mut values = Vec::new();
    let mut value = String::new();
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    let mut quoted = false;

    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    value.push('"');
                }
                '"' => quoted = false,
                _ => value.push(c),
            }
            continue;
        }

        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '\\' if chars.peek() == Some(&separator) => {
                value.push(separator);
                chars.next();
                at_start = false;
            }
            _ if c == separator => {
                values.push(std::mem::take(&mut value));
                at_start = true;
            }
            _ => {
                value.push(c);
                at_start = false;
            }
        }
    }

    if quoted {
        return Split::OpenQuote;
    }
    values.push(value);
    Split::Values(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        match split(text, ',') {
            Split::Values(values) => values,
            Split::OpenQuote => panic!("open quote in {text:?}"),
        }
    }

    #[test]
    fn a_backslash_keeps_a_comma_inside_a_value() {
        assert_eq!(
            values(r"jane,123 Any Street\, Apt 4,TRUE"),
            ["jane", "123 Any Street, Apt 4", "TRUE"]
        );
    }

    #[test]
    fn other_backslashes_are_kept() {
        assert_eq!(values(r"a\b,c\"), [r"a\b", r"c\"]);
    }

    #[test]
    fn quoted_values_may_hold_separators_and_quotes() {
        assert_eq!(
            values(r#""O'Brien, Seán","say ""hi""",x"#),
            ["O'Brien, Seán", r#"say "hi""#, "x"]
        );
    }

    #[test]
    fn empty_values_are_kept_in_place() {
        assert_eq!(values(",a,,"), ["", "a", "", ""]);
    }

    #[test]
    fn an_open_quote_asks_for_the_next_line() {
        assert_eq!(split("a,\"two\nlines", ','), Split::OpenQuote);
    }

    #[test]
    fn a_semicolon_separator_is_honoured() {
        assert_eq!(
            split("a;b\\;c;d", ';'),
            Split::Values(vec!["a".into(), "b;c".into(), "d".into()])
        );
    }
}
