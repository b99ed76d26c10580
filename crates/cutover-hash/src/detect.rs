//! Recognising a hash's format from its prefix, exactly as Kratos does.
//!
//! Kratos picks a comparator by matching prefix patterns in a fixed order and nothing else:
//! the rest of the string is only looked at by the comparator it picked. The patterns are
//! case-sensitive and anchored at the start, so `$1$`, `$5$`, `$6$`, `$P$`, `$2x$` and the
//! empty string are all unknown to Kratos, even where the algorithm behind them is not.

use crate::HashFamily;

/// One of the comparators Kratos chooses between, in the order Kratos tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KratosFormat {
    Md5Crypt,
    Bcrypt,
    Sha256Crypt,
    Sha512Crypt,
    Argon2id,
    Argon2i,
    Pbkdf2,
    Scrypt,
    Ssha,
    SaltedSha,
    Firescrypt,
    Md5,
    Hmac,
}

/// Kratos's detection order; the first format whose prefix matches wins.
const KRATOS_ORDER: [KratosFormat; 13] = [
    KratosFormat::Md5Crypt,
    KratosFormat::Bcrypt,
    KratosFormat::Sha256Crypt,
    KratosFormat::Sha512Crypt,
    KratosFormat::Argon2id,
    KratosFormat::Argon2i,
    KratosFormat::Pbkdf2,
    KratosFormat::Scrypt,
    KratosFormat::Ssha,
    KratosFormat::SaltedSha,
    KratosFormat::Firescrypt,
    KratosFormat::Md5,
    KratosFormat::Hmac,
];

/// The digests Kratos accepts after `$hmac-`.
pub(crate) const HMAC_DIGESTS: [&str; 7] =
    ["md4", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

impl KratosFormat {
    /// The family this comparator belongs to.
    pub(crate) const fn family(self) -> HashFamily {
        match self {
            Self::Md5Crypt => HashFamily::Md5Crypt,
            Self::Bcrypt => HashFamily::Bcrypt,
            Self::Sha256Crypt | Self::Sha512Crypt => HashFamily::ShaCrypt,
            Self::Argon2id => HashFamily::Argon2id,
            Self::Argon2i => HashFamily::Argon2i,
            Self::Pbkdf2 => HashFamily::Pbkdf2,
            Self::Scrypt => HashFamily::Scrypt,
            Self::Ssha => HashFamily::Ssha,
            Self::SaltedSha => HashFamily::SaltedSha,
            Self::Firescrypt => HashFamily::Firescrypt,
            Self::Md5 => HashFamily::Md5,
            Self::Hmac => HashFamily::Hmac,
        }
    }

    /// Whether `hash` starts with this comparator's prefix pattern.
    fn matches(self, hash: &str) -> bool {
        match self {
            Self::Md5Crypt => hash.starts_with("$md5-crypt$"),
            Self::Bcrypt => is_bcrypt_prefix(hash),
            Self::Sha256Crypt => hash.starts_with("$sha256-crypt$"),
            Self::Sha512Crypt => hash.starts_with("$sha512-crypt$"),
            Self::Argon2id => hash.starts_with("$argon2id$"),
            Self::Argon2i => hash.starts_with("$argon2i$"),
            Self::Pbkdf2 => is_pbkdf2_prefix(hash),
            Self::Scrypt => hash.starts_with("$scrypt$"),
            Self::Ssha => ["{SSHA}", "{SSHA256}", "{SSHA512}"]
                .iter()
                .any(|prefix| hash.starts_with(prefix)),
            Self::SaltedSha => ["$sha1$", "$sha256$", "$sha512$"]
                .iter()
                .any(|prefix| hash.starts_with(prefix)),
            Self::Firescrypt => hash.starts_with("$firescrypt$"),
            Self::Md5 => hash.starts_with("$md5$"),
            Self::Hmac => hash.strip_prefix("$hmac-").is_some_and(|rest| {
                HMAC_DIGESTS.iter().any(|digest| {
                    rest.strip_prefix(digest)
                        .is_some_and(|r| r.starts_with('$'))
                })
            }),
        }
    }
}

/// The comparator Kratos would pick for `hash`, if any.
pub(crate) fn kratos_format(hash: &str) -> Option<KratosFormat> {
    KRATOS_ORDER.into_iter().find(|format| format.matches(hash))
}

/// Recognises the family of `hash` from its prefix, as Kratos's import does.
///
/// Only the prefix is looked at: a string with a known prefix and garbage after it still
/// has that family (use [`validate_for_kratos`](crate::validate_for_kratos) for a verdict).
/// Anything Kratos would not pick a comparator for is [`HashFamily::Unknown`], legacy
/// layouts included; [`family`](crate::family) recognises those.
pub fn detect(hash: &str) -> HashFamily {
    kratos_format(hash).map_or(HashFamily::Unknown, KratosFormat::family)
}

/// `$2$`, or `$2` followed by one of `a`, `b`, `y`, `z` and `$`.
fn is_bcrypt_prefix(hash: &str) -> bool {
    let Some(rest) = hash.strip_prefix("$2") else {
        return false;
    };
    let rest = rest.strip_prefix(['a', 'b', 'y', 'z']).unwrap_or(rest);
    rest.starts_with('$')
}

/// `$pbkdf2-sha` followed by one to three ASCII digits and `$`.
fn is_pbkdf2_prefix(hash: &str) -> bool {
    let Some(rest) = hash.strip_prefix("$pbkdf2-sha") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].starts_with('$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kratos_prefix_names_its_family() {
        let cases = [
            ("$2$05$", HashFamily::Bcrypt),
            ("$2a$10$", HashFamily::Bcrypt),
            ("$2b$10$", HashFamily::Bcrypt),
            ("$2y$10$", HashFamily::Bcrypt),
            ("$2z$10$", HashFamily::Bcrypt),
            ("$argon2id$v=19", HashFamily::Argon2id),
            ("$argon2i$v=19", HashFamily::Argon2i),
            ("$pbkdf2-sha1$i=1", HashFamily::Pbkdf2),
            ("$pbkdf2-sha384$i=1", HashFamily::Pbkdf2),
            ("$scrypt$ln=2", HashFamily::Scrypt),
            ("$firescrypt$ln=2", HashFamily::Firescrypt),
            ("{SSHA}x", HashFamily::Ssha),
            ("{SSHA256}x", HashFamily::Ssha),
            ("{SSHA512}x", HashFamily::Ssha),
            ("$sha1$pf=", HashFamily::SaltedSha),
            ("$sha256$pf=", HashFamily::SaltedSha),
            ("$sha512$pf=", HashFamily::SaltedSha),
            ("$md5$x", HashFamily::Md5),
            ("$md5-crypt$$x", HashFamily::Md5Crypt),
            ("$sha256-crypt$x", HashFamily::ShaCrypt),
            ("$sha512-crypt$x", HashFamily::ShaCrypt),
            ("$hmac-md4$x", HashFamily::Hmac),
            ("$hmac-sha512$x", HashFamily::Hmac),
        ];
        for (hash, family) in cases {
            assert_eq!(detect(hash), family, "{hash}");
        }
    }

    #[test]
    fn prefixes_kratos_does_not_know_are_unknown() {
        let unknown = [
            "",
            "$1$salt$hash",
            "$5$rounds=5000$s$h",
            "$6$s$h",
            "$P$abc",
            "$H$abc",
            "$S$abc",
            "$2x$10$",
            "$2A$10$",
            "$2ab$",
            "$argon2d$v=19",
            "$pbkdf2-sha$",
            "$pbkdf2-sha1234$",
            "$pbkdf2$i=1",
            "{SHA}x",
            "{SSHA1}x",
            "{ssha}x",
            "$sha384$pf=",
            "$hmac$x",
            "$hmac-sha3$x",
            "$MD5$x",
            "$y$j9T$",
            "pbkdf2_sha256$1$a$b",
        ];
        for hash in unknown {
            assert_eq!(detect(hash), HashFamily::Unknown, "{hash}");
        }
    }
}
