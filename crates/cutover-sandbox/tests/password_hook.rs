//! The password migration hook flag stored as Kratos stores it, and the test-only password
//! check that tells a matching hash, a wrong password, a hook identity and an identity
//! without a password apart.

mod common;

use common::{Harness, batch, imported, person};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A create body whose password is left to the migration hook.
fn hook_identity(email: &str, external_id: &str) -> Value {
    json!({
        "schema_id": "preset://email",
        "external_id": external_id,
        "traits": {"email": email},
        "credentials": {"password": {"config": {"use_password_migration_hook": true}}},
    })
}

/// The stored password config of an identity, as `include_credential=password` shows it.
async fn password_config(harness: &Harness, id: &Value) -> Value {
    let path = format!(
        "/admin/identities/{}?include_credential=password",
        id.as_str().unwrap()
    );
    let shown = harness.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK, "{:?}", shown.body);
    shown.body["credentials"]["password"]["config"].clone()
}

async fn check(harness: &Harness, body: Value) -> (StatusCode, Value) {
    let answer = harness.post("/__sandbox/check-password", &body).await;
    (answer.status, answer.body)
}

#[tokio::test]
async fn the_hook_flag_is_stored_with_an_empty_hash_and_shown_only_on_request() {
    let harness = Harness::start().await;

    let created = harness
        .create(&hook_identity("Hook@Example.org", "h-1"))
        .await;

    assert_eq!(
        created["credentials"]["password"]["identifiers"],
        json!(["hook@example.org"])
    );
    assert!(created["credentials"]["password"].get("config").is_none());
    assert_eq!(
        password_config(&harness, &created["id"]).await,
        json!({"hashed_password": "", "use_password_migration_hook": true})
    );
}

#[tokio::test]
async fn with_the_flag_set_a_hash_or_plaintext_beside_it_is_ignored_unchecked() {
    let harness = Harness::start().await;
    let mut with_hash = hook_identity("a@example.org", "h-a");
    with_hash["credentials"]["password"]["config"]["hashed_password"] = json!("$2a$04$tooShort");
    let mut with_plaintext = hook_identity("b@example.org", "h-b");
    with_plaintext["credentials"]["password"]["config"]["password"] = json!("x".repeat(100));

    let a = harness.create(&with_hash).await;
    let b = harness.create(&with_plaintext).await;

    for id in [&a["id"], &b["id"]] {
        assert_eq!(
            password_config(&harness, id).await,
            json!({"hashed_password": "", "use_password_migration_hook": true})
        );
    }
}

#[tokio::test]
async fn a_false_flag_alone_is_an_empty_password_config_and_refused() {
    let harness = Harness::start().await;
    let mut body = hook_identity("c@example.org", "h-c");
    body["credentials"]["password"]["config"] = json!({"use_password_migration_hook": false});

    let refused = harness.post("/admin/identities", &body).await;

    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(harness.identity_count().await, 0);
}

#[tokio::test]
async fn batch_items_and_updates_carry_the_flag_too() {
    let harness = Harness::start().await;
    let created = harness
        .patch(
            "/admin/identities",
            &batch(&[hook_identity("d@example.org", "h-d")]),
        )
        .await;
    let batch_id = created.body["identities"][0]["identity"].clone();
    let hashed = harness
        .create(&imported("e@example.org", "h-e", "pw"))
        .await;
    let mut update = hook_identity("e@example.org", "h-e");
    update["state"] = json!("active");

    let put = harness
        .call(
            reqwest::Method::PUT,
            &format!("/admin/identities/{}", hashed["id"].as_str().unwrap()),
            Some(&update),
        )
        .await;

    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    assert_eq!(
        password_config(&harness, &batch_id).await["use_password_migration_hook"],
        true
    );
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    assert_eq!(
        password_config(&harness, &hashed["id"]).await,
        json!({"hashed_password": "", "use_password_migration_hook": true})
    );
}

#[tokio::test]
async fn a_bcrypt_identity_matches_its_password_and_not_another() {
    let harness = Harness::start().await;
    let created = harness
        .create(&imported("Vera@Example.org", "v-1", "open sesame"))
        .await;

    let (right_status, right) = check(
        &harness,
        json!({"identifier": "VERA@example.org", "password": "open sesame"}),
    )
    .await;
    let (_, wrong) = check(
        &harness,
        json!({"identifier": "vera@example.org", "password": "open sesame!"}),
    )
    .await;
    let (_, by_id) = check(
        &harness,
        json!({"identity_id": created["id"], "password": "open sesame"}),
    )
    .await;

    assert_eq!(right_status, StatusCode::OK, "{right:?}");
    assert_eq!(
        right,
        json!({"identity_id": created["id"], "state": "active", "password": "match"})
    );
    assert_eq!(wrong["password"], "mismatch");
    assert_eq!(by_id["password"], "match");
}

#[tokio::test]
async fn a_hook_identity_answers_hook_and_a_password_less_one_no_password() {
    let harness = Harness::start().await;
    let hook = harness.create(&hook_identity("h@example.org", "h-1")).await;
    harness.create(&person("p@example.org")).await;

    let (_, hooked) = check(
        &harness,
        json!({"identifier": "h@example.org", "password": "anything"}),
    )
    .await;
    let (_, without) = check(
        &harness,
        json!({"identifier": "p@example.org", "password": "anything"}),
    )
    .await;
    let login = harness
        .post(
            "/__sandbox/login",
            &json!({"identifier": "h@example.org", "password": "anything"}),
        )
        .await;

    assert_eq!(hooked["password"], "hook");
    assert_eq!(hooked["identity_id"], hook["id"]);
    assert_eq!(without["password"], "no_password");
    assert_eq!(login.status, StatusCode::INTERNAL_SERVER_ERROR);
    let reason = login.body["error"]["reason"].as_str().unwrap();
    assert!(reason.contains("password migration hook"), "{reason}");
}

#[tokio::test]
async fn the_state_is_reported_not_applied() {
    let harness = Harness::start().await;
    let mut body = imported("i@example.org", "i-1", "pw");
    body["state"] = json!("inactive");
    harness.create(&body).await;

    let (_, answer) = check(
        &harness,
        json!({"identifier": "i@example.org", "password": "pw"}),
    )
    .await;

    assert_eq!(answer["state"], "inactive");
    assert_eq!(answer["password"], "match");
}

#[tokio::test]
async fn an_unknown_or_ambiguous_identity_is_refused() {
    let harness = Harness::start().await;
    let one = harness
        .create(&imported("one@example.org", "1", "pw"))
        .await;
    harness
        .create(&imported("two@example.org", "2", "pw"))
        .await;

    let (nobody, _) = check(
        &harness,
        json!({"identifier": "nobody@example.org", "password": "pw"}),
    )
    .await;
    let (unknown_id, _) = check(
        &harness,
        json!({"identity_id": uuid::Uuid::new_v4(), "password": "pw"}),
    )
    .await;
    let (neither, neither_body) = check(&harness, json!({"password": "pw"})).await;
    let (both, both_body) = check(
        &harness,
        json!({"identifier": "two@example.org", "identity_id": one["id"], "password": "pw"}),
    )
    .await;

    assert_eq!(nobody, StatusCode::NOT_FOUND);
    assert_eq!(unknown_id, StatusCode::NOT_FOUND);
    assert_eq!(neither, StatusCode::BAD_REQUEST, "{neither_body:?}");
    assert_eq!(both, StatusCode::BAD_REQUEST, "{both_body:?}");
    let stats = harness.stats().await;
    assert_eq!(
        stats["requests"].get("POST /admin/identities"),
        Some(&json!(2))
    );
    assert!(
        stats["requests"]
            .as_object()
            .unwrap()
            .keys()
            .all(|route| !route.contains("__sandbox")),
        "test-only routes are not counted: {stats}"
    );
}
