//! The base64 flavours legacy systems write, read leniently, and the two Kratos writes.
//!
//! Source systems disagree on padding and on the alphabet (passlib's "ab64" uses `.` for
//! `+`), and most ignore the unused bits of the last character when decoding. Reading
//! legacy fields leniently and writing Kratos fields canonically means a converted hash
//! always passes Kratos's strict decoders.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Standard alphabet, padding optional, trailing bits ignored.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// URL-safe alphabet, padding optional, trailing bits ignored.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes standard base64 with or without padding.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    LENIENT.decode(text).ok()
}

/// Decodes passlib's "ab64": standard base64 with `.` in place of `+` and no padding.
pub(crate) fn decode_ab64(text: &str) -> Option<Vec<u8>> {
    if text.contains('+') {
        return None;
    }
    LENIENT.decode(text.replace('.', "+")).ok()
}

/// Decodes base64 in either alphabet (standard or URL-safe), with or without padding.
pub(crate) fn decode_any_alphabet(text: &str) -> Option<Vec<u8>> {
    LENIENT
        .decode(text)
        .or_else(|_| LENIENT_URL_SAFE.decode(text))
        .ok()
}

/// Kratos's padded standard base64 (Go's `StdEncoding`).
pub(crate) fn padded(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Kratos's unpadded standard base64 (Go's `RawStdEncoding`).
pub(crate) fn unpadded(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_optional_and_ab64_swaps_the_dot() {
        assert_eq!(decode("MTIzNA=="), Some(b"1234".to_vec()));
        assert_eq!(decode("MTIzNA"), Some(b"1234".to_vec()));
        assert_eq!(decode_ab64("Pj4."), decode("Pj4+"));
        assert_eq!(decode_ab64("Pj4+"), None);
        assert_eq!(decode_any_alphabet("Pj4-"), decode("Pj4+"));
        assert_eq!(decode("not base64!"), None);
    }
}
