//! The Keycloak fixture: a directory export of two realms, as `kc.sh export --dir DIR
//! --users different_files --users-per-file 9` writes it, in Jackson's layout.

mod credentials;
mod users;

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::Path;

use crate::json::{J, jackson, obj, s, strings};
use crate::secrets::uuid;
use credentials::pbkdf2_credential;
use users::acme_users;

/// One day in milliseconds, to spread creation times.
const DAY_MS: i64 = 86_400_000;

/// When the first user was created (2021-03-04 05:06:07.890 UTC).
pub const EPOCH_MS: i64 = 1_614_834_367_890;

/// A user of the fixture: its representation and the password its hash verifies, if any.
pub struct User {
    record: J,
    id: String,
    password: Option<&'static str>,
}

/// The parts of a user representation that vary between the fixture's users.
#[derive(Default)]
pub struct Spec {
    key: &'static str,
    username: &'static str,
    email: Option<&'static str>,
    first: Option<&'static str>,
    last: Option<&'static str>,
    disabled: bool,
    verified: bool,
    credentials: Vec<J>,
    federated: Vec<(&'static str, &'static str, &'static str)>,
    /// Fields written between `email` and `credentials` (federationLink, attributes, ...).
    extra: Vec<(&'static str, J)>,
    groups: Vec<&'static str>,
    password: Option<&'static str>,
}

/// Writes the export into `dir` and returns the known passwords by legacy id.
pub fn write(dir: &Path) -> Result<BTreeMap<String, String>, Box<dyn Error>> {
    fs::create_dir_all(dir)?;
    let acme = acme_users();
    let master = vec![user(
        0,
        Spec {
            key: "admin",
            username: "admin",
            credentials: vec![pbkdf2_credential(
                "admin",
                "pbkdf2-sha256",
                "admin",
                27_500,
                64,
            )],
            password: Some("admin"),
            ..Spec::default()
        },
    )];

    fs::write(
        dir.join("acme-realm.json"),
        jackson(&realm("acme", "Acme")) + "\n",
    )?;
    fs::write(
        dir.join("master-realm.json"),
        jackson(&realm("master", "Keycloak")) + "\n",
    )?;
    let (first, second) = acme.split_at(9);
    for (name, realm, users) in [
        ("acme-users-0.json", "acme", first),
        ("acme-users-1.json", "acme", second),
        ("master-users-0.json", "master", master.as_slice()),
    ] {
        let records: Vec<J> = users.iter().map(|u| u.record.clone()).collect();
        let file = obj(vec![("realm", s(realm)), ("users", J::Arr(records))]);
        fs::write(dir.join(name), jackson(&file) + "\n")?;
    }

    Ok(acme
        .iter()
        .chain(&master)
        .filter_map(|u| Some((u.id.clone(), u.password?.to_string())))
        .collect())
}

/// A user representation in the field order of Keycloak's export.
pub fn user(day: i64, spec: Spec) -> User {
    let id = uuid(&format!("kc-user:{}", spec.key));
    let mut fields = vec![
        ("id", s(&id)),
        (
            "createdTimestamp",
            J::Int(EPOCH_MS + day * DAY_MS + day * 7_919),
        ),
        ("username", s(spec.username)),
        ("enabled", J::Bool(!spec.disabled)),
        ("totp", J::Bool(false)),
        ("emailVerified", J::Bool(spec.verified)),
    ];
    if let Some(first) = spec.first {
        fields.push(("firstName", s(first)));
    }
    if let Some(last) = spec.last {
        fields.push(("lastName", s(last)));
    }
    if let Some(email) = spec.email {
        fields.push(("email", s(email)));
    }
    fields.extend(spec.extra);
    fields.push(("credentials", J::Arr(spec.credentials)));
    fields.push(("disableableCredentialTypes", J::Arr(vec![])));
    fields.push(("requiredActions", J::Arr(vec![])));
    if !spec.federated.is_empty() {
        let identities = spec
            .federated
            .iter()
            .map(|(provider, user_id, user_name)| {
                obj(vec![
                    ("identityProvider", s(provider)),
                    ("userId", s(user_id)),
                    ("userName", s(user_name)),
                ])
            })
            .collect();
        fields.push(("federatedIdentities", J::Arr(identities)));
    }
    fields.push(("realmRoles", strings(&["default-roles-acme"])));
    fields.push(("notBefore", J::Int(0)));
    fields.push(("groups", strings(&spec.groups)));

    User {
        record: obj(fields),
        id,
        password: spec.password,
    }
}

/// A realm file of a directory export: the realm's settings, no users.
fn realm(name: &str, display: &str) -> J {
    let providers = ["google", "github", "facebook"]
        .iter()
        .map(|alias| {
            obj(vec![
                ("alias", s(alias)),
                ("providerId", s(alias)),
                ("enabled", J::Bool(true)),
                (
                    "config",
                    obj(vec![("clientId", s(&format!("{alias}-client")))]),
                ),
            ])
        })
        .collect();
    obj(vec![
        ("id", s(&uuid(&format!("realm:{name}")))),
        ("realm", s(name)),
        ("displayName", s(display)),
        ("notBefore", J::Int(0)),
        ("enabled", J::Bool(true)),
        ("sslRequired", s("external")),
        ("passwordPolicy", s("hashAlgorithm(argon2)")),
        ("identityProviders", J::Arr(providers)),
    ])
}
