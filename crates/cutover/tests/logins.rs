//! Migrated users sign in with their old passwords: every example fixture (and the Auth0
//! sample export) is run through the real binary into a sandbox over HTTP, and then every
//! user with a known password is checked there: a user imported with a hash matches their
//! password and refuses a wrong one, a user sent to the password migration hook answers
//! `hook`, and the ledger records the hash family or the reason of each. Across the
//! fixtures, a user of every hash family the readers produce signs in.

mod common;
mod generic_support;
mod logins_support;
mod readers_support;

use std::collections::{BTreeMap, BTreeSet};

use common::examples::{Example as PlanExample, FIREBASE_SIGNER_KEY};
use common::logins::{ABSENT, Login, assert_logins, passwords_in};
use common::oracle::expected as sample_oracle;
use common::{SandboxProcess, Workspace, assert_success};
use logins_support::{Expected, SIGNED_IN, TO_THE_HOOK};

/// The hash families a table expects its users to sign in with.
fn families(table: &[Expected]) -> BTreeSet<&'static str> {
    table
        .iter()
        .filter_map(|(_, login)| match login {
            Login::Hash(family) => Some(*family),
            _ => None,
        })
        .collect()
}

/// The known passwords without those of users another file of the fixture holds.
fn without(mut passwords: BTreeMap<String, String>, ids: &[&str]) -> BTreeMap<String, String> {
    for id in ids {
        assert!(
            passwords.remove(*id).is_some(),
            "{id} has no known password"
        );
    }
    passwords
}

/// Runs an example plan that names its own sandbox store, then checks its users against
/// that store, served again.
async fn plan_example(fixture: &str, example: &PlanExample, table: &[Expected], known: &[&str]) {
    let format = example
        .plan
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let dir = example.dir.path();
    let passwords = without(passwords_in(&dir.join(&format)), known);
    example.run();

    let sandbox = SandboxProcess::start_on(&dir.join(format!("{format}-sandbox.db")));
    let ledger = dir.join(format!("{format}.ledger.db"));
    let signed_in = assert_logins(fixture, &sandbox.url, &ledger, table, &passwords).await;
    assert_eq!(signed_in, families(table), "{fixture}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_auth0_sample_users_sign_in_with_their_passwords_or_go_to_the_hook() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    let oracle = sample_oracle(&work.dir.path().join("exports"));
    let hook = [
        ("auth0|5ca5c384fa5076c8e70a9222", "broken hash (bcrypt)"),
        ("auth0|63add58c7a8c181713896110", "unknown hash format"),
        ("auth0|603c05a938df295242753a50", "broken hash (argon2id)"),
    ];
    let hook_ids: BTreeSet<String> = hook.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(
        oracle.hook(),
        hook_ids,
        "the sample's three unusable hashes"
    );

    // Every user with a real hash signs in with `pw-` and the id after `auth0|`.
    let hashed = oracle.hashed();
    let without_password = oracle.without_password();
    let mut table: Vec<(&str, Login)> = hook
        .iter()
        .map(|&(id, why)| (id, Login::Hook(why)))
        .collect();
    table.extend(hashed.iter().map(|id| (id.as_str(), Login::Hash("bcrypt"))));
    table.extend(
        without_password
            .iter()
            .map(|id| (id.as_str(), Login::NoPassword(ABSENT))),
    );
    let passwords: BTreeMap<String, String> = hashed
        .iter()
        .map(|id| {
            (
                id.clone(),
                format!("pw-{}", id.trim_start_matches("auth0|")),
            )
        })
        .collect();
    assert!(hashed.len() > 1_500, "{} users with a hash", hashed.len());

    assert_success(&work.cutover("run", &[]));

    let ledger = work.dir.path().join("plan.ledger.db");
    let signed_in = assert_logins("auth0 sample", &sandbox.url, &ledger, &table, &passwords).await;
    assert_eq!(signed_in, BTreeSet::from(["bcrypt"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_import_users_sign_in_with_every_custom_password_hash_algorithm() {
    let example = PlanExample::new("auth0_import");

    plan_example(
        "auth0_import",
        &example,
        &logins_support::auth0_import(),
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn clerk_users_of_the_dashboard_csv_sign_in_with_every_hasher() {
    let example = PlanExample::new("clerk");
    let json_only = ["user_2banned", "user_2linus"];

    plan_example(
        "clerk users.csv",
        &example,
        &logins_support::clerk_csv(),
        &json_only,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn clerk_users_of_the_json_export_sign_in() {
    let example = PlanExample::new("clerk");
    example.edit_plan("users: clerk/users.csv", "users: clerk/users.json");
    let csv_only = [
        "user_2dj",
        "user_2md5",
        "user_2pat",
        "user_2php",
        "user_2sha",
        "user_2sha1",
        "user_2totp",
        "user_2unverified",
    ];

    plan_example(
        "clerk users.json",
        &example,
        &logins_support::clerk_json(),
        &csv_only,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn supabase_users_sign_in_with_bcrypt_argon2_and_carried_firebase_hashes() {
    let example = PlanExample::new("supabase");

    plan_example("supabase", &example, &logins_support::supabase(), &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn firebase_users_sign_in_with_the_projects_scrypt_parameters() {
    let example = PlanExample::new("firebase").with_env(FIREBASE_SIGNER_KEY);
    let csv_2017 = ["uid-2017-ada", "uid-2017-disabled"];

    plan_example(
        "firebase users.json",
        &example,
        &logins_support::firebase_json(),
        &csv_2017,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn firebase_users_of_the_2017_csv_layout_sign_in() {
    let example = PlanExample::new("firebase").with_env(FIREBASE_SIGNER_KEY);
    example.edit_plan(
        "users: firebase/users.json",
        "users: firebase/users-2017.csv",
    );
    let json = [
        "uid-ada",
        "uid-admin",
        "uid-linus",
        "uid-mallory",
        "uid-zoe",
        "uid-zoe-twin",
    ];

    plan_example(
        "firebase users-2017.csv",
        &example,
        &logins_support::firebase_2017(),
        &json,
    )
    .await;
}

/// Runs a reader example (`keycloak`, `django`, `cognito`) and checks its users.
async fn reader_example(format: &'static str, table: &[Expected]) {
    let example = readers_support::Example::copy(format);
    let fixture = example.dir.path().join(format);
    let passwords = match fixture.join("passwords.json").exists() {
        true => passwords_in(&fixture),
        false => BTreeMap::new(),
    };
    assert_success(&example.cutover("run", &[]));

    let sandbox = SandboxProcess::start(example.dir.path());
    let ledger = example.dir.path().join(format!("{format}.ledger.db"));
    let signed_in = assert_logins(format, &sandbox.url, &ledger, table, &passwords).await;
    assert_eq!(signed_in, families(table), "{format}");
}

#[tokio::test(flavor = "multi_thread")]
async fn keycloak_users_sign_in_with_pbkdf2_argon2_and_bcrypt_credentials() {
    reader_example("keycloak", &logins_support::keycloak()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn django_users_sign_in_with_every_layout_kratos_can_import() {
    reader_example("django", &logins_support::django()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cognito_users_with_a_password_all_go_to_the_hook() {
    let table = logins_support::cognito();
    assert!(families(&table).is_empty(), "Cognito exports no hash");

    reader_example("cognito", &table).await;
}

/// Runs a generic example into a sandbox of its own and checks the example table's users.
async fn generic_example(format: &str, env: Option<(String, String)>) {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let mut example = generic_support::Example::new(format, &sandbox.url);
    example.env.extend(env);
    let passwords = passwords_in(&example.dir.path().join(format));
    assert_success(&example.cutover("run", &[]));

    let table = logins_support::generic_table();
    let ledger = example.dir.path().join(format!("{format}.ledger.db"));
    let signed_in = assert_logins(format, &sandbox.url, &ledger, &table, &passwords).await;
    assert_eq!(signed_in, families(&table), "{format}");
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_users_sign_in_with_every_scheme_of_the_table() {
    generic_example("csv", None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn jsonl_users_sign_in_with_every_scheme_of_the_table() {
    generic_example("jsonl", None).await;
}

/// The `sql` example against a fresh database on one of the local servers.
async fn sql_example(postgres: bool) {
    let database = generic_support::ExampleDatabase::create(postgres).await;
    let url = (generic_support::URL_ENV.to_string(), database.url.clone());

    generic_example("sql", Some(url)).await;

    database.drop_database().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_users_from_postgresql_sign_in_with_every_scheme_of_the_table() {
    sql_example(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_users_from_mariadb_sign_in_with_every_scheme_of_the_table() {
    sql_example(false).await;
}

/// The hash families of every example export, as `check` counts them.
fn families_in_the_exports() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut add = |report: serde_json::Value| {
        let counted = report["hash_families"].as_object().expect("hash families");
        found.extend(counted.keys().cloned());
    };
    for format in ["auth0_import", "supabase", "django", "keycloak", "cognito"] {
        add(readers_support::Example::copy(format).check());
    }
    let clerk = PlanExample::new("clerk");
    add(clerk.check());
    clerk.edit_plan("users: clerk/users.csv", "users: clerk/users.json");
    add(clerk.check());
    let firebase = PlanExample::new("firebase").with_env(FIREBASE_SIGNER_KEY);
    add(firebase.check());
    firebase.edit_plan(
        "users: firebase/users.json",
        "users: firebase/users-2017.csv",
    );
    add(firebase.check());
    for format in ["csv", "jsonl"] {
        add(generic_support::Example::new(format, "http://127.0.0.1:9")
            .json("check", &["--output", "json"]));
    }
    found
}

#[test]
fn the_fixtures_sign_in_a_user_of_every_hash_family_the_readers_produce() {
    let tables = logins_support::all();
    let signed_in: BTreeSet<&str> = tables.iter().flat_map(|(_, t)| families(t)).collect();
    let hooked: BTreeSet<&str> = tables
        .iter()
        .flat_map(|(_, table)| table.iter())
        .filter_map(|(_, login)| match login {
            Login::Hook(reason) => reason
                .strip_prefix("hash format Kratos cannot import (")
                .and_then(|rest| rest.strip_suffix(')')),
            _ => None,
        })
        .collect();

    assert_eq!(signed_in, BTreeSet::from(SIGNED_IN));
    assert_eq!(hooked, BTreeSet::from(TO_THE_HOOK));
    for family in SIGNED_IN {
        let family: cutover_hash::HashFamily =
            serde_json::from_value(serde_json::json!(family)).expect("a family name");
        assert!(family.is_importable(), "{family} is not importable");
    }

    // Every family the readers produce from the fixtures is signed in or sent to the hook,
    // and the lists claim no family the fixtures lack.
    let produced = families_in_the_exports();
    let covered: BTreeSet<&str> = SIGNED_IN.iter().chain(&TO_THE_HOOK).copied().collect();
    let uncovered: Vec<&String> = produced
        .iter()
        .filter(|family| !["none", "unknown"].contains(&family.as_str()))
        .filter(|family| !covered.contains(family.as_str()))
        .collect();
    assert!(
        uncovered.is_empty(),
        "families no test signs in: {uncovered:?}"
    );
    for family in covered {
        assert!(produced.contains(family), "no fixture has a {family} hash");
    }
}
