//! The checked parts of a plan that carry no behaviour: source, target, policy and phases.
//!
//! These are what `validate` produces from the raw file: defaults applied, paths resolved
//! against the plan's directory, names cross-checked. Other crates read them; nothing here can
//! hold a value the plan rules forbid.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::generic::{CsvDialect, FieldMapping, PasswordSpec, SqlSource};
use crate::window::Window;

/// The legacy export to read (`source:`), with paths resolved against the plan's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    /// The reader for the export, such as `auth0`.
    pub format: String,
    /// The user export file; `None` only for `sql`, whose users come from a query.
    pub users: Option<PathBuf>,
    /// The password hash export file, when hashes come separately.
    pub password_hashes: Option<PathBuf>,
    /// How password hash records are matched to users.
    pub join: HashJoin,
    /// The settings of the `keycloak` reader (`source.keycloak:`), when the plan gives them.
    pub keycloak: Option<KeycloakSource>,
    /// The Firebase project's password hash parameters (`source.firebase:`), which the
    /// `firebase` format requires and no other format takes.
    pub firebase: Option<FirebaseSpec>,
    /// Where each field of a user is in a record (`csv`, `jsonl`, `sql`).
    pub fields: Option<FieldMapping>,
    /// How the password hash is stored (`csv`, `jsonl`, `sql`).
    pub password: Option<PasswordSpec>,
    /// The CSV dialect (`csv`; the default dialect when `None`).
    pub csv: Option<CsvDialect>,
    /// The database and query (`sql`).
    pub sql: Option<SqlSource>,
}

impl SourceSpec {
    /// Where the users come from, for messages: the file, or the query's variable.
    pub fn location(&self) -> String {
        match (&self.users, &self.sql) {
            (Some(users), _) => users.display().to_string(),
            (None, Some(sql)) => format!("query on the database named by {}", sql.url_env),
            (None, None) => String::new(),
        }
    }
}

/// The password hash parameters of a Firebase project (`source.firebase:`), as the console
/// shows them; the signer key itself stays in an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirebaseSpec {
    /// The name of the environment variable holding `base64_signer_key`.
    pub signer_key_env: String,
    /// `base64_salt_separator`, as base64 text.
    pub salt_separator: String,
    /// `rounds`, 1 to 8.
    pub rounds: u32,
    /// `mem_cost`, 1 to 14.
    pub mem_cost: u32,
}

/// Which part of a Keycloak export to read (`source.keycloak:`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeycloakSource {
    /// The realms whose users are read, in plan order; empty reads every realm.
    pub realms: Vec<String>,
}

/// The key joining a password hash record to its user (`source.join:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashJoin {
    /// Match by the legacy user id (Auth0 `user_id`, `_id.$oid` in hash exports); the default.
    #[default]
    UserId,
    /// Match by email address, for exports that carry no user id.
    Email,
}

impl HashJoin {
    /// The word used in plan files: `user_id` or `email`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashJoin::UserId => "user_id",
            HashJoin::Email => "email",
        }
    }
}

impl fmt::Display for HashJoin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where identities go and how to talk to it (`target:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    /// The Kratos admin API or the embedded sandbox.
    pub endpoint: Target,
    /// The identity schema new identities are created with, such as `preset://email`.
    pub schema_id: String,
    /// How long one request may take (`timeout_secs`, default 30 seconds).
    pub timeout: Duration,
    /// How often a transient failure is retried (default 5).
    pub max_retries: u32,
    /// An upper bound on requests per minute, when the project has a rate limit to respect.
    pub rate_limit_per_minute: Option<u32>,
}

/// The kind of target: a real Kratos admin API or the local sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A Kratos admin API or an Ory Network project.
    Kratos {
        /// The base URL, such as `http://127.0.0.1:4434`.
        admin_url: String,
        /// The environment variable holding the API key, if the API needs one.
        api_key_env: Option<String>,
    },
    /// The embedded sandbox, which keeps its identities in a local store.
    Sandbox {
        /// The sandbox store file, resolved against the plan's directory.
        store: PathBuf,
    },
}

/// Decisions about users that cannot be imported as they are (`policy:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// What to do with a user whose password hash Kratos cannot import.
    pub unimportable_hash: UnimportableHash,
    /// What to do with a user who has a password in the legacy system that the export cannot
    /// carry (Cognito exports no hashes).
    pub unavailable_password: UnavailablePassword,
}

/// What happens to a user whose password hash Kratos cannot import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnimportableHash {
    /// Import the user with Kratos's password migration hook enabled, so that the password is
    /// checked against the legacy system at the next sign-in; the default.
    #[default]
    Hook,
    /// Import the user without a password (they sign in with a recovery or social login).
    NoPassword,
    /// Count the user as failed and leave them out.
    Fail,
}

impl UnimportableHash {
    /// The word used in plan files: `hook`, `no_password` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnimportableHash::Hook => "hook",
            UnimportableHash::NoPassword => "no_password",
            UnimportableHash::Fail => "fail",
        }
    }
}

impl fmt::Display for UnimportableHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happens to a user whose legacy password exists but is not in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnavailablePassword {
    /// Import the user with Kratos's password migration hook enabled; the default.
    #[default]
    Hook,
    /// Import the user without a password (they sign in with a recovery or social login).
    NoPassword,
}

impl UnavailablePassword {
    /// The word used in plan files: `hook` or `no_password`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnavailablePassword::Hook => "hook",
            UnavailablePassword::NoPassword => "no_password",
        }
    }
}

impl fmt::Display for UnavailablePassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state identities are created in (`identity.state:`, or what `activate` implies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdentityState {
    /// The identity can sign in as soon as it exists; the default.
    #[default]
    Active,
    /// The identity exists but cannot sign in until it is activated at go-live.
    Inactive,
}

impl IdentityState {
    /// The word Kratos and plan files use: `active` or `inactive`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityState::Active => "active",
            IdentityState::Inactive => "inactive",
        }
    }
}

impl fmt::Display for IdentityState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When the identities of a phase become able to sign in (`identity.activate:`,
/// `phases[].activate:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activate {
    /// Created `inactive`, made `active` when their segment goes live; the default.
    #[default]
    OnGolive,
    /// Created `active`: users can sign in to the new system as soon as they are imported.
    OnImport,
}

impl Activate {
    /// The word used in plan files: `on_golive` or `on_import`.
    pub fn as_str(self) -> &'static str {
        match self {
            Activate::OnGolive => "on_golive",
            Activate::OnImport => "on_import",
        }
    }

    /// The state identities are created in under this activation.
    pub fn created_state(self) -> IdentityState {
        match self {
            Activate::OnGolive => IdentityState::Inactive,
            Activate::OnImport => IdentityState::Active,
        }
    }
}

impl fmt::Display for Activate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `run` does when a phase's window is closed (`phases[].outside_window:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutsideWindow {
    /// Wait until the window opens, then carry on; the default.
    #[default]
    Wait,
    /// Stop the run (it can be resumed later); useful under an external scheduler.
    Exit,
}

impl OutsideWindow {
    /// The word used in plan files: `wait` or `exit`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutsideWindow::Wait => "wait",
            OutsideWindow::Exit => "exit",
        }
    }
}

impl fmt::Display for OutsideWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The default of `phases[].golive_sample`: identities read back at go-live.
pub const DEFAULT_GOLIVE_SAMPLE: u32 = 25;

/// The largest `phases[].golive_sample`; each sampled identity is one request to the target.
pub const MAX_GOLIVE_SAMPLE: u32 = 1000;

/// One step of the migration: the segments it moves and how (`phases:` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// The phase name, unique in the plan.
    pub name: String,
    /// The segments this phase migrates, in file order; each segment is in exactly one phase.
    pub segments: Vec<String>,
    /// Identities per batch request, 1 to 1000 (default 1000).
    pub batch_size: u32,
    /// Phases that must be finished before this one starts.
    pub after: Vec<String>,
    /// Whether the segments of the `after` phases must also have gone live before this phase
    /// starts (`after_golive`, default false; only allowed with a non-empty `after`).
    pub after_golive: bool,
    /// The share of failed users (0 to 1) above which the phase must not go live.
    pub max_failed_ratio: Option<f64>,
    /// How many imported identities go-live reads back from the target to compare with the
    /// ledger, 0 to 1000 (default 25).
    pub golive_sample: u32,
    /// The effective bound on requests per minute for this phase: its own
    /// `rate_limit_per_minute`, else `target.rate_limit_per_minute`, else none.
    pub rate_limit_per_minute: Option<u32>,
    /// When the phase may send; `None` means at any time.
    pub window: Option<Window>,
    /// What `run` does while the window is closed (default wait).
    pub outside_window: OutsideWindow,
    /// When this phase's identities become able to sign in: its own `activate`, else
    /// `identity.activate` (default on_golive).
    pub activate: Activate,
    /// The state this phase's identities are created in, following `activate`: `inactive`
    /// for on_golive, `active` for on_import. (A user blocked in the legacy system should stay
    /// inactive whatever this says.)
    pub identity_state: IdentityState,
}
