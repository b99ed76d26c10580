//! A scripted Kratos stand-in on 127.0.0.1 that records every request it receives.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use cutover_ory::{OryClient, OryConfig};
use serde_json::Value;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The path and query exactly as sent, still percent-encoded.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

/// What the server answers, possibly after a delay.
pub struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        let headers = vec![("content-type", "text/html".to_owned())];
        Self {
            status,
            headers,
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Script = Box<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

struct Shared {
    script: Script,
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// The running server; it stops with the test's runtime.
pub struct TestServer {
    pub base: String,
    shared: Arc<Shared>,
}

impl TestServer {
    /// Starts a server answering the n-th request (from 0) with `script(request, n)`.
    pub async fn start(script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared {
            script: Box::new(script),
            seen: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });

        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());

        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        Self { base, shared }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.seen.lock().unwrap().len()
    }

    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// A configuration with short waits, so retries take milliseconds.
    pub fn config(&self) -> OryConfig {
        OryConfig {
            admin_url: self.base.clone(),
            api_key: None,
            timeout: Duration::from_secs(5),
            max_retries: 3,
            min_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        }
    }

    pub fn client(&self) -> OryClient {
        OryClient::new(self.config()).unwrap()
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let in_flight = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(in_flight, Ordering::SeqCst);

    let (parts, body) = request.into_parts();
    let seen = Seen {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default(),
        headers: parts.headers,
        body: to_bytes(body, usize::MAX).await.unwrap().to_vec(),
    };

    let reply = {
        let mut all = shared.seen.lock().unwrap();
        all.push(seen.clone());
        (shared.script)(&seen, all.len() - 1)
    };

    tokio::time::sleep(reply.delay).await;
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);

    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap();
    for (name, value) in reply.headers {
        let name = HeaderName::from_static(name);
        response
            .headers_mut()
            .insert(name, HeaderValue::from_str(&value).unwrap());
    }

    response
}

/// Fails the test if any value anywhere in `value` is `null`.
pub fn assert_no_nulls(value: &Value, at: &str) {
    match value {
        Value::Null => panic!("null at {at}"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_no_nulls(item, &format!("{at}[{i}]"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                assert_no_nulls(item, &format!("{at}.{key}"));
            }
        }
        _ => {}
    }
}

/// A minimal identity as Kratos returns it, with a field this client does not know.
pub fn identity_json(id: &str) -> Value {
    serde_json::json!({
        "id": id,
        "schema_id": "preset://email",
        "schema_url": "https://kratos/schemas/cHJlc2V0Oi8vZW1haWw",
        "state": "active",
        "traits": { "email": "alice@example.org" },
        "external_id": "auth0|5dea",
        "metadata_admin": null,
        "metadata_public": null,
        "verifiable_addresses": [{
            "id": "9f0b6a3e-9a3e-4a7a-9d0e-0c7a1b2c3d4e",
            "value": "alice@example.org",
            "verified": true,
            "via": "email",
            "status": "completed",
            "verified_at": "2026-07-01T12:00:00Z",
            "created_at": "2026-07-01T12:00:00Z",
            "updated_at": "2026-07-01T12:00:00Z"
        }],
        "recovery_addresses": null,
        "credentials": {
            "password": {
                "type": "password",
                "identifiers": ["alice@example.org"],
                "version": 0,
                "config": { "hashed_password": "$2a$10$SECRETSECRETSECRETSECRETSECRE" },
                "created_at": "2026-07-01T12:00:00Z",
                "updated_at": "2026-07-01T12:00:00Z"
            }
        },
        "organization_id": null,
        "created_at": "2026-07-01T12:00:00Z",
        "updated_at": "2026-07-01T12:00:00Z",
        "some_future_field": { "nested": true }
    })
}
