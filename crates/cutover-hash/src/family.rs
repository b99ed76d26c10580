//! The families of password hashes cutover recognises, by the names used everywhere.
//!
//! A family is what a hash *computes* (bcrypt, salted SHA, ...), not the exact string
//! layout: `$sha256-crypt$` and `$sha512-crypt$` are both [`HashFamily::ShaCrypt`], and
//! Django's `pbkdf2_sha256$…`, passlib's `$pbkdf2-sha256$…` and an ASP.NET Identity blob
//! are all [`HashFamily::Pbkdf2`], because each converts into Kratos's PBKDF2 format. The
//! families Kratos has no format for (phpass, Drupal 7, ...) are named after what the
//! platform engineer knows them as. The same lowercase names appear in plans, reports,
//! logs and JSON, so they are fixed here once.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The family of a password hash, recognised from its layout or given by its parts.
///
/// The first twelve are the families Kratos imports; the rest are legacy families it has
/// no format for, whose users go to the password migration hook
/// ([`HashFamily::is_importable`]). Marked non-exhaustive because more legacy families
/// may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum HashFamily {
    /// bcrypt: `$2$`, `$2a$`, `$2b$`, `$2y$` and `$2z$`.
    #[serde(rename = "bcrypt")]
    Bcrypt,
    /// Argon2id in PHC form: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
    #[serde(rename = "argon2id")]
    Argon2id,
    /// Argon2i in PHC form: `$argon2i$v=19$m=…,t=…,p=…$salt$hash`.
    #[serde(rename = "argon2i")]
    Argon2i,
    /// PBKDF2-HMAC: `$pbkdf2-sha<N>$i=…,l=…$salt$hash`.
    #[serde(rename = "pbkdf2")]
    Pbkdf2,
    /// scrypt with N written out: `$scrypt$ln=<N>,r=…,p=…$salt$hash`.
    #[serde(rename = "scrypt")]
    Scrypt,
    /// Firebase's modified scrypt: `$firescrypt$ln=<log2 N>,r=…,p=…$…` with four fields.
    #[serde(rename = "firescrypt")]
    Firescrypt,
    /// LDAP salted SHA: `{SSHA}`, `{SSHA256}` and `{SSHA512}`.
    #[serde(rename = "ssha")]
    Ssha,
    /// SHA-1, SHA-256 or SHA-512 of the password, plain or salted; Kratos's form is a
    /// salting template: `$sha1$`, `$sha256$`, `$sha512$` with `pf=`.
    #[serde(rename = "salted-sha")]
    SaltedSha,
    /// MD5 of the password, plain (`$md5$hash`) or salted (`$md5$pf=…$salt$hash`).
    #[serde(rename = "md5")]
    Md5,
    /// crypt(3) MD5: `$1$salt$hash`, which Kratos takes as `$md5-crypt$salt$hash`.
    #[serde(rename = "md5-crypt")]
    Md5Crypt,
    /// crypt(3) SHA-256/512: `$5$`, `$6$`, which Kratos takes as `$sha256-crypt$`,
    /// `$sha512-crypt$`.
    #[serde(rename = "sha-crypt")]
    ShaCrypt,
    /// HMAC of the password: `$hmac-<digest>$hex-text$key`.
    #[serde(rename = "hmac")]
    Hmac,
    /// bcrypt `$2x$`: PHP crypt_blowfish's marker for hashes made with its sign-extension
    /// bug, which computes differently from every other bcrypt for non-ASCII passwords.
    #[serde(rename = "bcrypt-2x")]
    Bcrypt2x,
    /// WordPress 6.8+ `$wp$2y$…`: bcrypt over a base64 HMAC-SHA-384 of the password.
    #[serde(rename = "wordpress")]
    WordPress,
    /// Django `bcrypt_sha256$…`: bcrypt over the hex SHA-256 of the password.
    #[serde(rename = "django-bcrypt-sha256")]
    DjangoBcryptSha256,
    /// phpass portable hashes `$P$…` and `$H$…` (WordPress before 6.8, phpBB): iterated MD5.
    #[serde(rename = "phpass")]
    Phpass,
    /// Drupal 7 `$S$…` (iterated SHA-512) and `U$…` (Drupal 6 MD5 hashes rehashed).
    #[serde(rename = "drupal7")]
    Drupal7,
    /// Argon2d in PHC form: `$argon2d$…`.
    #[serde(rename = "argon2d")]
    Argon2d,
    /// PBKDF2 with real HMAC-SHA-224, which Kratos's `pbkdf2-sha224` computes with SHA3-224.
    #[serde(rename = "pbkdf2-sha224")]
    Pbkdf2Sha224,
    /// PBKDF2 with real HMAC-SHA-384, which Kratos's `pbkdf2-sha384` computes with SHA3-384.
    #[serde(rename = "pbkdf2-sha384")]
    Pbkdf2Sha384,
    /// PBKDF2 with HMAC-MD5.
    #[serde(rename = "pbkdf2-md5")]
    Pbkdf2Md5,
    /// PBKDF2 with HMAC-MD4.
    #[serde(rename = "pbkdf2-md4")]
    Pbkdf2Md4,
    /// A plain or salted MD4 digest (NTLM-style).
    #[serde(rename = "md4")]
    Md4,
    /// A plain or salted SHA-224 digest.
    #[serde(rename = "sha224")]
    Sha224,
    /// A plain or salted SHA-384 digest (LDAP `{SHA384}`, `{SSHA384}`).
    #[serde(rename = "sha384")]
    Sha384,
    /// Nothing cutover recognises.
    #[serde(rename = "unknown")]
    Unknown,
}

impl HashFamily {
    /// The lowercase name of the family, as written in plans, reports and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bcrypt => "bcrypt",
            Self::Argon2id => "argon2id",
            Self::Argon2i => "argon2i",
            Self::Pbkdf2 => "pbkdf2",
            Self::Scrypt => "scrypt",
            Self::Firescrypt => "firescrypt",
            Self::Ssha => "ssha",
            Self::SaltedSha => "salted-sha",
            Self::Md5 => "md5",
            Self::Md5Crypt => "md5-crypt",
            Self::ShaCrypt => "sha-crypt",
            Self::Hmac => "hmac",
            Self::Bcrypt2x => "bcrypt-2x",
            Self::WordPress => "wordpress",
            Self::DjangoBcryptSha256 => "django-bcrypt-sha256",
            Self::Phpass => "phpass",
            Self::Drupal7 => "drupal7",
            Self::Argon2d => "argon2d",
            Self::Pbkdf2Sha224 => "pbkdf2-sha224",
            Self::Pbkdf2Sha384 => "pbkdf2-sha384",
            Self::Pbkdf2Md5 => "pbkdf2-md5",
            Self::Pbkdf2Md4 => "pbkdf2-md4",
            Self::Md4 => "md4",
            Self::Sha224 => "sha224",
            Self::Sha384 => "sha384",
            Self::Unknown => "unknown",
        }
    }

    /// Whether Kratos has an import format for this family.
    ///
    /// True for the twelve Kratos families, false for the legacy ones and `unknown`. A
    /// hash of an importable family can still be refused one by one (a bcrypt cost above
    /// Kratos's 15, Argon2 version 1.0, a broken string); [`crate::to_kratos`] decides.
    pub const fn is_importable(self) -> bool {
        matches!(
            self,
            Self::Bcrypt
                | Self::Argon2id
                | Self::Argon2i
                | Self::Pbkdf2
                | Self::Scrypt
                | Self::Firescrypt
                | Self::Ssha
                | Self::SaltedSha
                | Self::Md5
                | Self::Md5Crypt
                | Self::ShaCrypt
                | Self::Hmac
        )
    }
}

impl fmt::Display for HashFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
