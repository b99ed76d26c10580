//! crypt(3) MD5 with Kratos's prefix: `$md5-crypt$<salt>$<hash>` for `$1$<salt>$<hash>`.
//!
//! Kratos rewrites the prefix to `$1$` and hands the string to go-crypt, which takes the
//! salt as it is (empty, or longer than the 8 characters crypt(3) would use) and compares
//! the 22-character hash text. No RustCrypto crate implements md5-crypt, so the algorithm
//! (Poul-Henning Kamp's, 1994) is written here on top of the `md-5` crate.

use md5::{Digest as _, Md5};

use crate::encoding::crypt64;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Md5Crypt;
const LAYOUT: &str = "`$md5-crypt$<salt>$<hash>`";
/// The longest salt standard crypt(3) reads; it ignores the rest, Kratos does not.
const MAX_SALT: usize = 8;
const DIGEST_LEN: usize = 16;
/// The digest bytes behind each group of output characters, most significant first.
const GROUPS: [&[usize]; 6] = [
    &[0, 6, 12],
    &[1, 7, 13],
    &[2, 8, 14],
    &[3, 9, 15],
    &[4, 10, 5],
    &[11],
];

/// An md5-crypt hash, split as go-crypt splits it.
struct Md5Crypt<'a> {
    salt: &'a str,
    hash: &'a str,
}

fn parse(hash: &str) -> Result<Md5Crypt<'_>, HashError> {
    let fields = super::split_fields(hash, FAMILY, 3, LAYOUT)?;
    if fields[3].is_empty() {
        return Err(HashError::malformed(FAMILY, "hash is empty"));
    }
    Ok(Md5Crypt {
        salt: fields[2],
        hash: fields[3],
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if parsed.salt.len() > MAX_SALT {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "salt is {} characters where crypt(3) reads at most {MAX_SALT}; Kratos uses all \
                 of them, so it would not verify what the source system verified",
                parsed.salt.len()
            ),
        ));
    }
    if !crypt64::is_encoding_of_len(parsed.hash, DIGEST_LEN) {
        return Err(HashError::unusable(
            FAMILY,
            "hash is not the 22 characters of crypt(3) base64 that md5-crypt produces, so no \
             password can ever match",
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    let computed = crypt64::encode(&md5_crypt(password, parsed.salt.as_bytes()), &GROUPS);
    super::constant_time_eq(parsed.hash.as_bytes(), computed.as_bytes())
}

/// The md5-crypt digest of `password` under `salt`, before its text encoding.
fn md5_crypt(password: &[u8], salt: &[u8]) -> [u8; DIGEST_LEN] {
    let alternate = Md5::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(password)
        .finalize();

    let mut initial = Md5::new()
        .chain_update(password)
        .chain_update(b"$1$")
        .chain_update(salt);
    // As many bytes of the alternate digest as the password is long, repeated as needed.
    for chunk in password.chunks(DIGEST_LEN) {
        initial.update(&alternate[..chunk.len()]);
    }
    // One byte per bit of the password length: a NUL for a set bit, the password's first
    // byte for a clear one, from the lowest bit up.
    let mut length = password.len();
    while length > 0 {
        if length & 1 == 1 {
            initial.update([0u8]);
        } else {
            initial.update(&password[..1]);
        }
        length >>= 1;
    }
    let mut digest: [u8; DIGEST_LEN] = initial.finalize().into();

    // A thousand rounds that mix digest, password and salt in a round-dependent order.
    for round in 0..1000 {
        let mut step = Md5::new();
        if round % 2 == 1 {
            step.update(password);
        } else {
            step.update(digest);
        }
        if round % 3 != 0 {
            step.update(salt);
        }
        if round % 7 != 0 {
            step.update(password);
        }
        if round % 2 == 1 {
            step.update(digest);
        } else {
            step.update(password);
        }
        digest = step.finalize().into();
    }
    digest
}
