//! The salting template (`pf=`) of Kratos's salted SHA and salted MD5 formats.
//!
//! The template is base64 text that decodes to a string such as `{SALT}{PASSWORD}`; Kratos
//! replaces both tokens in one left-to-right pass (replacements are not scanned again) and
//! hashes the result. A template without `{PASSWORD}` makes the digest independent of the
//! password, so the hash either matches nobody or everybody.

use crate::encoding::{Flavour, GoScan};
use crate::{HashError, HashFamily};

const SALT: &[u8] = b"{SALT}";
const PASSWORD: &[u8] = b"{PASSWORD}";

/// A decoded `pf=` field.
#[derive(Debug)]
pub(super) struct Template {
    pattern: Vec<u8>,
    exact: bool,
}

impl Template {
    /// Reads the field as Kratos does: `pf=%s`, then strict padded base64.
    pub(super) fn parse(family: HashFamily, field: &str) -> Result<Self, HashError> {
        let mut scan = GoScan::new(field);
        let encoded = scan
            .literal("pf=")
            .and_then(|()| scan.word())
            .ok_or_else(|| {
                HashError::malformed(family, "the template field is not `pf=<base64>`")
            })?;
        let pattern =
            super::decode_field(family, "the template (pf=)", Flavour::StdStrict, encoded)?;
        Ok(Self {
            pattern,
            exact: scan.is_exact(),
        })
    }

    /// Refuses templates that Kratos reads only in part or that ignore the password.
    pub(super) fn check(&self, family: HashFamily) -> Result<(), HashError> {
        if !self.exact {
            return Err(HashError::malformed(
                family,
                "the template field has text after the base64 that Kratos ignores",
            ));
        }
        if !self
            .pattern
            .windows(PASSWORD.len())
            .any(|window| window == PASSWORD)
        {
            return Err(HashError::unusable(
                family,
                "the template (pf=) has no {PASSWORD} token, so the digest does not depend on \
                 the password and Kratos would match either nobody or everybody",
            ));
        }
        Ok(())
    }

    /// The bytes Kratos hashes: the template with both tokens replaced.
    pub(super) fn apply(&self, salt: &[u8], password: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.pattern.len() + salt.len() + password.len());
        let mut rest = self.pattern.as_slice();
        while let Some((&first, tail)) = rest.split_first() {
            if let Some(after) = rest.strip_prefix(SALT) {
                out.extend_from_slice(salt);
                rest = after;
            } else if let Some(after) = rest.strip_prefix(PASSWORD) {
                out.extend_from_slice(password);
                rest = after;
            } else {
                out.push(first);
                rest = tail;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(pattern: &str) -> Template {
        Template {
            pattern: pattern.as_bytes().to_vec(),
            exact: true,
        }
    }

    #[test]
    fn tokens_are_replaced_once_from_the_left() {
        assert_eq!(template("{SALT}{PASSWORD}").apply(b"s", b"p"), b"sp");
        assert_eq!(template("${PASSWORD}${SALT}$").apply(b"s", b"p"), b"$p$s$");
        assert_eq!(template("{PASSWORD}").apply(b"s", b"{SALT}"), b"{SALT}");
        assert_eq!(template("{SAL{SALT}T}").apply(b"s", b"p"), b"{SALsT}");
    }

    #[test]
    fn a_template_without_the_password_is_refused() {
        assert!(template("{SALT}").check(HashFamily::Md5).is_err());
        assert!(template("x{PASSWORD}").check(HashFamily::Md5).is_ok());
    }
}
