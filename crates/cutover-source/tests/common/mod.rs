//! Helpers shared by the integration tests: export files in a temporary directory and
//! shortcuts to read them through the public `open()`.

#![allow(dead_code)]

pub mod examples;

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use cutover_source::{
    JoinKey, LegacyUser, SourceConfig, SourceItem, SourceWarning, Unreadable, open,
};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use tempfile::TempDir;

/// A bcrypt-shaped string standing in for a real hash (never verified by these tests).
pub const HASH_A: &str = "$2b$10$C9hB01.YxRSTcn/ZOOo4j.TW7xCKKFKBSF.C7E0xiUwumqIDqWAA";
/// A second stand-in, distinguishable from the first.
pub const HASH_B: &str = "$2a$10$C9hB01.YxRSTcn/ZOOo4j.TW7xCKKFKBSF.C7E0xiUwumqIDqWBB";

/// A temporary directory holding the files of one export.
pub struct Export {
    dir: TempDir,
}

impl Export {
    pub fn new() -> Self {
        Self {
            dir: TempDir::new().expect("temporary directory"),
        }
    }

    /// Writes `lines` as an NDJSON file.
    pub fn ndjson(&self, name: &str, lines: &[Value]) -> PathBuf {
        let text: Vec<String> = lines.iter().map(Value::to_string).collect();
        self.text(name, &(text.join("\n") + "\n"))
    }

    /// Writes a file verbatim.
    pub fn text(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, contents).expect("write export file");
        path
    }

    /// Writes a gzip-compressed file.
    pub fn gzip(&self, name: &str, contents: &str) -> PathBuf {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
        gzip.write_all(contents.as_bytes()).expect("gzip in memory");
        let path = self.dir.path().join(name);
        fs::write(&path, gzip.finish().expect("gzip in memory")).expect("write gzip file");
        path
    }
}

pub fn config(users: PathBuf, hashes: Option<PathBuf>, join: JoinKey) -> SourceConfig {
    SourceConfig {
        format: "auth0".into(),
        users,
        password_hashes: hashes,
        join,
        options: Default::default(),
    }
}

pub fn read_all(config: &SourceConfig) -> Vec<SourceItem> {
    open(config).expect("export opens").collect()
}

pub fn users(items: &[SourceItem]) -> Vec<&LegacyUser> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::User(user) => Some(user.as_ref()),
            _ => None,
        })
        .collect()
}

pub fn unreadable(items: &[SourceItem]) -> Vec<&Unreadable> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Unreadable(unreadable) => Some(unreadable),
            _ => None,
        })
        .collect()
}

pub fn warnings(items: &[SourceItem]) -> Vec<&SourceWarning> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Warning(warning) => Some(warning),
            _ => None,
        })
        .collect()
}

/// The one user with this id; panics when absent so a test names what it missed.
pub fn user<'a>(items: &'a [SourceItem], legacy_id: &str) -> &'a LegacyUser {
    users(items)
        .into_iter()
        .find(|user| user.legacy_id == legacy_id)
        .unwrap_or_else(|| panic!("no user {legacy_id}"))
}

/// An Auth0 database user as the bulk export writes it.
pub fn database_user(oid: &str, email: &str) -> Value {
    serde_json::json!({
        "user_id": format!("auth0|{oid}"),
        "email": email,
        "email_verified": true,
        "identities": [{
            "connection": "Username-Password-Authentication",
            "provider": "auth0",
            "user_id": oid,
            "isSocial": false
        }],
        "created_at": "2021-03-04T05:06:07.123Z"
    })
}

/// A row of Auth0's password-hash export.
pub fn hash_row(oid: &str, email: &str, hash: &str) -> Value {
    serde_json::json!({
        "_id": { "$oid": oid },
        "email": email,
        "email_verified": true,
        "passwordHash": hash,
        "password_set_date": { "$date": "2021-03-04T05:06:07.123Z" },
        "tenant": "acme-prod",
        "connection": "Username-Password-Authentication",
        "_tmp_is_unique": true
    })
}
