//! The settings of the `keycloak` reader: which realms of the export to read.
//!
//! A full export (`kc.sh export --file` without `--realm`) holds every realm, the `master`
//! realm of the server's administrators among them, and those are rarely users to migrate.
//! Naming the realms to read keeps the others out of the plan entirely, counted in one
//! warning, instead of forcing a segment onto them.

use serde::{Deserialize, Serialize};

/// What a plan's `source.keycloak` says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeycloakOptions {
    /// The realms whose users are read; empty means every realm of the export.
    #[serde(default)]
    pub realms: Vec<String>,
}
