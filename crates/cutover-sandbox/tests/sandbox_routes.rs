//! The test-only routes (stats, seed, login) and a file store surviving a restart.

mod common;

use common::{Harness, batch, imported, person};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn stats_count_each_route_under_its_admin_key_and_reset_forgets_them() {
    let harness = Harness::start().await;
    harness
        .inject("GET /admin/identities/{id}", "status_503", 1)
        .await;

    let created = harness
        .create(&imported("s@example.org", "s-1", "pw"))
        .await;
    let id = created["id"].as_str().unwrap();
    harness
        .patch("/identities", &batch(&[person("t@example.org")]))
        .await;
    harness.get("/admin/identities").await;
    harness.get(&format!("/identities/{id}")).await;
    harness.get(&format!("/admin/identities/{id}")).await;
    harness.get("/admin/identities/by/external/s-1").await;
    harness
        .patch(&format!("/admin/identities/{id}"), &json!([]))
        .await;
    harness.delete(&format!("/identities/{id}")).await;
    let stats = harness.stats().await;

    assert_eq!(
        stats,
        json!({
            "requests": {
                "POST /admin/identities": 1,
                "PATCH /admin/identities": 1,
                "GET /admin/identities": 1,
                "GET /admin/identities/{id}": 2,
                "GET /admin/identities/by/external": 1,
                "PATCH /admin/identities/{id}": 1,
                "DELETE /admin/identities/{id}": 1,
            },
            "identities": 1,
        })
    );
    assert_eq!(
        harness
            .post("/__sandbox/stats/reset", &json!({}))
            .await
            .body,
        json!({})
    );
    assert_eq!(
        harness.stats().await,
        json!({"requests": {}, "identities": 1})
    );
}

#[tokio::test]
async fn seeding_creates_all_identities_or_none() {
    let harness = Harness::start().await;
    let seed =
        json!({"identities": [person("u1@example.org"), imported("u2@example.org", "x", "pw")]});
    let clash = json!({"identities": [person("u3@example.org"), person("U1@example.org")]});

    let seeded = harness.post("/__sandbox/seed", &seed).await;
    let refused = harness.post("/__sandbox/seed", &clash).await;

    assert_eq!(seeded.status, StatusCode::OK, "{:?}", seeded.body);
    let ids = seeded.body["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let first = harness
        .get(&format!("/admin/identities/{}", ids[0].as_str().unwrap()))
        .await;
    assert_eq!(first.body["traits"]["email"], "u1@example.org");
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(harness.identity_count().await, 2);
    let requests = harness.stats().await["requests"].clone();
    assert_eq!(
        requests,
        json!({"GET /admin/identities/{id}": 1}),
        "seeding is not counted"
    );
}

#[tokio::test]
async fn login_checks_an_imported_bcrypt_hash_and_the_state() {
    let harness = Harness::start().await;
    let created = harness
        .create(&imported("Vera@Example.org", "v-1", "open sesame"))
        .await;
    let login =
        |identifier: &str, password: &str| json!({"identifier": identifier, "password": password});

    let right = harness
        .post(
            "/__sandbox/login",
            &login("vera@example.org", "open sesame"),
        )
        .await;
    let wrong = harness
        .post(
            "/__sandbox/login",
            &login("vera@example.org", "open sesame!"),
        )
        .await;
    let nobody = harness
        .post("/__sandbox/login", &login("nobody@example.org", "x"))
        .await;
    let path = format!("/admin/identities/{}", created["id"].as_str().unwrap());
    harness
        .patch(
            &path,
            &json!([{"op": "replace", "path": "/state", "value": "inactive"}]),
        )
        .await;
    let inactive = harness
        .post(
            "/__sandbox/login",
            &login("VERA@example.org", "open sesame"),
        )
        .await;

    assert_eq!(right.status, StatusCode::OK, "{:?}", right.body);
    assert_eq!(
        right.body,
        json!({"ok": true, "identity_id": created["id"]})
    );
    for refused in [wrong, nobody, inactive] {
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(refused.body["error"]["code"], 401);
    }
}

#[tokio::test]
async fn a_file_store_keeps_identities_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("sandbox.db");
    let first = Harness::with_file(&store).await;
    let created = first.create(&imported("w@example.org", "w-1", "pw")).await;
    first
        .patch("/admin/identities", &batch(&[person("w2@example.org")]))
        .await;
    first.sandbox.shutdown().await;

    let second = Harness::with_file(&store).await;
    let again = second.get("/admin/identities/by/external/w-1").await;
    let duplicate = second
        .post("/admin/identities", &person("W@example.org"))
        .await;

    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], created["id"]);
    assert_eq!(again.body["created_at"], created["created_at"]);
    assert_eq!(second.identity_count().await, 2);
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
}
