//! bcrypt's base64: the alphabet `./A-Za-z0-9`, no padding.
//!
//! Salts are decoded leniently (unused bits of the last character ignored), as Go and the
//! C implementations do; a stored hash is compared with a freshly, canonically encoded
//! one, so the strict engine tells whether a hash part can ever match.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Lenient bcrypt base64, as salts are read.
pub(crate) const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::BCRYPT,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Canonical bcrypt base64, as bcrypt writes its hashes.
pub(crate) const STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::BCRYPT,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);
