//! The fingerprints of a user's record, and the rules that compare them: what the target
//! holds for an imported user, and how the export's record differs from it.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

/// The two digests of one user's identity: the profile and the credentials.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// The identity without its password: traits, metadata, addresses, social links.
    pub profile: String,
    /// The password hash (or its absence).
    pub credentials: String,
}

/// The fingerprints intake records for a user it can send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeFingerprints {
    /// The profile and credentials fingerprints of the record.
    pub now: Fingerprints,
    /// The combined fingerprints that a ledger from before delta sync holds for the user if
    /// the record did not change since its import: the combined fingerprint computed with each
    /// identity state, since the state a plan creates identities in may have changed since,
    /// and an update never sends the state anyway.
    pub upgrade: Vec<String>,
}

/// What the ledger knows about a user's fingerprints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncRecord {
    /// The combined fingerprint of the whole identity, the only one older ledgers kept.
    pub combined: String,
    /// What the latest intake read from the export, once a version with delta sync ran.
    pub current: Option<Fingerprints>,
    /// What the target was last sent, once an intake after the import recorded it.
    pub synced: Option<Fingerprints>,
}

/// How an imported user's record differs from what the target holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncChange {
    /// The profile changed; the password did not, so it is not sent.
    Profile,
    /// The password hash changed (the profile may have too); the password is sent.
    Password,
}

/// The fingerprint pair that stands for "unknown": it equals no real fingerprint, so a user
/// carrying it counts as changed in both parts.
fn unknown(combined: &str) -> Fingerprints {
    let marker = format!("legacy:{combined}");
    Fingerprints {
        profile: marker.clone(),
        credentials: marker,
    }
}

impl SyncRecord {
    /// What the target holds for an imported user, given what the export says now
    /// (`combined`, the record's combined fingerprints under every identity state, and
    /// `now`, computed the same way as at intake).
    ///
    /// Until an intake after the import has recorded it, what was sent is what the row's
    /// current fingerprints were when the user was sent: intake never revises a user on its
    /// way. A row from a ledger older than delta sync has only the combined fingerprint: if one
    /// of `combined` matches it, the target has what the export says now (but perhaps another
    /// state, which updates leave alone); if none does, which part changed cannot be known, so
    /// both count as changed and the password is sent again.
    pub fn synced_for(&self, combined: &[String], now: &Fingerprints) -> Fingerprints {
        if let Some(synced) = &self.synced {
            return synced.clone();
        }
        if let Some(current) = &self.current {
            return current.clone();
        }
        if combined.contains(&self.combined) {
            now.clone()
        } else {
            unknown(&self.combined)
        }
    }
}

/// How `now` differs from what the target was `synced` with, or `None` when it does not.
pub fn sync_change(synced: &Fingerprints, now: &Fingerprints) -> Option<SyncChange> {
    if synced.credentials != now.credentials {
        Some(SyncChange::Password)
    } else if synced.profile != now.profile {
        Some(SyncChange::Profile)
    } else {
        None
    }
}

/// Reads the fingerprint columns of a users row.
pub(crate) fn sync_record(row: &SqliteRow) -> SyncRecord {
    let pair = |profile: &str, credentials: &str| {
        let profile: Option<String> = row.get(profile);
        let credentials: Option<String> = row.get(credentials);
        Some(Fingerprints {
            profile: profile?,
            credentials: credentials?,
        })
    };
    SyncRecord {
        combined: row.get("fingerprint"),
        current: pair("profile_fingerprint", "credentials_fingerprint"),
        synced: pair("synced_profile", "synced_credentials"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(profile: &str, credentials: &str) -> Fingerprints {
        Fingerprints {
            profile: profile.into(),
            credentials: credentials.into(),
        }
    }

    #[test]
    fn a_recorded_sync_is_what_the_target_holds() {
        let record = SyncRecord {
            combined: "c0".into(),
            current: Some(pair("p1", "k1")),
            synced: Some(pair("p0", "k0")),
        };
        assert_eq!(
            record.synced_for(&["c1".into()], &pair("p1", "k1")),
            pair("p0", "k0")
        );
    }

    #[test]
    fn before_the_first_sync_the_fingerprints_sent_at_import_count() {
        let record = SyncRecord {
            combined: "c0".into(),
            current: Some(pair("p0", "k0")),
            synced: None,
        };
        assert_eq!(
            record.synced_for(&["c1".into()], &pair("p1", "k0")),
            pair("p0", "k0")
        );
    }

    #[test]
    fn an_old_row_whose_combined_fingerprint_matches_is_unchanged() {
        let record = SyncRecord {
            combined: "c0".into(),
            current: None,
            synced: None,
        };
        let now = pair("p1", "k1");
        assert_eq!(
            sync_change(&record.synced_for(&["c0".into()], &now), &now),
            None
        );
    }

    #[test]
    fn an_old_row_whose_combined_fingerprint_differs_sends_the_password_again() {
        let record = SyncRecord {
            combined: "c0".into(),
            current: None,
            synced: None,
        };
        let now = pair("p1", "k1");
        assert_eq!(
            sync_change(&record.synced_for(&["c9".into()], &now), &now),
            Some(SyncChange::Password)
        );
    }

    #[test]
    fn a_changed_profile_alone_keeps_the_password() {
        assert_eq!(
            sync_change(&pair("p0", "k0"), &pair("p1", "k0")),
            Some(SyncChange::Profile)
        );
        assert_eq!(
            sync_change(&pair("p0", "k0"), &pair("p1", "k1")),
            Some(SyncChange::Password)
        );
        assert_eq!(sync_change(&pair("p0", "k0"), &pair("p0", "k0")), None);
    }
}
