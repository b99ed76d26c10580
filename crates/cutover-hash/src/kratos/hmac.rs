//! HMAC of the password: `$hmac-<digest>$<b64 of hex MAC>$<b64 key>`.
//!
//! The middle field is the base64 of the MAC written as lowercase hex text, not of the raw
//! MAC bytes, and Kratos compares that text byte for byte. So the decoded middle field
//! must be exactly twice the MAC length in lowercase hex digits for anything to match.

use ::hmac::{Hmac, KeyInit, Mac};
use md4::Md4;
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use crate::encoding::Flavour;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Hmac;
const LAYOUT: &str = "`$hmac-<digest>$<base64 of the hex MAC>$<base64 key>`";

/// An HMAC hash, decoded as Kratos decodes it.
struct HmacHash<'a> {
    digest: &'a str,
    mac_hex: Vec<u8>,
    key: Vec<u8>,
}

fn parse(hash: &str) -> Result<HmacHash<'_>, HashError> {
    let fields = super::split_fields(hash, FAMILY, 3, LAYOUT)?;
    let digest = fields[1].strip_prefix("hmac-").unwrap_or(fields[1]);
    Ok(HmacHash {
        digest,
        mac_hex: super::decode_field(FAMILY, "the MAC field", Flavour::StdStrict, fields[2])?,
        key: super::decode_field(FAMILY, "the key field", Flavour::StdStrict, fields[3])?,
    })
}

/// The MAC length of each digest Kratos accepts.
fn mac_len(digest: &str) -> Option<usize> {
    Some(match digest {
        "md4" | "md5" => 16,
        "sha1" => 20,
        "sha224" => 28,
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => return None,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    let Some(len) = mac_len(parsed.digest) else {
        return Err(HashError::malformed(
            FAMILY,
            "the digest is not one Kratos knows",
        ));
    };
    let is_lower_hex = parsed
        .mac_hex
        .iter()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if parsed.mac_hex.len() != 2 * len || !is_lower_hex {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "the MAC field does not decode to {} lowercase hex digits (hmac-{} in hex \
                 text), so no password can ever match",
                2 * len,
                parsed.digest
            ),
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    let Some(mac) = compute(parsed.digest, &parsed.key, password) else {
        return false;
    };
    super::constant_time_eq(&parsed.mac_hex, hex::encode(mac).as_bytes())
}

fn compute(digest: &str, key: &[u8], password: &[u8]) -> Option<Vec<u8>> {
    Some(match digest {
        "md4" => mac::<Hmac<Md4>>(key, password),
        "md5" => mac::<Hmac<Md5>>(key, password),
        "sha1" => mac::<Hmac<Sha1>>(key, password),
        "sha224" => mac::<Hmac<Sha224>>(key, password),
        "sha256" => mac::<Hmac<Sha256>>(key, password),
        "sha384" => mac::<Hmac<Sha384>>(key, password),
        "sha512" => mac::<Hmac<Sha512>>(key, password),
        _ => return None,
    })
}

fn mac<M: Mac + KeyInit>(key: &[u8], password: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("hmac accepts any key length");
    mac.update(password);
    mac.finalize().into_bytes().to_vec()
}
