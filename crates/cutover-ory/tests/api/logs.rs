//! What the client logs about retried requests.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cutover_ory::{OryClient, OryConfig};
use serde_json::json;

use crate::server::{Reply, TestServer, identity_json};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

// The subscriber is set for this thread only, which the current-thread test runtime runs on.
fn capture_logs() -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();

    (capture, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn each_retried_request_logs_one_warning_with_operation_attempt_and_wait() {
    let server = TestServer::start(|_, n| match n {
        0 | 1 => Reply::json(
            500,
            json!({ "error": { "code": 500, "message": "db down" } }),
        ),
        _ => Reply::json(200, identity_json("0d3c1c1a-7a93-4a8f-9b5b-8f6f7e6d5c4b")),
    })
    .await;
    let config = OryConfig {
        api_key: Some("ory_pat_topsecret".to_owned()),
        ..server.config()
    };
    let (logs, _guard) = capture_logs();

    OryClient::new(config)
        .unwrap()
        .get_by_external_id("auth0|private")
        .await
        .unwrap();

    let text = logs.text();
    let warnings: Vec<_> = text.lines().filter(|line| line.contains("WARN")).collect();
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings[0].contains("attempt=1") && warnings[1].contains("attempt=2"),
        "{text}"
    );
    assert!(
        warnings[0].contains("operation=lookup of an identity by external id"),
        "{text}"
    );
    assert!(warnings[0].contains("wait="), "{text}");
    assert!(!text.contains("ERROR"), "{text}");
    assert!(
        !text.contains("topsecret") && !text.contains("private"),
        "{text}"
    );
}

#[tokio::test]
async fn connection_failures_are_logged_without_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = OryConfig {
        admin_url: format!("http://{address}"),
        max_retries: 1,
        min_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..OryConfig::new("unused")
    };
    let (logs, _guard) = capture_logs();

    let error = OryClient::new(config)
        .unwrap()
        .list_by_identifier("alice@example.org")
        .await;

    let text = logs.text();
    assert!(error.is_err());
    assert_eq!(
        text.lines().filter(|line| line.contains("WARN")).count(),
        1,
        "{text}"
    );
    assert!(!text.contains("alice"), "{text}");
    assert!(!format!("{:?}", error.unwrap_err()).contains("alice"));
}
