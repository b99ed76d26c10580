//! Sending one admin API call: the write lock, the retry loop and reading the answer.
//!
//! Every call goes through [`Http::send`]. Writes first take the client's write lock, because
//! Ory Network refuses concurrent identity writes of one project; reads do not. A failed
//! attempt becomes an [`OryError`] here, with the status, Kratos's error object and any wait
//! Kratos asked for, and [`crate::retry`] decides whether to send it again.

use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use chrono::Utc;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::error::{ApiError, Operation, OryError};
use crate::retry::{self, Failure};

/// One call to make: what it is, where it goes and its JSON body.
pub(crate) struct Call {
    pub(crate) operation: Operation,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Option<Vec<u8>>,
}

/// A success answer.
pub(crate) struct Answer {
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The body decoded as JSON.
    pub(crate) fn json<T: DeserializeOwned>(&self, operation: Operation) -> Result<T, OryError> {
        serde_json::from_slice(&self.body).map_err(|source| OryError::Decode { operation, source })
    }
}

/// The HTTP side of the client, shared by its clones.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    authorization: Option<HeaderValue>,
    write_lock: Arc<Mutex<()>>,
    backoff: ExponentialBuilder,
    min_backoff: Duration,
}

impl Http {
    /// An HTTP side with its own write lock.
    pub(crate) fn new(
        client: reqwest::Client,
        authorization: Option<HeaderValue>,
        backoff: ExponentialBuilder,
        min_backoff: Duration,
    ) -> Self {
        Self {
            client,
            authorization,
            write_lock: Arc::new(Mutex::new(())),
            backoff,
            min_backoff,
        }
    }

    /// Sends the call, retrying what [`retry::should_retry`] allows; non-2xx answers are errors.
    pub(crate) async fn send(&self, call: &Call) -> Result<Answer, OryError> {
        // The lock is held across the retries too: while Kratos rate-limits one write, another
        // would only be refused as well.
        let _write_guard = if call.operation.is_write() {
            Some(self.write_lock.lock().await)
        } else {
            None
        };

        let mut failed_attempts: u32 = 0;

        let result = (|| self.attempt(call))
            .retry(self.backoff)
            .when(retry::should_retry)
            .adjust(|failure, backoff| retry::next_wait(failure, backoff, self.min_backoff))
            .notify(|failure, wait| {
                failed_attempts += 1;
                tracing::warn!(
                    operation = %call.operation,
                    attempt = failed_attempts,
                    wait = ?wait,
                    error = %failure.error,
                    "kratos request failed, retrying"
                );
            })
            .await;

        result.map_err(|failure| failure.error)
    }

    async fn attempt(&self, call: &Call) -> Result<Answer, Failure> {
        let operation = &call.operation;
        let mut request = self.client.request(call.method.clone(), call.url.clone());

        if let Some(authorization) = &self.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }

        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }

        let response = request
            .send()
            .await
            .map_err(|e| transport_failure(operation, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_failure(operation, e))?;

        if status.is_success() {
            let body = body.to_vec();
            return Ok(Answer { headers, body });
        }

        let retry_after = match status.as_u16() {
            429 | 503 => retry::server_wait(&headers, Utc::now()),
            _ => None,
        };

        let error = if status == StatusCode::TOO_MANY_REQUESTS {
            let operation = operation.clone();
            OryError::RateLimited {
                operation,
                retry_after,
            }
        } else {
            OryError::Api {
                operation: operation.clone(),
                status: status.as_u16(),
                error: Box::new(api_error(status, &headers, &body)),
            }
        };

        Err(Failure { error, retry_after })
    }
}

fn transport_failure(operation: &Operation, error: reqwest::Error) -> Failure {
    let operation = operation.clone();

    // The URL can hold an external id or an email address, which must not reach the logs.
    let source = error.without_url();

    // A failed connect (even one that timed out) never sent the request, so it is checked first.
    let error = if source.is_connect() {
        OryError::Transport {
            operation,
            request_sent: false,
            source,
        }
    } else if source.is_timeout() {
        OryError::Timeout { operation, source }
    } else {
        OryError::Transport {
            operation,
            request_sent: true,
            source,
        }
    };

    Failure {
        error,
        retry_after: None,
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ApiError,
}

/// Kratos's error object from an error answer, or one made up when the body has none.
///
/// The body itself is never copied into the error: a proxy's page could echo the request.
fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
    if let Ok(ErrorEnvelope { mut error }) = serde_json::from_slice::<ErrorEnvelope>(body) {
        if error.code == 0 {
            error.code = status.as_u16();
        }
        return error;
    }

    let message = if status.is_redirection() && headers.contains_key(LOCATION) {
        "kratos redirected the request; admin_url must point at the admin api".to_owned()
    } else {
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        format!(
            "the answer carried no kratos error object ({}, {} bytes)",
            content_type.unwrap_or("no content type"),
            body.len()
        )
    };

    ApiError {
        code: status.as_u16(),
        status: status.canonical_reason().map(str::to_owned),
        message,
        ..ApiError::default()
    }
}

/// The `page_token` of the `rel="next"` link in a `Link` header, if there is one.
///
/// Only the token is taken: the next request is built from the configured base URL, not from a
/// host named in the header.
pub(crate) fn next_page_token(headers: &HeaderMap, base: &Url) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(link_targets)
        .find(|(_, params)| is_next(params))
        .and_then(|(target, _)| base.join(target).ok())
        .and_then(|url| {
            url.query_pairs()
                .find(|(name, _)| name == "page_token")
                .map(|(_, token)| token.into_owned())
        })
}

// Splits `<a>; rel="first", <b>; rel="next"` into targets and their parameter text; commas
// inside the angle brackets are part of the target.
fn link_targets(header: &str) -> Vec<(&str, &str)> {
    let mut links = Vec::new();
    let mut rest = header;

    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|at| open + at) else {
            break;
        };

        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let params_end = after.find('<').unwrap_or(after.len());

        links.push((target, &after[..params_end]));
        rest = &after[params_end..];
    }

    links
}

fn is_next(params: &str) -> bool {
    params.split(';').any(|param| {
        let Some((name, value)) = param.split_once('=') else {
            return false;
        };

        let value = value.trim().trim_end_matches(',').trim().trim_matches('"');
        name.trim().eq_ignore_ascii_case("rel")
            && value
                .split_ascii_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::LINK, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn base() -> Url {
        Url::parse("http://kratos:4434/admin/identities").unwrap()
    }

    #[test]
    fn next_link_token_is_found_after_the_first_link() {
        let headers = link(
            "</admin/identities?page_size=2&page_token=aaa>; rel=\"first\",\
             </admin/identities?page_size=2&page_token=b%2Cc>; rel=\"next\"",
        );

        assert_eq!(next_page_token(&headers, &base()).as_deref(), Some("b,c"));
    }

    #[test]
    fn no_next_link_means_the_last_page() {
        let headers = link("<http://kratos/admin/identities?page_token=aaa>; rel=\"first\"");

        assert_eq!(next_page_token(&headers, &base()), None);
    }

    #[test]
    fn error_envelope_is_parsed_and_missing_code_filled_in() {
        let body = br#"{"error":{"status":"Conflict","message":"taken","reason":"dup"}}"#;

        let error = api_error(StatusCode::CONFLICT, &HeaderMap::new(), body);

        assert_eq!(error.code, 409);
        assert_eq!(error.reason.as_deref(), Some("dup"));
    }

    #[test]
    fn non_json_error_body_gives_a_made_up_error_without_the_body() {
        let body = b"<html>secret-looking proxy page</html>";

        let error = api_error(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body);

        assert_eq!(error.code, 502);
        assert!(!error.message.contains("secret"));
    }
}
