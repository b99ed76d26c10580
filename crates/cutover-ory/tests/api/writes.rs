//! Writes: serialisation, what is retried, what is left to the caller.

use std::time::{Duration, Instant};

use cutover_ory::{
    BatchEntry, CreateIdentityBody, IdentityState, OryClient, OryConfig, OryError,
    UpdateIdentityBody,
};
use serde_json::json;
use uuid::Uuid;

use crate::server::{Reply, TestServer, assert_no_nulls, identity_json};

const ID: &str = "0d3c1c1a-7a93-4a8f-9b5b-8f6f7e6d5c4b";

fn body() -> CreateIdentityBody {
    CreateIdentityBody {
        schema_id: "preset://email".to_owned(),
        traits: json!({ "email": "alice@example.org" }),
        external_id: Some("auth0|1".to_owned()),
        ..CreateIdentityBody::default()
    }
}

fn one_entry() -> Vec<BatchEntry> {
    vec![BatchEntry {
        patch_id: Uuid::from_u128(1),
        create: body(),
    }]
}

fn one_created() -> Reply {
    Reply::json(
        200,
        json!({ "identities": [{
            "action": "create", "identity": ID, "patch_id": Uuid::from_u128(1)
        }]}),
    )
}

#[tokio::test]
async fn create_posts_the_body_and_returns_the_identity() {
    let server = TestServer::start(|_, _| Reply::json(201, identity_json(ID))).await;

    let identity = server.client().create(&body()).await.unwrap();

    let seen = &server.requests()[0];
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("POST", "/admin/identities")
    );
    assert_eq!(seen.json()["external_id"], "auth0|1");
    assert_eq!(identity.id.to_string(), ID);
}

#[tokio::test]
async fn conflict_on_create_is_permanent_and_not_applied() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            409,
            json!({ "error": { "code": 409, "message": "conflict" } }),
        )
    })
    .await;

    let error = server.client().create(&body()).await.unwrap_err();

    assert!(error.is_conflict());
    assert!(!error.is_transient());
    assert!(!error.may_have_been_applied());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn delete_is_true_when_deleted_and_false_when_already_gone() {
    let server = TestServer::start(|_, n| match n {
        0 => Reply::empty(204),
        _ => Reply::json(
            404,
            json!({ "error": { "code": 404, "message": "not found" } }),
        ),
    })
    .await;
    let client = server.client();

    let first = client.delete(ID.parse().unwrap()).await.unwrap();
    let second = client.delete(ID.parse().unwrap()).await.unwrap();

    assert!(first);
    assert!(!second);
    assert_eq!(server.requests()[0].method, "DELETE");
    assert_eq!(
        server.requests()[0].target,
        format!("/admin/identities/{ID}")
    );
}

#[tokio::test]
async fn set_state_sends_a_json_patch_replacing_state() {
    let server = TestServer::start(|_, _| Reply::json(200, identity_json(ID))).await;

    server
        .client()
        .set_state(ID.parse().unwrap(), IdentityState::Inactive)
        .await
        .unwrap();

    let seen = &server.requests()[0];
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.target, format!("/admin/identities/{ID}"));
    assert_eq!(
        seen.json(),
        json!([{ "op": "replace", "path": "/state", "value": "inactive" }])
    );
}

#[tokio::test]
async fn update_puts_the_full_body_without_nulls() {
    let server = TestServer::start(|_, _| Reply::json(200, identity_json(ID))).await;
    let update = UpdateIdentityBody {
        schema_id: "preset://email".to_owned(),
        traits: json!({ "email": "alice@example.org" }),
        metadata_public: Some(serde_json::Value::Null),
        ..UpdateIdentityBody::default()
    };

    server
        .client()
        .update(ID.parse().unwrap(), &update)
        .await
        .unwrap();

    let seen = &server.requests()[0];
    assert_eq!(seen.method, "PUT");
    assert_no_nulls(&seen.json(), "body");
    assert_eq!(
        seen.json(),
        json!({ "schema_id": "preset://email", "traits": { "email": "alice@example.org" } })
    );
}

#[tokio::test]
async fn server_error_on_a_write_is_not_retried_and_may_have_been_applied() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            500,
            json!({ "error": { "code": 500, "message": "internal" } }),
        )
    })
    .await;

    let error = server
        .client()
        .batch_create(&one_entry())
        .await
        .unwrap_err();

    assert!(
        matches!(error, OryError::Api { status: 500, .. }),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert!(error.may_have_been_applied());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn rate_limited_write_is_retried_after_the_asked_wait() {
    let server = TestServer::start(|_, n| match n {
        0 => Reply::json(
            429,
            json!({ "error": { "code": 429, "message": "slow down" } }),
        )
        .header("retry-after", "1"),
        _ => one_created(),
    })
    .await;
    let started = Instant::now();

    let outcome = server.client().batch_create(&one_entry()).await.unwrap();

    let waited = started.elapsed();
    assert_eq!(outcome.items.len(), 1);
    assert_eq!(server.count(), 2);
    assert!(
        waited >= Duration::from_secs(1),
        "retried after only {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn rate_limit_that_persists_ends_as_rate_limited_and_not_applied() {
    let server = TestServer::start(|_, _| Reply::empty(429).header("x-ratelimit-reset", "0")).await;

    let error = server.client().create(&body()).await.unwrap_err();

    assert!(
        matches!(error, OryError::RateLimited { retry_after: Some(d), .. } if d == Duration::ZERO),
        "{error:?}"
    );
    assert!(!error.may_have_been_applied());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn timeout_is_reported_as_timeout_and_not_retried_for_writes() {
    let server = TestServer::start(|_, _| {
        Reply::json(201, identity_json(ID)).after(Duration::from_secs(10))
    })
    .await;
    let config = OryConfig {
        timeout: Duration::from_millis(200),
        ..server.config()
    };

    let error = OryClient::new(config)
        .unwrap()
        .create(&body())
        .await
        .unwrap_err();

    assert!(matches!(error, OryError::Timeout { .. }), "{error:?}");
    assert!(error.is_transient());
    assert!(error.may_have_been_applied());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn refused_connection_on_a_write_is_not_applied() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = OryConfig {
        admin_url: format!("http://{address}"),
        max_retries: 2,
        min_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..OryConfig::new("unused")
    };

    let error = OryClient::new(config)
        .unwrap()
        .delete(Uuid::nil())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            OryError::Transport {
                request_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert!(!error.may_have_been_applied());
}

#[tokio::test]
async fn concurrent_batch_creates_never_overlap_on_the_server() {
    let server = TestServer::start(|_, _| one_created().after(Duration::from_millis(150))).await;
    let client = server.client();
    let clone = client.clone();
    let entries = one_entry();

    let (a, b) = tokio::join!(client.batch_create(&entries), clone.batch_create(&entries));

    assert!(a.is_ok() && b.is_ok());
    assert_eq!(server.count(), 2);
    assert_eq!(server.max_in_flight(), 1);
}
