//! The HTTP surface: the admin routes, the test-only routes and what runs around every request.
//!
//! Every admin route is served twice, under `/admin` as Kratos's admin port shows it behind Ory
//! Network's proxy and without the prefix as a self-hosted admin port serves it. A layer on the
//! admin routes counts each request under its route key and applies an injected fault before,
//! or after, the handler runs. The handler itself runs in a task of its own, so a write whose
//! client gave up still commits or rolls back as a whole, as it would on a real server.

mod create;
mod password;
mod read;
mod sandbox;
mod update;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::watch;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::faults::{Fault, FaultMode, Faults};
use crate::model::CREDENTIAL_TYPES;
use crate::query;
use crate::schema::SchemaRegistry;
use crate::stats::Stats;
use crate::store::IdentityStore;

/// The largest request body accepted; a full batch of 1000 imports fits many times over.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The route keys requests are counted and faults injected under.
pub(crate) const ROUTE_KEYS: &[&str] = &[
    "GET /admin/identities",
    "POST /admin/identities",
    "PATCH /admin/identities",
    "GET /admin/identities/{id}",
    "PUT /admin/identities/{id}",
    "PATCH /admin/identities/{id}",
    "DELETE /admin/identities/{id}",
    "GET /admin/identities/by/external",
    "GET /admin/schemas/{id}",
    "GET /admin/health/ready",
    "GET /admin/health/alive",
];

/// The state every handler shares.
#[derive(Clone)]
pub(crate) struct AppState(pub Arc<Inner>);

/// What `AppState` points at.
pub(crate) struct Inner {
    /// The identity database.
    pub store: IdentityStore,
    /// The identity schemas.
    pub schemas: SchemaRegistry,
    /// `http://host:port`, for `Location` headers and schema URLs.
    pub base_url: String,
    /// Requests per route key.
    pub stats: Stats,
    /// Queued faults per route key.
    pub faults: Faults,
    /// Becomes true when the sandbox shuts down; hanging requests wait for it.
    pub stopped: watch::Receiver<bool>,
}

impl Inner {
    /// Waits until the sandbox shuts down.
    async fn until_stopped(&self) {
        let mut stopped = self.stopped.clone();
        // An error means the sender is gone, which also means the sandbox is stopping.
        let _ = stopped.wait_for(|stop| *stop).await;
    }
}

/// The sandbox's router: admin routes with and without `/admin`, and the `/__sandbox` routes.
pub(crate) fn router(state: AppState) -> Router {
    let mut admin = Router::new();
    for prefix in ["/admin", ""] {
        admin = admin
            .route(
                &format!("{prefix}/identities"),
                get(read::list).post(create::create).patch(create::batch),
            )
            .route(
                &format!("{prefix}/identities/{{id}}"),
                get(read::get)
                    .put(update::put)
                    .patch(update::patch)
                    .delete(update::delete),
            )
            .route(
                &format!("{prefix}/identities/by/external/{{external_id}}"),
                get(read::external),
            )
            .route(&format!("{prefix}/schemas/{{id}}"), get(read::schema))
            .route(&format!("{prefix}/health/ready"), get(read::health))
            .route(&format!("{prefix}/health/alive"), get(read::health));
    }
    let admin = admin.route_layer(middleware::from_fn_with_state(state.clone(), admin_layer));

    let test_only = Router::new()
        .route("/__sandbox/stats", get(sandbox::stats))
        .route("/__sandbox/stats/reset", post(sandbox::reset_stats))
        .route(
            "/__sandbox/faults",
            post(sandbox::inject_fault).delete(sandbox::clear_faults),
        )
        .route("/__sandbox/seed", post(sandbox::seed))
        .route("/__sandbox/login", post(password::login))
        .route("/__sandbox/check-password", post(password::check_password));

    admin
        .merge(test_only)
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The stable key of a route: the method and the template with the `/admin` prefix.
pub(crate) fn route_key(method: &Method, template: &str) -> String {
    let path = template.strip_prefix("/admin").unwrap_or(template);
    let path = match path.strip_prefix("/identities/by/external/") {
        Some(_) => "/identities/by/external",
        None => path,
    };
    format!("{method} /admin{path}")
}

/// Counts the request, then applies the fault queued for its route, if any.
async fn admin_layer(
    State(state): State<AppState>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let key = route_key(request.method(), matched.as_str());
    state.0.stats.record(&key);

    let Some(fault) = state.0.faults.take(&key) else {
        return run_to_completion(next, request).await;
    };
    tracing::debug!(route = %key, mode = ?fault.mode, "answering with an injected fault");

    match fault.mode {
        FaultMode::Status429 => too_many_requests(fault),
        FaultMode::Status500 => injected(StatusCode::INTERNAL_SERVER_ERROR),
        FaultMode::Status503 => injected(StatusCode::SERVICE_UNAVAILABLE),
        FaultMode::CommitThen500 => {
            run_to_completion(next, request).await;
            injected(StatusCode::INTERNAL_SERVER_ERROR)
        }
        FaultMode::CommitThenHang => {
            run_to_completion(next, request).await;
            state.0.until_stopped().await;
            injected(StatusCode::SERVICE_UNAVAILABLE)
        }
        FaultMode::Hang => {
            state.0.until_stopped().await;
            injected(StatusCode::SERVICE_UNAVAILABLE)
        }
        FaultMode::DelayMs => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            run_to_completion(next, request).await
        }
    }
}

/// Runs the handler in its own task, so that a client hanging up cannot cut a write in half.
async fn run_to_completion(next: Next, request: Request) -> Response {
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => {
            ApiError::internal(format!("the request handler failed: {error}")).into_response()
        }
    }
}

fn injected(status: StatusCode) -> Response {
    let message = "The sandbox answered with an injected fault";
    ApiError::new(
        status,
        message,
        Some("injected by POST /__sandbox/faults".to_owned()),
    )
    .into_response()
}

fn too_many_requests(fault: Fault) -> Response {
    let mut response = injected(StatusCode::TOO_MANY_REQUESTS);

    let wait = HeaderValue::from(fault.retry_after_secs);
    let headers = response.headers_mut();
    headers.insert("retry-after", wait.clone());
    headers.insert("x-ratelimit-reset", wait);
    headers.insert("x-ratelimit-remaining", HeaderValue::from(0_u32));
    response
}

/// The credential types whose configs `include_credential` asks to show.
pub(crate) fn included_credentials(
    pairs: &[(String, String)],
) -> Result<BTreeSet<String>, ApiError> {
    query::all(pairs, "include_credential")
        .into_iter()
        .map(|kind| match CREDENTIAL_TYPES.contains(&kind) {
            true => Ok(kind.to_owned()),
            false => Err(ApiError::bad_request(format!(
                "include_credential {kind:?} is not a credential type; repeat the parameter \
                 for several types, one of: {}",
                CREDENTIAL_TYPES.join(", ")
            ))),
        })
        .collect()
}

/// An identity id from a path; one that is no UUID names no identity.
pub(crate) fn identity_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys_carry_the_admin_prefix_and_drop_the_external_id() {
        let keys = [
            route_key(&Method::PATCH, "/identities"),
            route_key(&Method::GET, "/admin/identities/{id}"),
            route_key(&Method::GET, "/identities/by/external/{external_id}"),
        ];

        assert_eq!(
            keys,
            [
                "PATCH /admin/identities",
                "GET /admin/identities/{id}",
                "GET /admin/identities/by/external"
            ]
        );
        assert!(keys.iter().all(|key| ROUTE_KEYS.contains(&key.as_str())));
    }
}
