//! `POST /admin/identities` and the batch `PATCH /admin/identities` over real HTTP.

mod common;

use common::{Harness, batch, imported, person};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn create_answers_201_with_the_identity_and_hides_credential_configs() {
    let harness = Harness::start().await;

    let answer = harness
        .post(
            "/identities",
            &imported("Alice@Example.org", "legacy-1", "pw"),
        )
        .await;

    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    let identity = &answer.body;
    let location = answer.headers["location"].to_str().unwrap();
    assert!(location.ends_with(&format!(
        "/admin/identities/{}",
        identity["id"].as_str().unwrap()
    )));
    assert_eq!(identity["state"], "active");
    assert_eq!(identity["external_id"], "legacy-1");
    assert_eq!(
        identity["credentials"]["password"]["identifiers"],
        json!(["alice@example.org"])
    );
    assert!(identity["credentials"]["password"].get("config").is_none());
    assert_eq!(
        identity["verifiable_addresses"][0]["value"],
        "alice@example.org"
    );
    assert_eq!(
        identity["recovery_addresses"][0]["value"],
        "alice@example.org"
    );
}

#[tokio::test]
async fn unknown_fields_are_rejected_in_create_and_batch_bodies() {
    let harness = Harness::start().await;
    let mut with_id = person("a@example.org");
    with_id["id"] = json!("6f1c0e8e-0000-4000-8000-000000000000");

    let create = harness.post("/admin/identities", &with_id).await;
    let top = harness
        .patch("/admin/identities", &json!({"identities": [], "extra": 1}))
        .await;
    let entry = harness.patch("/admin/identities", &batch(&[with_id])).await;

    for answer in [create, top, entry] {
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
        assert_eq!(answer.body["error"]["code"], 400);
    }
    assert_eq!(harness.identity_count().await, 0);
}

#[tokio::test]
async fn a_duplicate_email_differing_in_case_conflicts() {
    let harness = Harness::start().await;
    harness.create(&person("bob@example.org")).await;

    let answer = harness
        .post("/admin/identities", &person("BOB@Example.ORG"))
        .await;

    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(answer.body["error"]["code"], 409);
    assert_eq!(answer.body["error"]["status"], "Conflict");
    assert_eq!(harness.identity_count().await, 1);
}

#[tokio::test]
async fn a_duplicate_external_id_conflicts() {
    let harness = Harness::start().await;
    harness
        .create(&imported("c1@example.org", "legacy-7", "pw"))
        .await;

    let answer = harness
        .post(
            "/admin/identities",
            &imported("c2@example.org", "legacy-7", "pw"),
        )
        .await;

    assert_eq!(answer.status, StatusCode::CONFLICT, "{:?}", answer.body);
}

#[tokio::test]
async fn traits_failing_the_schema_and_unknown_schemas_are_400_with_a_reason() {
    let harness = Harness::start().await;
    let bad_email = person("not an email");
    let unknown_trait =
        json!({"schema_id": "default", "traits": {"email": "d@example.org", "x": 1}});
    let unknown_schema = json!({"schema_id": "user_v1", "traits": {}});

    let answers = [
        harness.post("/admin/identities", &bad_email).await,
        harness.post("/admin/identities", &unknown_trait).await,
        harness.post("/admin/identities", &unknown_schema).await,
    ];

    for answer in &answers {
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
        assert!(answer.body["error"]["reason"].is_string());
    }
    assert_eq!(
        answers[2].body["error"]["reason"],
        "Unable to find JSON Schema ID: user_v1"
    );
}

#[tokio::test]
async fn an_unknown_hash_format_or_bad_state_is_400() {
    let harness = Harness::start().await;
    let mut md5_crypt = person("e@example.org");
    md5_crypt["credentials"] = json!({"password": {"config": {"hashed_password": "$1$salt$x"}}});
    let mut bad_state = person("e@example.org");
    bad_state["state"] = json!("paused");

    for body in [md5_crypt, bad_state] {
        let answer = harness.post("/admin/identities", &body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
    }
    assert_eq!(harness.identity_count().await, 0);
}

#[tokio::test]
async fn a_batch_answers_per_item_in_request_order() {
    let harness = Harness::start().await;
    harness.create(&person("taken@example.org")).await;
    let mut body = batch(&[
        person("new@example.org"),
        person("not an email"),
        person("TAKEN@example.org"),
        imported("twin1@example.org", "same-external", "pw"),
        imported("twin2@example.org", "same-external", "pw"),
    ]);
    body["identities"]
        .as_array_mut()
        .unwrap()
        .push(json!({"patch_id": null}));

    let answer = harness.patch("/admin/identities", &body).await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let slots = answer.body["identities"].as_array().unwrap();
    let actions: Vec<&Value> = slots.iter().map(|slot| &slot["action"]).collect();
    assert_eq!(
        json!(actions),
        json!(["create", "error", "error", "create", "error", null])
    );
    assert_eq!(slots[1]["error"]["code"], 400);
    assert_eq!(slots[2]["error"]["code"], 409);
    assert_eq!(slots[4]["error"]["code"], 409);
    assert!(slots[5].is_null());
    for (slot, entry) in slots
        .iter()
        .zip(body["identities"].as_array().unwrap())
        .take(5)
    {
        assert_eq!(slot["patch_id"], entry["patch_id"]);
    }
    assert_eq!(harness.identity_count().await, 3);
    let created = slots[0]["identity"].as_str().unwrap();
    assert_eq!(
        harness
            .get(&format!("/admin/identities/{created}"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_invalid_hash_fails_the_whole_batch_and_creates_nothing() {
    let harness = Harness::start().await;
    let mut bad = person("bad@example.org");
    bad["credentials"] = json!({"password": {"config": {"hashed_password": "plain:text"}}});

    let answer = harness
        .patch(
            "/admin/identities",
            &batch(&[person("good@example.org"), bad]),
        )
        .await;

    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
    assert_eq!(answer.body["error"]["code"], 400);
    assert_eq!(harness.identity_count().await, 0);
}

#[tokio::test]
async fn batches_over_1000_entries_or_200_plaintext_passwords_are_refused() {
    let harness = Harness::start().await;
    let many: Vec<Value> = (0..1001)
        .map(|i| person(&format!("u{i}@example.org")))
        .collect();
    let plaintext: Vec<Value> = (0..201)
        .map(|i| {
            let mut body = person(&format!("p{i}@example.org"));
            body["credentials"] = json!({"password": {"config": {"password": "secret"}}});
            body
        })
        .collect();

    let too_many = harness.patch("/admin/identities", &batch(&many)).await;
    let too_slow = harness.patch("/admin/identities", &batch(&plaintext)).await;
    let at_limit = harness
        .patch("/admin/identities", &batch(&many[..1000]))
        .await;

    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_slow.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        at_limit.status,
        StatusCode::OK,
        "{:?}",
        at_limit.body["error"]
    );
    assert_eq!(harness.identity_count().await, 1000);
}
