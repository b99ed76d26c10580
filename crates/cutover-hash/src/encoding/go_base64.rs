//! The three Go base64 flavours Kratos decodes hash fields with.
//!
//! All use the standard alphabet (`A–Z a–z 0–9 + /`); none accepts the URL-safe or the
//! passlib alphabet. They differ in padding and in whether the unused bits of the last
//! character must be zero. Go's decoder also skips line breaks anywhere in its input,
//! which [`decode`] reproduces; validation refuses line breaks before it gets here.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// A base64 flavour, named as in Go's `encoding/base64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// `RawStdEncoding.Strict()`: no `=` padding, zero trailing bits.
    RawStdStrict,
    /// `StdEncoding.Strict()`: `=` padding required, zero trailing bits.
    StdStrict,
    /// `StdEncoding`: `=` padding required, trailing bits ignored (Kratos's SSHA only).
    StdLenient,
}

const RAW_STD_STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

const STD_STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

const STD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

impl Flavour {
    fn engine(self) -> &'static GeneralPurpose {
        match self {
            Self::RawStdStrict => &RAW_STD_STRICT,
            Self::StdStrict => &STD_STRICT,
            Self::StdLenient => &STD_LENIENT,
        }
    }
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RawStdStrict => {
                "unpadded standard base64 (no `=` padding, `+` and `/`, unused trailing bits zero)"
            }
            Self::StdStrict => {
                "padded standard base64 (`=` padding, `+` and `/`, unused trailing bits zero)"
            }
            Self::StdLenient => "padded standard base64 (`=` padding, `+` and `/`)",
        })
    }
}

/// Decodes `text` as Go's decoder for `flavour` does, or `None` where Go reports an error.
pub(crate) fn decode(flavour: Flavour, text: &str) -> Option<Vec<u8>> {
    if text.contains(['\r', '\n']) {
        let joined: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
        return flavour.engine().decode(joined).ok();
    }
    flavour.engine().decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_trailing_bits_follow_the_flavour() {
        assert_eq!(decode(Flavour::StdStrict, "MTIz"), Some(b"123".to_vec()));
        assert_eq!(
            decode(Flavour::StdStrict, "MTIzNA=="),
            Some(b"1234".to_vec())
        );
        assert_eq!(decode(Flavour::StdStrict, "MTIzNA"), None);
        assert_eq!(
            decode(Flavour::RawStdStrict, "MTIzNA"),
            Some(b"1234".to_vec())
        );
        assert_eq!(decode(Flavour::RawStdStrict, "MTIzNA=="), None);
        assert_eq!(decode(Flavour::StdStrict, "MTIzNB=="), None);
        assert_eq!(
            decode(Flavour::StdLenient, "MTIzNB=="),
            Some(b"1234".to_vec())
        );
        assert_eq!(decode(Flavour::StdStrict, ""), Some(Vec::new()));
        assert_eq!(decode(Flavour::StdStrict, "MTIz-A=="), None);
    }

    #[test]
    fn line_breaks_are_skipped_like_go() {
        assert_eq!(
            decode(Flavour::StdStrict, "MT\r\nIz\n"),
            Some(b"123".to_vec())
        );
    }
}
