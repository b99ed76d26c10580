//! The stored identity and how it is shown: Kratos's identity JSON shape (§3.3 of the notes).
//!
//! One type, `IdentityRecord`, is both what the store keeps and what JSON Patch edits, so it
//! holds the credential configs; `render` hides them unless `include_credential` asked for them.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Whether an identity may log in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IdentityState {
    /// The identity can log in.
    #[default]
    Active,
    /// Logins are refused; the go-live switch flips this.
    Inactive,
}

impl IdentityState {
    /// The state as Kratos spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            IdentityState::Active => "active",
            IdentityState::Inactive => "inactive",
        }
    }
}

/// An address the user can verify, derived from the schema's `verification` extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct VerifiableAddress {
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    pub value: String,
    #[serde(default)]
    pub verified: bool,
    pub via: String,
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    #[serde(default = "Utc::now")]
    pub created_at: DateTime<Utc>,
    #[serde(default = "Utc::now")]
    pub updated_at: DateTime<Utc>,
}

/// An address recovery messages go to, derived from the schema's `recovery` extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecoveryAddress {
    #[serde(default = "Uuid::new_v4")]
    pub id: Uuid,
    pub value: String,
    pub via: String,
    #[serde(default = "Utc::now")]
    pub created_at: DateTime<Utc>,
    #[serde(default = "Utc::now")]
    pub updated_at: DateTime<Utc>,
}

/// One credential of an identity: its login identifiers and its (normally hidden) config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Credential {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub identifiers: Vec<String>,
    #[serde(default = "empty_object")]
    pub config: Value,
    #[serde(default)]
    pub version: i64,
    #[serde(default = "Utc::now")]
    pub created_at: DateTime<Utc>,
    #[serde(default = "Utc::now")]
    pub updated_at: DateTime<Utc>,
}

impl Credential {
    /// A new credential of `kind` with no identifiers yet.
    pub(crate) fn new(kind: &str, config: Value, now: DateTime<Utc>) -> Self {
        Credential {
            kind: kind.to_owned(),
            identifiers: Vec::new(),
            config,
            version: 0,
            created_at: now,
            updated_at: now,
        }
    }
}

/// An identity as stored, credential configs included.
///
/// Every field has a default so that a JSON-patched document with fields removed still reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct IdentityRecord {
    #[serde(default)]
    pub id: Uuid,
    #[serde(default)]
    pub schema_id: String,
    #[serde(default)]
    pub state: IdentityState,
    #[serde(default)]
    pub state_changed_at: Option<DateTime<Utc>>,
    #[serde(default = "empty_object")]
    pub traits: Value,
    #[serde(default)]
    pub verifiable_addresses: Vec<VerifiableAddress>,
    #[serde(default)]
    pub recovery_addresses: Vec<RecoveryAddress>,
    #[serde(default)]
    pub metadata_public: Value,
    #[serde(default)]
    pub metadata_admin: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    #[serde(default)]
    pub credentials: BTreeMap<String, Credential>,
    #[serde(default = "Utc::now")]
    pub created_at: DateTime<Utc>,
    #[serde(default = "Utc::now")]
    pub updated_at: DateTime<Utc>,
}

/// One row of the unique-key table: what two identities may not share.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UniqueKey {
    /// `credential`, `verifiable_address` or `recovery_address`.
    pub kind: &'static str,
    /// The credential type or the address channel.
    pub kind_type: String,
    /// The normalised identifier or address.
    pub value: String,
}

impl IdentityRecord {
    /// The keys this identity claims, without duplicates (external_id is a column of its own).
    pub(crate) fn unique_keys(&self) -> BTreeSet<UniqueKey> {
        let mut keys = BTreeSet::new();

        for credential in self.credentials.values() {
            for identifier in &credential.identifiers {
                keys.insert(key("credential", &credential.kind, identifier));
            }
        }

        for address in &self.verifiable_addresses {
            keys.insert(key("verifiable_address", &address.via, &address.value));
        }
        for address in &self.recovery_addresses {
            keys.insert(key("recovery_address", &address.via, &address.value));
        }
        keys
    }
}

fn key(kind: &'static str, kind_type: &str, value: &str) -> UniqueKey {
    UniqueKey {
        kind,
        kind_type: kind_type.to_owned(),
        value: value.to_owned(),
    }
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

/// The credential types `include_credential` accepts, as Kratos lists them.
pub(crate) const CREDENTIAL_TYPES: &[&str] = &[
    "password",
    "oidc",
    "saml",
    "totp",
    "lookup_secret",
    "webauthn",
    "code",
    "passkey",
    "link_recovery",
    "code_recovery",
    "deviceauthn",
];

/// The schema URL Kratos shows for a schema id: the id in unpadded URL-safe base64.
pub(crate) fn schema_url(base_url: &str, schema_id: &str) -> String {
    format!("{base_url}/schemas/{}", URL_SAFE_NO_PAD.encode(schema_id))
}

/// The schema id encoded in the last segment of a schema URL, if it decodes.
pub(crate) fn schema_id_from_segment(segment: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
    String::from_utf8(bytes).ok()
}

/// The identity as the API shows it, with the configs of the `include` credential types only.
pub(crate) fn render(record: &IdentityRecord, base_url: &str, include: &BTreeSet<String>) -> Value {
    let mut shown = serde_json::to_value(record).unwrap_or(Value::Null);

    if let Value::Object(fields) = &mut shown {
        let url = schema_url(base_url, &record.schema_id);
        fields.insert("schema_url".to_owned(), Value::String(url));

        if let Some(Value::Object(credentials)) = fields.get_mut("credentials") {
            for (kind, credential) in credentials.iter_mut() {
                if let (false, Value::Object(credential)) = (include.contains(kind), credential) {
                    credential.remove("config");
                }
            }
        }
    }
    shown
}
