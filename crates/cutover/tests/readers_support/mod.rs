//! Helpers of the end-to-end tests of the readers' example plans: a copy of an example plan
//! and its fixture, the commands run on it, what the target holds, and the table of what
//! should become of each user.

// Each test file uses some of these.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use cutover_source::{FormatOptions, LegacyUser, SourceConfig, SourceItem};
use serde_json::{Value, json};

use crate::common::{SandboxProcess, assert_success, cutover_on};

/// What should become of one user of a fixture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Imported with its hash, which must verify the known password.
    Hashed,
    /// Imported with the password migration hook enabled and no hash.
    Hooked,
    /// Imported without a password.
    NoPassword,
    /// Not imported, recorded as failed with this reason code.
    Failed(&'static str),
}

/// One user of a fixture and what a run must make of it.
pub struct Row {
    /// The legacy id.
    pub id: &'static str,
    pub fate: Fate,
    /// The `email` trait, and the `name` trait's `first` and `last`.
    pub traits: (&'static str, Option<&'static str>, Option<&'static str>),
    /// Whether the identity is active once every segment went live (blocked users are not).
    pub active: bool,
    /// The OIDC providers and subjects of the identity.
    pub social: &'static [(&'static str, &'static str)],
}

/// A copy of an example plan and its fixture in a scratch directory, so a run leaves the
/// repository untouched.
pub struct Example {
    pub dir: tempfile::TempDir,
    pub plan: PathBuf,
    pub format: &'static str,
}

impl Example {
    /// Copies `plans/examples/<format>.yaml` and `plans/examples/<format>/`. The sandbox
    /// store is renamed `sandbox.db`, where [`SandboxProcess`] opens it after the run.
    pub fn copy(format: &'static str) -> Example {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples");
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&examples.join(format), &dir.path().join(format));
        let text = std::fs::read_to_string(examples.join(format!("{format}.yaml"))).unwrap();
        let store = format!("sandbox: {format}-sandbox.db");
        assert!(text.contains(&store), "the example plan names {store}");
        let plan = dir.path().join(format!("{format}.yaml"));
        std::fs::write(&plan, text.replace(&store, "sandbox: sandbox.db")).unwrap();
        Example { dir, plan, format }
    }

    /// Runs `cutover COMMAND PLAN ARGS...`.
    pub fn cutover(&self, command: &str, args: &[&str]) -> Output {
        cutover_on(command, &self.plan, args)
            .output()
            .expect("run cutover")
    }

    /// `cutover check --output json`, which must succeed.
    pub fn check(&self) -> Value {
        let output = self.cutover("check", &["--output", "json"]);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("check JSON")
    }

    /// `cutover run`, then the go-live of every segment, as an operator would declare them.
    pub fn run_and_go_live(&self, segments: &[&str]) {
        assert_success(&self.cutover("run", &[]));
        for segment in segments {
            assert_success(&self.cutover("golive", &["--segment", segment, "--by", "e2e"]));
        }
    }

    /// `cutover status --output json`.
    pub fn status(&self) -> Value {
        let output = self.cutover("status", &["--output", "json", "--failures", "1000"]);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("status JSON")
    }

    /// The users of the copied fixture as the reader gives them, by legacy id.
    pub fn read_users(&self, users: &str, options: FormatOptions) -> BTreeMap<String, LegacyUser> {
        let config = SourceConfig {
            format: self.format.into(),
            users: self.dir.path().join(users),
            options,
            ..SourceConfig::default()
        };
        cutover_source::open(&config)
            .expect("the fixture opens")
            .filter_map(|item| match item {
                SourceItem::User(user) => Some((user.legacy_id.clone(), *user)),
                _ => None,
            })
            .collect()
    }

    /// The known passwords beside the fixture, by legacy id.
    pub fn passwords(&self) -> BTreeMap<String, String> {
        let path = self.dir.path().join(self.format).join("passwords.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every identity on the target by external id, with its password and OIDC credentials.
pub async fn identities(sandbox: &SandboxProcess) -> BTreeMap<String, Value> {
    let client = reqwest::Client::new();
    let mut found = BTreeMap::new();
    for listed in sandbox.identities().await {
        let id = listed["id"].as_str().unwrap();
        let identity: Value = client
            .get(format!("{}/admin/identities/{id}", sandbox.url))
            .query(&[
                ("include_credential", "password"),
                ("include_credential", "oidc"),
            ])
            .send()
            .await
            .expect("get identity")
            .json()
            .await
            .expect("identity JSON");
        let external = identity["external_id"].as_str().unwrap().to_string();
        assert!(
            found.insert(external, identity).is_none(),
            "an identity was created twice"
        );
    }
    found
}

/// What a run must have done with the users of `rows`, which must all have been read: the
/// expected imported ids and failures with their codes.
pub fn settle(
    rows: &[Row],
    read: &BTreeMap<String, LegacyUser>,
) -> (Vec<&'static str>, BTreeMap<String, String>) {
    let mut imported = Vec::new();
    let mut failed = BTreeMap::new();
    for row in rows {
        assert!(read.contains_key(row.id), "the reader lost {}", row.id);
        match row.fate {
            Fate::Failed(code) => {
                failed.insert(row.id.to_string(), code.to_string());
            }
            Fate::Hashed | Fate::Hooked | Fate::NoPassword => imported.push(row.id),
        }
    }
    (imported, failed)
}

/// Checks the identities on the target against the rows: exactly the expected users, with
/// their traits, state, social logins and, where known, a hash that verifies the password.
pub fn assert_identities(
    rows: &[Row],
    imported: &[&str],
    identities: &BTreeMap<String, Value>,
    passwords: &BTreeMap<String, String>,
) {
    let mut expected: Vec<&str> = imported.to_vec();
    expected.sort_unstable();
    let actual: Vec<&str> = identities.keys().map(String::as_str).collect();
    assert_eq!(actual, expected, "the identities on the target");

    for row in rows.iter().filter(|row| imported.contains(&row.id)) {
        let identity = &identities[row.id];
        let (email, first, last) = row.traits;
        let mut traits = json!({"email": email});
        if first.is_some() || last.is_some() {
            let mut name = serde_json::Map::new();
            first.map(|f| name.insert("first".into(), json!(f)));
            last.map(|l| name.insert("last".into(), json!(l)));
            traits["name"] = Value::Object(name);
        }
        assert_eq!(identity["traits"], traits, "traits of {}", row.id);
        let state = if row.active { "active" } else { "inactive" };
        assert_eq!(identity["state"], state, "state of {}", row.id);

        let providers: Vec<(String, String)> =
            identity["credentials"]["oidc"]["config"]["providers"]
                .as_array()
                .map(|providers| {
                    providers
                        .iter()
                        .map(|p| {
                            (
                                p["provider"].as_str().unwrap().into(),
                                p["subject"].as_str().unwrap().into(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
        let social: Vec<(String, String)> = row
            .social
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect();
        assert_eq!(providers, social, "social logins of {}", row.id);

        let config = &identity["credentials"]["password"]["config"];
        let hash = config["hashed_password"].as_str().filter(|h| !h.is_empty());
        let hook = config["use_password_migration_hook"] == true;
        let fate = match (hash, hook) {
            (Some(_), false) => Fate::Hashed,
            (None, true) => Fate::Hooked,
            (None, false) => Fate::NoPassword,
            (Some(_), true) => panic!("{} has both a hash and the hook", row.id),
        };
        assert_eq!(fate, row.fate, "password of {}", row.id);
        if let (Some(hash), Some(password)) = (hash, passwords.get(row.id)) {
            assert!(
                cutover_hash::verify_kratos(password, hash),
                "{} cannot log in",
                row.id
            );
        }
    }
}

/// The failed users the status reports, by legacy id, with their reason codes.
pub fn failures(status: &Value) -> BTreeMap<String, String> {
    status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let code = row["reason_code"].as_str().unwrap_or("").to_string();
            (row["legacy_id"].as_str().unwrap().to_string(), code)
        })
        .collect()
}

/// The `unimportable_by_code` a check must report for these failures.
pub fn by_code(failed: &BTreeMap<String, String>) -> Value {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for code in failed.values() {
        *counts.entry(code).or_default() += 1;
    }
    json!(counts)
}

/// The `(file name, line)` of every unreadable record a check reports.
pub fn unreadable(check: &Value) -> Vec<(String, u64)> {
    check["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| {
            let file = Path::new(record["file"].as_str().unwrap());
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            (name, record["line"].as_u64().unwrap())
        })
        .collect()
}
