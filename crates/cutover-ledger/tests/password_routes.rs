//! Password routes: intake records which way each user's password goes and why, later
//! intakes keep it current, and the counts per route and detail are what status shows.

mod common;

use common::{import, ledger_with_run};
use cutover_ledger::{
    IntakeFingerprints, IntakeRow, Ledger, PasswordRoute, PasswordRouteCount, ReasonCode,
    UserPassword, UserState,
};

const UNIMPORTABLE: &str = "password hash cannot be imported: md5 hash: too short";

/// A user of phase `p1` whose password takes `route` for `detail`.
fn row(legacy_id: &str, route: PasswordRoute, detail: &str) -> IntakeRow {
    let credentials = format!("{route}:{detail}");
    IntakeRow {
        legacy_id: legacy_id.into(),
        external_id: legacy_id.into(),
        patch_id: format!("patch-{legacy_id}"),
        segment: "s1".into(),
        phase: "p1".into(),
        fingerprint: format!("profile+{credentials}"),
        fingerprints: Some(IntakeFingerprints {
            now: cutover_ledger::Fingerprints {
                profile: "profile".into(),
                credentials: credentials.clone(),
            },
            upgrade: vec![format!("profile+{credentials}")],
        }),
        source_line: Some(1),
        verdict: None,
        password: Some(UserPassword::new(route, detail)),
        blocked: false,
    }
}

/// A user that intake stops before its password is decided.
fn stopped(legacy_id: &str) -> IntakeRow {
    let mut row = row(legacy_id, PasswordRoute::None, "unused");
    row.fingerprints = None;
    row.password = None;
    row.verdict = Some((
        UserState::Failed,
        ReasonCode::MissingTrait,
        "no email".into(),
    ));
    row
}

async fn route_of(ledger: &Ledger, run: &str, legacy_id: &str) -> Option<UserPassword> {
    ledger.user(run, legacy_id).await.unwrap().unwrap().password
}

#[tokio::test]
async fn intake_records_each_users_route_with_its_detail() {
    let (_dir, ledger, run) = ledger_with_run().await;

    ledger
        .intake(
            &run,
            &[
                row("a", PasswordRoute::Hash, "bcrypt"),
                row("b", PasswordRoute::Hook, UNIMPORTABLE),
                stopped("c"),
            ],
        )
        .await
        .unwrap();

    assert_eq!(
        route_of(&ledger, &run, "a").await,
        Some(UserPassword::new(PasswordRoute::Hash, "bcrypt"))
    );
    assert_eq!(
        route_of(&ledger, &run, "b").await,
        Some(UserPassword::new(PasswordRoute::Hook, UNIMPORTABLE))
    );
    assert_eq!(route_of(&ledger, &run, "c").await, None);
}

#[tokio::test]
async fn routes_are_counted_per_detail_with_the_imported_users() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(
            &run,
            &[
                row("a", PasswordRoute::Hash, "bcrypt"),
                row("b", PasswordRoute::Hash, "bcrypt"),
                row("c", PasswordRoute::Hash, "argon2id"),
                row("d", PasswordRoute::None, "no password in the export"),
                row("e", PasswordRoute::Hook, UNIMPORTABLE),
                row("f", PasswordRoute::Hook, UNIMPORTABLE),
                stopped("g"),
            ],
        )
        .await
        .unwrap();
    import(&ledger, &run, &["a"]).await;
    import(&ledger, &run, &["e"]).await;

    let counts = ledger.password_routes(&run).await.unwrap();

    let count = |route, detail: &str, users, imported| PasswordRouteCount {
        route,
        detail: detail.into(),
        users,
        imported,
    };
    assert_eq!(
        counts,
        [
            count(PasswordRoute::Hash, "bcrypt", 2, 1),
            count(PasswordRoute::Hash, "argon2id", 1, 0),
            count(PasswordRoute::Hook, UNIMPORTABLE, 2, 1),
            count(PasswordRoute::None, "no password in the export", 1, 0),
        ]
    );
}

#[tokio::test]
async fn a_later_intake_replaces_the_route_of_pending_and_imported_users() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(
            &run,
            &[
                row("pending", PasswordRoute::Hook, UNIMPORTABLE),
                row("imported", PasswordRoute::Hook, UNIMPORTABLE),
                row("stopped-later", PasswordRoute::Hash, "bcrypt"),
            ],
        )
        .await
        .unwrap();
    import(&ledger, &run, &["imported"]).await;

    ledger
        .intake(
            &run,
            &[
                row("pending", PasswordRoute::Hash, "bcrypt"),
                row("imported", PasswordRoute::Hash, "bcrypt"),
                stopped("stopped-later"),
            ],
        )
        .await
        .unwrap();

    let bcrypt = Some(UserPassword::new(PasswordRoute::Hash, "bcrypt"));
    assert_eq!(route_of(&ledger, &run, "pending").await, bcrypt);
    assert_eq!(route_of(&ledger, &run, "imported").await, bcrypt);
    assert_eq!(route_of(&ledger, &run, "stopped-later").await, None);
}

#[tokio::test]
async fn a_user_in_flight_keeps_the_route_it_was_sent_with() {
    let (_dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", PasswordRoute::Hook, UNIMPORTABLE)])
        .await
        .unwrap();
    ledger.begin_batch(&run, "p1", &["a"]).await.unwrap();

    ledger
        .intake(&run, &[row("a", PasswordRoute::Hash, "bcrypt")])
        .await
        .unwrap();

    assert_eq!(
        route_of(&ledger, &run, "a").await,
        Some(UserPassword::new(PasswordRoute::Hook, UNIMPORTABLE))
    );
}

#[tokio::test]
async fn the_schema_refuses_a_route_without_detail_and_unknown_routes() {
    let (dir, ledger, run) = ledger_with_run().await;
    ledger
        .intake(&run, &[row("a", PasswordRoute::Hash, "bcrypt")])
        .await
        .unwrap();
    ledger.close().await;
    let url = format!("sqlite://{}", dir.path().join("run.ledger").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();

    let without_detail = sqlx::query("update users set password_detail = null")
        .execute(&pool)
        .await;
    let unknown = sqlx::query("update users set password_route = 'plaintext'")
        .execute(&pool)
        .await;

    for (refused, why) in [
        (without_detail, "a route needs its detail"),
        (unknown, "only hash, hook and none are routes"),
    ] {
        let error = refused.expect_err(why).to_string();
        assert!(error.contains("CHECK constraint failed"), "{why}: {error}");
    }
    let untouched = sqlx::query("update users set password_route = 'hook', password_detail = 'x'")
        .execute(&pool)
        .await;
    assert!(untouched.is_ok(), "{untouched:?}");
    pool.close().await;
}
