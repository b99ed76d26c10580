//! LDAP `userPassword` values (RFC 2307 and its extensions): `{LABEL}` then base64 of the
//! digest, followed by the salt for the salted labels. Labels are case-insensitive.
//!
//! Kratos imports `{SSHA}`, `{SSHA256}` and `{SSHA512}` as they are (with the label in
//! capitals). The unsalted `{SHA}`, `{SHA256}`, `{SHA512}`, `{MD5}` and the salted
//! `{SMD5}` are not Kratos prefixes but convert into its template formats; SHA-384 has no
//! Kratos format. `{CRYPT}` wraps a crypt(3) string, which is read as such.

use super::digest::DigestHash;
use super::recognise;
use super::scheme::Scheme;
use super::{Digest, SaltPosition};
use crate::encoding::legacy_base64;
use crate::{HashError, HashFamily};

/// What an LDAP label stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// A digest of the password alone.
    Plain(Digest),
    /// A digest of the password followed by a salt, the salt appended to the digest.
    Salted(Digest),
    /// A crypt(3) string follows.
    Crypt,
}

/// Splits `{LABEL}payload` into what the label stands for and the payload.
fn split(text: &str) -> Option<(Label, &str)> {
    let (label, payload) = text.strip_prefix('{')?.split_once('}')?;
    let label = match label.to_ascii_uppercase().as_str() {
        "SHA" | "SHA1" => Label::Plain(Digest::Sha1),
        "SHA256" => Label::Plain(Digest::Sha256),
        "SHA384" => Label::Plain(Digest::Sha384),
        "SHA512" => Label::Plain(Digest::Sha512),
        "MD5" => Label::Plain(Digest::Md5),
        "SSHA" | "SSHA1" => Label::Salted(Digest::Sha1),
        "SSHA256" => Label::Salted(Digest::Sha256),
        "SSHA384" => Label::Salted(Digest::Sha384),
        "SSHA512" => Label::Salted(Digest::Sha512),
        "SMD5" => Label::Salted(Digest::Md5),
        "CRYPT" => Label::Crypt,
        _ => return None,
    };
    Some((label, payload))
}

/// The family of an LDAP value, if its label is known.
pub(super) fn family(text: &str) -> Option<HashFamily> {
    match split(text)? {
        (Label::Salted(Digest::Sha1 | Digest::Sha256 | Digest::Sha512), _) => {
            Some(HashFamily::Ssha)
        }
        (Label::Plain(digest) | Label::Salted(digest), _) => Some(digest.family()),
        (Label::Crypt, inner) => {
            Some(recognise::family(inner)).filter(|family| *family != HashFamily::Unknown)
        }
    }
}

/// Reads an LDAP value.
pub(super) fn parse(text: &str) -> Result<Scheme, HashError> {
    let Some((label, payload)) = split(text) else {
        return Err(HashError::UnknownFormat);
    };
    let digest = match label {
        Label::Crypt => return recognise::parse(payload),
        // Kratos reads these three itself, with the label in capitals.
        Label::Salted(digest @ (Digest::Sha1 | Digest::Sha256 | Digest::Sha512)) => {
            let label = match digest {
                Digest::Sha1 => "SSHA",
                Digest::Sha256 => "SSHA256",
                _ => "SSHA512",
            };
            return Ok(Scheme::Kratos(format!("{{{label}}}{payload}")));
        }
        Label::Plain(digest) | Label::Salted(digest) => digest,
    };
    let family = digest.family();
    let mut decoded = legacy_base64::decode(payload)
        .ok_or_else(|| HashError::malformed(family, "the value after the label is not base64"))?;
    let len = digest.output_len();
    let salted = matches!(label, Label::Salted(_));
    if decoded.len() < len + usize::from(salted) || (!salted && decoded.len() != len) {
        return Err(HashError::malformed(
            family,
            format!(
                "decodes to {} bytes where a {} digest is {len}{}",
                decoded.len(),
                digest.name(),
                if salted { " followed by a salt" } else { "" }
            ),
        ));
    }
    let salt = decoded.split_off(len);
    DigestHash::new(digest, &decoded, Some(&salt), SaltPosition::Suffix).map(Scheme::Digest)
}
