//! Schemes that hash a transformed password with another scheme.
//!
//! Some systems feed bcrypt (or phpass) not the password but a digest of it, to get past
//! bcrypt's 72-byte limit or to upgrade old MD5 hashes in place. Kratos always hashes the
//! password itself, so none of these can be imported; the migration hook checks them by
//! applying the same transformation first.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac as _};
use md5::{Digest as _, Md5};
use sha2::{Sha256, Sha384};

use crate::{HashError, HashFamily};

/// The key WordPress 6.8 uses for its HMAC-SHA-384 pre-hash, for domain separation.
const WORDPRESS_KEY: &[u8] = b"wp-sha384";

/// A transformation of the password before the inner scheme sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prehash {
    /// WordPress 6.8+ `$wp…`: base64 of HMAC-SHA-384 keyed with `wp-sha384`.
    WordPress,
    /// Django `bcrypt_sha256$…`: the lowercase hex SHA-256 of the password.
    DjangoSha256,
    /// Drupal 7 `U$…`: the lowercase hex MD5 of the password (Drupal 6 hashes upgraded).
    DrupalMd5,
}

impl Prehash {
    /// The password as the inner scheme receives it.
    pub(crate) fn apply(self, password: &[u8]) -> Vec<u8> {
        match self {
            Self::WordPress => {
                // HMAC takes keys of any length, so this cannot fail.
                let mut mac = <Hmac<Sha384> as KeyInit>::new_from_slice(WORDPRESS_KEY)
                    .expect("hmac accepts any key length");
                mac.update(password);
                STANDARD.encode(mac.finalize().into_bytes()).into_bytes()
            }
            Self::DjangoSha256 => hex::encode(Sha256::digest(password)).into_bytes(),
            Self::DrupalMd5 => hex::encode(Md5::digest(password)).into_bytes(),
        }
    }

    /// The family hashes with this pre-hash belong to.
    pub(crate) fn family(self) -> HashFamily {
        match self {
            Self::WordPress => HashFamily::WordPress,
            Self::DjangoSha256 => HashFamily::DjangoBcryptSha256,
            Self::DrupalMd5 => HashFamily::Drupal7,
        }
    }

    /// Why Kratos cannot import a hash with this pre-hash.
    pub(crate) fn not_importable(self) -> HashError {
        let reason = match self {
            Self::WordPress => {
                "WordPress 6.8 hashes the base64 HMAC-SHA-384 of the password, not the \
                 password itself, and Kratos has no format that does"
            }
            Self::DjangoSha256 => {
                "Django's bcrypt_sha256 hashes the hex SHA-256 of the password, not the \
                 password itself, and Kratos has no format that does"
            }
            Self::DrupalMd5 => {
                "Drupal's `U$` hashes were made over the hex MD5 of the password (Drupal 6 \
                 hashes upgraded in place), and Kratos has no format that does"
            }
        };
        HashError::not_importable(self.family(), reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_hashes_are_text_of_the_expected_length() {
        assert_eq!(Prehash::WordPress.apply(b"pw").len(), 64);
        assert_eq!(
            Prehash::DjangoSha256.apply(b""),
            b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            Prehash::DrupalMd5.apply(b"test"),
            b"098f6bcd4621d373cade4e832627b4f6"
        );
    }
}
