//! Request bodies of the identity routes, decoded strictly as Kratos decodes them.
//!
//! Kratos rejects unknown fields in create, batch and update bodies with a 400, so every type
//! here denies them; a client sending `id` or `schema_url` learns it from the sandbox already.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::errors::ApiError;

/// Decodes a JSON body, answering Kratos's 400 when it is malformed or has unknown fields.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|error| ApiError::bad_request(format!("the request body is not valid: {error}")))
}

/// The body of `POST /admin/identities`, and of each batch `create`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateIdentityBody {
    #[serde(default)]
    pub schema_id: String,
    #[serde(default)]
    pub traits: Value,
    /// Kept as text so an empty state means "active", as in Kratos.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub metadata_public: Value,
    #[serde(default)]
    pub metadata_admin: Value,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub organization_id: Option<Uuid>,
    /// Ory Network only; the open-source Kratos, and so the sandbox, ignores it.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that strict decoding allows it, then ignored"
    )]
    pub region: Option<String>,
    #[serde(default)]
    pub verifiable_addresses: Option<Vec<ImportVerifiableAddress>>,
    #[serde(default)]
    pub recovery_addresses: Option<Vec<ImportRecoveryAddress>>,
    #[serde(default)]
    pub credentials: Option<ImportCredentials>,
}

impl CreateIdentityBody {
    /// Whether the body carries a plaintext password, which the batch limit of 200 counts.
    pub(crate) fn has_plaintext_password(&self) -> bool {
        self.credentials
            .as_ref()
            .and_then(|credentials| credentials.password.as_ref())
            .and_then(|password| password.config.password.as_deref())
            .is_some_and(|plaintext| !plaintext.is_empty())
    }
}

/// A verifiable address as an import may supply it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportVerifiableAddress {
    pub value: String,
    #[serde(default)]
    pub verified: bool,
    pub via: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub verified_at: Option<DateTime<Utc>>,
    /// Exported addresses carry these; Kratos accepts and replaces them, and so do we.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub id: Option<Uuid>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub identity_id: Option<Uuid>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A recovery address as an import may supply it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportRecoveryAddress {
    pub value: String,
    pub via: String,
    /// Exported addresses carry these; Kratos accepts and replaces them, and so do we.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub id: Option<Uuid>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub identity_id: Option<Uuid>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that exported addresses decode, then replaced"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The `credentials` member of a create or update body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportCredentials {
    #[serde(default)]
    pub password: Option<PasswordImport>,
    #[serde(default)]
    pub oidc: Option<ProvidersImport>,
    #[serde(default)]
    pub saml: Option<ProvidersImport>,
    #[serde(default)]
    pub totp: Option<ConfigImport>,
    #[serde(default)]
    pub webauthn: Option<ConfigImport>,
    #[serde(default)]
    pub passkey: Option<ConfigImport>,
    #[serde(default)]
    pub lookup_secret: Option<ConfigImport>,
}

/// `credentials.password`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordImport {
    #[serde(default)]
    pub config: PasswordConfigImport,
}

/// `credentials.password.config`: a hash, a plaintext or the migration-hook flag.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordConfigImport {
    #[serde(default)]
    pub hashed_password: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub use_password_migration_hook: Option<bool>,
}

impl std::fmt::Debug for PasswordConfigImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Hashes and passwords must never reach a log line.
        f.debug_struct("PasswordConfigImport")
            .field(
                "hashed_password",
                &self.hashed_password.as_ref().map(|_| "[redacted]"),
            )
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field(
                "use_password_migration_hook",
                &self.use_password_migration_hook,
            )
            .finish()
    }
}

/// `credentials.oidc` or `credentials.saml`: linked provider accounts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProvidersImport {
    #[serde(default)]
    pub config: ProvidersConfig,
}

/// The `config` of a provider credential.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProvidersConfig {
    #[serde(default)]
    pub providers: Vec<ProviderImport>,
}

/// One linked account: `provider:subject` becomes its identifier.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProviderImport {
    pub provider: String,
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_auto_link: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Uuid>,
}

/// A credential type whose config the sandbox stores as given (totp, webauthn, ...).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigImport {
    #[serde(default)]
    pub config: Value,
}

/// The body of `PATCH /admin/identities`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchBody {
    /// A JSON `null` entry (not `{"create": null}`) is kept to answer it as Kratos does.
    #[serde(default)]
    pub identities: Vec<Option<BatchEntry>>,
}

/// One entry of a batch: an optional correlation id and an optional create body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchEntry {
    #[serde(default)]
    pub patch_id: Option<Uuid>,
    #[serde(default)]
    pub create: Option<CreateIdentityBody>,
}

/// The body of `PUT /admin/identities/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateIdentityBody {
    #[serde(default)]
    pub schema_id: Option<String>,
    #[serde(default)]
    pub traits: Value,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub metadata_public: Value,
    #[serde(default)]
    pub metadata_admin: Value,
    #[serde(default)]
    pub external_id: Option<String>,
    /// Ory Network only, ignored as in `CreateIdentityBody`.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted so that strict decoding allows it, then ignored"
    )]
    pub region: Option<String>,
    #[serde(default)]
    pub credentials: Option<ImportCredentials>,
}
