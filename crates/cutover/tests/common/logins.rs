//! Signing in as migrated users: after a run, every user of a fixture is looked up in the
//! ledger (the route and reason its password took) and in the sandbox, which says through
//! its test-only `POST /__sandbox/check-password` how a password meets the stored identity.
//! A user imported with a hash must match their known password and refuse a wrong one; a
//! user sent to the password migration hook must answer `hook` whatever the password.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};
use sqlx::Row;

/// What a run must have made of one user's password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    /// Imported as a hash of this family; the known password signs in.
    Hash(&'static str),
    /// Imported with the password migration hook, for a reason starting with this text.
    Hook(&'static str),
    /// Imported without a password, for a reason starting with this text.
    NoPassword(&'static str),
    /// Not imported (recorded as failed); nothing of them is on the target.
    NotImported,
}

/// The hook reason of a user whose export lacks the password the legacy system has.
pub const UNAVAILABLE: &str = "the legacy system has a password that the export does not carry";

/// The reason of a user without any password in the export.
pub const ABSENT: &str = "no password in the export";

/// One user's row of the ledger: the identity it became and the way its password went.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub identity_id: Option<String>,
    pub route: Option<String>,
    pub detail: Option<String>,
}

/// Every user of the ledger file, by legacy id.
pub async fn recorded(ledger: &Path) -> BTreeMap<String, Recorded> {
    let url = format!("sqlite://{}?mode=ro", ledger.display());
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("open the ledger file");
    let rows =
        sqlx::query("select legacy_id, identity_id, password_route, password_detail from users")
            .fetch_all(&pool)
            .await
            .expect("read the users of the ledger");
    pool.close().await;
    rows.iter()
        .map(|row| {
            let recorded = Recorded {
                identity_id: row.get("identity_id"),
                route: row.get("password_route"),
                detail: row.get("password_detail"),
            };
            (row.get("legacy_id"), recorded)
        })
        .collect()
}

/// Which way `password` meets the identity, as the sandbox answers: `match`, `mismatch`,
/// `hook` or `no_password`.
pub async fn check_password(
    client: &reqwest::Client,
    sandbox_url: &str,
    identity_id: &str,
    password: &str,
) -> String {
    let response = client
        .post(format!("{sandbox_url}/__sandbox/check-password"))
        .json(&json!({"identity_id": identity_id, "password": password}))
        .send()
        .await
        .expect("check-password request");
    assert_eq!(response.status(), 200, "check-password of {identity_id}");
    let answer: Value = response.json().await.expect("check-password JSON");
    answer["password"]
        .as_str()
        .expect("a password answer")
        .to_string()
}

/// Checks every expected user against the ledger and the sandbox and returns the hash
/// families whose users signed in with their known password.
///
/// `passwords` holds the known passwords by legacy id; every one of them must have an
/// expectation, so that no user with a known password is left out. A user sent to the hook
/// or without a password is asked with its known password, or any, since the answer must
/// not depend on it.
pub async fn assert_logins(
    fixture: &str,
    sandbox_url: &str,
    ledger: &Path,
    expected: &[(&str, Login)],
    passwords: &BTreeMap<String, String>,
) -> BTreeSet<&'static str> {
    let listed: BTreeSet<&str> = expected.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        listed.len(),
        expected.len(),
        "{fixture}: a user is listed twice"
    );
    let forgotten: Vec<&String> = passwords
        .keys()
        .filter(|id| !listed.contains(id.as_str()))
        .collect();
    assert!(
        forgotten.is_empty(),
        "{fixture}: users with a known password and no expectation: {forgotten:?}"
    );

    let recorded = recorded(ledger).await;
    let client = reqwest::Client::new();
    let mut signed_in = BTreeSet::new();
    for &(id, login) in expected {
        let Some(row) = recorded.get(id) else {
            // An unreadable record never reaches the ledger.
            assert_eq!(
                login,
                Login::NotImported,
                "{fixture}: the ledger has no {id}"
            );
            continue;
        };
        let password = passwords.get(id).map_or("any password", String::as_str);
        let route = (row.route.as_deref(), row.detail.as_deref().unwrap_or(""));
        let Some(identity_id) = &row.identity_id else {
            assert_eq!(
                login,
                Login::NotImported,
                "{fixture}: {id} was not imported"
            );
            continue;
        };
        let answer = check_password(&client, sandbox_url, identity_id, password).await;

        match login {
            Login::Hash(family) => {
                assert_eq!(route, (Some("hash"), family), "{fixture}: route of {id}");
                assert!(
                    passwords.contains_key(id),
                    "{fixture}: no password for {id}"
                );
                assert_eq!(
                    answer, "match",
                    "{fixture}: {id} signs in with its password"
                );
                let wrong = format!("{password}!");
                let answer = check_password(&client, sandbox_url, identity_id, &wrong).await;
                assert_eq!(answer, "mismatch", "{fixture}: {id} with a wrong password");
                signed_in.insert(family);
            }
            Login::Hook(reason) | Login::NoPassword(reason) => {
                let (way, answer_expected) = match login {
                    Login::Hook(_) => ("hook", "hook"),
                    _ => ("none", "no_password"),
                };
                assert_eq!(route.0, Some(way), "{fixture}: route of {id}");
                assert!(
                    route.1.starts_with(reason),
                    "{fixture}: the reason of {id} is {:?}, not {reason:?}",
                    route.1
                );
                assert_eq!(answer, answer_expected, "{fixture}: {id}");
            }
            Login::NotImported => panic!("{fixture}: {id} was imported as {identity_id}"),
        }
    }
    signed_in
}

/// The known passwords of a fixture directory's `passwords.json`, by legacy id.
pub fn passwords_in(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("passwords.json")).expect("passwords.json");
    serde_json::from_str(&text).expect("passwords.json maps ids to passwords")
}
