//! The Cognito example plan end to end: no user gets a hash, federated users keep their
//! social logins, blocked and archived users stay inactive after go-live, and every user
//! that cannot be imported is recorded with its reason.

mod common;
mod readers_support;

use common::SandboxProcess;
use cutover_source::FormatOptions;
use readers_support::{
    Example, Fate, Row, assert_identities, by_code, failures, identities, settle, unreadable,
};

const NO_SOCIAL: &[(&str, &str)] = &[];

/// The users of `list-users.json` (see plans/examples/cognito/README.md).
const ROWS: &[Row] = &[
    Row {
        id: "db94b2f2-80a8-426b-8ddb-bb67741eca57",
        fate: Fate::Hooked,
        traits: ("maire@acme.example", Some("Máire"), Some("Ní Bhraonáin")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "c5f01092-b4a5-46df-82ec-d3a6fb3cebe0",
        fate: Fate::Hooked,
        traits: ("f.darcy@example.com", Some("Fitzwilliam"), Some("D'Arcy")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "932ba8a1-9b79-4c2e-8bca-5813275c2ede",
        fate: Fate::Hooked,
        traits: ("not.yet@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "fecf0f96-bdd5-48aa-8631-0fd85363355a",
        fate: Fate::Hooked,
        traits: ("frida@acme.example", Some("Frida"), None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "4bae5982-611d-4251-95eb-89c808b9b823",
        fate: Fate::NoPassword,
        traits: ("reset.me@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "319bc758-0e42-4a4c-8741-db85f049d0b8",
        fate: Fate::NoPassword,
        traits: ("gael.muller@example.com", Some("Gaël"), Some("Müller")),
        active: true,
        social: &[("google", "118177152947813486925")],
    },
    Row {
        id: "f8c5f367-2071-472c-ba6a-d647e071a6d9",
        fate: Fate::Failed("unmapped_social"),
        traits: ("hidden@privaterelay.appleid.example", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "24e69f1e-5696-4f97-b9db-fef5fda64f35",
        fate: Fate::Hooked,
        traits: ("lin.ked@example.net", Some("Lin"), Some("Ked")),
        active: true,
        social: &[("google", "104455667788990011223")],
    },
    Row {
        id: "4f290d9c-b811-4397-a80d-d25bbb5a76e2",
        fate: Fate::Hooked,
        traits: ("dieter@acme.example", Some("Dieter"), None),
        active: false,
        social: NO_SOCIAL,
    },
    Row {
        id: "cffb3179-2397-4ea3-a25c-312399df3b58",
        fate: Fate::Failed("missing_trait"),
        traits: ("", Some("Pham"), None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "989d7546-9096-41fc-88b3-1788d776dc44",
        fate: Fate::Failed("duplicate_identifier"),
        traits: ("Maire@ACME.example", Some("Maire"), None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "e47fcc44-f08f-4815-ac82-f9a96f0aba9d",
        fate: Fate::NoPassword,
        traits: ("gone@example.org", None, None),
        active: false,
        social: NO_SOCIAL,
    },
];

#[tokio::test(flavor = "multi_thread")]
async fn the_cognito_example_migrates_exactly_the_users_it_should() {
    let example = Example::copy("cognito");
    let read = example.read_users("cognito/list-users.json", FormatOptions::default());
    assert_eq!(read.len(), ROWS.len(), "the table covers every user read");
    let (imported, failed) = settle(ROWS, &read);

    let check = example.check();
    assert_eq!(check["users"], 12);
    assert_eq!(unreadable(&check), [("list-users.json".to_string(), 256)]);
    assert_eq!(check["unimportable_by_code"], by_code(&failed));
    assert_eq!(check["hash_families"], serde_json::json!({"none": 12}));
    assert_eq!(check["per_segment"][0][2], 1, "users of tier pro");

    example.run_and_go_live(&["pro", "rest"]);

    assert_eq!(failures(&example.status()), failed);
    let sandbox = SandboxProcess::start(example.dir.path());
    let found = identities(&sandbox).await;
    assert_identities(ROWS, &imported, &found, &Default::default());
    assert_eq!(imported.len(), 9);
    let with_password = read
        .values()
        .filter(|user| user.password_unavailable)
        .count();
    assert_eq!(
        with_password, 8,
        "users with a Cognito password the export lacks"
    );
}
