//! A sandbox on a free loopback port and a small JSON client for it.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use cutover_sandbox::{Sandbox, SandboxConfig, Store};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A running sandbox with a client aimed at it.
pub struct Harness {
    pub sandbox: Sandbox,
    pub client: reqwest::Client,
}

/// What a request answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Harness {
    /// A sandbox with an in-memory store.
    pub async fn start() -> Harness {
        Self::with_store(Store::Memory).await
    }

    /// A sandbox whose store is the SQLite file `path`.
    pub async fn with_file(path: &Path) -> Harness {
        Self::with_store(Store::File(path.to_path_buf())).await
    }

    async fn with_store(store: Store) -> Harness {
        let config = SandboxConfig {
            store,
            schemas: Vec::new(),
        };
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sandbox = Sandbox::start(config, listen).await.expect("start sandbox");
        Harness {
            sandbox,
            client: reqwest::Client::new(),
        }
    }

    /// Sends `method path` with an optional JSON body and reads the JSON answer, if any.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.sandbox.url()));
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request.send().await.expect("send request")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.call(Method::DELETE, path, None).await
    }

    /// Queues a fault for the next `times` requests of `route`.
    pub async fn inject(&self, route: &str, mode: &str, times: u32) {
        let fault = json!({"route": route, "mode": mode, "times": times, "retry_after_secs": 3});
        let answer = self.post("/__sandbox/faults", &fault).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    }

    /// `GET /__sandbox/stats`.
    pub async fn stats(&self) -> Value {
        self.get("/__sandbox/stats").await.body
    }

    /// How many identities the store holds.
    pub async fn identity_count(&self) -> u64 {
        self.stats().await["identities"]
            .as_u64()
            .expect("identity count")
    }

    /// Creates one identity and returns it, failing the test unless it answers 201.
    pub async fn create(&self, body: &Value) -> Value {
        let answer = self.post("/admin/identities", body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
        answer.body
    }
}

/// Reads a response into an `Answer`; an empty or non-JSON body is `null`.
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("read body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

/// A create body for the built-in email schema.
pub fn person(email: &str) -> Value {
    json!({"schema_id": "preset://email", "traits": {"email": email}})
}

/// A create body with an external id and an imported bcrypt hash of `password`.
pub fn imported(email: &str, external_id: &str, password: &str) -> Value {
    let hash = bcrypt::hash(password, 4).expect("bcrypt");
    json!({
        "schema_id": "preset://email",
        "external_id": external_id,
        "traits": {"email": email},
        "credentials": {"password": {"config": {"hashed_password": hash}}},
    })
}

/// A batch body with one `create` per entry, each with a fresh patch id.
pub fn batch(creates: &[Value]) -> Value {
    let entries: Vec<Value> = creates
        .iter()
        .map(|create| json!({"patch_id": uuid::Uuid::new_v4(), "create": create}))
        .collect();
    json!({ "identities": entries })
}
