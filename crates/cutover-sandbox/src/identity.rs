//! Deriving an identity's identifiers and addresses from its traits, as Kratos's validator does.
//!
//! Every write (create, batch item, PUT, JSON Patch) ends here: the traits are validated against
//! the schema, and what the schema's extension marks becomes the password/webauthn/code
//! identifiers and the verifiable and recovery addresses. Addresses the caller supplied survive
//! only when the schema produces the same one, keeping their verified state (Kratos drops the
//! others silently).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::model::{Credential, IdentityRecord, RecoveryAddress, VerifiableAddress};
use crate::normalize;
use crate::schema::SchemaRegistry;

/// The credential types whose identifiers come from the traits.
const TRAIT_CREDENTIALS: &[&str] = &["password", "webauthn", "code"];

/// Validates `record` against its schema and derives its identifiers and addresses.
///
/// The addresses in `record` are taken as the supplied ones, to be merged.
pub(crate) fn derive(
    mut record: IdentityRecord,
    schemas: &SchemaRegistry,
    now: DateTime<Utc>,
) -> Result<IdentityRecord, ApiError> {
    record.schema_id = SchemaRegistry::effective_id(&record.schema_id).to_owned();
    if record.traits.is_null() {
        record.traits = json!({});
    }
    let extracted = schemas.check(&record.schema_id, &record.traits)?;

    for kind in TRAIT_CREDENTIALS {
        match extracted.identifiers.get(*kind) {
            Some(identifiers) => {
                // Kratos adds the credential, with an empty config, as soon as a trait names it.
                let credential =
                    record
                        .credentials
                        .entry((*kind).to_owned())
                        .or_insert_with(|| {
                            Credential::new(kind, Value::Object(Default::default()), now)
                        });
                credential.identifiers = identifiers.clone();
            }
            None => {
                if let Some(credential) = record.credentials.get_mut(*kind) {
                    credential.identifiers.clear();
                }
            }
        }
    }

    let supplied = std::mem::take(&mut record.verifiable_addresses);
    record.verifiable_addresses = extracted
        .verifiable
        .into_iter()
        .map(|(via, value)| merge_verifiable(&supplied, via, value, now))
        .collect();

    let supplied = std::mem::take(&mut record.recovery_addresses);
    record.recovery_addresses = extracted
        .recovery
        .into_iter()
        .map(|(via, value)| merge_recovery(&supplied, via, value, now))
        .collect();
    Ok(record)
}

fn merge_verifiable(
    supplied: &[VerifiableAddress],
    via: String,
    value: String,
    now: DateTime<Utc>,
) -> VerifiableAddress {
    let known = supplied
        .iter()
        .find(|address| address.via == via && normalize::address(&via, &address.value) == value);

    match known {
        Some(address) => VerifiableAddress {
            value,
            ..address.clone()
        },
        None => VerifiableAddress {
            id: Uuid::new_v4(),
            value,
            verified: false,
            via,
            status: "pending".to_owned(),
            verified_at: None,
            created_at: now,
            updated_at: now,
        },
    }
}

fn merge_recovery(
    supplied: &[RecoveryAddress],
    via: String,
    value: String,
    now: DateTime<Utc>,
) -> RecoveryAddress {
    let known = supplied
        .iter()
        .find(|address| address.via == via && normalize::address(&via, &address.value) == value);

    match known {
        Some(address) => RecoveryAddress {
            value,
            ..address.clone()
        },
        None => RecoveryAddress {
            id: Uuid::new_v4(),
            value,
            via,
            created_at: now,
            updated_at: now,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IdentityState;
    use std::collections::BTreeMap;

    fn record(traits: Value, verifiable: Vec<VerifiableAddress>) -> IdentityRecord {
        let now = Utc::now();
        IdentityRecord {
            id: Uuid::new_v4(),
            schema_id: String::new(),
            state: IdentityState::Active,
            state_changed_at: None,
            traits,
            verifiable_addresses: verifiable,
            recovery_addresses: Vec::new(),
            metadata_public: Value::Null,
            metadata_admin: Value::Null,
            external_id: None,
            organization_id: None,
            credentials: BTreeMap::new(),
            created_at: now,
            updated_at: now,
        }
    }

    fn address(value: &str, via: &str, verified: bool) -> VerifiableAddress {
        let now = Utc::now();
        VerifiableAddress {
            id: Uuid::new_v4(),
            value: value.into(),
            verified,
            via: via.into(),
            status: if verified { "completed" } else { "pending" }.into(),
            verified_at: verified.then_some(now),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn supplied_verified_flag_is_kept_for_the_schema_address_only() {
        let schemas = SchemaRegistry::new(Vec::new()).unwrap();
        let supplied = vec![
            address("alice@example.org", "email", true),
            address("other@example.org", "email", true),
        ];

        let derived = derive(
            record(json!({"email": "Alice@Example.org"}), supplied),
            &schemas,
            Utc::now(),
        )
        .unwrap();

        assert_eq!(derived.schema_id, "default");
        assert_eq!(derived.verifiable_addresses.len(), 1);
        assert!(derived.verifiable_addresses[0].verified);
        assert_eq!(derived.verifiable_addresses[0].value, "alice@example.org");
        assert_eq!(
            derived.credentials["password"].identifiers,
            vec!["alice@example.org"]
        );
        assert_eq!(derived.credentials["password"].config, json!({}));
    }

    #[test]
    fn addresses_produced_by_the_schema_alone_start_pending() {
        let schemas = SchemaRegistry::new(Vec::new()).unwrap();

        let derived = derive(
            record(json!({"email": "bob@example.org"}), Vec::new()),
            &schemas,
            Utc::now(),
        )
        .unwrap();

        assert!(!derived.verifiable_addresses[0].verified);
        assert_eq!(derived.verifiable_addresses[0].status, "pending");
        assert_eq!(derived.recovery_addresses[0].value, "bob@example.org");
    }
}
