//! `cutover check` on the example fixtures prints the password triage of every segment, in
//! text and in JSON: the hash families, how many users import their hash, go to the password
//! migration hook or arrive without a password, and why, grouped by the kind of refusal (a
//! format Kratos cannot import, a broken hash, an unknown format) and the family.

mod common;
mod generic_support;
mod readers_support;

use common::assert_success;
use serde_json::{Value, json};

/// The reason of users whose password the export cannot carry.
const UNAVAILABLE: &str = "the legacy system has a password that the export does not carry";

/// The triage of the segment named `segment` in a JSON report.
fn triage<'a>(report: &'a Value, segment: &str) -> &'a Value {
    report["password_triage"]
        .as_array()
        .expect("password_triage")
        .iter()
        .find(|triage| triage["segment"] == segment)
        .unwrap_or_else(|| panic!("no triage of segment {segment}"))
}

/// A way's tally as the JSON report writes it.
fn tally(total: u64, by: Value) -> Value {
    json!({"total": total, "by": by})
}

/// Whether `text` has these lines one after another.
fn has_lines(text: &str, lines: &[&str]) -> bool {
    let all: Vec<&str> = text.lines().collect();
    all.windows(lines.len()).any(|window| window == lines)
}

#[test]
fn check_reports_the_django_dumps_triage_by_family_and_kind_of_refusal() {
    let example = readers_support::Example::copy("django");

    let report = example.check();
    let output = example.cutover("check", &[]);

    let staff = triage(&report, "staff");
    assert_eq!(staff["users"], 2);
    assert_eq!(staff["hash"], tally(2, json!({"argon2id": 1, "pbkdf2": 1})));
    assert_eq!(staff["hook"]["total"], 0);
    let rest = triage(&report, "rest");
    assert_eq!(
        (&rest["phase"], &rest["users"]),
        (&json!("rest"), &json!(16))
    );
    assert_eq!(
        rest["families"],
        json!({
            "argon2i": 1, "bcrypt": 1, "django-bcrypt-sha256": 1, "md5": 2, "none": 3,
            "pbkdf2": 3, "salted-sha": 2, "scrypt": 1, "unknown": 2
        })
    );
    assert_eq!(
        rest["hash"],
        tally(
            9,
            json!({
                "argon2i": 1, "bcrypt": 1, "md5": 2, "pbkdf2": 2, "salted-sha": 2, "scrypt": 1
            })
        )
    );
    assert_eq!(
        rest["hook"],
        tally(
            3,
            json!({
                "hash format Kratos cannot import (django-bcrypt-sha256)": 1,
                "unknown hash format": 2
            })
        )
    );
    assert_eq!(
        rest["none"],
        tally(2, json!({"no password in the export": 2}))
    );
    assert_eq!(rest["fail"], tally(0, json!({})));
    assert_eq!(rest["stopped"], 2, "the user without an email and the twin");

    assert_success(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        has_lines(
            &text,
            &[
                "passwords of segment rest (phase rest): 16 users (argon2i 1, bcrypt 1, \
                 django-bcrypt-sha256 1, md5 2, none 3, pbkdf2 3, salted-sha 2, scrypt 1, \
                 unknown 2)",
                "  hash imported                     9",
            ]
        ),
        "{text}"
    );
    assert!(
        has_lines(
            &text,
            &[
                "  password migration hook           3",
                "           1  hash format Kratos cannot import (django-bcrypt-sha256)",
                "           2  unknown hash format",
                "  no password                       2",
                "           2  no password in the export",
                "  fail                              0",
                "  stopped for another reason        2",
            ]
        ),
        "{text}"
    );
}

#[test]
fn check_reports_the_clerk_exports_triage_with_the_hook_reasons() {
    let example = common::examples::Example::new("clerk");

    let report = example.check();
    let output = example.cutover("check", &[]);

    let everyone = triage(&report, "everyone");
    assert_eq!(everyone["users"], 16);
    assert_eq!(
        everyone["hash"],
        tally(
            10,
            json!({
                "argon2id": 1, "bcrypt": 3, "firescrypt": 1, "md5": 1, "pbkdf2": 3,
                "salted-sha": 1
            })
        )
    );
    assert_eq!(
        everyone["hook"],
        tally(
            3,
            json!({"hash format Kratos cannot import (phpass)": 1, UNAVAILABLE: 2})
        )
    );
    assert_eq!(
        everyone["none"],
        tally(1, json!({"no password in the export": 1}))
    );
    assert_eq!(everyone["stopped"], 2);

    assert_success(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    let hook = format!("           2  {UNAVAILABLE}");
    assert!(
        has_lines(
            &text,
            &[
                "  hash imported                    10",
                "           1  argon2id",
                "           3  bcrypt",
                "           1  firescrypt",
                "           1  md5",
                "           3  pbkdf2",
                "           1  salted-sha",
                "  password migration hook           3",
                "           1  hash format Kratos cannot import (phpass)",
                &hook,
            ]
        ),
        "{text}"
    );
}

#[test]
fn check_counts_the_users_a_fail_policy_fails_by_kind_of_refusal() {
    let example = generic_support::Example::new("csv", "http://127.0.0.1:9");

    let report = example.json("check", &["--output", "json"]);
    let output = example.cutover("check", &[]);

    let everyone = triage(&report, "everyone");
    assert_eq!(
        everyone["fail"],
        tally(
            2,
            json!({
                "broken hash (bcrypt)": 1,
                "hash format Kratos cannot import (phpass)": 1
            })
        )
    );
    assert_eq!(everyone["hook"], tally(2, json!({UNAVAILABLE: 2})));
    assert_eq!(report["unimportable_by_code"]["invalid_hash"], 2);

    assert_success(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        has_lines(
            &text,
            &[
                "  fail                              2",
                "           1  broken hash (bcrypt)",
                "           1  hash format Kratos cannot import (phpass)",
            ]
        ),
        "{text}"
    );
}
