//! The Keycloak example plan end to end: `check` reports the fixture's problems, and `run`
//! plus the go-lives put exactly the right users on the sandbox, with their traits, state,
//! social logins and verifiable hashes, and record every other one with its reason.

mod common;
mod readers_support;

use common::SandboxProcess;
use cutover_source::{FormatOptions, KeycloakOptions};
use readers_support::{
    Example, Fate, Row, assert_identities, by_code, failures, identities, settle, unreadable,
};

const NO_SOCIAL: &[(&str, &str)] = &[];

/// The users of realm `acme` (see plans/examples/keycloak/README.md).
const ROWS: &[Row] = &[
    Row {
        id: "0096834a-1e09-41b2-b54a-d32656b7d359",
        fate: Fate::Hashed,
        traits: ("sean.obrien@acme.example", Some("Seán"), Some("O'Brien")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "e9997d5f-c5ce-4ca0-9396-cb7d4bd75335",
        fate: Fate::Hashed,
        traits: ("zoe@acme.example", Some("Zoë"), Some("Ångström")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "091568b1-3a23-48c5-b3ea-1fb277a9c956",
        fate: Fate::Hashed,
        traits: ("ji-woo.kim@example.com", Some("지우"), Some("김")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "d886a835-29c4-43d2-81b5-d89190818cff",
        fate: Fate::Hashed,
        traits: ("old.timer@example.org", Some("Ode"), Some("Timer")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "8d98179b-1dff-4a17-b510-b228858c3a0b",
        fate: Fate::Hashed,
        traits: ("olafur@example.com", Some("Ólafur"), Some("Ragnarsson")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "0896f99b-5f82-47a9-92ac-94b437b89b8a",
        fate: Fate::Failed("duplicate_identifier"),
        traits: ("Sean.OBrien@ACME.example", Some("Sean"), Some("O'Brien")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "ebe3e1d9-6db2-40ca-8114-81df145c570b",
        fate: Fate::Failed("missing_trait"),
        traits: ("", Some("Nomail"), None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "1f3a4f90-8f68-4258-8c11-0b01149f1136",
        fate: Fate::NoPassword,
        traits: ("gina.google@example.com", Some("Gina"), Some("Google")),
        active: true,
        social: &[("google", "109876543210987654321")],
    },
    Row {
        id: "3737188b-cb83-41c1-99cb-4ff2501001d3",
        fate: Fate::Hashed,
        traits: ("octo.cat@example.net", Some("Octo"), Some("Cat")),
        active: true,
        social: &[("github", "583231")],
    },
    Row {
        id: "85c6972d-f1df-4691-98b2-6d2dc2103118",
        fate: Fate::Hashed,
        traits: ("dora@acme.example", Some("Dora"), Some("Disabled")),
        active: false,
        social: NO_SOCIAL,
    },
    Row {
        id: "c1ec0dfb-0d8a-4b0d-8e81-64371e326672",
        fate: Fate::Hooked,
        traits: ("broken.credential@example.com", Some("Bea"), Some("Broken")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "eeb8ccd5-713d-4cb6-b732-e441eb1bdaba",
        fate: Fate::Hooked,
        traits: ("empty.password@example.com", Some("Emma"), Some("Empty")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "e5dffeb2-7e4f-4fa3-bb7f-0dca8dfc98c7",
        fate: Fate::Hashed,
        traits: ("two.passwords@example.com", Some("Tove"), Some("Twice")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "d5b71af7-90eb-4236-a4f0-8e976ed35c35",
        fate: Fate::Hashed,
        traits: ("bcrypt.user@example.com", Some("Bram"), Some("Crypt")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "609b81ac-a679-4b4d-accb-3d8d28edc088",
        fate: Fate::Hooked,
        traits: ("md5.custom@example.com", Some("Mo"), Some("Digest")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "6f429186-7105-4cac-a79a-a5e805347c7d",
        fate: Fate::Hooked,
        traits: ("ldap.user@acme.example", Some("Lars"), Some("Directory")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "b513a1f4-a91b-4cd1-92e2-f38e78631513",
        fate: Fate::Hashed,
        traits: ("argon2.defaults@example.com", Some("Ari"), Some("Defaults")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "609c4723-19d3-4701-9046-6b91559f46b1",
        fate: Fate::Failed("unmapped_social"),
        traits: ("fan@example.org", Some("Fay"), Some("Book")),
        active: true,
        social: NO_SOCIAL,
    },
];

#[tokio::test(flavor = "multi_thread")]
async fn the_keycloak_example_migrates_exactly_the_users_it_should() {
    let example = Example::copy("keycloak");
    let mut options = FormatOptions::default();
    options.keycloak = Some(KeycloakOptions {
        realms: vec!["acme".into()],
    });
    let read = example.read_users("keycloak/export", options);
    assert_eq!(read.len(), ROWS.len(), "the table covers every user read");
    let (imported, failed) = settle(ROWS, &read);

    let check = example.check();
    assert_eq!(check["users"], 18);
    assert_eq!(unreadable(&check), [("acme-users-1.json".to_string(), 107)]);
    assert_eq!(check["unimportable_by_code"], by_code(&failed));
    assert_eq!(check["per_segment"][0][2], 5, "users at acme.example");
    let families = &check["hash_families"];
    assert_eq!(
        (
            &families["argon2id"],
            &families["bcrypt"],
            &families["pbkdf2"],
            &families["none"]
        ),
        (&8.into(), &1.into(), &3.into(), &5.into())
    );
    let warnings = check["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 6, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w["message"].as_str().unwrap().contains("realm `master`"))
    );

    example.run_and_go_live(&["staff", "rest"]);

    let status = example.status();
    assert_eq!(failures(&status), failed);
    let sandbox = SandboxProcess::start(example.dir.path());
    let found = identities(&sandbox).await;
    assert_identities(ROWS, &imported, &found, &example.passwords());
    assert_eq!(imported.len(), 15, "every user but the three failed ones");
}
