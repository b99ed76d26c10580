//! The subset of Go's `fmt.Sscanf` that Kratos uses on hash parameters.
//!
//! Kratos reads fields such as `m=65536,t=3,p=4` with formats like `"m=%d,t=%d,p=%d"`. Go
//! matches the literal text exactly, skips white space before each number, accepts a sign
//! only for signed targets and ignores whatever follows the last verb. [`GoScan`] reads
//! the same way and remembers whether it had to be lenient, so that a validator can refuse
//! what Kratos merely tolerates.

/// A cursor over one hash field, reading it as Go's `Sscanf` would.
#[derive(Debug, Clone)]
pub(crate) struct GoScan<'a> {
    rest: &'a str,
    lenient: bool,
}

impl<'a> GoScan<'a> {
    /// Starts reading `field` from its beginning.
    pub(crate) fn new(field: &'a str) -> Self {
        Self {
            rest: field,
            lenient: false,
        }
    }

    /// Consumes `text` exactly, as the literal part of a Go format does.
    pub(crate) fn literal(&mut self, text: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(text)?;
        Some(())
    }

    /// Reads `%d` into an unsigned Go integer: digits only, no sign.
    ///
    /// The value is returned at 64 bits; the caller checks the narrower Go type through
    /// its bounds, which are always inside that type.
    pub(crate) fn unsigned(&mut self) -> Option<u64> {
        self.skip_space()?;
        let digits = self.take_digits()?;
        digits.parse().ok()
    }

    /// Reads `%d` into Go's 64-bit `int`: an optional sign, then digits.
    pub(crate) fn signed(&mut self) -> Option<i64> {
        self.skip_space()?;
        let negative = match self.rest.as_bytes().first() {
            Some(b'+') => false,
            Some(b'-') => true,
            _ => return self.take_digits()?.parse().ok(),
        };
        self.lenient = true;
        self.rest = &self.rest[1..];
        let digits = self.take_digits()?;
        let value: i64 = format!("{}{digits}", if negative { "-" } else { "" })
            .parse()
            .ok()?;
        Some(value)
    }

    /// Reads `%s`: the next run of non-space characters, which must not be empty.
    pub(crate) fn word(&mut self) -> Option<&'a str> {
        self.skip_space()?;
        let end = self
            .rest
            .find(char::is_whitespace)
            .unwrap_or(self.rest.len());
        if end == 0 {
            return None;
        }
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(word)
    }

    /// Whether the field was read exactly: no skipped space, no sign, nothing left over.
    ///
    /// Go ignores text after the last verb, so a parameter field can carry extra options
    /// (a key id, associated data) that Kratos silently drops; a validator refuses those.
    pub(crate) fn is_exact(&self) -> bool {
        !self.lenient && self.rest.is_empty()
    }

    /// Skips white space like Go's scanner, which fails on a line break.
    fn skip_space(&mut self) -> Option<()> {
        let trimmed = self
            .rest
            .trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
        if trimmed.starts_with('\n') {
            return None;
        }
        if trimmed.len() != self.rest.len() {
            self.lenient = true;
        }
        self.rest = trimmed;
        Some(())
    }

    /// Takes one or more ASCII digits.
    fn take_digits(&mut self) -> Option<&'a str> {
        let end = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if end == 0 {
            return None;
        }
        let (digits, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argon2_params(field: &str) -> Option<(u64, u64, u64, bool)> {
        let mut scan = GoScan::new(field);
        scan.literal("m=")?;
        let m = scan.unsigned()?;
        scan.literal(",t=")?;
        let t = scan.unsigned()?;
        scan.literal(",p=")?;
        let p = scan.unsigned()?;
        Some((m, t, p, scan.is_exact()))
    }

    #[test]
    fn reads_parameters_like_sscanf() {
        assert_eq!(argon2_params("m=32,t=2,p=4"), Some((32, 2, 4, true)));
        assert_eq!(argon2_params("m=032,t=2,p=4"), Some((32, 2, 4, true)));
        assert_eq!(argon2_params("m= 32,t=2,p=4"), Some((32, 2, 4, false)));
        assert_eq!(
            argon2_params("m=32,t=2,p=4,keyid=x"),
            Some((32, 2, 4, false))
        );
        assert_eq!(argon2_params("m=32 ,t=2,p=4"), None);
        assert_eq!(argon2_params("m=+32,t=2,p=4"), None);
        assert_eq!(argon2_params("m=\n32,t=2,p=4"), None);
        assert_eq!(argon2_params("m=32,t=2"), None);
        assert_eq!(argon2_params("M=32,t=2,p=4"), None);
        assert_eq!(argon2_params("m=99999999999999999999,t=2,p=4"), None);
    }

    #[test]
    fn signed_numbers_take_a_sign_and_words_stop_at_space() {
        let mut scan = GoScan::new("+19");
        assert_eq!(scan.signed(), Some(19));
        assert!(!scan.is_exact());
        assert_eq!(GoScan::new("-0").signed(), Some(0));
        assert_eq!(GoScan::new("-").signed(), None);

        let mut scan = GoScan::new("abc def");
        assert_eq!(scan.word(), Some("abc"));
        assert!(!scan.is_exact());
        assert_eq!(GoScan::new("").word(), None);
        assert_eq!(GoScan::new("  ").word(), None);
    }
}
