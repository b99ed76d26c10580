//! The Firebase Authentication reader.

mod options;

pub use options::FirebaseOptions;

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "firebase";
