//! Errors of the Kratos client and the operations they belong to.
//!
//! Every error names the [`Operation`] that failed, so a message reads "batch create of 1000
//! identities failed: ...". Two questions decide what a caller does next and both are answered
//! here: [`OryError::is_transient`] (would the same request succeed later?) and
//! [`OryError::may_have_been_applied`] (could a failed write have changed Kratos anyway?).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::IdentityState;

/// The Kratos admin call an error or a retry belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// `PATCH /admin/identities` with this many entries.
    BatchCreate {
        /// How many entries the batch holds.
        count: usize,
    },
    /// `POST /admin/identities`.
    Create,
    /// `GET /admin/identities/{id}`.
    Get {
        /// The identity asked for.
        id: Uuid,
    },
    /// `GET /admin/identities/by/external/{externalID}`.
    GetByExternalId,
    /// `GET /admin/identities?credentials_identifier=...`.
    ListByIdentifier,
    /// `GET /admin/identities` for one page.
    ListPage,
    /// `DELETE /admin/identities/{id}`.
    Delete {
        /// The identity to delete.
        id: Uuid,
    },
    /// `PATCH /admin/identities/{id}` replacing `/state`.
    SetState {
        /// The identity to change.
        id: Uuid,
        /// The state asked for.
        state: IdentityState,
    },
    /// `PUT /admin/identities/{id}`.
    Update {
        /// The identity to replace.
        id: Uuid,
    },
    /// `GET /health/ready`.
    Ready,
}

impl Operation {
    /// Whether the operation changes identities (and so goes through the write lock).
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Self::BatchCreate { .. }
                | Self::Create
                | Self::Delete { .. }
                | Self::SetState { .. }
                | Self::Update { .. }
        )
    }
}

// Lookups by external id or identifier leave the value out: it may be personal data.
impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BatchCreate { count: 1 } => write!(f, "batch create of 1 identity"),
            Self::BatchCreate { count } => write!(f, "batch create of {count} identities"),
            Self::Create => write!(f, "create of an identity"),
            Self::Get { id } => write!(f, "get of identity {id}"),
            Self::GetByExternalId => write!(f, "lookup of an identity by external id"),
            Self::ListByIdentifier => write!(f, "lookup of identities by credentials identifier"),
            Self::ListPage => write!(f, "listing of identities"),
            Self::Delete { id } => write!(f, "delete of identity {id}"),
            Self::SetState { id, state } => write!(f, "state change of identity {id} to {state}"),
            Self::Update { id } => write!(f, "update of identity {id}"),
            Self::Ready => write!(f, "readiness check"),
        }
    }
}

/// The error object Kratos puts inside `{"error": {...}}` (and bare in batch items).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The HTTP status code the error stands for (per batch item it may differ from the answer's).
    #[serde(default)]
    pub code: u16,
    /// The status text, such as `Conflict`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The generic message; do not branch on its text, it differs between versions.
    #[serde(default)]
    pub message: String,
    /// A specific, human-readable reason when Kratos gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An error id for programmatic handling, when Kratos gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The request id, worth quoting to Ory support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;

        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }

        Ok(())
    }
}

/// Why a call to the Kratos admin API failed.
///
/// A write that fails with [`may_have_been_applied`](OryError::may_have_been_applied) set is not
/// retried by the client: the caller must look the identities up before sending it again.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OryError {
    /// Kratos (or a proxy in front of it) answered with an error status.
    #[error("{operation} failed: kratos answered {status}: {error}")]
    Api {
        /// The call that failed.
        operation: Operation,
        /// The HTTP status of the answer.
        status: u16,
        /// The error object from the answer, or one made up from the status when the body had none
        /// (boxed to keep every `Result` of this crate small).
        error: Box<ApiError>,
    },

    /// The connection failed; `request_sent` tells whether Kratos may have seen the request.
    #[error("{operation} failed: {}", transport_text(*.request_sent))]
    Transport {
        /// The call that failed.
        operation: Operation,
        /// False when connecting failed, so the request never left this machine.
        request_sent: bool,
        /// The HTTP client's error, without the URL (it may hold personal data).
        #[source]
        source: reqwest::Error,
    },

    /// No complete answer arrived within the configured timeout.
    #[error("{operation} failed: kratos did not answer within the timeout")]
    Timeout {
        /// The call that failed.
        operation: Operation,
        /// The HTTP client's error, without the URL.
        #[source]
        source: reqwest::Error,
    },

    /// Kratos answered 429 and the retries ran out (or the wait asked for was too long).
    #[error("{operation} failed: rate limited by kratos{}", wait_text(*.retry_after))]
    RateLimited {
        /// The call that failed.
        operation: Operation,
        /// How long Kratos asked to wait, from `Retry-After` or `x-ratelimit-reset`.
        retry_after: Option<Duration>,
    },

    /// A successful answer's body could not be decoded.
    #[error("{operation} failed: kratos's answer could not be decoded")]
    Decode {
        /// The call that failed.
        operation: Operation,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// A successful answer did not match the request (wrong length, foreign patch id, ...).
    #[error("{operation} failed: unexpected answer from kratos: {reason}")]
    UnexpectedResponse {
        /// The call that failed.
        operation: Operation,
        /// What did not match.
        reason: String,
    },

    /// The request was refused before sending because Kratos would reject it.
    #[error("{operation} refused before sending: {reason}")]
    InvalidRequest {
        /// The call that was refused.
        operation: Operation,
        /// Which rule the request breaks.
        reason: String,
    },

    /// The request body could not be encoded as JSON.
    #[error("{operation} failed: the request body could not be encoded")]
    Encode {
        /// The call that failed.
        operation: Operation,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// The client configuration is unusable.
    #[error("invalid ory client configuration: {reason}")]
    Config {
        /// What is wrong with it.
        reason: String,
    },

    /// The HTTP client could not be built.
    #[error("the http client for kratos could not be built")]
    ClientBuild {
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
}

fn transport_text(request_sent: bool) -> &'static str {
    if request_sent {
        "the connection to kratos broke"
    } else {
        "could not connect to kratos"
    }
}

fn wait_text(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" (asked to wait {} s)", wait.as_secs()),
        None => String::new(),
    }
}

impl OryError {
    /// The operation that failed, when the error belongs to one.
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Self::Api { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::RateLimited { operation, .. }
            | Self::Decode { operation, .. }
            | Self::UnexpectedResponse { operation, .. }
            | Self::InvalidRequest { operation, .. }
            | Self::Encode { operation, .. } => Some(operation),
            Self::Config { .. } | Self::ClientBuild { .. } => None,
        }
    }

    /// The HTTP status Kratos answered with, if it answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// How long Kratos asked to wait before the next request, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same request may succeed later: 429, 500/502/503/504, timeouts, and
    /// connection failures.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Api { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Self::RateLimited { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            _ => false,
        }
    }

    /// Whether a failed write may still have changed Kratos.
    ///
    /// True for a write that failed after its request may have reached Kratos: a 5xx answer, a
    /// timeout, a connection broken after sending, or a success answer that could not be read.
    /// The client never retries such a write itself; the caller must look the identities up
    /// (by external id or identifier) before sending it again. Always false for reads, for
    /// 429 (Kratos refused the request) and for errors before sending.
    pub fn may_have_been_applied(&self) -> bool {
        let is_write = self.operation().is_some_and(Operation::is_write);

        let reached_kratos = match self {
            Self::Api { status, .. } => *status >= 500,
            Self::Transport { request_sent, .. } => *request_sent,
            Self::Timeout { .. } | Self::Decode { .. } | Self::UnexpectedResponse { .. } => true,
            _ => false,
        };

        is_write && reached_kratos
    }

    /// Whether the error is Kratos's 404: the identity does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the error is Kratos's 409: a unique key (identifier, address, external id) is taken.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }
}
