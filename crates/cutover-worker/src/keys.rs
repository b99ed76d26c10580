//! The keys that make a run idempotent: the identity's `external_id`, the batch entry's
//! `patch_id`, and the fingerprints of what is sent for a user, which tell a later run with a
//! newer export which users changed and whether their password did.

use cutover_ledger::Fingerprints;
use cutover_ory::{CreateIdentityBody, IdentityState};
use serde_json::Value;
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
    Uuid::new_v5(
        &PATCH_NAMESPACE,
        format!("{plan_name}\n{legacy_id}").as_bytes(),
    )
}

/// A digest of the identity body sent for a user, to notice when the export changes.
pub fn fingerprint(body: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(body.to_string().as_bytes()))
}

/// The combined fingerprints of an identity body with each identity state (and none): those a
/// ledger from before delta sync holds for the body if it did not change since its import,
/// whichever state the plan then created identities in.
pub fn upgrade_fingerprints(body: &CreateIdentityBody) -> Vec<String> {
    let mut value = serde_json::to_value(body).unwrap_or_default();
    let Some(fields) = value.as_object_mut() else {
        return vec![fingerprint(&value)];
    };
    fields.remove("state");
    let mut found = vec![fingerprint(&value)];
    for state in [IdentityState::Active, IdentityState::Inactive] {
        if let Some(fields) = value.as_object_mut() {
            fields.insert("state".into(), state.as_str().into());
        }
        found.push(fingerprint(&value));
    }
    found
}

/// The profile and credentials fingerprints of an identity body.
///
/// The credentials part covers the password alone, since an update sends the password only
/// when that part changed. The profile part covers what an update replaces (traits, both
/// metadata, the external id) and what is derived from the record with them (addresses,
/// social links). Two things are left out because an update never changes them: the state,
/// which belongs to the target and the go-live once the identity exists, and the phase and
/// segment in the admin metadata, which name where the identity was created.
pub fn fingerprints(body: &CreateIdentityBody) -> Fingerprints {
    let password = body.credentials.as_ref().and_then(|c| c.password.as_ref());
    let credentials = serde_json::to_value(password).unwrap_or_default();

    let mut profile = serde_json::to_value(body).unwrap_or_default();
    if let Some(fields) = profile.as_object_mut() {
        fields.remove("state");
    }
    if let Some(fields) = profile.as_object_mut() {
        let credentials = fields.get_mut("credentials").and_then(Value::as_object_mut);
        if let Some(credentials) = credentials {
            credentials.remove("password");
            // Without a password and social links, an identity has no credentials object.
            if credentials.is_empty() {
                fields.remove("credentials");
            }
        }
    }
    if let Some(origin) = profile
        .pointer_mut("/metadata_admin/cutover")
        .and_then(Value::as_object_mut)
    {
        origin.remove("phase");
        origin.remove("segment");
    }
    Fingerprints {
        profile: fingerprint(&profile),
        credentials: fingerprint(&credentials),
    }
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
        assert_eq!(
            external_id("auth0|5dea9f9c82dd7c0e76e4ec93"),
            "auth0|5dea9f9c82dd7c0e76e4ec93"
        );
    }

    #[test]
    fn long_legacy_ids_map_to_a_stable_id_of_64_characters() {
        let long = "x".repeat(65);
        let mapped = external_id(&long);
        assert_eq!(mapped.len(), EXTERNAL_ID_LIMIT);
        assert_eq!(mapped, external_id(&long));
        assert_ne!(mapped, external_id(&"y".repeat(65)));
    }

    fn body(email: &str, hash: Option<&str>) -> CreateIdentityBody {
        use cutover_ory::{IdentityCredentialsImport, PasswordConfig, PasswordImport};
        CreateIdentityBody {
            schema_id: "preset://email".into(),
            traits: serde_json::json!({ "email": email }),
            metadata_admin: Some(serde_json::json!({
                "cutover": { "plan": "p", "phase": "staff", "segment": "staff" }
            })),
            credentials: hash.map(|hash| IdentityCredentialsImport {
                password: Some(PasswordImport {
                    config: PasswordConfig::hashed(hash),
                }),
                oidc: None,
            }),
            ..CreateIdentityBody::default()
        }
    }

    #[test]
    fn a_new_password_changes_only_the_credentials_fingerprint() {
        let before = fingerprints(&body("a@x.example", Some("$2b$04$one")));
        let after = fingerprints(&body("a@x.example", Some("$2b$04$two")));
        assert_eq!(before.profile, after.profile);
        assert_ne!(before.credentials, after.credentials);
    }

    #[test]
    fn a_new_email_changes_only_the_profile_fingerprint() {
        let before = fingerprints(&body("a@x.example", Some("$2b$04$one")));
        let after = fingerprints(&body("b@x.example", Some("$2b$04$one")));
        assert_ne!(before.profile, after.profile);
        assert_eq!(before.credentials, after.credentials);
    }

    #[test]
    fn the_state_and_the_segment_of_origin_are_not_part_of_the_profile() {
        let before = body("a@x.example", None);
        let mut after = before.clone();
        after.state = Some(cutover_ory::IdentityState::Inactive);
        after.metadata_admin = Some(serde_json::json!({
            "cutover": { "plan": "p", "phase": "rest", "segment": "rest" }
        }));
        assert_eq!(fingerprints(&before), fingerprints(&after));
    }

    #[test]
    fn an_unchanged_body_matches_its_old_fingerprint_whatever_its_state() {
        let mut now = body("a@x.example", Some("$2b$04$one"));
        let states = [
            None,
            Some(IdentityState::Active),
            Some(IdentityState::Inactive),
        ];
        for state in states {
            now.state = state;
            let old = fingerprint(&serde_json::to_value(&now).unwrap());
            now.state = Some(IdentityState::Inactive);
            assert!(upgrade_fingerprints(&now).contains(&old), "{state:?}");
        }
        let other = body("b@x.example", Some("$2b$04$one"));
        let old = fingerprint(&serde_json::to_value(&other).unwrap());
        assert!(!upgrade_fingerprints(&now).contains(&old));
    }

    #[test]
    fn patch_ids_are_deterministic_per_plan_and_user() {
        assert_eq!(patch_id("p", "a"), patch_id("p", "a"));
        assert_ne!(patch_id("p", "a"), patch_id("p", "b"));
        assert_ne!(patch_id("p", "a"), patch_id("q", "a"));
    }
}
