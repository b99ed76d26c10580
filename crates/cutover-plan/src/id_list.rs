//! Id lists: segments named user by user, from a file of legacy ids beside the plan.
//!
//! The file is read once, when the plan loads, so a missing or unreadable file is a plan
//! error at its `list` line rather than a surprise halfway through a run. Its digest becomes
//! part of the plan's digest and canonical JSON: editing the list changes the plan, and a
//! running migration notices.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::validate::{Checker, plan_path};

/// The users whose legacy id is in a file (`where.list:`).
///
/// The file holds one legacy id a line. Surrounding whitespace is trimmed; blank lines and
/// lines whose first non-blank character is `#` are ignored. There are no trailing comments:
/// the rest of a line is the id, `#` included. Repeated ids count once.
#[derive(Clone, PartialEq, Eq)]
pub struct IdList {
    /// The path as written in the plan.
    pub written: String,
    /// The file, resolved against the plan's directory.
    pub path: PathBuf,
    /// The SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    ids: HashSet<String>,
}

impl IdList {
    /// Tells whether the legacy id is in the list.
    pub fn contains(&self, legacy_id: &str) -> bool {
        self.ids.contains(legacy_id)
    }

    /// How many distinct ids the list holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Tells whether the list holds no id (a plan never has such a list; see `list`).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids, in no particular order.
    pub fn ids(&self) -> &HashSet<String> {
        &self.ids
    }
}

// The ids are left out: a list of a million ids would drown any debug output.
impl fmt::Debug for IdList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdList")
            .field("path", &self.path)
            .field("sha256", &self.sha256)
            .field("ids", &self.ids.len())
            .finish()
    }
}

/// Reads the id list named at `raw`, reporting an unreadable or empty file at its line.
pub(crate) fn build_list(
    raw: &Spanned<String>,
    base_dir: &Path,
    field: &str,
    check: &mut Checker,
) -> Option<IdList> {
    let path = plan_path(raw, base_dir, field, check);
    if raw.value.trim().is_empty() {
        // `plan_path` has reported the empty path; there is nothing to read.
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = format!("cannot read the id list {}: {error}", path.display());
            check.report(&raw.referenced, field, message);
            return None;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let message = format!("the id list {} is not UTF-8 text", path.display());
        check.report(&raw.referenced, field, message);
        return None;
    };

    let ids: HashSet<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if ids.is_empty() {
        let message = format!(
            "the id list {} holds no id, so the segment can never match",
            path.display()
        );
        check.report(&raw.referenced, field, message);
        return None;
    }
    Some(IdList {
        written: raw.value.clone(),
        path,
        sha256: hex::encode(Sha256::digest(&bytes)),
        ids,
    })
}
