//! Reading, listing, patching and deleting identities over real HTTP.

mod common;

use std::collections::BTreeSet;

use common::{Harness, batch, imported, person};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn an_identity_is_found_by_its_external_id_with_or_without_the_prefix() {
    let harness = Harness::start().await;
    let created = harness
        .create(&imported("f@example.org", "auth0|42", "pw"))
        .await;

    let prefixed = harness
        .get("/admin/identities/by/external/auth0%7C42")
        .await;
    let bare = harness.get("/identities/by/external/auth0%7C42").await;
    let missing = harness
        .get("/admin/identities/by/external/auth0%7C43")
        .await;

    assert_eq!(prefixed.status, StatusCode::OK);
    assert_eq!(prefixed.body["id"], created["id"]);
    assert_eq!(bare.body["id"], created["id"]);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["error"]["code"], 404);
}

#[tokio::test]
async fn the_credentials_identifier_filter_matches_after_normalisation_only() {
    let harness = Harness::start().await;
    let created = harness.create(&person("grace@example.org")).await;
    harness.create(&person("grace.other@example.org")).await;

    let found = harness
        .get("/admin/identities?credentials_identifier=Grace%40Example.org")
        .await;
    let prefix = harness
        .get("/admin/identities?credentials_identifier=grace")
        .await;
    let some_id = "6f1c0e8e-0000-4000-8000-000000000000";
    let combined = harness
        .get(&format!(
            "/admin/identities?credentials_identifier=grace&ids={some_id}"
        ))
        .await;

    assert_eq!(found.status, StatusCode::OK);
    let ids: Vec<&Value> = found
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(ids, [&created["id"]]);
    assert_eq!(prefix.body, json!([]));
    assert_eq!(combined.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn keyset_pages_cover_every_identity_exactly_once() {
    let harness = Harness::start().await;
    let creates: Vec<Value> = (0..23)
        .map(|i| person(&format!("page{i}@example.org")))
        .collect();
    assert_eq!(
        harness
            .patch("/admin/identities", &batch(&creates))
            .await
            .status,
        StatusCode::OK
    );

    let mut seen = Vec::new();
    let mut next = Some("/admin/identities?page_size=5".to_owned());
    while let Some(path) = next.take() {
        let page = harness.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        assert!(page.body.as_array().unwrap().len() <= 5);
        seen.extend(
            page.body
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].to_string()),
        );
        next = next_link(page.headers["link"].to_str().unwrap());
    }

    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 23);
    assert_eq!(unique.len(), 23);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "pages are ordered by id");
}

/// The target of the `rel="next"` link, if any.
fn next_link(header: &str) -> Option<String> {
    let next = header
        .split(',')
        .find(|link| link.contains("rel=\"next\""))?;
    Some(next.split(['<', '>']).nth(1)?.to_owned())
}

#[tokio::test]
async fn include_credential_shows_the_hash_and_rejects_unknown_types() {
    let harness = Harness::start().await;
    let created = harness
        .create(&imported("h@example.org", "h-1", "pw"))
        .await;
    let id = created["id"].as_str().unwrap();

    let shown = harness
        .get(&format!(
            "/admin/identities/{id}?include_credential=password"
        ))
        .await;
    let hidden = harness.get(&format!("/admin/identities/{id}")).await;
    let invalid = harness
        .get(&format!("/admin/identities/{id}?include_credential=pin"))
        .await;

    let hash = &shown.body["credentials"]["password"]["config"]["hashed_password"];
    assert!(hash.as_str().unwrap().starts_with("$2"));
    assert!(
        hidden.body["credentials"]["password"]
            .get("config")
            .is_none()
    );
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn delete_answers_204_then_404() {
    let harness = Harness::start().await;
    let created = harness.create(&person("i@example.org")).await;
    let path = format!("/admin/identities/{}", created["id"].as_str().unwrap());

    let first = harness.delete(&path).await;
    let second = harness.delete(&path).await;

    assert_eq!(first.status, StatusCode::NO_CONTENT);
    assert_eq!(second.status, StatusCode::NOT_FOUND);
    assert_eq!(harness.get(&path).await.status, StatusCode::NOT_FOUND);
    // The identifier is free again once its identity is gone.
    harness.create(&person("i@example.org")).await;
}

#[tokio::test]
async fn a_json_patch_switches_the_state_and_replaces_admin_metadata() {
    let harness = Harness::start().await;
    let created = harness.create(&person("j@example.org")).await;
    let path = format!("/admin/identities/{}", created["id"].as_str().unwrap());
    let patch = json!([
        {"op": "replace", "path": "/state", "value": "inactive"},
        {"op": "replace", "path": "/metadata_admin", "value": {"cutover": {"phase": "staff"}}},
    ]);

    let answer = harness.patch(&path, &patch).await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(answer.body["state"], "inactive");
    assert_ne!(answer.body["state_changed_at"], created["state_changed_at"]);
    let stored = harness.get(&path).await.body;
    assert_eq!(stored["state"], "inactive");
    assert_eq!(
        stored["metadata_admin"],
        json!({"cutover": {"phase": "staff"}})
    );
}

#[tokio::test]
async fn json_patches_that_break_the_rules_are_400_and_change_nothing() {
    let harness = Harness::start().await;
    let created = harness.create(&person("k@example.org")).await;
    let path = format!("/admin/identities/{}", created["id"].as_str().unwrap());

    let bad_state = json!([{"op": "replace", "path": "/state", "value": "paused"}]);
    let id_change = json!([{"op": "replace", "path": "/id", "value": "x"}]);
    let bad_traits = json!([{"op": "replace", "path": "/traits/email", "value": "nope"}]);
    for patch in [bad_state, id_change, bad_traits] {
        let answer = harness.patch(&path, &patch).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{patch}: {:?}",
            answer.body
        );
    }

    let stored = harness.get(&path).await.body;
    assert_eq!(stored["state"], "active");
    assert_eq!(stored["traits"], json!({"email": "k@example.org"}));
}

#[tokio::test]
async fn a_put_replaces_traits_and_a_taken_identifier_is_409() {
    let harness = Harness::start().await;
    harness.create(&person("taken@example.org")).await;
    let created = harness.create(&person("l@example.org")).await;
    let path = format!("/admin/identities/{}", created["id"].as_str().unwrap());

    let moved = harness
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&json!({"traits": {"email": "l2@example.org"}})),
        )
        .await;
    let clash = harness
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&json!({"traits": {"email": "Taken@example.org"}})),
        )
        .await;

    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(
        moved.body["credentials"]["password"]["identifiers"],
        json!(["l2@example.org"])
    );
    assert_eq!(clash.status, StatusCode::CONFLICT);
    let found = harness
        .get("/admin/identities?credentials_identifier=l2@example.org")
        .await;
    assert_eq!(found.body.as_array().unwrap().len(), 1);
}
