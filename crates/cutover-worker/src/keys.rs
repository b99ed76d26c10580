//! The keys that make a run idempotent: the identity's `external_id`, the batch entry's
//! `patch_id`, and a fingerprint of what is sent for a user.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Kratos stores `external_id` in a column of 64 characters.
pub const EXTERNAL_ID_LIMIT: usize = 64;

/// The namespace of cutover's deterministic UUIDv5 patch ids.
const PATCH_NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b0e_8d3a_4c57_9e21_5a7b_c0de_f00d);

/// The `external_id` of a legacy user: the legacy id itself when it fits Kratos's 64
/// characters, otherwise a stable digest of it (recorded in the ledger beside the legacy id).
pub fn external_id(legacy_id: &str) -> String {
    if legacy_id.chars().count() <= EXTERNAL_ID_LIMIT {
        return legacy_id.to_string();
    }
    let digest = hex::encode(Sha256::digest(legacy_id.as_bytes()));
    format!("sha256:{}", &digest[..EXTERNAL_ID_LIMIT - "sha256:".len()])
}

/// The deterministic `patch_id` of a user's batch entry: the same plan and legacy id always
/// give the same UUID, so responses correlate across retries and restarts.
pub fn patch_id(plan_name: &str, legacy_id: &str) -> Uuid {
    Uuid::new_v5(&PATCH_NAMESPACE, format!("{plan_name}\n{legacy_id}").as_bytes())
}

/// A digest of the identity body sent for a user, to notice when the export changes.
pub fn fingerprint(body: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(body.to_string().as_bytes()))
}

/// The normalised form of a login identifier, as Kratos compares them: trimmed and lowercased.
pub fn normalise_identifier(value: &str) -> String {
    value.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_legacy_ids_are_their_own_external_id() {
        assert_eq!(external_id("auth0|5dea9f9c82dd7c0e76e4ec93"), "auth0|5dea9f9c82dd7c0e76e4ec93");
    }

    #[test]
    fn long_legacy_ids_map_to_a_stable_id_of_64_characters() {
        let long = "x".repeat(65);
        let mapped = external_id(&long);
        assert_eq!(mapped.len(), EXTERNAL_ID_LIMIT);
        assert_eq!(mapped, external_id(&long));
        assert_ne!(mapped, external_id(&"y".repeat(65)));
    }

    #[test]
    fn patch_ids_are_deterministic_per_plan_and_user() {
        assert_eq!(patch_id("p", "a"), patch_id("p", "a"));
        assert_ne!(patch_id("p", "a"), patch_id("p", "b"));
        assert_ne!(patch_id("p", "a"), patch_id("q", "a"));
    }
}
