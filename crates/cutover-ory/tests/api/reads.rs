//! Reads: lookups, listing, 404 handling, retries and authentication.

use cutover_ory::{IdentityState, OryClient, OryError};
use serde_json::json;
use uuid::Uuid;

use crate::server::{Reply, TestServer, identity_json};

const ID: &str = "0d3c1c1a-7a93-4a8f-9b5b-8f6f7e6d5c4b";

fn not_found() -> Reply {
    Reply::json(
        404,
        json!({ "error": {
            "code": 404,
            "status": "Not Found",
            "message": "The requested resource could not be found"
        }}),
    )
}

#[tokio::test]
async fn get_reads_the_identity_and_ignores_unknown_fields() {
    let server = TestServer::start(|_, _| Reply::json(200, identity_json(ID))).await;

    let identity = server
        .client()
        .get(ID.parse().unwrap())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(identity.id.to_string(), ID);
    assert_eq!(identity.state, Some(IdentityState::Active));
    assert_eq!(identity.external_id.as_deref(), Some("auth0|5dea"));
    assert_eq!(identity.identifiers("password"), ["alice@example.org"]);
    assert!(identity.recovery_addresses.is_empty());
    assert_eq!(
        server.requests()[0].target,
        format!("/admin/identities/{ID}")
    );
}

#[tokio::test]
async fn get_of_a_missing_identity_is_none() {
    let server = TestServer::start(|_, _| not_found()).await;

    let identity = server.client().get(Uuid::nil()).await.unwrap();

    assert_eq!(identity, None);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn external_id_is_percent_encoded_as_one_path_segment() {
    let server = TestServer::start(|_, _| Reply::json(200, identity_json(ID))).await;

    let found = server
        .client()
        .get_by_external_id("auth0|5dea/x y%")
        .await
        .unwrap();

    assert!(found.is_some());
    assert_eq!(
        server.requests()[0].target,
        "/admin/identities/by/external/auth0%7C5dea%2Fx%20y%25"
    );
}

#[tokio::test]
async fn unknown_external_id_is_none() {
    let server = TestServer::start(|_, _| not_found()).await;

    let found = server
        .client()
        .get_by_external_id("auth0|missing")
        .await
        .unwrap();

    assert_eq!(found, None);
}

#[tokio::test]
async fn list_by_identifier_sends_the_identifier_as_query() {
    let server = TestServer::start(|_, _| Reply::json(200, json!([identity_json(ID)]))).await;

    let found = server
        .client()
        .list_by_identifier("a+b@example.org")
        .await
        .unwrap();

    assert_eq!(found.len(), 1);
    assert_eq!(
        server.requests()[0].target,
        "/admin/identities?credentials_identifier=a%2Bb%40example.org"
    );
}

#[tokio::test]
async fn list_page_returns_the_next_token_from_the_link_header() {
    let server = TestServer::start(|seen, _| {
        if seen.target.contains("page_token=") {
            return Reply::json(200, json!([])).header(
                "link",
                "</admin/identities?page_size=500&page_token=first>; rel=\"first\"",
            );
        }
        Reply::json(200, json!([identity_json(ID)])).header(
            "link",
            "</admin/identities?page_size=500&page_token=first>; rel=\"first\",\
             </admin/identities?page_size=500&page_token=tok%2F2>; rel=\"next\"",
        )
    })
    .await;
    let client = server.client();

    let first = client.list_page(None).await.unwrap();
    let token = first.next_page_token.clone().expect("a next page");
    let second = client.list_page(Some(&token)).await.unwrap();

    assert_eq!(first.identities.len(), 1);
    assert_eq!(token, "tok/2");
    assert!(second.identities.is_empty());
    assert_eq!(second.next_page_token, None);
    assert_eq!(
        server.requests()[1].target,
        "/admin/identities?page_size=500&page_token=tok%2F2"
    );
}

#[tokio::test]
async fn server_error_on_a_read_is_retried() {
    let server = TestServer::start(|_, n| match n {
        0 => Reply::text(502, "<html>bad gateway</html>"),
        1 => Reply::json(
            500,
            json!({ "error": { "code": 500, "message": "db down" } }),
        ),
        _ => Reply::json(200, identity_json(ID)),
    })
    .await;

    let identity = server.client().get(ID.parse().unwrap()).await.unwrap();

    assert!(identity.is_some());
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn read_gives_up_after_max_retries() {
    let server =
        TestServer::start(|_, _| Reply::json(503, json!({ "error": { "message": "x" } }))).await;

    let error = server
        .client()
        .list_by_identifier("a@example.org")
        .await
        .unwrap_err();

    assert!(
        matches!(error, OryError::Api { status: 503, .. }),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert!(!error.may_have_been_applied());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn api_key_is_sent_as_bearer_token() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({ "status": "ok" }))).await;
    let config = server.config();
    let with_key = OryClient::new(cutover_ory::OryConfig {
        api_key: Some("ory_pat_abc".to_owned()),
        ..config.clone()
    })
    .unwrap();

    with_key.ready().await.unwrap();
    OryClient::new(config).unwrap().ready().await.unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer ory_pat_abc")
    );
    assert_eq!(requests[1].header("authorization"), None);
}

#[tokio::test]
async fn admin_url_ending_in_admin_is_not_doubled() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({ "status": "ok" }))).await;
    let config = cutover_ory::OryConfig {
        admin_url: format!("{}/admin/", server.base),
        ..server.config()
    };

    OryClient::new(config).unwrap().ready().await.unwrap();

    assert_eq!(server.requests()[0].target, "/health/ready");
}

#[tokio::test]
async fn reads_run_concurrently() {
    let server = TestServer::start(|_, _| {
        Reply::json(200, identity_json(ID)).after(std::time::Duration::from_millis(200))
    })
    .await;
    let client = server.client();

    let (a, b) = tokio::join!(client.get(Uuid::nil()), client.get(Uuid::nil()));

    assert!(a.is_ok() && b.is_ok());
    assert_eq!(server.max_in_flight(), 2);
}
