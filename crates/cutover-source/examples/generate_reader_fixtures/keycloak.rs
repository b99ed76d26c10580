//! The Keycloak fixture: a directory export of two realms, as `kc.sh export --dir DIR
//! --users different_files --users-per-file 9` writes it, in Jackson's layout.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::Path;

use argon2::Algorithm;

use crate::json::{J, compact, jackson, obj, s, strings};
use crate::secrets::{Argon, Prf, argon2, b64, bcrypt, bytes, md5_hex, pbkdf2, uuid};

/// One day in milliseconds, to spread creation times.
const DAY_MS: i64 = 86_400_000;

/// When the first user was created (2021-03-04 05:06:07.890 UTC).
const EPOCH_MS: i64 = 1_614_834_367_890;

/// A user of the fixture: its representation and the password its hash verifies, if any.
struct User {
    record: J,
    id: String,
    password: Option<&'static str>,
}

/// The parts of a user representation that vary between the fixture's users.
#[derive(Default)]
struct Spec {
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

/// The users of realm `acme`, in export order; one record among them is broken.
fn acme_users() -> Vec<User> {
    let specs = vec![
        Spec {
            key: "sean",
            username: "sean.obrien",
            email: Some("sean.obrien@acme.example"),
            first: Some("Seán"),
            last: Some("O'Brien"),
            verified: true,
            credentials: vec![argon2_credential("sean", "Seán's pass 1", true)],
            groups: vec!["/staff"],
            password: Some("Seán's pass 1"),
            ..Spec::default()
        },
        Spec {
            key: "zoe",
            username: "zoe",
            email: Some("zoe@acme.example"),
            first: Some("Zoë"),
            last: Some("Ångström"),
            verified: true,
            credentials: vec![argon2_credential("zoe", "zoë-ångström-2", true)],
            extra: vec![(
                "attributes",
                obj(vec![
                    ("phoneNumber", strings(&["+46701234567"])),
                    ("phoneNumberVerified", strings(&["true"])),
                    ("locale", strings(&["sv"])),
                ]),
            )],
            groups: vec!["/staff"],
            password: Some("zoë-ångström-2"),
            ..Spec::default()
        },
        Spec {
            key: "jiwoo",
            username: "ji-woo",
            email: Some("ji-woo.kim@example.com"),
            first: Some("지우"),
            last: Some("김"),
            verified: true,
            credentials: vec![pbkdf2_credential(
                "jiwoo",
                "pbkdf2-sha512",
                "비밀번호-3",
                210_000,
                64,
            )],
            password: Some("비밀번호-3"),
            ..Spec::default()
        },
        Spec {
            key: "oldtimer",
            username: "old.timer",
            email: Some("old.timer@example.org"),
            first: Some("Ode"),
            last: Some("Timer"),
            verified: false,
            credentials: vec![legacy_credential("oldtimer", "legacy pbkdf2 4")],
            password: Some("legacy pbkdf2 4"),
            ..Spec::default()
        },
        Spec {
            key: "olafur",
            username: "olafur",
            email: Some("olafur@example.com"),
            first: Some("Ólafur"),
            last: Some("Ragnarsson"),
            verified: true,
            credentials: vec![pbkdf2_credential(
                "olafur",
                "pbkdf2-sha256",
                "Ólafur 5",
                27_500,
                64,
            )],
            password: Some("Ólafur 5"),
            ..Spec::default()
        },
        Spec {
            key: "sobrien",
            username: "sobrien",
            email: Some("Sean.OBrien@ACME.example"),
            first: Some("Sean"),
            last: Some("O'Brien"),
            verified: true,
            credentials: vec![argon2_credential("sobrien", "sean two 6", true)],
            password: Some("sean two 6"),
            ..Spec::default()
        },
        Spec {
            key: "noemail",
            username: "no-email-user",
            first: Some("Nomail"),
            credentials: vec![argon2_credential("noemail", "no mail 7", true)],
            password: Some("no mail 7"),
            ..Spec::default()
        },
        Spec {
            key: "google",
            username: "google-only",
            email: Some("gina.google@example.com"),
            first: Some("Gina"),
            last: Some("Google"),
            verified: true,
            federated: vec![("google", "109876543210987654321", "gina.google@example.com")],
            ..Spec::default()
        },
        Spec {
            key: "github",
            username: "github-and-password",
            email: Some("octo.cat@example.net"),
            first: Some("Octo"),
            last: Some("Cat"),
            verified: true,
            credentials: vec![argon2_credential("github", "octocat 8", true)],
            federated: vec![("github", "583231", "octocat")],
            password: Some("octocat 8"),
            ..Spec::default()
        },
        Spec {
            key: "dora",
            username: "disabled.dora",
            email: Some("dora@acme.example"),
            first: Some("Dora"),
            last: Some("Disabled"),
            disabled: true,
            verified: true,
            credentials: vec![argon2_credential("dora", "dora 9", true)],
            password: Some("dora 9"),
            ..Spec::default()
        },
        Spec {
            key: "brokencred",
            username: "broken.credential",
            email: Some("broken.credential@example.com"),
            first: Some("Bea"),
            last: Some("Broken"),
            verified: true,
            credentials: vec![credential(
                "brokencred",
                J::Str("{\"value\":\"q0Bx".into()),
                pbkdf2_data("pbkdf2-sha256", 27_500),
                10,
            )],
            ..Spec::default()
        },
        Spec {
            key: "emptypw",
            username: "empty.password",
            email: Some("empty.password@example.com"),
            first: Some("Emma"),
            last: Some("Empty"),
            credentials: vec![credential(
                "emptypw",
                J::Str(compact(&secret("", ""))),
                pbkdf2_data("pbkdf2-sha256", 27_500),
                10,
            )],
            ..Spec::default()
        },
        Spec {
            key: "twopw",
            username: "two.passwords",
            email: Some("two.passwords@example.com"),
            first: Some("Tove"),
            last: Some("Twice"),
            verified: true,
            credentials: vec![
                pbkdf2_credential_at("twopw-old", "pbkdf2-sha256", "old 12", 27_500, 64, 20),
                argon2_credential("twopw", "current 12", true),
            ],
            password: Some("current 12"),
            ..Spec::default()
        },
        Spec {
            key: "bcrypt",
            username: "bcrypt.user",
            email: Some("bcrypt.user@example.com"),
            first: Some("Bram"),
            last: Some("Crypt"),
            verified: true,
            credentials: vec![credential(
                "bcrypt",
                J::Str(compact(&secret(&bcrypt("kc-bcrypt", "bcrypt 13", 10), ""))),
                J::Str(compact(&data("bcrypt", 10, obj(vec![])))),
                10,
            )],
            password: Some("bcrypt 13"),
            ..Spec::default()
        },
        Spec {
            key: "md5custom",
            username: "md5.custom",
            email: Some("md5.custom@example.com"),
            first: Some("Mo"),
            last: Some("Digest"),
            credentials: vec![credential(
                "md5custom",
                J::Str(compact(&secret(&md5_hex("md5 14"), ""))),
                J::Str(compact(&data("md5", 1, obj(vec![])))),
                10,
            )],
            password: Some("md5 14"),
            ..Spec::default()
        },
        Spec {
            key: "ldap",
            username: "ldap.user",
            email: Some("ldap.user@acme.example"),
            first: Some("Lars"),
            last: Some("Directory"),
            verified: true,
            extra: vec![
                ("federationLink", s(&uuid("ldap-provider"))),
                (
                    "attributes",
                    obj(vec![
                        ("LDAP_ID", strings(&["ldap-7781"])),
                        (
                            "LDAP_ENTRY_DN",
                            strings(&["uid=ldap.user,ou=people,dc=acme,dc=example"]),
                        ),
                    ]),
                ),
            ],
            ..Spec::default()
        },
        Spec {
            key: "argondefaults",
            username: "argon2.defaults",
            email: Some("argon2.defaults@example.com"),
            first: Some("Ari"),
            last: Some("Defaults"),
            verified: true,
            credentials: vec![argon2_credential("argondefaults", "defaults 16", false)],
            password: Some("defaults 16"),
            ..Spec::default()
        },
        Spec {
            key: "facebook",
            username: "facebook.fan",
            email: Some("fan@example.org"),
            first: Some("Fay"),
            last: Some("Book"),
            verified: true,
            federated: vec![("facebook", "10158000000000001", "fay.book")],
            ..Spec::default()
        },
        Spec {
            key: "serviceaccount",
            username: "service-account-billing",
            extra: vec![("serviceAccountClientId", s("billing"))],
            ..Spec::default()
        },
    ];

    let mut users: Vec<User> = specs
        .into_iter()
        .enumerate()
        .map(|(day, spec)| user(i64::try_from(day).expect("few users"), spec))
        .collect();
    // A record an editor broke: a comma is missing, so it is not JSON (its braces still
    // balance, so the users after it can be found).
    let broken = [
        "{".to_string(),
        format!("    \"id\" : \"{}\",", uuid("kc-broken")),
        "    \"username\" : \"broken.record\"".to_string(),
        "    \"enabled\" : true".to_string(),
        "  }".to_string(),
    ]
    .join("\n");
    users.insert(
        13,
        User {
            record: J::Raw(broken),
            id: String::new(),
            password: None,
        },
    );
    users
}

/// A user representation in the field order of Keycloak's export.
fn user(day: i64, spec: Spec) -> User {
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

/// The envelope of a credential; `secret_data` and `credential_data` are JSON strings.
fn credential(key: &str, secret_data: J, credential_data: J, priority: i64) -> J {
    obj(vec![
        ("id", s(&uuid(&format!("kc-credential:{key}")))),
        ("type", s("password")),
        ("userLabel", s("My password")),
        ("createdDate", J::Int(EPOCH_MS + 3_600_000)),
        ("secretData", secret_data),
        ("credentialData", credential_data),
        ("priority", J::Int(priority)),
    ])
}

fn secret(value: &str, salt: &str) -> J {
    obj(vec![
        ("value", s(value)),
        ("salt", s(salt)),
        ("additionalParameters", obj(vec![])),
    ])
}

fn data(algorithm: &str, iterations: i64, parameters: J) -> J {
    obj(vec![
        ("hashIterations", J::Int(iterations)),
        ("algorithm", s(algorithm)),
        ("additionalParameters", parameters),
    ])
}

fn pbkdf2_data(algorithm: &str, iterations: i64) -> J {
    J::Str(compact(&data(algorithm, iterations, obj(vec![]))))
}

fn pbkdf2_credential(
    key: &str,
    algorithm: &str,
    password: &str,
    iterations: u32,
    length: usize,
) -> J {
    pbkdf2_credential_at(key, algorithm, password, iterations, length, 10)
}

fn pbkdf2_credential_at(
    key: &str,
    algorithm: &str,
    password: &str,
    iterations: u32,
    length: usize,
    priority: i64,
) -> J {
    let prf = match algorithm {
        "pbkdf2" => Prf::Sha1,
        "pbkdf2-sha256" => Prf::Sha256,
        _ => Prf::Sha512,
    };
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let value = pbkdf2(prf, password, &salt, iterations, length);
    credential(
        key,
        J::Str(compact(&secret(&b64(&value), &b64(&salt)))),
        pbkdf2_data(algorithm, i64::from(iterations)),
        priority,
    )
}

/// An Argon2 credential with Keycloak's default parameters (id, 1.3, 7168 KiB, t=5, p=1,
/// 32 bytes); without `all_parameters`, only `type` and `hashLength` are written, as in a
/// hand-written import file.
fn argon2_credential(key: &str, password: &str, all_parameters: bool) -> J {
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let params = Argon {
        algorithm: Algorithm::Argon2id,
        memory: 7_168,
        time: 5,
        lanes: 1,
        length: 32,
    };
    let value = argon2(&params, password, &salt);
    let parameters = if all_parameters {
        obj(vec![
            ("hashLength", strings(&["32"])),
            ("memory", strings(&["7168"])),
            ("type", strings(&["id"])),
            ("version", strings(&["1.3"])),
            ("parallelism", strings(&["1"])),
        ])
    } else {
        obj(vec![
            ("hashLength", strings(&["32"])),
            ("type", strings(&["id"])),
        ])
    };
    credential(
        key,
        J::Str(compact(&secret(&b64(&value), &b64(&salt)))),
        J::Str(compact(&data("argon2", 5, parameters))),
        10,
    )
}

/// A credential in the layout of exports before the credential refactor: PBKDF2-SHA1.
fn legacy_credential(key: &str, password: &str) -> J {
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let value = pbkdf2(Prf::Sha1, password, &salt, 20_000, 64);
    obj(vec![
        ("type", s("password")),
        ("hashedSaltedValue", s(&b64(&value))),
        ("salt", s(&b64(&salt))),
        ("hashIterations", J::Int(20_000)),
        ("counter", J::Int(0)),
        ("algorithm", s("pbkdf2")),
        ("digits", J::Int(0)),
        ("period", J::Int(0)),
        ("createdDate", J::Int(1_500_000_000_000)),
        ("config", obj(vec![])),
    ])
}
