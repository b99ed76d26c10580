//! The Django example plan end to end: every layout Kratos can take is converted and verifies
//! the user's password, the others (`bcrypt_sha256`, DES `crypt`, an unknown format) go to
//! the password migration hook; unusable and empty passwords import without one; the
//! inactive user stays inactive after go-live; the rest is recorded with its reason.

mod common;
mod readers_support;

use common::SandboxProcess;
use cutover_source::FormatOptions;
use readers_support::{
    Example, Fate, Row, assert_identities, by_code, failures, identities, settle, unreadable,
};

const NO_SOCIAL: &[(&str, &str)] = &[];

/// The users of `dumpdata.json`, by primary key (see plans/examples/django/README.md).
const ROWS: &[Row] = &[
    Row {
        id: "1",
        fate: Fate::Hashed,
        traits: ("siobhan@acme.example", Some("Siobhán"), Some("O'Connor")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "2",
        fate: Fate::Hashed,
        traits: ("lukasz@example.com", Some("Łukasz"), Some("Żółć")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "3",
        fate: Fate::Hashed,
        traits: ("zoe@acme.example", Some("Zoë"), Some("D'Angelo")),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "4",
        fate: Fate::Hooked,
        traits: ("b.sha@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "5",
        fate: Fate::Hashed,
        traits: ("plain.bcrypt@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "6",
        fate: Fate::Hashed,
        traits: ("old.sha1@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "7",
        fate: Fate::Hashed,
        traits: ("old.md5@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "8",
        fate: Fate::Hashed,
        traits: ("bare.md5@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "9",
        fate: Fate::Hashed,
        traits: ("bare.sha1@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "10",
        fate: Fate::Hooked,
        traits: ("crypt@example.org", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "11",
        fate: Fate::NoPassword,
        traits: ("social.only@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "12",
        fate: Fate::NoPassword,
        traits: ("empty.password@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "13",
        fate: Fate::Hooked,
        traits: ("broken.hash@example.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "14",
        fate: Fate::Hashed,
        traits: ("inactive@example.com", Some("Ina"), Some("Active")),
        active: false,
        social: NO_SOCIAL,
    },
    Row {
        id: "15",
        fate: Fate::Failed("missing_trait"),
        traits: ("", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "16",
        fate: Fate::Failed("duplicate_identifier"),
        traits: ("Social.Only@EXAMPLE.com", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "17",
        fate: Fate::Hashed,
        traits: ("scrypt@example.net", None, None),
        active: true,
        social: NO_SOCIAL,
    },
    Row {
        id: "18",
        fate: Fate::Hashed,
        traits: ("argon2i@example.net", None, None),
        active: true,
        social: NO_SOCIAL,
    },
];

#[tokio::test(flavor = "multi_thread")]
async fn the_django_example_migrates_exactly_the_users_it_should() {
    let example = Example::copy("django");
    let read = example.read_users("django/dumpdata.json", FormatOptions::default());
    assert_eq!(read.len(), ROWS.len(), "the table covers every user read");
    let (imported, failed) = settle(ROWS, &read);

    let check = example.check();
    assert_eq!(check["users"], 18);
    let lines = [
        ("dumpdata.json".to_string(), 142),
        ("dumpdata.json".to_string(), 219),
    ];
    assert_eq!(unreadable(&check), lines);
    assert_eq!(check["unimportable_by_code"], by_code(&failed));
    assert_eq!(check["hash_families"]["none"], 3);
    assert_eq!(check["per_segment"][0][2], 2, "staff users");
    let warnings = check["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 3, "{warnings:?}");

    example.run_and_go_live(&["staff", "rest"]);

    assert_eq!(failures(&example.status()), failed);
    let sandbox = SandboxProcess::start(example.dir.path());
    let found = identities(&sandbox).await;
    assert_identities(ROWS, &imported, &found, &example.passwords());
    assert_eq!(imported.len(), 16, "every user but the two failed ones");
}
