//! The users of realm `acme`: one of each awkward case the Keycloak reader must handle.

use super::credentials::{
    argon2_credential, credential, data, legacy_credential, pbkdf2_credential,
    pbkdf2_credential_at, pbkdf2_data, secret,
};
use super::{Spec, User, user};
use crate::json::{J, compact, obj, s, strings};
use crate::secrets::{bcrypt, md5_hex, uuid};

/// The users of realm `acme`, in export order; one record among them is broken.
pub fn acme_users() -> Vec<User> {
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
