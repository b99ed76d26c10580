//! cutover-hash
