//! Recognising a legacy hash string by its layout, then reading it.
//!
//! Recognition looks at the prefix and, for the layouts without one (ASP.NET Identity
//! blobs, bare hex MD5), at the shape of the whole string; it never fails on what follows
//! a known prefix, so a broken hash still has a family to report. Reading then checks
//! everything and says what is wrong, naming that family.

use super::argon2::Argon2;
use super::bcrypt::Bcrypt;
use super::firebase::Firebase;
use super::frameworks;
use super::ldap;
use super::pbkdf2::Pbkdf2;
use super::phpass::Phpass;
use super::prehash::Prehash;
use super::scheme::Scheme;
use super::scrypt::Scrypt;
use crate::detect::{KratosFormat, kratos_format};
use crate::{HashError, HashFamily};

/// The layouts a legacy hash string can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `{LABEL}…`, RFC 2307.
    Ldap,
    /// `$2$`, `$2a$`, `$2b$`, `$2y$`, `$2z$`, `$2x$`.
    Bcrypt,
    /// `$1$`: md5-crypt with the standard prefix.
    Md5Crypt,
    /// `$5$` and `$6$`: sha-crypt with the standard prefixes.
    ShaCrypt,
    /// `$P$`, `$H$` and Drupal's `$S$`.
    Phpass,
    /// Drupal's `U$…`: a phpass or `$S$` hash over the hex MD5 of the password.
    DrupalUpgraded,
    /// WordPress 6.8+ `$wp$…`.
    WordPress,
    /// `$argon2id$`, `$argon2i$`, `$argon2d$`.
    Argon2,
    /// `$pbkdf2-…$` (Kratos or passlib) and passlib's `$pbkdf2$`.
    Pbkdf2,
    /// `$scrypt$` (Kratos or passlib).
    Scrypt,
    /// Kratos's `$firescrypt$`.
    Firescrypt,
    /// Supabase's `$fbscrypt$`.
    Fbscrypt,
    /// Another Kratos format, taken as Kratos takes it.
    KratosText,
    /// Django's `<algorithm>$…`.
    Django,
    /// Werkzeug's `pbkdf2:…` and `scrypt:…`.
    Werkzeug,
    /// 32 hex digits.
    HexMd5,
    /// Base64 of an ASP.NET Identity v2 or v3 blob.
    AspNet,
}

// TODO: DES crypt (Django `crypt$$`), yescrypt `$y$`, Sun's `$md5$` crypt and Apache's
// `$apr1$` are not recognised; their users come out as unknown formats.
/// The layout of `text`, if it has one cutover knows.
fn layout(text: &str) -> Option<Layout> {
    const PREFIXES: [(&str, Layout); 13] = [
        ("$1$", Layout::Md5Crypt),
        ("$5$", Layout::ShaCrypt),
        ("$6$", Layout::ShaCrypt),
        ("$P$", Layout::Phpass),
        ("$H$", Layout::Phpass),
        ("$S$", Layout::Phpass),
        ("U$", Layout::DrupalUpgraded),
        ("$wp$", Layout::WordPress),
        ("$argon2id$", Layout::Argon2),
        ("$argon2i$", Layout::Argon2),
        ("$argon2d$", Layout::Argon2),
        ("$fbscrypt$", Layout::Fbscrypt),
        ("$pbkdf2$", Layout::Pbkdf2),
    ];
    if let Some((_, layout)) = PREFIXES.iter().find(|(prefix, _)| text.starts_with(prefix)) {
        return Some(*layout);
    }
    if text.starts_with('{') {
        return ldap::family(text).map(|_| Layout::Ldap);
    }
    if is_bcrypt(text) {
        return Some(Layout::Bcrypt);
    }
    if ["$pbkdf2-sha256$", "$pbkdf2-sha512$"]
        .iter()
        .any(|p| text.starts_with(p))
    {
        return Some(Layout::Pbkdf2);
    }
    if let Some(format) = kratos_format(text) {
        return Some(match format {
            KratosFormat::Pbkdf2 => Layout::Pbkdf2,
            KratosFormat::Scrypt => Layout::Scrypt,
            KratosFormat::Firescrypt => Layout::Firescrypt,
            _ => Layout::KratosText,
        });
    }
    if frameworks::django_family(text).is_some() {
        return Some(Layout::Django);
    }
    if frameworks::werkzeug_family(text).is_some() {
        return Some(Layout::Werkzeug);
    }
    if frameworks::is_hex_md5(text) {
        return Some(Layout::HexMd5);
    }
    frameworks::parse_aspnet(text).map(|_| Layout::AspNet)
}

/// `$2$`, or `$2` with a minor version letter bcrypt implementations write, and `$`.
fn is_bcrypt(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("$2") else {
        return false;
    };
    let rest = rest.strip_prefix(['a', 'b', 'x', 'y', 'z']).unwrap_or(rest);
    rest.starts_with('$')
}

/// The family of a legacy hash string, from its layout alone.
pub(crate) fn family(text: &str) -> HashFamily {
    let Some(layout) = layout(text) else {
        return HashFamily::Unknown;
    };
    match layout {
        Layout::Ldap => ldap::family(text).unwrap_or(HashFamily::Unknown),
        Layout::Bcrypt if text.starts_with("$2x$") => HashFamily::Bcrypt2x,
        Layout::Bcrypt => HashFamily::Bcrypt,
        Layout::Md5Crypt => HashFamily::Md5Crypt,
        Layout::ShaCrypt => HashFamily::ShaCrypt,
        Layout::Phpass if text.starts_with("$S$") => HashFamily::Drupal7,
        Layout::Phpass => HashFamily::Phpass,
        Layout::DrupalUpgraded => HashFamily::Drupal7,
        Layout::WordPress => HashFamily::WordPress,
        Layout::Argon2 if text.starts_with("$argon2id$") => HashFamily::Argon2id,
        Layout::Argon2 if text.starts_with("$argon2i$") => HashFamily::Argon2i,
        Layout::Argon2 => HashFamily::Argon2d,
        Layout::Pbkdf2 | Layout::AspNet => HashFamily::Pbkdf2,
        Layout::Scrypt => HashFamily::Scrypt,
        Layout::Firescrypt | Layout::Fbscrypt => HashFamily::Firescrypt,
        Layout::KratosText => crate::detect(text),
        Layout::Django => frameworks::django_family(text).unwrap_or(HashFamily::Unknown),
        Layout::Werkzeug => frameworks::werkzeug_family(text).unwrap_or(HashFamily::Unknown),
        Layout::HexMd5 => HashFamily::Md5,
    }
}

/// Reads a legacy hash string into what it computes.
pub(crate) fn parse(text: &str) -> Result<Scheme, HashError> {
    let layout = layout(text).ok_or(HashError::UnknownFormat)?;
    let family = family(text);
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(HashError::malformed(
            family,
            "contains white space or control characters, which no hash layout has (trim the \
             export's field)",
        ));
    }

    match layout {
        Layout::Ldap => ldap::parse(text),
        Layout::Bcrypt => Bcrypt::parse(text, family).map(Scheme::Bcrypt),
        Layout::Md5Crypt => Ok(Scheme::Kratos(format!("$md5-crypt${}", &text[3..]))),
        Layout::ShaCrypt => {
            let bits = if text.starts_with("$5$") { 256 } else { 512 };
            Ok(Scheme::Kratos(format!("$sha{bits}-crypt${}", &text[3..])))
        }
        Layout::Phpass => Phpass::parse(text, family).map(Scheme::Phpass),
        Layout::DrupalUpgraded => {
            let inner = Phpass::parse(&text[1..], family)?;
            Ok(Scheme::Prehashed(
                Prehash::DrupalMd5,
                Box::new(Scheme::Phpass(inner)),
            ))
        }
        Layout::WordPress => {
            let inner = &text["$wp".len()..];
            let inner = if inner.starts_with("$argon2") {
                Scheme::Argon2(Argon2::parse_phc(inner)?)
            } else {
                Scheme::Bcrypt(Bcrypt::parse(inner, family)?)
            };
            Ok(Scheme::Prehashed(Prehash::WordPress, Box::new(inner)))
        }
        Layout::Argon2 => Argon2::parse_phc(text).map(Scheme::Argon2),
        Layout::Pbkdf2 => Pbkdf2::parse_dollar(text).map(Scheme::Pbkdf2),
        Layout::Scrypt => Scrypt::parse_dollar(text).map(Scheme::Scrypt),
        Layout::Firescrypt => Firebase::parse_kratos(text).map(Scheme::Firebase),
        Layout::Fbscrypt => Firebase::parse_supabase(text).map(Scheme::Firebase),
        Layout::KratosText => Ok(Scheme::Kratos(text.to_string())),
        Layout::Django => frameworks::parse_django(text),
        Layout::Werkzeug => frameworks::parse_werkzeug(text),
        Layout::HexMd5 => frameworks::parse_hex_md5(text),
        Layout::AspNet => frameworks::parse_aspnet(text)
            .map(Scheme::Pbkdf2)
            .ok_or(HashError::UnknownFormat),
    }
}
