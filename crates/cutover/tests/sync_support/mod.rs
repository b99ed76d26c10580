//! Helpers of the delta-sync tests: the workspace's export edited the way a legacy system
//! changes between two exports, the sample users such edits pick, and what the target holds.

// Each test file uses some of these.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common::oracle::expected;
use crate::common::{SandboxProcess, Workspace};

pub const UPDATE_ROUTE: &str = "PUT /admin/identities/{id}";
pub const BATCH_ROUTE: &str = "PATCH /admin/identities";

/// The staff user the sample's README names, with its password.
pub const STAFF: &str = "auth0|5edc3d6bb1186f5ff3ec3359";

/// The workspace's export, edited the way a legacy system changes between two exports.
pub struct Export {
    pub users: PathBuf,
    pub hashes: PathBuf,
}

impl Export {
    pub fn of(work: &Workspace) -> Export {
        let dir = work.dir.path().join("exports");
        Export {
            users: dir.join("users.ndjson"),
            hashes: dir.join("password-hashes.ndjson"),
        }
    }

    /// Rewrites the users file: `edit` gets every readable user and returns false to drop it.
    pub fn edit_users(&self, mut edit: impl FnMut(&mut Value) -> bool) {
        rewrite(&self.users, |line| {
            let Ok(mut user) = serde_json::from_str::<Value>(line) else {
                return Some(line.to_string());
            };
            edit(&mut user).then(|| user.to_string())
        });
    }

    pub fn set_given_name(&self, legacy_id: &str, name: &str) {
        self.edit_users(|user| {
            if user["user_id"] == legacy_id {
                user["given_name"] = json!(name);
            }
            true
        });
    }

    pub fn set_email(&self, legacy_id: &str, email: &str) {
        self.edit_users(|user| {
            if user["user_id"] == legacy_id {
                user["email"] = json!(email);
            }
            true
        });
        let oid = object_id(legacy_id);
        rewrite(&self.hashes, |line| {
            let mut row: Value = serde_json::from_str(line).ok()?;
            if row["_id"]["$oid"] == oid {
                row["email"] = json!(email);
            }
            Some(row.to_string())
        });
    }

    pub fn remove(&self, legacy_ids: &[&str]) {
        self.edit_users(|user| !legacy_ids.iter().any(|id| user["user_id"] == *id));
    }

    pub fn set_hash(&self, legacy_id: &str, hash: &str) {
        let oid = object_id(legacy_id);
        rewrite(&self.hashes, |line| {
            let mut row: Value = serde_json::from_str(line).ok()?;
            if row["_id"]["$oid"] == oid {
                row["passwordHash"] = json!(hash);
            }
            Some(row.to_string())
        });
    }

    /// Appends a database user (a copy of `template` under another id and address) with a
    /// password row.
    pub fn add_user(&self, template: &Value, oid: &str, email: &str, hash: &str) {
        let mut user = template.clone();
        user["user_id"] = json!(format!("auth0|{oid}"));
        user["email"] = json!(email);
        user["identities"][0]["user_id"] = json!(oid);
        append(&self.users, &user);
        let row = json!({
            "_id": {"$oid": oid}, "email": email, "email_verified": true, "passwordHash": hash,
            "password_set_date": {"$date": "2025-11-01T00:00:00.000Z"}, "tenant": "acme-prod",
            "connection": "Username-Password-Authentication", "_tmp_is_unique": true,
        });
        append(&self.hashes, &row);
    }

    pub fn user(&self, legacy_id: &str) -> Value {
        let text = std::fs::read_to_string(&self.users).unwrap();
        text.lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|user| user["user_id"] == legacy_id)
            .expect("user in the export")
    }
}

pub fn rewrite(path: &PathBuf, mut edit: impl FnMut(&str) -> Option<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text.lines().filter_map(&mut edit).collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

pub fn append(path: &PathBuf, value: &Value) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str(&value.to_string());
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

pub fn object_id(legacy_id: &str) -> &str {
    legacy_id.strip_prefix("auth0|").unwrap()
}

/// The sample's password for a user: `pw-` and the id after `auth0|`.
pub fn sample_password(legacy_id: &str) -> String {
    format!("pw-{}", object_id(legacy_id))
}

/// Importable users with a password, outside the staff segment, whose address no other user
/// shares, in export order, with their addresses.
pub fn plain_users(work: &Workspace) -> Vec<(String, String)> {
    let exports = work.dir.path().join("exports");
    let importable = expected(&exports).importable;
    let hashes = std::fs::read_to_string(exports.join("password-hashes.ndjson")).unwrap();
    let with_password: BTreeSet<String> = hashes
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|row| {
            row["_id"]["$oid"]
                .as_str()
                .map(|oid| format!("auth0|{oid}"))
        })
        .collect();
    let text = std::fs::read_to_string(exports.join("users.ndjson")).unwrap();
    let users: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for user in &users {
        let email = user["email"].as_str().unwrap_or_default().to_lowercase();
        *seen.entry(email).or_default() += 1;
    }
    users
        .iter()
        .filter(|user| {
            let id = user["user_id"].as_str().unwrap();
            let email = user["email"].as_str().unwrap_or_default();
            importable.contains(id)
                && with_password.contains(id)
                && user["identities"][0]["isSocial"] == false
                && !email.to_lowercase().ends_with("@acme.example")
                && seen[&email.to_lowercase()] == 1
        })
        .map(|user| {
            (
                user["user_id"].as_str().unwrap().into(),
                user["email"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// The identities on the target that have an external id, by external id.
pub async fn on_target(sandbox: &SandboxProcess) -> HashMap<String, Value> {
    let identities = sandbox.identities().await;
    identities
        .into_iter()
        .filter_map(|identity| Some((identity["external_id"].as_str()?.to_string(), identity)))
        .collect()
}

/// Whether the sandbox would let `identifier` sign in with `password`.
pub async fn can_log_in(sandbox: &SandboxProcess, identifier: &str, password: &str) -> bool {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/login", sandbox.url))
        .json(&json!({"identifier": identifier, "password": password}))
        .send()
        .await
        .expect("login request");
    match response.status().as_u16() {
        200 => true,
        401 => false,
        status => panic!("login answered {status}"),
    }
}

pub fn count_and_ids(list: &Value) -> (u64, BTreeSet<String>) {
    let ids = list["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().into());
    (list["count"].as_u64().unwrap(), ids.collect())
}

pub fn ids(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|id| id.to_string()).collect()
}

/// Makes the plan create identities able to sign in at once, so that logins can be tried
/// without a go-live (which would stop the updates this file is about).
pub fn activate_on_import(work: &Workspace) {
    let text = std::fs::read_to_string(&work.plan).unwrap();
    let text = text.replace("identity:\n", "identity:\n  activate: on_import\n");
    std::fs::write(&work.plan, text).unwrap();
}

/// The count and legacy ids of a status report's list of users.
pub fn count_ids(list: &Value) -> (u64, BTreeSet<String>) {
    let ids = list["first"].as_array().unwrap().iter();
    let ids = ids.map(|user| user["legacy_id"].as_str().unwrap().to_string());
    (list["count"].as_u64().unwrap(), ids.collect())
}
