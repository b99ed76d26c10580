//! The identity as Kratos returns it from reads, creates and updates.
//!
//! Reading is lenient where writing is strict: unknown fields are ignored and most fields may
//! be missing, so a newer Kratos that adds fields does not break a migration halfway. A
//! credential's `config` (which holds the stored hash when `include_credential=password` is
//! asked for) is hidden from `Debug`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::models::{AddressVia, IdentityState, Redacted, UpdateIdentityBody};

/// An identity read from Kratos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The id Kratos chose.
    pub id: Uuid,
    /// The identity schema id.
    #[serde(default)]
    pub schema_id: String,
    /// Where the schema can be fetched.
    #[serde(default)]
    pub schema_url: Option<String>,
    /// Whether the identity may sign in.
    #[serde(default)]
    pub state: Option<IdentityState>,
    /// When the state last changed.
    #[serde(default)]
    pub state_changed_at: Option<DateTime<Utc>>,
    /// The traits.
    #[serde(default)]
    pub traits: Value,
    /// The external id, when one was set.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Public metadata.
    #[serde(default)]
    pub metadata_public: Option<Value>,
    /// Admin metadata.
    #[serde(default)]
    pub metadata_admin: Option<Value>,
    /// Addresses with their verification status.
    #[serde(default, deserialize_with = "null_as_default")]
    pub verifiable_addresses: Vec<VerifiableAddress>,
    /// Addresses usable for recovery.
    #[serde(default, deserialize_with = "null_as_default")]
    pub recovery_addresses: Vec<RecoveryAddress>,
    /// Credentials by type (`password`, `oidc`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub credentials: BTreeMap<String, IdentityCredential>,
    /// The organization, for B2B projects.
    #[serde(default)]
    pub organization_id: Option<Uuid>,
    /// When the identity was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the identity was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Identity {
    /// The identifiers of one credential type, such as the email of `password`.
    pub fn identifiers(&self, credential_type: &str) -> &[String] {
        self.credentials
            .get(credential_type)
            .map_or(&[], |credential| credential.identifiers.as_slice())
    }
}

/// A verifiable address as stored by Kratos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiableAddress {
    /// The address id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// The normalised address.
    pub value: String,
    /// Whether it is verified.
    #[serde(default)]
    pub verified: bool,
    /// How it is reached.
    pub via: AddressVia,
    /// The verification status; a string because Kratos may add statuses.
    #[serde(default)]
    pub status: String,
    /// When it was verified.
    #[serde(default)]
    pub verified_at: Option<DateTime<Utc>>,
}

/// A recovery address as stored by Kratos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryAddress {
    /// The address id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// The normalised address.
    pub value: String,
    /// How it is reached; a string because Kratos does not restrict it.
    pub via: String,
}

/// One credential of an identity.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityCredential {
    /// The credential type, such as `password`.
    #[serde(rename = "type", default)]
    pub credential_type: String,
    /// The identifiers this credential signs in with (email, `google:123`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub identifiers: Vec<String>,
    /// The version of the config's shape.
    #[serde(default)]
    pub version: Option<i64>,
    /// The config, present only when asked for; it may hold the stored password hash.
    #[serde(default)]
    pub config: Option<Value>,
    /// When the credential was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the credential was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl IdentityCredential {
    /// Whether Kratos would call the password migration hook at the next sign-in with this
    /// password credential: its config holds no hash and `use_password_migration_hook` is
    /// true. Always false when the config was not asked for (`include_credential=password`).
    pub fn uses_password_migration_hook(&self) -> bool {
        let Some(config) = &self.config else {
            return false;
        };
        let hashed = config.get("hashed_password").and_then(Value::as_str);
        let flag = config
            .get("use_password_migration_hook")
            .and_then(Value::as_bool);
        hashed.unwrap_or("").is_empty() && flag.unwrap_or(false)
    }
}

// The config may hold a password hash, so Debug only says whether it is present.
impl fmt::Debug for IdentityCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityCredential")
            .field("credential_type", &self.credential_type)
            .field("identifiers", &self.identifiers)
            .field("version", &self.version)
            .field("config", &self.config.as_ref().map(|_| Redacted))
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

impl UpdateIdentityBody {
    /// A replace body that keeps everything the identity has, to be changed before sending.
    ///
    /// Credentials are left out, so the PUT keeps the existing ones.
    pub fn from_identity(identity: &Identity) -> Self {
        Self {
            schema_id: identity.schema_id.clone(),
            traits: identity.traits.clone(),
            state: identity.state,
            metadata_public: identity.metadata_public.clone(),
            metadata_admin: identity.metadata_admin.clone(),
            external_id: identity.external_id.clone(),
            credentials: None,
        }
    }
}

// Kratos writes `null` for some empty lists and maps; read it as empty.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
