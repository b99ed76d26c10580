//! Checking one password hash scheme of a generic source: its kind, columns and parameters.
//!
//! Every setting a scheme needs must be stated: the encoding of the digest, the salt's
//! encoding and position, the key's encoding. Defaults would guess, and a wrong guess (hex
//! read as base64, a salt put after the password instead of before) gives hashes that look
//! fine and match no password. Settings a scheme does not use are refused, so a plan never
//! seems to say more than it does.

use serde_saphyr::{Location, Spanned};

use crate::generic::{ByteEncoding, CountSpec, PasswordScheme, SaltPosition, SaltSpec};
use crate::generic_check::{column_name, env_name};
use crate::generic_password::{count, digest_of, encoding};
use crate::raw_generic::{RawPassword, RawSaltPosition, RawScheme};
use crate::validate::Checker;
use crate::yaml::Node;

/// The largest scrypt N accepted in a plan (2^40); real systems stay far below it.
const MAX_SCRYPT_N: u64 = 1 << 40;

/// What kind of scheme a word names, which decides the settings it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Encoded,
    Digest,
    Hmac,
    Pbkdf2,
    Scrypt,
}

impl Kind {
    fn of(scheme: RawScheme) -> Kind {
        use RawScheme as S;
        match scheme {
            S::Encoded => Kind::Encoded,
            S::Md4 | S::Md5 | S::Sha1 | S::Sha224 | S::Sha256 | S::Sha384 | S::Sha512 => {
                Kind::Digest
            }
            S::HmacMd4
            | S::HmacMd5
            | S::HmacSha1
            | S::HmacSha224
            | S::HmacSha256
            | S::HmacSha384
            | S::HmacSha512 => Kind::Hmac,
            S::Pbkdf2Sha1
            | S::Pbkdf2Sha224
            | S::Pbkdf2Sha256
            | S::Pbkdf2Sha384
            | S::Pbkdf2Sha512 => Kind::Pbkdf2,
            S::Scrypt => Kind::Scrypt,
        }
    }

    /// The settings besides `hash` that this kind takes.
    fn settings(self) -> &'static [&'static str] {
        match self {
            Kind::Encoded => &[],
            Kind::Digest => &["encoding", "salt", "salt_encoding", "salt_position"],
            Kind::Hmac => &["encoding", "key_env", "key_encoding"],
            Kind::Pbkdf2 => &["encoding", "salt", "salt_encoding", "iterations"],
            Kind::Scrypt => &["encoding", "salt", "salt_encoding", "n", "r", "p"],
        }
    }
}

/// Checks the scheme `own` names, completing it with `shared` (the settings beside
/// `schemes`, when `own` is one of them). `field` is its path, `at` its mapping.
pub(crate) fn scheme(
    own: &RawPassword,
    shared: Option<&RawPassword>,
    field: &str,
    at: &Location,
    check: &mut Checker,
) -> Option<PasswordScheme> {
    let raw_scheme = own.scheme.as_ref()?.value;
    let kind = Kind::of(raw_scheme);
    let word = serde_json::to_value(raw_scheme)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    refuse_unused(own, kind, &word, field, check);

    let mut s = Settings {
        own,
        shared,
        field,
        at: *at,
        word: &word,
        check,
    };
    let hash = s.column(
        |r| r.hash.as_ref(),
        "hash",
        "the column holding the password hash",
    );
    if kind == Kind::Encoded {
        return Some(PasswordScheme::Encoded { hash: hash? });
    }
    let algorithm = digest_of(&word);
    let bytes = s.bytes_encoding();

    match kind {
        Kind::Encoded => unreachable!("returned above"),
        Kind::Digest => {
            let salted = s.get(|r| r.salt.as_ref()).is_some();
            let salt = s.salt(false);
            let salt_position = s.salt_position(salted);
            Some(PasswordScheme::Digest {
                algorithm: algorithm?,
                hash: hash?,
                encoding: bytes?,
                salt: salt?,
                salt_position: salt_position?,
            })
        }
        Kind::Hmac => {
            let key_env = s.key_env();
            let key_encoding = s.encoding(|r| r.key_encoding.as_ref(), "key_encoding", "the key");
            Some(PasswordScheme::Hmac {
                algorithm: algorithm?,
                hash: hash?,
                encoding: bytes?,
                key_env: key_env?,
                key_encoding: key_encoding?,
            })
        }
        Kind::Pbkdf2 => {
            let salt = s.salt(true);
            let iterations = s.count(
                |r| r.iterations.as_ref(),
                "iterations",
                (1, u32::MAX.into()),
            );
            Some(PasswordScheme::Pbkdf2 {
                algorithm: algorithm?,
                hash: hash?,
                encoding: bytes?,
                salt: salt??,
                iterations: iterations?,
            })
        }
        Kind::Scrypt => {
            let salt = s.salt(true);
            let n = s.count(|r| r.n.as_ref(), "n", (2, MAX_SCRYPT_N));
            let r = s.count(|r| r.r.as_ref(), "r", (1, u32::MAX.into()));
            let p = s.count(|r| r.p.as_ref(), "p", (1, u32::MAX.into()));
            if let (Some(CountSpec::Fixed(n)), Some(node)) = (&n, s.get(|r| r.n.as_ref()))
                && !n.is_power_of_two()
            {
                let message = format!("n must be a power of two (16384 = 2^14), found {n}");
                s.check
                    .report(&node.referenced, &format!("{field}.n"), message);
            }
            Some(PasswordScheme::Scrypt {
                hash: hash?,
                encoding: bytes?,
                salt: salt??,
                n: n?,
                r: r?,
                p: p?,
            })
        }
    }
}

/// Refuses the settings `own` gives that its scheme does not use.
fn refuse_unused(own: &RawPassword, kind: Kind, word: &str, field: &str, check: &mut Checker) {
    let given: [(&str, Option<Location>); 10] = [
        ("encoding", own.encoding.as_ref().map(|v| v.referenced)),
        ("salt", own.salt.as_ref().map(|v| v.referenced)),
        (
            "salt_encoding",
            own.salt_encoding.as_ref().map(|v| v.referenced),
        ),
        (
            "salt_position",
            own.salt_position.as_ref().map(|v| v.referenced),
        ),
        ("key_env", own.key_env.as_ref().map(|v| v.referenced)),
        (
            "key_encoding",
            own.key_encoding.as_ref().map(|v| v.referenced),
        ),
        ("iterations", own.iterations.as_ref().map(|v| v.referenced)),
        ("n", own.n.as_ref().map(|v| v.referenced)),
        ("r", own.r.as_ref().map(|v| v.referenced)),
        ("p", own.p.as_ref().map(|v| v.referenced)),
    ];
    for (key, at) in given {
        let Some(at) = at else {
            continue;
        };
        if !kind.settings().contains(&key) {
            let why = if kind == Kind::Encoded {
                "whose strings describe themselves".to_string()
            } else {
                format!("which takes {}", kind.settings().join(", "))
            };
            let message = format!("{key} does not apply to scheme {word}, {why}");
            check.report(&at, &format!("{field}.{key}"), message);
        }
    }
}

/// One scheme's settings being checked: its own, then the shared ones.
struct Settings<'a, 'c> {
    own: &'a RawPassword,
    shared: Option<&'a RawPassword>,
    field: &'a str,
    at: Location,
    word: &'a str,
    check: &'c mut Checker,
}

impl<'a> Settings<'a, '_> {
    /// The setting `get` picks from the scheme's own settings, else from the shared ones.
    fn get<T>(&self, get: impl Fn(&'a RawPassword) -> Option<&'a T>) -> Option<&'a T> {
        get(self.own).or_else(|| self.shared.and_then(&get))
    }

    fn missing(&mut self, key: &str, what: &str) {
        let message = format!("give {key}: {what} (scheme {} needs it)", self.word);
        let field = format!("{}.{key}", self.field);
        self.check.report(&self.at, &field, message);
    }

    fn column(
        &mut self,
        get: impl Fn(&'a RawPassword) -> Option<&'a Spanned<String>>,
        key: &str,
        what: &str,
    ) -> Option<String> {
        let Some(value) = self.get(get) else {
            self.missing(key, what);
            return None;
        };
        Some(column_name(
            value,
            &format!("{}.{key}", self.field),
            self.check,
        ))
    }

    fn encoding(
        &mut self,
        get: impl Fn(&'a RawPassword) -> Option<&'a Spanned<crate::raw_generic::RawEncoding>>,
        key: &str,
        of_what: &str,
    ) -> Option<ByteEncoding> {
        let Some(value) = self.get(get) else {
            let what = format!("how {of_what} is written: text, hex or base64");
            self.missing(key, &what);
            return None;
        };
        Some(encoding(value.value))
    }

    /// The encoding of the hash column, which holds bytes: hex or base64.
    fn bytes_encoding(&mut self) -> Option<ByteEncoding> {
        let Some(value) = self.get(|r| r.encoding.as_ref()) else {
            self.missing(
                "encoding",
                "how the hash is written in its column: hex or base64",
            );
            return None;
        };
        let encoding = encoding(value.value);
        if encoding == ByteEncoding::Text {
            let message = format!(
                "the hash of scheme {} is bytes, written as hex or base64, not text",
                self.word
            );
            let field = format!("{}.encoding", self.field);
            self.check.report(&value.referenced, &field, message);
            return None;
        }
        Some(encoding)
    }

    /// The salt: `Some(None)` for an unsalted digest, `None` when something is wrong.
    fn salt(&mut self, required: bool) -> Option<Option<SaltSpec>> {
        let Some(column) = self.get(|r| r.salt.as_ref()) else {
            if required {
                self.missing("salt", "the column holding the salt");
                return None;
            }
            if let Some(given) = self.own.salt_encoding.as_ref() {
                let message = "salt_encoding needs salt: the column holding the salt";
                let field = format!("{}.salt_encoding", self.field);
                self.check.report(&given.referenced, &field, message);
            }
            return Some(None);
        };
        let column = column_name(column, &format!("{}.salt", self.field), self.check);
        let encoding = self.encoding(|r| r.salt_encoding.as_ref(), "salt_encoding", "the salt")?;
        Some(Some(SaltSpec { column, encoding }))
    }

    fn salt_position(&mut self, salted: bool) -> Option<SaltPosition> {
        let given = self.get(|r| r.salt_position.as_ref());
        match (given, salted) {
            (Some(position), true) => Some(match position.value {
                RawSaltPosition::Prefix => SaltPosition::Prefix,
                RawSaltPosition::Suffix => SaltPosition::Suffix,
            }),
            (None, true) => {
                let what = "whether the salt comes before (prefix) or after (suffix) the \
                            password when it is digested";
                self.missing("salt_position", what);
                None
            }
            (_, false) => {
                if let Some(position) = &self.own.salt_position {
                    let message = "salt_position needs salt: the column holding the salt";
                    let field = format!("{}.salt_position", self.field);
                    self.check.report(&position.referenced, &field, message);
                }
                // Without a salt the position means nothing; suffix is what the hash crate
                // assumes too.
                Some(SaltPosition::Suffix)
            }
        }
    }

    fn key_env(&mut self) -> Option<String> {
        let Some(env) = self.get(|r| r.key_env.as_ref()) else {
            self.missing(
                "key_env",
                "the name of the environment variable holding the HMAC key",
            );
            return None;
        };
        env_name(env, &format!("{}.key_env", self.field), "key", self.check);
        Some(env.value.clone())
    }

    fn count(
        &mut self,
        get: impl Fn(&'a RawPassword) -> Option<&'a Spanned<Node>>,
        key: &str,
        range: (u64, u64),
    ) -> Option<CountSpec> {
        let Some(node) = self.get(get) else {
            self.missing(key, "a whole number, or the name of the column holding it");
            return None;
        };
        count(node, &format!("{}.{key}", self.field), range, self.check)
    }
}
