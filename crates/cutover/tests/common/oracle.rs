//! An independent reading of the sample export, to know which users a correct run imports
//! without asking the code under test, under the plan's default policy (a hash Kratos cannot
//! import sends its user to the password migration hook).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

/// What the export holds, worked out line by line with nothing but serde_json.
pub struct Expected {
    /// Lines of users.ndjson that are not a JSON user.
    pub unreadable_lines: Vec<u64>,
    /// Users that can be read.
    pub users: u64,
    /// The legacy ids a correct run imports.
    pub importable: BTreeSet<String>,
    /// The users with an email whose password hash is a well-formed bcrypt hash.
    pub bcrypt: BTreeSet<String>,
    /// The users with an email whose password hash is not a well-formed bcrypt hash: the
    /// default policy imports them with the migration hook, `fail` fails them.
    pub unimportable_hashes: BTreeSet<String>,
    /// Users whose email (case-insensitive) was already used by an earlier user.
    pub duplicates: u64,
    /// Users without an email address.
    pub without_email: u64,
    /// Users of a social connection that the test plan maps to no provider.
    pub unmapped_social: u64,
    /// Users at the staff domain.
    pub staff: u64,
}

/// The social connections the test plan maps to an OIDC provider.
const MAPPED_CONNECTIONS: [&str; 2] = ["google-oauth2", "github"];

/// Works out the expected outcome of the sample export in `dir`.
pub fn expected(dir: &Path) -> Expected {
    let hashes = read_hashes(&dir.join("password-hashes.ndjson"));
    let users = std::fs::read_to_string(dir.join("users.ndjson")).expect("users.ndjson");
    let mut expected = Expected {
        unreadable_lines: Vec::new(),
        users: 0,
        importable: BTreeSet::new(),
        bcrypt: BTreeSet::new(),
        unimportable_hashes: BTreeSet::new(),
        duplicates: 0,
        without_email: 0,
        unmapped_social: 0,
        staff: 0,
    };
    let mut emails = HashSet::new();

    for (index, line) in users.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let user: Value = match serde_json::from_str(line) {
            Ok(user @ Value::Object(_)) if user["user_id"].is_string() => user,
            _ => {
                expected.unreadable_lines.push(index as u64 + 1);
                continue;
            }
        };
        expected.users += 1;
        let id = user["user_id"].as_str().unwrap().to_string();
        let Some(email) = user["email"].as_str() else {
            expected.without_email += 1;
            continue;
        };
        if email.to_lowercase().ends_with("@acme.example") {
            expected.staff += 1;
        }
        if let Some(hash) = hashes.get(&id) {
            let family = match is_good_bcrypt(hash) {
                true => &mut expected.bcrypt,
                false => &mut expected.unimportable_hashes,
            };
            family.insert(id.clone());
        }
        let social = user["identities"][0]["isSocial"].as_bool().unwrap_or(false);
        let connection = user["identities"][0]["connection"]
            .as_str()
            .unwrap_or_default();
        if social && !MAPPED_CONNECTIONS.contains(&connection) {
            expected.unmapped_social += 1;
            continue;
        }
        if !emails.insert(email.trim().to_lowercase()) {
            expected.duplicates += 1;
            continue;
        }
        expected.importable.insert(id);
    }
    expected
}

impl Expected {
    /// The imported users that go to the migration hook under the default policy.
    pub fn hook(&self) -> BTreeSet<String> {
        self.importable
            .intersection(&self.unimportable_hashes)
            .cloned()
            .collect()
    }

    /// The imported users whose bcrypt hash is imported as it is.
    pub fn hashed(&self) -> BTreeSet<String> {
        self.importable
            .intersection(&self.bcrypt)
            .cloned()
            .collect()
    }

    /// The imported users without a password in the export.
    pub fn without_password(&self) -> BTreeSet<String> {
        let with_hash: BTreeSet<String> = self
            .bcrypt
            .union(&self.unimportable_hashes)
            .cloned()
            .collect();
        self.importable.difference(&with_hash).cloned().collect()
    }
}

fn read_hashes(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).expect("password-hashes.ndjson");
    let mut hashes = HashMap::new();
    for line in text.lines() {
        let Ok(row) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let oid = row["_id"]["$oid"]
            .as_str()
            .or(row["_id"].as_str())
            .unwrap_or_default();
        let id = match row["alt_id"].as_str() {
            Some(alt) => format!("auth0|{alt}"),
            None if oid.contains('|') => oid.to_string(),
            None => format!("auth0|{oid}"),
        };
        if let Some(hash) = row["passwordHash"].as_str() {
            hashes.insert(id, hash.to_string());
        }
    }
    hashes
}

/// A bcrypt hash Kratos imports: `$2a$`, `$2b$` or `$2y$`, a cost of 4 to 15, 53 characters
/// of bcrypt's base64 alphabet.
fn is_good_bcrypt(hash: &str) -> bool {
    let parts: Vec<&str> = hash.split('$').collect();
    let [empty, version, cost, rest] = parts.as_slice() else {
        return false;
    };
    let alphabet = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '/';
    empty.is_empty()
        && ["2a", "2b", "2y"].contains(version)
        && cost.len() == 2
        && cost
            .parse::<u32>()
            .is_ok_and(|cost| (4..=15).contains(&cost))
        && rest.len() == 53
        && rest.chars().all(alphabet)
}
