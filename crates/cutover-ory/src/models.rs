//! Request bodies for creating and replacing identities, with Kratos's exact JSON names.
//!
//! Kratos decodes these bodies strictly: an unknown field is a 400, and a `null` is not the
//! same as an absent field. So every optional field is left out of the JSON when unset, never
//! written as `null`. Password material only ever appears in [`PasswordConfig`], whose `Debug`
//! hides it.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whether an identity may sign in: Kratos's `active` or `inactive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityState {
    /// The identity can sign in.
    Active,
    /// Sign-in is blocked; the identity is otherwise intact.
    Inactive,
}

impl IdentityState {
    /// The word Kratos uses for the state.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
        }
    }
}

impl fmt::Display for IdentityState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of `POST /admin/identities`, and the `create` of each batch entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateIdentityBody {
    /// The identity schema id, such as `preset://email`.
    pub schema_id: String,
    /// The traits, validated by Kratos against the schema.
    pub traits: Value,
    /// The initial state; Kratos defaults to `active`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<IdentityState>,
    /// Metadata the user can read through their session.
    #[serde(default, skip_serializing_if = "is_absent")]
    pub metadata_public: Option<Value>,
    /// Metadata only the admin API can read.
    #[serde(default, skip_serializing_if = "is_absent")]
    pub metadata_admin: Option<Value>,
    /// The unique id from the legacy system (at most 64 characters); the idempotency key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Addresses to import with their verification status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verifiable_addresses: Vec<VerifiableAddressImport>,
    /// Addresses usable for account recovery.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_addresses: Vec<RecoveryAddressImport>,
    /// Credentials to import; leave out for an identity without any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<IdentityCredentialsImport>,
}

/// The body of `PUT /admin/identities/{id}`, a full replace of the identity.
///
/// Kratos replaces `traits`, both metadata fields and `external_id` with what is sent: leaving
/// `external_id` out clears it. An absent `state` keeps the current one. `credentials` are
/// merged per type (a password is replaced, OIDC providers are appended).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateIdentityBody {
    /// The identity schema id.
    pub schema_id: String,
    /// The new traits.
    pub traits: Value,
    /// The new state; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<IdentityState>,
    /// The new public metadata; absent clears it.
    #[serde(default, skip_serializing_if = "is_absent")]
    pub metadata_public: Option<Value>,
    /// The new admin metadata; absent clears it.
    #[serde(default, skip_serializing_if = "is_absent")]
    pub metadata_admin: Option<Value>,
    /// The external id; absent clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Credentials to merge into the identity's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<IdentityCredentialsImport>,
}

/// An address imported together with its verification status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiableAddressImport {
    /// The address; Kratos lowercases it.
    pub value: String,
    /// Whether the address was verified in the legacy system.
    pub verified: bool,
    /// How the address is reached.
    pub via: AddressVia,
    /// The verification status.
    pub status: VerificationStatus,
}

/// An address usable for recovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryAddressImport {
    /// The address; Kratos lowercases it.
    pub value: String,
    /// How the address is reached.
    pub via: AddressVia,
}

/// How Kratos reaches an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressVia {
    /// By email.
    Email,
    /// By text message.
    Sms,
}

/// Where the verification of an address stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerificationStatus {
    /// Not verified, no message sent yet.
    Pending,
    /// A verification message was sent.
    Sent,
    /// The address is verified.
    Completed,
}

/// The `credentials` object of a create or update body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCredentialsImport {
    /// A password credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordImport>,
    /// Social sign-in links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<OidcImport>,
}

/// `credentials.password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordImport {
    /// The password material.
    pub config: PasswordConfig,
}

/// `credentials.password.config`: a hash, a plaintext, or the migration-hook flag.
///
/// Kratos rejects an empty config; if both `password` and `hashed_password` are set, the
/// plaintext wins; with the hook flag set, both are ignored.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordConfig {
    /// A hash in one of the formats Kratos imports (PHC, crypt(3), ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashed_password: Option<String>,
    /// A plaintext password, hashed by Kratos (batches hold at most 200 of these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Verify the password through the migration hook at first sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_password_migration_hook: Option<bool>,
}

impl PasswordConfig {
    /// A config importing an existing hash.
    pub fn hashed(hash: impl Into<String>) -> Self {
        Self {
            hashed_password: Some(hash.into()),
            ..Self::default()
        }
    }

    /// A config importing a plaintext password for Kratos to hash.
    pub fn plaintext(password: impl Into<String>) -> Self {
        Self {
            password: Some(password.into()),
            ..Self::default()
        }
    }

    /// A config deferring the password to the migration hook.
    pub fn migration_hook() -> Self {
        Self {
            use_password_migration_hook: Some(true),
            ..Self::default()
        }
    }

    /// Whether the config carries a non-empty plaintext (which counts against the batch limit).
    pub fn has_plaintext(&self) -> bool {
        self.password.as_deref().is_some_and(|p| !p.is_empty())
    }
}

// Hashes and passwords must never reach a log, so Debug only says whether each is set.
impl fmt::Debug for PasswordConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordConfig")
            .field(
                "hashed_password",
                &self.hashed_password.as_ref().map(|_| Redacted),
            )
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field(
                "use_password_migration_hook",
                &self.use_password_migration_hook,
            )
            .finish()
    }
}

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `credentials.oidc`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcImport {
    /// The providers to link.
    pub config: OidcConfig,
}

/// `credentials.oidc.config`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// One entry per linked social account.
    pub providers: Vec<OidcProvider>,
}

/// One linked social account; Kratos stores it as the identifier `provider:subject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    /// The provider id from the Kratos configuration, such as `google`.
    pub provider: String,
    /// The subject (`sub`) the provider gives the user.
    pub subject: String,
}

// A `null` metadata field is as unwanted as an absent one, so neither is sent.
fn is_absent(value: &Option<Value>) -> bool {
    matches!(value, None | Some(Value::Null))
}
