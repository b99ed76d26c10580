//! `source.firebase`: the Firebase project's hash parameters are required for the firebase
//! format, checked against Firebase's bounds, and the signer key never appears in a plan.

mod common;

use common::{accept, issue_at, line_of, parse, refuse};

/// The sample signer key from Firebase's scrypt documentation.
const KEY: &str =
    "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==";

/// A firebase plan whose `source.firebase` section is `section` (indented by four).
fn plan(format: &str, section: &str) -> String {
    format!(
        "version: 1\nname: small\nsource:\n  format: {format}\n  users: users.json\n{section}\
         target:\n  sandbox: sandbox.db\n  schema_id: preset://email\n\
         segments:\n  - name: all\n    where: {{ all: true }}\n\
         phases:\n  - name: all\n    segments: [all]\n"
    )
}

const PARAMETERS: &str = "  firebase:\n    signer_key_env: FIREBASE_SIGNER_KEY\n    \
                          salt_separator: Bw==\n    rounds: 8\n    mem_cost: 14\n";

#[test]
fn the_parameters_are_read_with_the_signer_key_by_name() {
    let plan = accept(&plan("firebase", PARAMETERS));

    let firebase = plan.source.firebase.expect("source.firebase");
    assert_eq!(firebase.signer_key_env, "FIREBASE_SIGNER_KEY");
    assert_eq!(firebase.salt_separator, "Bw==");
    assert_eq!((firebase.rounds, firebase.mem_cost), (8, 14));
}

#[test]
fn the_firebase_format_without_its_parameters_is_refused_at_the_format() {
    let text = plan("firebase", "");
    let issues = refuse(&text);

    let issue = issue_at(&issues, "source.format");
    assert_eq!(issue.line, line_of(&text, "format: firebase"));
    assert!(
        issue.message.contains("signer_key_env"),
        "{}",
        issue.message
    );
}

#[test]
fn parameters_beside_another_format_are_refused() {
    let text = plan("auth0", PARAMETERS);
    let issues = refuse(&text);

    assert_eq!(
        issue_at(&issues, "source.firebase").line,
        line_of(&text, "signer_key_env")
    );
}

#[test]
fn rounds_and_mem_cost_outside_firebases_bounds_are_refused_at_their_lines() {
    let text = plan(
        "firebase",
        &PARAMETERS
            .replace("rounds: 8", "rounds: 9")
            .replace("mem_cost: 14", "mem_cost: 0"),
    );
    let issues = refuse(&text);

    let rounds = issue_at(&issues, "source.firebase.rounds");
    assert_eq!(rounds.line, line_of(&text, "rounds: 9"));
    assert_eq!(rounds.message, "rounds must be between 1 and 8, found 9");
    let mem_cost = issue_at(&issues, "source.firebase.mem_cost");
    assert_eq!(
        mem_cost.message,
        "mem_cost must be between 1 and 14, found 0"
    );
}

#[test]
fn a_salt_separator_that_is_not_base64_is_refused() {
    let text = plan("firebase", &PARAMETERS.replace("Bw==", "B w!"));
    let issues = refuse(&text);

    assert_eq!(
        issue_at(&issues, "source.firebase.salt_separator").line,
        line_of(&text, "salt_separator")
    );
}

#[test]
fn a_missing_parameter_is_a_shape_error_naming_it() {
    let text = plan("firebase", &PARAMETERS.replace("    rounds: 8\n", ""));
    let error = parse(&text).expect_err("rounds is required");

    assert!(error.to_string().contains("rounds"), "{error}");
}

/// Asserts that the key shows up in no rendering of the error.
fn assert_no_key(text: &str) {
    let error = parse(text).expect_err("a plan with a key is refused");

    assert!(!error.to_string().contains(KEY), "Display leaks the key");
    assert!(!format!("{error:?}").contains(KEY), "Debug leaks the key");
    for report in error.to_reports() {
        assert!(
            !format!("{report:?}").contains(KEY),
            "a report leaks the key"
        );
    }
}

#[test]
fn a_signer_key_written_into_the_plan_is_refused_without_echoing_it() {
    for name in ["signer_key", "base64_signer_key"] {
        let section = PARAMETERS.replace(
            "signer_key_env: FIREBASE_SIGNER_KEY",
            &format!("{name}: {KEY}"),
        );
        let text = plan("firebase", &section);
        let issues = refuse(&text);

        let issue = issue_at(&issues, "source.firebase.signer_key");
        assert_eq!(issue.line, line_of(&text, KEY));
        assert!(
            issue.message.contains("signer_key_env"),
            "{}",
            issue.message
        );
        assert_no_key(&text);
    }
}

#[test]
fn a_signer_key_given_as_its_variable_name_is_refused_without_echoing_it() {
    let section = PARAMETERS.replace("FIREBASE_SIGNER_KEY", KEY);
    let text = plan("firebase", &section);
    let issues = refuse(&text);

    let issue = issue_at(&issues, "source.firebase.signer_key_env");
    assert!(
        issue.message.contains("not an environment variable name"),
        "{}",
        issue.message
    );
    assert_no_key(&text);
}
