//! PBKDF2-HMAC: `$pbkdf2-sha<N>$i=<iterations>,l=<length>$<salt>$<hash>`.
//!
//! Salt and hash are unpadded standard base64. `l=` must be a number but is ignored: the
//! key length is the decoded hash's. The digest name does not always mean what it says,
//! and Kratos keeps it that way for compatibility: `sha224` and `sha384` select SHA3-224
//! and SHA3-384, and any other `sha<N>` than 1, 256 and 512 selects SHA-256.

use md4::Md4;
use md5::Md5;
use pbkdf2::pbkdf2_hmac;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use sha3::{Sha3_224, Sha3_384};

use crate::encoding::{Flavour, GoScan};
use crate::{HashError, HashFamily};

const FAMILY: HashFamily = HashFamily::Pbkdf2;
const LAYOUT: &str = "`$pbkdf2-<digest>$i=<iterations>,l=<length>$<salt>$<hash>`";
const ITERATIONS: std::ops::RangeInclusive<u64> = 1..=10_000_000;

/// The HMAC digest of a PBKDF2 hash, as computed: the ones Kratos derives from a digest
/// name, and the others legacy systems use, which the legacy converter tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prf {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// What Kratos means by `pbkdf2-sha224`.
    Sha3_224,
    /// What Kratos means by `pbkdf2-sha384`.
    Sha3_384,
    Md5,
    Md4,
}

impl Prf {
    /// The function Kratos derives from the digest name of a `$pbkdf2-sha<N>$` string.
    pub(crate) fn of_kratos_name(name: &str) -> Self {
        match name {
            "sha1" => Self::Sha1,
            "sha224" => Self::Sha3_224,
            "sha384" => Self::Sha3_384,
            "sha512" => Self::Sha512,
            _ => Self::Sha256,
        }
    }

    /// Derives `out.len()` bytes of key from the password.
    pub(crate) fn derive(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        match self {
            Self::Sha1 => pbkdf2_hmac::<Sha1>(password, salt, iterations, out),
            Self::Sha224 => pbkdf2_hmac::<Sha224>(password, salt, iterations, out),
            Self::Sha256 => pbkdf2_hmac::<Sha256>(password, salt, iterations, out),
            Self::Sha384 => pbkdf2_hmac::<Sha384>(password, salt, iterations, out),
            Self::Sha512 => pbkdf2_hmac::<Sha512>(password, salt, iterations, out),
            Self::Sha3_224 => pbkdf2_hmac::<Sha3_224>(password, salt, iterations, out),
            Self::Sha3_384 => pbkdf2_hmac::<Sha3_384>(password, salt, iterations, out),
            Self::Md5 => pbkdf2_hmac::<Md5>(password, salt, iterations, out),
            Self::Md4 => pbkdf2_hmac::<Md4>(password, salt, iterations, out),
        }
    }
}

/// A PBKDF2 hash, decoded as Kratos decodes it.
struct Pbkdf2 {
    prf: Prf,
    iterations: u32,
    exact_params: bool,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn parse(hash: &str) -> Result<Pbkdf2, HashError> {
    let fields = super::split_fields(hash, FAMILY, 4, LAYOUT)?;
    let name = fields[1].split_once('-').map_or("", |(_, name)| name);

    let mut scan = GoScan::new(fields[2]);
    let unreadable = || {
        HashError::malformed(
            FAMILY,
            "the parameter field is not `i=<iterations>,l=<length>`",
        )
    };
    scan.literal("i=").ok_or_else(unreadable)?;
    let iterations = scan.unsigned().ok_or_else(unreadable)?;
    scan.literal(",l=").ok_or_else(unreadable)?;
    let length = scan.unsigned().ok_or_else(unreadable)?;
    if !ITERATIONS.contains(&iterations) {
        return Err(HashError::out_of_bounds(
            FAMILY,
            "iterations (i=)",
            iterations,
            ITERATIONS,
        ));
    }
    if u32::try_from(length).is_err() {
        return Err(HashError::malformed(
            FAMILY,
            "the key length (l=) does not fit in 32 bits",
        ));
    }

    Ok(Pbkdf2 {
        prf: Prf::of_kratos_name(name),
        iterations: u32::try_from(iterations).map_err(|_| unreadable())?,
        exact_params: scan.is_exact(),
        salt: super::decode_field(FAMILY, "salt", Flavour::RawStdStrict, fields[3])?,
        hash: super::decode_field(FAMILY, "hash", Flavour::RawStdStrict, fields[4])?,
    })
}

pub(super) fn validate(hash: &str) -> Result<(), HashError> {
    let parsed = parse(hash)?;
    if !parsed.exact_params {
        return Err(HashError::malformed(
            FAMILY,
            "the parameter field has text after `l=<length>` that Kratos ignores",
        ));
    }
    if parsed.hash.is_empty() {
        return Err(HashError::unusable(
            FAMILY,
            "hash is empty, which Kratos cannot derive, so no password can ever match",
        ));
    }
    Ok(())
}

pub(super) fn verify(password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = parse(hash) else {
        return false;
    };
    if parsed.hash.is_empty() {
        return false;
    }
    let mut derived = vec![0; parsed.hash.len()];
    parsed
        .prf
        .derive(password, &parsed.salt, parsed.iterations, &mut derived);
    super::constant_time_eq(&parsed.hash, &derived)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_names_map_as_in_kratos() {
        assert_eq!(Prf::of_kratos_name("sha1"), Prf::Sha1);
        assert_eq!(Prf::of_kratos_name("sha224"), Prf::Sha3_224);
        assert_eq!(Prf::of_kratos_name("sha256"), Prf::Sha256);
        assert_eq!(Prf::of_kratos_name("sha384"), Prf::Sha3_384);
        assert_eq!(Prf::of_kratos_name("sha512"), Prf::Sha512);
        assert_eq!(Prf::of_kratos_name("sha3"), Prf::Sha256);
        assert_eq!(Prf::of_kratos_name("sha999"), Prf::Sha256);
    }
}
