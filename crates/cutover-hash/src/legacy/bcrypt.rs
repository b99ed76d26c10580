//! bcrypt as the source systems computed it: `$2a$`, `$2b$`, `$2y$` (and Kratos's `$2z$`)
//! alike, the original `$2$`, and PHP's `$2x$`.
//!
//! Three differences from Kratos matter. The original OpenBSD `$2$` left the password's
//! terminating NUL out of the key, where Go (and so Kratos) puts it in. PHP's
//! crypt_blowfish marks with `$2x$` hashes made with its old sign-extension bug, which
//! read bytes of 0x80 and above as negative numbers. And source systems truncate
//! passwords at 72 bytes where Kratos refuses them. Verification here follows the source
//! system in all three; `$2$` and `$2x$` cannot be imported.

use base64::Engine as _;

use crate::encoding::bcrypt64;
use crate::{HashError, HashFamily};

/// The longest key bcrypt reads, NUL included.
const MAX_KEY: usize = 72;
const COST: std::ops::RangeInclusive<u32> = 4..=31;
const SALT_CHARS: usize = 22;
const HASH_CHARS: usize = 31;

/// The minor version letter after `$2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Minor {
    /// `$2$`: the original, without the terminating NUL.
    Original,
    /// `$2a$`, `$2b$`, `$2y$`, `$2z$`: computed alike.
    Standard,
    /// `$2x$`: with crypt_blowfish's sign-extension bug.
    SignExtensionBug,
}

/// A bcrypt hash, decoded.
pub(crate) struct Bcrypt {
    minor: Minor,
    cost: u32,
    salt: [u8; 16],
    hash: String,
    text: String,
}

impl Bcrypt {
    /// Reads `$2<minor>$<cost>$<salt><hash>`; errors name `family`, the scheme it is in.
    pub(crate) fn parse(text: &str, family: HashFamily) -> Result<Self, HashError> {
        let malformed = |problem: &str| HashError::malformed(family, problem.to_string());
        let rest = text
            .strip_prefix("$2")
            .ok_or_else(|| malformed("does not start with a bcrypt prefix ($2a$, $2b$, ...)"))?;
        let (minor, rest) = match rest.as_bytes().first() {
            Some(b'$') => (Minor::Original, &rest[1..]),
            Some(b'a' | b'b' | b'y' | b'z') if rest.as_bytes().get(1) == Some(&b'$') => {
                (Minor::Standard, &rest[2..])
            }
            Some(b'x') if rest.as_bytes().get(1) == Some(&b'$') => {
                (Minor::SignExtensionBug, &rest[2..])
            }
            _ => return Err(malformed("has an unknown bcrypt minor version")),
        };
        let (cost, body) = rest
            .split_once('$')
            .ok_or_else(|| malformed("has no `$` after the cost"))?;
        if cost.len() != 2 || !cost.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed("cost is not two digits"));
        }
        let cost: u32 = cost
            .parse()
            .map_err(|_| malformed("cost is not a number"))?;
        if !COST.contains(&cost) {
            return Err(HashError::out_of_bounds(
                family,
                "cost",
                u64::from(cost),
                u64::from(*COST.start())..=u64::from(*COST.end()),
            ));
        }
        if body.len() != SALT_CHARS + HASH_CHARS || !body.is_ascii() {
            return Err(HashError::malformed(
                family,
                format!(
                    "has {} characters after the cost where bcrypt has {}",
                    body.len(),
                    SALT_CHARS + HASH_CHARS
                ),
            ));
        }
        let (salt, hash) = body.split_at(SALT_CHARS);
        let salt = bcrypt64::LENIENT
            .decode(salt)
            .ok()
            .and_then(|salt| <[u8; 16]>::try_from(salt).ok())
            .ok_or_else(|| malformed("salt is not 22 characters of bcrypt's base64"))?;
        if bcrypt64::STRICT.decode(hash).is_err() {
            return Err(HashError::unusable(
                family,
                "hash is not bcrypt base64 that bcrypt can produce, so no password can ever \
                 match",
            ));
        }
        Ok(Self {
            minor,
            cost,
            salt,
            hash: hash.to_string(),
            text: text.to_string(),
        })
    }

    #[cfg(test)]
    pub(crate) fn family(&self) -> HashFamily {
        match self.minor {
            Minor::SignExtensionBug => HashFamily::Bcrypt2x,
            Minor::Original | Minor::Standard => HashFamily::Bcrypt,
        }
    }

    pub(crate) fn to_kratos(&self) -> Result<String, HashError> {
        match self.minor {
            Minor::Standard => super::scheme::finish(self.text.clone()),
            Minor::Original => Err(HashError::not_importable(
                HashFamily::Bcrypt,
                "the original OpenBSD bcrypt (`$2$`) left the password's final NUL byte out \
                 of the key; Kratos puts it in and would compute another hash",
            )),
            Minor::SignExtensionBug => Err(HashError::not_importable(
                HashFamily::Bcrypt2x,
                "`$2x$` marks hashes PHP's crypt_blowfish made with its sign-extension bug, \
                 which no other bcrypt (Kratos's included) reproduces for non-ASCII passwords",
            )),
        }
    }

    /// Whether `password` matches, truncated at 72 bytes as the source systems do.
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let mut key = password.to_vec();
        // The original reads a key of the password's length, which for an empty password
        // means reading its terminating NUL over and over: the same as a key of one NUL.
        if self.minor != Minor::Original || key.is_empty() {
            key.push(0);
        }
        key.truncate(MAX_KEY);
        if self.minor == Minor::SignExtensionBug {
            key = with_sign_extension_bug(&key);
        }
        let output = bcrypt::bcrypt(self.cost, self.salt, &key);
        let computed = bcrypt64::STRICT.encode(&output[..23]);
        crate::kratos::constant_time_eq(self.hash.as_bytes(), computed.as_bytes())
    }
}

/// The key that makes standard bcrypt compute what crypt_blowfish's `$2x$` computed.
///
/// bcrypt only ever reads its key as 18 big-endian words, cycling over the key from its
/// start each time. The bug built each word by OR-ing in bytes sign-extended to 32 bits,
/// so a byte of 0x80 or more set all the higher bits of the word so far. Computing those
/// 18 words and writing them out as exactly 72 bytes gives a key that standard bcrypt
/// reads as the same words.
fn with_sign_extension_bug(key: &[u8]) -> Vec<u8> {
    let mut words = Vec::with_capacity(MAX_KEY);
    let mut bytes = key.iter().cycle();
    for _ in 0..MAX_KEY / 4 {
        let mut word = 0u32;
        for byte in bytes.by_ref().take(4) {
            let extended = if *byte >= 0x80 { 0xffff_ff00 } else { 0 };
            word = (word << 8) | extended | u32::from(*byte);
        }
        words.extend_from_slice(&word.to_be_bytes());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifies(hash: &str, password: &[u8]) -> bool {
        Bcrypt::parse(hash, HashFamily::Bcrypt)
            .expect("a well-formed bcrypt hash")
            .verify(password)
    }

    /// crypt_blowfish's own vectors (Openwall), with passwords that are not UTF-8.
    #[test]
    fn the_2x_variant_reproduces_crypt_blowfish_for_high_bytes() {
        let collision = "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e";
        assert!(verifies(collision, b"\xa3"));
        assert!(
            verifies(collision, b"\xff\xff\xa3"),
            "the bug's known collision"
        );
        assert!(verifies(
            "$2x$05$6bNw2HLQYeqHYyBfLMsv/O9LIGgn8OMzuDoHfof8AQimSGfcSWxnS",
            b"\xd0\xc1\xd2\xcf\xcc\xd8"
        ));

        // The same salt and password under a correct bcrypt give other hashes.
        let correct = "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e";
        assert!(verifies(correct, b"\xff\xff\xa3"));
        assert!(!verifies(correct, b"\xa3"));
        let correct_a3 = "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq";
        assert!(verifies(correct_a3, b"\xa3"));
        assert!(!verifies(&correct_a3.replace("$2a$", "$2x$"), b"\xa3"));
    }

    #[test]
    fn the_original_variant_leaves_the_nul_out() {
        let salt = [7u8; 16];
        let encode = |output: [u8; 24]| bcrypt64::STRICT.encode(&output[..23]);
        let salt_text = bcrypt64::STRICT.encode(salt);
        let without_nul = encode(bcrypt::bcrypt(4, salt, b"pw"));
        let with_nul = encode(bcrypt::bcrypt(4, salt, b"pw\0"));

        assert!(verifies(&format!("$2$04${salt_text}{without_nul}"), b"pw"));
        assert!(!verifies(&format!("$2$04${salt_text}{with_nul}"), b"pw"));
        assert!(verifies(&format!("$2b$04${salt_text}{with_nul}"), b"pw"));
    }

    #[test]
    fn the_bug_changes_only_words_with_high_bytes() {
        let ascii = b"abcd\0";
        let emulated = with_sign_extension_bug(ascii);
        let cycled: Vec<u8> = ascii.iter().copied().cycle().take(MAX_KEY).collect();
        assert_eq!(emulated, cycled);

        // A high byte sets every bit above it in the word built so far.
        let high = with_sign_extension_bug(&[0x01, 0x02, 0x03, 0x80]);
        assert_eq!(&high[..4], &[0xff, 0xff, 0xff, 0x80]);
        let first = with_sign_extension_bug(&[0x80, 0x01, 0x02, 0x03]);
        assert_eq!(&first[..4], &[0x80, 0x01, 0x02, 0x03]);
    }
}
