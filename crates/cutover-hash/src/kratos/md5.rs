//! MD5: `$md5$<b64 digest>`, or salted `$md5$pf=<b64 template>$<b64 salt>$<b64 digest>`.
//!
//! The unsalted form is the raw 16-byte MD5 in padded base64, not the usual hex text (hex
//! exports must be converted). The salted form works like salted SHA. Sun's md5-crypt,
//! which also starts with `$md5$`, is not supported by Kratos.

use md5::{Digest as _, Md5};

use super::template::Template;
use crate::encoding::Flavour;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Md5;
const DIGEST_LEN: usize = 16;

/// An MD5 hash, decoded as Kratos decodes it.
struct Md5Hash {
    salting: Option<(Template, Vec<u8>)>,
    digest: Vec<u8>,
}

fn parse(hash: &str) -> Result<Md5Hash, HashError> {
    let fields: Vec<&str> = hash.split('$').collect();
    match fields.len() {
        3 => Ok(Md5Hash {
            salting: None,
            digest: super::decode_field(FAMILY, "digest", Flavour::StdStrict, fields[2])?,
        }),
        5 => {
            let template = Template::parse(FAMILY, fields[2])?;
            let salt = super::decode_field(FAMILY, "salt", Flavour::StdStrict, fields[3])?;
            Ok(Md5Hash {
                salting: Some((template, salt)),
                digest: super::decode_field(FAMILY, "digest", Flavour::StdStrict, fields[4])?,
            })
        }
        found => Err(HashError::field_count(
            FAMILY,
            found - 1,
            "2 or 4",
            "`$md5$<digest>` or `$md5$pf=<template>$<salt>$<digest>`",
        )),
    }
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if let Some((template, _)) = &parsed.salting {
        template.check(FAMILY)?;
    }
    if parsed.digest.len() != DIGEST_LEN {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "digest is {} bytes where MD5 digests are {DIGEST_LEN}, so no password can \
                 ever match",
                parsed.digest.len()
            ),
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    let computed = match &parsed.salting {
        None => Md5::digest(password),
        Some((template, salt)) => Md5::digest(template.apply(salt, password)),
    };
    super::constant_time_eq(&parsed.digest, &computed)
}
