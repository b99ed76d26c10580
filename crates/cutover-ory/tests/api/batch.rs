//! The batch create call: request shape, per-item results, limits.

use cutover_ory::{
    AddressVia, BatchEntry, BatchItem, CreateIdentityBody, IdentityCredentialsImport,
    IdentityState, OidcConfig, OidcImport, OidcProvider, OryError, PasswordConfig, PasswordImport,
    RecoveryAddressImport, VerifiableAddressImport, VerificationStatus,
};
use serde_json::json;
use uuid::Uuid;

use crate::server::{Reply, TestServer, assert_no_nulls};

const HASH: &str = "$2a$10$ZsCsoVQ3xfBG/K2z2XpBf.tm90GZmtOqtqWcB5.pYd5Eq8y7RlDyq";

fn patch_id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn full_entry() -> BatchEntry {
    BatchEntry {
        patch_id: patch_id(1),
        create: CreateIdentityBody {
            schema_id: "preset://email".to_owned(),
            traits: json!({ "email": "Alice@Example.org" }),
            state: Some(IdentityState::Inactive),
            metadata_public: None,
            metadata_admin: Some(json!({ "legacy_user_id": 123 })),
            external_id: Some("auth0|000123".to_owned()),
            verifiable_addresses: vec![VerifiableAddressImport {
                value: "alice@example.org".to_owned(),
                verified: true,
                via: AddressVia::Email,
                status: VerificationStatus::Completed,
            }],
            recovery_addresses: vec![RecoveryAddressImport {
                value: "alice@example.org".to_owned(),
                via: AddressVia::Email,
            }],
            credentials: Some(IdentityCredentialsImport {
                password: Some(PasswordImport {
                    config: PasswordConfig::hashed(HASH),
                }),
                oidc: Some(OidcImport {
                    config: OidcConfig {
                        providers: vec![OidcProvider {
                            provider: "google".to_owned(),
                            subject: "1098765".to_owned(),
                        }],
                    },
                }),
            }),
        },
    }
}

fn minimal_entry(n: u128) -> BatchEntry {
    BatchEntry {
        patch_id: patch_id(n),
        create: CreateIdentityBody {
            schema_id: "preset://email".to_owned(),
            traits: json!({ "email": format!("user{n}@example.org") }),
            metadata_public: Some(serde_json::Value::Null),
            ..CreateIdentityBody::default()
        },
    }
}

fn created(n: u128, identity: &str) -> serde_json::Value {
    json!({ "action": "create", "identity": identity, "patch_id": patch_id(n) })
}

#[tokio::test]
async fn batch_body_is_exactly_what_kratos_expects_without_nulls() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            200,
            json!({ "identities": [
                created(1, "55f93ea4-09ff-4273-8b88-082cc70d6d44"),
                created(2, "65f93ea4-09ff-4273-8b88-082cc70d6d44"),
            ]}),
        )
    })
    .await;

    server
        .client()
        .batch_create(&[full_entry(), minimal_entry(2)])
        .await
        .unwrap();

    let seen = &server.requests()[0];
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.target, "/admin/identities");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_no_nulls(&seen.json(), "body");
    assert_eq!(
        seen.json(),
        json!({ "identities": [
            {
                "patch_id": "00000000-0000-0000-0000-000000000001",
                "create": {
                    "schema_id": "preset://email",
                    "traits": { "email": "Alice@Example.org" },
                    "state": "inactive",
                    "metadata_admin": { "legacy_user_id": 123 },
                    "external_id": "auth0|000123",
                    "verifiable_addresses": [{
                        "value": "alice@example.org",
                        "verified": true,
                        "via": "email",
                        "status": "completed"
                    }],
                    "recovery_addresses": [{ "value": "alice@example.org", "via": "email" }],
                    "credentials": {
                        "password": { "config": { "hashed_password": HASH } },
                        "oidc": { "config": { "providers": [
                            { "provider": "google", "subject": "1098765" }
                        ] } }
                    }
                }
            },
            {
                "patch_id": "00000000-0000-0000-0000-000000000002",
                "create": {
                    "schema_id": "preset://email",
                    "traits": { "email": "user2@example.org" }
                }
            }
        ]})
    );
}

#[tokio::test]
async fn batch_results_keep_request_order_with_errors_and_null_slots() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            200,
            json!({ "identities": [
                created(1, "55f93ea4-09ff-4273-8b88-082cc70d6d44"),
                { "action": "error", "patch_id": patch_id(2), "error": {
                    "code": 409, "status": "Conflict",
                    "message": "The resource could not be created due to a conflict",
                    "reason": "This identity conflicts with another identity that already exists."
                }},
                null,
                { "action": "create", "identity": "75f93ea4-09ff-4273-8b88-082cc70d6d44" }
            ]}),
        )
    })
    .await;
    let entries = [
        minimal_entry(1),
        minimal_entry(2),
        minimal_entry(3),
        minimal_entry(4),
    ];

    let outcome = server.client().batch_create(&entries).await.unwrap();

    assert_eq!(outcome.items.len(), 4);
    assert_eq!(
        outcome.items[0],
        BatchItem::Created {
            patch_id: patch_id(1),
            identity: "55f93ea4-09ff-4273-8b88-082cc70d6d44".parse().unwrap(),
        }
    );
    let BatchItem::Error {
        patch_id: failed,
        error,
    } = &outcome.items[1]
    else {
        panic!("second item should be an error: {:?}", outcome.items[1]);
    };
    assert_eq!(*failed, patch_id(2));
    assert_eq!(error.code, 409);
    assert_eq!(error.status.as_deref(), Some("Conflict"));
    assert_eq!(outcome.items[2], BatchItem::Skipped);
    assert_eq!(outcome.items[3].patch_id(), Some(patch_id(4)));
}

#[tokio::test]
async fn batch_answer_with_a_foreign_patch_id_is_rejected_as_possibly_applied() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            200,
            json!({ "identities": [created(9, "55f93ea4-09ff-4273-8b88-082cc70d6d44")] }),
        )
    })
    .await;

    let error = server
        .client()
        .batch_create(&[minimal_entry(1)])
        .await
        .unwrap_err();

    assert!(
        matches!(error, OryError::UnexpectedResponse { .. }),
        "{error:?}"
    );
    assert!(error.may_have_been_applied());
}

#[tokio::test]
async fn batch_answer_with_too_few_slots_is_rejected() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            200,
            json!({ "identities": [created(1, "55f93ea4-09ff-4273-8b88-082cc70d6d44")] }),
        )
    })
    .await;

    let result = server
        .client()
        .batch_create(&[minimal_entry(1), minimal_entry(2)])
        .await;

    assert!(
        matches!(result, Err(OryError::UnexpectedResponse { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn batch_over_kratos_limits_is_refused_before_sending() {
    let server = TestServer::start(|_, _| Reply::empty(500)).await;
    let client = server.client();
    let too_many: Vec<_> = (0..1001).map(minimal_entry).collect();
    let mut plaintext: Vec<_> = (0..201).map(minimal_entry).collect();
    plaintext[7].create.credentials = Some(IdentityCredentialsImport {
        password: Some(PasswordImport {
            config: PasswordConfig::plaintext("hunter2"),
        }),
        oidc: None,
    });

    let over_limit = client.batch_create(&too_many).await.unwrap_err();
    let over_plaintext = client.batch_create(&plaintext).await.unwrap_err();

    assert!(
        matches!(over_limit, OryError::InvalidRequest { .. }),
        "{over_limit:?}"
    );
    assert!(
        matches!(over_plaintext, OryError::InvalidRequest { .. }),
        "{over_plaintext:?}"
    );
    assert!(!over_limit.may_have_been_applied());
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn empty_batch_sends_nothing() {
    let server = TestServer::start(|_, _| Reply::empty(500)).await;

    let outcome = server.client().batch_create(&[]).await.unwrap();

    assert!(outcome.items.is_empty());
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn batch_failing_as_a_whole_reports_kratos_error_and_names_the_batch() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            json!({ "error": {
                "code": 400, "status": "Bad Request", "message": "The request was malformed",
                "reason": "unknown hash prefix"
            }}),
        )
    })
    .await;

    let error = server
        .client()
        .batch_create(&[minimal_entry(1), minimal_entry(2)])
        .await;
    let error = error.unwrap_err();

    let OryError::Api {
        status, error: api, ..
    } = &error
    else {
        panic!("expected an api error: {error:?}");
    };
    assert_eq!(*status, 400);
    assert_eq!(api.reason.as_deref(), Some("unknown hash prefix"));
    assert!(!error.is_transient());
    assert!(!error.may_have_been_applied());
    assert!(
        error
            .to_string()
            .starts_with("batch create of 2 identities failed"),
        "{error}"
    );
    assert_eq!(server.count(), 1);
}
