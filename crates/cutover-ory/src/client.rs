//! The Kratos admin identity client: one method per admin call the migration needs.
//!
//! # Writes and retries
//!
//! A client (and all its clones) sends one write at a time: batch create, create, update,
//! state change and delete wait for each other, as Ory Network refuses concurrent identity
//! writes. Reads run concurrently.
//!
//! Reads are retried on every transient error. A write is retried only when Kratos cannot have
//! processed it (429, or the connection could not be made). When a write fails in a way that
//! leaves its effect unknown (5xx, timeout, connection broken after sending),
//! [`OryError::may_have_been_applied`] is true and the caller must look the identities up (by
//! external id, else by identifier) before sending it again.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::batch::{self, BatchEntry, BatchOutcome, BatchRequest, BatchResponse};
use crate::error::{Operation, OryError};
use crate::http::{self, Answer, Call, Http};
use crate::identity::Identity;
use crate::models::{CreateIdentityBody, IdentityState, UpdateIdentityBody};
use crate::retry;

/// How many identities one listing page asks for (Kratos's maximum).
pub const LIST_PAGE_SIZE: u32 = 500;

/// Where Kratos is and how patiently to talk to it.
#[derive(Clone)]
pub struct OryConfig {
    /// The admin base URL, such as `https://slug.projects.oryapis.com` or `http://kratos:4434`.
    pub admin_url: String,
    /// The Ory Network API key, sent as `Authorization: Bearer`; none for self-hosted Kratos.
    pub api_key: Option<String>,
    /// The limit for one request, from sending to the end of the answer.
    pub timeout: Duration,
    /// How many times a failed request may be sent again.
    pub max_retries: u32,
    /// The first wait between attempts.
    pub min_backoff: Duration,
    /// The longest computed wait between attempts (capped at 30 s).
    pub max_backoff: Duration,
}

impl OryConfig {
    /// A configuration with the default timeout (60 s), 5 retries and 0.5 s to 30 s backoff.
    pub fn new(admin_url: impl Into<String>) -> Self {
        Self {
            admin_url: admin_url.into(),
            api_key: None,
            timeout: Duration::from_secs(60),
            max_retries: 5,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

// The API key is a secret, so Debug only says whether one is set.
impl fmt::Debug for OryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OryConfig")
            .field("admin_url", &self.admin_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("min_backoff", &self.min_backoff)
            .field("max_backoff", &self.max_backoff)
            .finish()
    }
}

/// One page of the identity listing.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityPage {
    /// The identities of the page, ordered by id.
    pub identities: Vec<Identity>,
    /// The token of the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

/// A client of the Kratos admin identity API; clones share the connection pool and write lock.
#[derive(Clone)]
pub struct OryClient {
    http: Http,
    base: String,
}

impl fmt::Debug for OryClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OryClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl OryClient {
    /// A client for the Kratos admin API at `config.admin_url`.
    ///
    /// A trailing `/` or `/admin` is dropped from the URL: paths are joined as
    /// `/admin/identities...` and `/health/ready`.
    pub fn new(config: OryConfig) -> Result<Self, OryError> {
        let base = admin_base(&config.admin_url)?;
        let authorization = config.api_key.as_deref().map(bearer).transpose()?;

        // Redirects are not followed: a write resent to another address could be applied twice,
        // and a redirect usually means admin_url names Kratos's public port.
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|source| OryError::ClientBuild { source })?;

        let backoff = retry::backoff(config.min_backoff, config.max_backoff, config.max_retries);
        let http = Http::new(client, authorization, backoff, config.min_backoff);

        Ok(Self { http, base })
    }

    /// Creates up to 1000 identities in one `PATCH /admin/identities`, one item per entry.
    ///
    /// Per-entry failures (409 conflicts, schema errors) come back as [`crate::BatchItem::Error`]
    /// in an `Ok`. An `Err` means the batch as a whole failed; if
    /// [`OryError::may_have_been_applied`] is true, some identities may exist and must be
    /// looked up before the batch is resent. An empty batch sends nothing.
    pub async fn batch_create(&self, entries: &[BatchEntry]) -> Result<BatchOutcome, OryError> {
        let operation = Operation::BatchCreate {
            count: entries.len(),
        };

        if entries.is_empty() {
            return Ok(BatchOutcome::default());
        }

        if let Some(reason) = batch::limit_violation(entries) {
            return Err(OryError::InvalidRequest { operation, reason });
        }

        let body = BatchRequest {
            identities: entries,
        };
        let answer = self
            .write(operation.clone(), Method::PATCH, &[], &body)
            .await?;
        let response: BatchResponse = answer.json(operation.clone())?;

        batch::match_outcome(entries, response)
            .map_err(|reason| OryError::UnexpectedResponse { operation, reason })
    }

    /// Creates one identity with `POST /admin/identities`; a taken identifier is a 409.
    ///
    /// See the module docs for what an error with `may_have_been_applied` asks of the caller.
    pub async fn create(&self, body: &CreateIdentityBody) -> Result<Identity, OryError> {
        let operation = Operation::Create;

        let answer = self
            .write(operation.clone(), Method::POST, &[], body)
            .await?;
        answer.json(operation)
    }

    /// Reads one identity, or `None` if it does not exist.
    pub async fn get(&self, id: Uuid) -> Result<Option<Identity>, OryError> {
        let operation = Operation::Get { id };
        let url = self.url(&[&id.to_string()])?;

        self.read_optional(operation, url).await
    }

    /// Reads the identity with this external id, or `None` if there is none.
    ///
    /// The id is percent-encoded as one path segment, so ids such as `auth0|123` are safe.
    pub async fn get_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Identity>, OryError> {
        let operation = Operation::GetByExternalId;

        // These would be empty or dot segments, which URL parsing drops or Kratos refuses.
        if matches!(external_id, "" | "." | "..") {
            let reason = "an empty or dot-only external id cannot be looked up".to_owned();
            return Err(OryError::InvalidRequest { operation, reason });
        }

        let url = self.url(&["by", "external", &encode_segment(external_id)])?;
        self.read_optional(operation, url).await
    }

    /// Lists the identities with exactly this credentials identifier (normalised by Kratos).
    ///
    /// For social sign-in the identifier is `provider:subject`.
    pub async fn list_by_identifier(&self, identifier: &str) -> Result<Vec<Identity>, OryError> {
        let operation = Operation::ListByIdentifier;
        let mut url = self.url(&[])?;

        url.query_pairs_mut()
            .append_pair("credentials_identifier", identifier);
        self.read(operation.clone(), url).await?.json(operation)
    }

    /// Reads one page of all identities; pass the previous page's token to get the next one.
    pub async fn list_page(&self, page_token: Option<&str>) -> Result<IdentityPage, OryError> {
        let operation = Operation::ListPage;
        let mut url = self.url(&[])?;

        url.query_pairs_mut()
            .append_pair("page_size", &LIST_PAGE_SIZE.to_string());
        if let Some(token) = page_token {
            url.query_pairs_mut().append_pair("page_token", token);
        }

        let answer = self.read(operation.clone(), url.clone()).await?;
        let identities = answer.json(operation)?;
        let next_page_token = http::next_page_token(&answer.headers, &url);

        Ok(IdentityPage {
            identities,
            next_page_token,
        })
    }

    /// Deletes an identity for good (with its sessions); `false` if it was already gone.
    pub async fn delete(&self, id: Uuid) -> Result<bool, OryError> {
        let operation = Operation::Delete { id };

        let result = self
            .send(operation, Method::DELETE, &[&id.to_string()], None)
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if error.is_not_found() => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Sets an identity's state with a JSON Patch replacing `/state` (the go-live switch).
    pub async fn set_state(&self, id: Uuid, state: IdentityState) -> Result<Identity, OryError> {
        let operation = Operation::SetState { id, state };
        let patch = json!([{ "op": "replace", "path": "/state", "value": state }]);

        let id = id.to_string();

        let answer = self
            .write(operation.clone(), Method::PATCH, &[&id], &patch)
            .await?;
        answer.json(operation)
    }

    /// Replaces an identity with `PUT /admin/identities/{id}` (see [`UpdateIdentityBody`]).
    pub async fn update(&self, id: Uuid, body: &UpdateIdentityBody) -> Result<Identity, OryError> {
        let operation = Operation::Update { id };

        let id = id.to_string();

        let answer = self
            .write(operation.clone(), Method::PUT, &[&id], body)
            .await?;
        answer.json(operation)
    }

    /// Checks that Kratos is up and its database reachable (`GET /health/ready`).
    pub async fn ready(&self) -> Result<(), OryError> {
        let url = self.parse_url(format!("{}/health/ready", self.base))?;

        self.read(Operation::Ready, url).await.map(|_| ())
    }

    async fn read(&self, operation: Operation, url: Url) -> Result<Answer, OryError> {
        let call = Call {
            operation,
            method: Method::GET,
            url,
            body: None,
        };
        self.http.send(&call).await
    }

    async fn read_optional(
        &self,
        operation: Operation,
        url: Url,
    ) -> Result<Option<Identity>, OryError> {
        match self.read(operation.clone(), url).await {
            Ok(answer) => answer.json(operation).map(Some),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    async fn write(
        &self,
        operation: Operation,
        method: Method,
        segments: &[&str],
        body: &impl Serialize,
    ) -> Result<Answer, OryError> {
        let body = serde_json::to_vec(body).map_err(|source| OryError::Encode {
            operation: operation.clone(),
            source,
        })?;

        self.send(operation, method, segments, Some(body)).await
    }

    async fn send(
        &self,
        operation: Operation,
        method: Method,
        segments: &[&str],
        body: Option<Vec<u8>>,
    ) -> Result<Answer, OryError> {
        let url = self.url(segments)?;
        let call = Call {
            operation,
            method,
            url,
            body,
        };

        self.http.send(&call).await
    }

    /// `/admin/identities` followed by already-encoded path segments.
    fn url(&self, segments: &[&str]) -> Result<Url, OryError> {
        let mut path = format!("{}/admin/identities", self.base);
        for segment in segments {
            path.push('/');
            path.push_str(segment);
        }

        self.parse_url(path)
    }

    fn parse_url(&self, url: String) -> Result<Url, OryError> {
        Url::parse(&url).map_err(|error| OryError::Config {
            reason: format!("request url built from admin_url is invalid: {error}"),
        })
    }
}

/// The admin URL without a trailing `/` or `/admin`, checked to be a plain http(s) base.
fn admin_base(admin_url: &str) -> Result<String, OryError> {
    let invalid = |why: String| OryError::Config {
        reason: format!("admin_url {admin_url:?} {why}"),
    };

    let url =
        Url::parse(admin_url.trim()).map_err(|error| invalid(format!("is not a url: {error}")))?;

    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must be an http or https url".to_owned()));
    }

    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".to_owned()));
    }

    let base = url.as_str().trim_end_matches('/');
    let base = base.strip_suffix("/admin").unwrap_or(base);

    Ok(base.to_owned())
}

fn bearer(api_key: &str) -> Result<HeaderValue, OryError> {
    // The key itself never goes into the error.
    let mut value = HeaderValue::from_str(&format!("Bearer {}", api_key.trim())).map_err(|_| {
        OryError::Config {
            reason: "api_key contains characters not allowed in an http header".to_owned(),
        }
    })?;

    value.set_sensitive(true);
    Ok(value)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so `|`, `/`, `?` and `%`
/// in an id stay inside its path segment.
fn encode_segment(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());

    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }

    encoded
}
