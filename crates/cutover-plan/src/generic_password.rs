//! Checking `source.password:` of a generic source: one scheme for every record, or a scheme
//! per record named by a column, and what an empty hash means.
//!
//! The schemes themselves are checked in `generic_scheme`; this module checks how they are
//! chosen, refuses keys written into the plan, and reads the numbers and encodings that
//! schemes share.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use crate::error::field_key;
use crate::generic::{
    ByteEncoding, CountSpec, DigestAlgorithm, PasswordChoice, PasswordScheme, PasswordSpec,
    WhenEmpty,
};
use crate::generic_check::column_name;
use crate::generic_scheme::scheme;
use crate::raw_generic::{RawEncoding, RawPassword, RawWhenEmpty};
use crate::validate::Checker;
use crate::yaml::Node;

/// Checks `source.password`.
pub(crate) fn password(raw: &Spanned<RawPassword>, check: &mut Checker) -> Option<PasswordSpec> {
    let p = &raw.value;
    refuse_key(p, "source.password", check);
    let when_empty = match p.when_empty.as_ref().map(|w| w.value) {
        None | Some(RawWhenEmpty::NoPassword) => WhenEmpty::NoPassword,
        Some(RawWhenEmpty::Unavailable) => WhenEmpty::Unavailable,
    };

    let choice = match (&p.scheme_column, &p.schemes) {
        (None, None) => {
            if p.scheme.is_none() {
                let message = "give scheme: how the hash is stored (encoded, md5, sha256, \
                               hmac_sha256, pbkdf2_sha256, scrypt ...), or scheme_column with \
                               schemes when each record names its own";
                check.report(&raw.referenced, "source.password.scheme", message);
                return None;
            }
            PasswordChoice::Fixed(scheme(p, None, "source.password", &raw.referenced, check)?)
        }
        (Some(column), Some(schemes)) => {
            if let Some(given) = &p.scheme {
                let message = "give scheme (one scheme for every record) or scheme_column \
                               with schemes (a scheme named by each record), not both";
                check.report(&given.referenced, "source.password.scheme", message);
            }
            let column = column_name(column, "source.password.scheme_column", check);
            PasswordChoice::PerRecord {
                column,
                schemes: per_record(p, schemes, check)?,
            }
        }
        (Some(column), None) => {
            let message = "scheme_column needs schemes: the scheme each value of the column \
                           names";
            check.report(&column.referenced, "source.password.scheme_column", message);
            return None;
        }
        (None, Some(schemes)) => {
            let message = "schemes needs scheme_column: the column naming each record's scheme";
            check.report(&schemes.referenced, "source.password.schemes", message);
            return None;
        }
    };
    Some(PasswordSpec { choice, when_empty })
}

/// The entries of `schemes`, each completed by the settings beside `schemes`.
fn per_record(
    shared: &RawPassword,
    schemes: &Spanned<BTreeMap<String, Spanned<RawPassword>>>,
    check: &mut Checker,
) -> Option<BTreeMap<String, PasswordScheme>> {
    if schemes.value.is_empty() {
        let message = "schemes needs at least one entry";
        check.report(&schemes.referenced, "source.password.schemes", message);
        return None;
    }

    let mut checked = BTreeMap::new();
    let mut complete = true;
    for (name, case) in &schemes.value {
        let field = field_key("source.password.schemes", name);
        refuse_key(&case.value, &field, check);
        let nested = [
            (
                "scheme_column",
                case.value.scheme_column.as_ref().map(|s| s.referenced),
            ),
            ("schemes", case.value.schemes.as_ref().map(|s| s.referenced)),
            (
                "when_empty",
                case.value.when_empty.as_ref().map(|s| s.referenced),
            ),
        ];
        for (key, at) in nested {
            if let Some(at) = at {
                let message = format!("{key} belongs beside schemes, not inside one of them");
                check.report(&at, &format!("{field}.{key}"), message);
            }
        }
        if case.value.scheme.is_none() {
            let message = format!("give scheme: how the hashes named {name:?} are stored");
            check.report(&case.referenced, &format!("{field}.scheme"), message);
            complete = false;
            continue;
        }
        match scheme(&case.value, Some(shared), &field, &case.referenced, check) {
            Some(scheme) => {
                checked.insert(name.trim().to_string(), scheme);
            }
            None => complete = false,
        }
    }
    complete.then_some(checked)
}

/// Refuses an HMAC key written into the plan.
fn refuse_key(raw: &RawPassword, field: &str, check: &mut Checker) {
    if let Some(key) = &raw.key {
        let message = "an HMAC key must not be written in a plan; put it in an environment \
                       variable and give that variable's name as key_env";
        check.report(&key.referenced, &format!("{field}.key"), message);
    }
}

/// The model's encoding for a raw one.
pub(crate) fn encoding(raw: RawEncoding) -> ByteEncoding {
    match raw {
        RawEncoding::Text => ByteEncoding::Text,
        RawEncoding::Hex => ByteEncoding::Hex,
        RawEncoding::Base64 => ByteEncoding::Base64,
    }
}

/// A number written in the plan, or the name of the column holding it.
pub(crate) fn count(
    node: &Spanned<Node>,
    field: &str,
    range: (u64, u64),
    check: &mut Checker,
) -> Option<CountSpec> {
    let (min, max) = range;
    let number = match &node.value {
        Node::UInt(n) => Some(*n),
        Node::Int(n) => Some(u64::try_from(*n).unwrap_or(0)),
        Node::Str(text) if text.trim().bytes().all(|b| b.is_ascii_digit()) => {
            text.trim().parse().ok()
        }
        Node::Str(text) => {
            return Some(CountSpec::Column(column_name_of(text, node, field, check)));
        }
        _ => None,
    };
    let name = field.rsplit('.').next().unwrap_or(field);
    match number {
        Some(n) if (min..=max).contains(&n) => Some(CountSpec::Fixed(n)),
        Some(n) => {
            let message = format!("{name} must be between {min} and {max}, found {n}");
            check.report(&node.referenced, field, message);
            None
        }
        None => {
            let message = format!("{name} is a whole number, or the name of the column holding it");
            check.report(&node.referenced, field, message);
            None
        }
    }
}

fn column_name_of(text: &str, node: &Spanned<Node>, field: &str, check: &mut Checker) -> String {
    if text.trim().is_empty() {
        check.report(&node.referenced, field, "the column name is empty");
    }
    text.trim().to_string()
}

/// The digest algorithm of a scheme word's suffix.
pub(crate) fn digest_of(word: &str) -> Option<DigestAlgorithm> {
    Some(match word.rsplit('_').next()? {
        "md4" => DigestAlgorithm::Md4,
        "md5" => DigestAlgorithm::Md5,
        "sha1" => DigestAlgorithm::Sha1,
        "sha224" => DigestAlgorithm::Sha224,
        "sha256" => DigestAlgorithm::Sha256,
        "sha384" => DigestAlgorithm::Sha384,
        "sha512" => DigestAlgorithm::Sha512,
        _ => return None,
    })
}
