//! A Kratos-compatible admin API server, "the sandbox target", that cutover runs on loopback.
//!
//! It answers the identity routes of Kratos's admin port (`/admin/identities...`, also without
//! the `/admin` prefix) with Kratos's rules: strict bodies, schema-validated traits, normalised
//! unique identifiers, the batch endpoint's per-item results and its error envelope. Whole plans
//! can so be rehearsed, and tests run, without Docker or a real Kratos.
//!
//! Test-only routes under `/__sandbox/`, which are not part of Kratos's API, count requests,
//! inject faults (rate limits, lost responses, hangs), seed identities, check a password as a
//! login would, and say which way a password meets a stored identity (its hash, the password
//! migration hook, or no password). `README.md` beside this crate documents them.

#![forbid(unsafe_code)]

mod body;
mod errors;
mod extension;
mod faults;
mod hashcheck;
mod identity;
mod jsonpatch;
mod model;
mod normalize;
mod prepare;
mod query;
mod routes;
mod schema;
mod server;
mod stats;
mod store;

pub use errors::SandboxError;
pub use server::{Sandbox, SandboxConfig, Store, serve_until};
