//! Settings of single readers under `source:`: `source.keycloak.realms`, and the example
//! plans of every reader, which must load as they are committed.

mod common;

use std::path::Path;

use common::{accept, issue_at, line_of, parse, refuse};
use cutover_plan::{KeycloakSource, Plan};

/// A plan reading a Keycloak export, with `keycloak` written under `source:`.
fn keycloak_plan(format: &str, keycloak: &str) -> String {
    format!(
        "version: 1\nname: kc\nsource:\n  format: {format}\n  users: export\n{keycloak}\
         target:\n  sandbox: sandbox.db\n  schema_id: preset://email\n\
         segments:\n  - name: all\n    where: {{ all: true }}\n\
         phases:\n  - name: all\n    segments: [all]\n"
    )
}

#[test]
fn the_realms_to_read_are_kept_in_plan_order() {
    let plan = accept(&keycloak_plan(
        "keycloak",
        "  keycloak:\n    realms: [acme, partners]\n",
    ));

    assert_eq!(
        plan.source.keycloak,
        Some(KeycloakSource {
            realms: vec!["acme".into(), "partners".into()]
        })
    );
}

#[test]
fn without_source_keycloak_every_realm_is_read() {
    let plan = accept(&keycloak_plan("keycloak", ""));
    assert_eq!(plan.source.keycloak, None);

    let plan = accept(&keycloak_plan("keycloak", "  keycloak: {}\n"));
    assert_eq!(plan.source.keycloak, Some(KeycloakSource::default()));
}

#[test]
fn source_keycloak_with_another_format_is_refused_at_its_line() {
    let text = keycloak_plan("auth0", "  keycloak:\n    realms: [acme]\n");

    let issues = refuse(&text);

    let issue = issue_at(&issues, "source.keycloak");
    assert_eq!(issue.line, line_of(&text, "realms: [acme]"));
    assert!(
        issue.message.contains("goes with format keycloak"),
        "{}",
        issue.message
    );
}

#[test]
fn empty_blank_and_repeated_realms_are_refused_each_at_its_place() {
    let text = keycloak_plan("keycloak", "  keycloak:\n    realms: [acme, \" \", acme]\n");
    let issues = refuse(&text);
    assert!(
        issue_at(&issues, "source.keycloak.realms[1]")
            .message
            .contains("blank")
    );
    let repeated = issue_at(&issues, "source.keycloak.realms[2]");
    assert!(
        repeated.message.contains("listed twice"),
        "{}",
        repeated.message
    );

    let text = keycloak_plan("keycloak", "  keycloak:\n    realms: []\n");
    let issues = refuse(&text);
    let empty = issue_at(&issues, "source.keycloak.realms");
    assert!(
        empty.message.contains("leave realms out"),
        "{}",
        empty.message
    );
}

#[test]
fn an_unknown_key_under_source_keycloak_is_refused() {
    let text = keycloak_plan("keycloak", "  keycloak:\n    realm: acme\n");

    let error = parse(&text).expect_err("a misspelt key is refused");

    assert!(error.to_string().contains("realm"), "{error}");
}

#[test]
fn the_example_plans_of_the_readers_load() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples");
    for (file, format) in [
        ("keycloak.yaml", "keycloak"),
        ("cognito.yaml", "cognito"),
        ("django.yaml", "django"),
    ] {
        let plan = Plan::load(&examples.join(file))
            .unwrap_or_else(|error| panic!("{file} does not load:\n{error}"));

        assert_eq!(plan.source.format, format);
        let users = plan
            .source
            .users
            .expect("a file-based example names its users");
        assert!(users.exists(), "{file}: {}", users.display());
    }
}
