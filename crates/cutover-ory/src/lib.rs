//! A typed client for the Ory Kratos admin identity API, as cutover's migration uses it.
//!
//! It owns the wire format (Kratos's exact JSON names, nothing sent as `null`), the batch
//! import and its per-entry results, lookups by id, external id and identifier, and the rules
//! for talking to Ory Network safely: one write in flight per client, retries with backoff that
//! honour the server's rate-limit hints, and a clear answer to "could this failed write have
//! been applied?" ([`OryError::may_have_been_applied`]). It stores nothing and uses no other
//! cutover crate; deciding what to do after an uncertain write is the worker's job.

#![forbid(unsafe_code)]

mod batch;
mod client;
mod error;
mod http;
mod identity;
mod models;
mod retry;

pub use batch::{BATCH_LIMIT, BATCH_PLAINTEXT_LIMIT, BatchEntry, BatchItem, BatchOutcome};
pub use client::{IdentityPage, LIST_PAGE_SIZE, OryClient, OryConfig};
pub use error::{ApiError, Operation, OryError};
pub use identity::{Identity, IdentityCredential, RecoveryAddress, VerifiableAddress};
pub use models::{
    AddressVia, CreateIdentityBody, IdentityCredentialsImport, IdentityState, OidcConfig,
    OidcImport, OidcProvider, PasswordConfig, PasswordImport, RecoveryAddressImport,
    UpdateIdentityBody, VerifiableAddressImport, VerificationStatus,
};
