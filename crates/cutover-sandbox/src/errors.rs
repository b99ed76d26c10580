//! Errors: the crate's public `SandboxError`, and `ApiError`, the Kratos error envelope.
//!
//! Every error the API answers with has Kratos's shape, `{"error": {code, status, message,
//! reason?}}`, with Kratos's standard messages, so that clients parse sandbox and Kratos errors
//! with the same code. Clients are told to key on `code`, so the reasons are ours.

use std::net::SocketAddr;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What can stop a sandbox from starting or serving.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The listen address could not be bound.
    #[error("cannot bind the sandbox listener on {addr}")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// Why binding failed.
        #[source]
        source: std::io::Error,
    },
    /// The SQLite store could not be opened.
    #[error("cannot open the sandbox store {location}")]
    OpenStore {
        /// The database file, or `memory`.
        location: String,
        /// Why opening failed.
        #[source]
        source: sqlx::Error,
    },
    /// The store's migrations could not be applied.
    #[error("cannot migrate the sandbox store {location}")]
    Migrate {
        /// The database file, or `memory`.
        location: String,
        /// Why the migration failed.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// An identity schema given in the configuration does not compile.
    #[error("identity schema {id} is not a valid JSON schema: {reason}")]
    InvalidSchema {
        /// The schema id.
        id: String,
        /// What the JSON-schema compiler said.
        reason: String,
    },
    /// The HTTP server stopped with an I/O error.
    #[error("the sandbox server failed")]
    Serve(#[source] std::io::Error),
}

const MSG_BAD_REQUEST: &str = "The request was malformed or contained invalid parameters";
const MSG_NOT_FOUND: &str = "The requested resource could not be found";
const MSG_CONFLICT: &str = "The resource could not be created due to a conflict";
const MSG_UNIQUE: &str =
    "Unable to insert or update resource because a resource with that value exists already";
const MSG_INTERNAL: &str =
    "An internal server error occurred, please contact the system administrator";
const REASON_CONFLICT: &str = "This identity conflicts with another identity that already exists.";

/// An error answered in Kratos's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    reason: Option<String>,
}

/// The inner object of the envelope; batch results carry it without the wrapper.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorBody {
    code: u16,
    status: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl ApiError {
    /// An error with any status and message.
    pub(crate) fn new(status: StatusCode, message: &str, reason: Option<String>) -> Self {
        ApiError {
            status,
            message: message.to_owned(),
            reason,
        }
    }

    /// A 400 with Kratos's standard message and our reason.
    pub(crate) fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            MSG_BAD_REQUEST,
            Some(reason.into()),
        )
    }

    /// A 404 with Kratos's standard message.
    pub(crate) fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, MSG_NOT_FOUND, None)
    }

    /// The 409 that `POST /admin/identities` answers for a duplicate.
    pub(crate) fn create_conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            MSG_CONFLICT,
            Some(REASON_CONFLICT.to_owned()),
        )
    }

    /// The 409 of a database unique violation, as batch items and updates report it.
    pub(crate) fn unique_violation() -> Self {
        Self::new(StatusCode::CONFLICT, MSG_UNIQUE, None)
    }

    /// A 500 with Kratos's standard message and our reason.
    pub(crate) fn internal(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            MSG_INTERNAL,
            Some(reason.into()),
        )
    }

    /// The HTTP status of this error.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The reason, Kratos's detail about what went wrong.
    #[cfg(test)]
    pub(crate) fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The error object without the outer `{"error": ...}` wrapper.
    pub(crate) fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.status.as_u16(),
            status: self
                .status
                .canonical_reason()
                .unwrap_or("Unknown")
                .to_owned(),
            message: self.message.clone(),
            reason: self.reason.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.body() });
        (self.status, Json(body)).into_response()
    }
}
