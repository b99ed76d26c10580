//! Salted SHA with a template: `$sha1$pf=<b64 template>$<b64 salt>$<b64 digest>`.
//!
//! The same layout exists for SHA-1, SHA-256 and SHA-512 and nothing else: there is no
//! unsalted `$sha1$<digest>` form and no SHA-224 or SHA-384. All three fields are padded
//! standard base64, and the digest must be as long as the algorithm's output to ever match.

use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use super::template::Template;
use crate::encoding::Flavour;
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::SaltedSha;
const LAYOUT: &str = "`$sha1$pf=<template>$<salt>$<digest>`";

/// The digest named after the first `$`.
#[derive(Debug, Clone, Copy)]
enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    fn digest_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    fn digest(self, input: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(input).to_vec(),
            Self::Sha256 => Sha256::digest(input).to_vec(),
            Self::Sha512 => Sha512::digest(input).to_vec(),
        }
    }
}

/// A salted SHA hash, decoded as Kratos decodes it.
struct SaltedSha {
    algorithm: Algorithm,
    template: Template,
    salt: Vec<u8>,
    digest: Vec<u8>,
}

fn parse(hash: &str) -> Result<SaltedSha, HashError> {
    let fields = super::split_fields(hash, FAMILY, 4, LAYOUT)?;
    let algorithm = match fields[1] {
        "sha1" => Algorithm::Sha1,
        "sha256" => Algorithm::Sha256,
        "sha512" => Algorithm::Sha512,
        _ => {
            return Err(HashError::malformed(
                FAMILY,
                "the digest name is not sha1, sha256 or sha512",
            ));
        }
    };
    Ok(SaltedSha {
        algorithm,
        template: Template::parse(FAMILY, fields[2])?,
        salt: super::decode_field(FAMILY, "salt", Flavour::StdStrict, fields[3])?,
        digest: super::decode_field(FAMILY, "digest", Flavour::StdStrict, fields[4])?,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    parsed.template.check(FAMILY)?;
    let (found, needed) = (parsed.digest.len(), parsed.algorithm.digest_len());
    if found != needed {
        return Err(HashError::unusable(
            FAMILY,
            format!(
                "digest is {found} bytes where {} digests are {needed}, so no password can \
                 ever match",
                parsed.algorithm.name()
            ),
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    let input = parsed.template.apply(&parsed.salt, password);
    super::constant_time_eq(&parsed.digest, &parsed.algorithm.digest(&input))
}
