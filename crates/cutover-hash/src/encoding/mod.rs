//! Reading the text inside hash strings the way Kratos's Go code reads it.
//!
//! Kratos parses parameters with Go's `fmt.Sscanf` and binary fields with the Go standard
//! library's base64 flavours; both differ from the usual Rust crates in small ways (what
//! is skipped, what is ignored, which padding is required). The helpers here reproduce
//! those readings so that a verdict here is the verdict Kratos would reach.

pub(crate) mod bcrypt64;
pub(crate) mod crypt64;
pub(crate) mod go_base64;
pub(crate) mod go_scan;
pub(crate) mod legacy_base64;

pub(crate) use go_base64::Flavour;
pub(crate) use go_scan::GoScan;
