use std::io::Cursor;

use super::*;
use crate::input::decode;

const KEYCLOAK: Nesting = Nesting {
    records_key: "users",
    group_key: Some("realm"),
    record_marker: "username",
};

/// What the scanner found, as `(line, username or error, group)` and `(line, problem)`.
#[derive(Debug, PartialEq)]
enum Seen {
    User(u64, Result<String, String>, Option<String>),
    Problem(u64, String),
}

fn scan(text: &str) -> Vec<Seen> {
    let input = decode(Cursor::new(text.as_bytes().to_vec())).expect("in-memory input");
    Scanner::new(input, KEYCLOAK)
        .map(|found| match found {
            Found::Record {
                line,
                parsed,
                group,
            } => {
                let name = parsed.map(|v| v["username"].as_str().unwrap_or("?").to_string());
                Seen::User(line, name, group)
            }
            Found::Problem { line, reason } => Seen::Problem(line, reason),
        })
        .collect()
}

fn user(line: u64, name: &str, realm: Option<&str>) -> Seen {
    Seen::User(line, Ok(name.into()), realm.map(str::to_string))
}

#[test]
fn the_users_of_one_realm_carry_their_line_and_realm() {
    let text = r#"{
  "id": "r1",
  "realm": "acme",
  "clients": [{"clientId": "users", "users": ["not", "these"]}],
  "users": [
    {"username": "ada", "note": "a ] and a } in a string"},
    {
      "username": "bob"
    }
  ],
  "groups": []
}"#;

    assert_eq!(
        scan(text),
        vec![user(6, "ada", Some("acme")), user(7, "bob", Some("acme"))]
    );
}

#[test]
fn an_array_of_realms_names_each_realm() {
    let text = r#"[
  {"id": "m", "realm": "master", "users": [{"username": "admin"}]},
  {"id": "a", "realm": "acme", "users": [{"username": "ada"}]}
]"#;

    assert_eq!(
        scan(text),
        vec![
            user(2, "admin", Some("master")),
            user(3, "ada", Some("acme"))
        ]
    );
}

#[test]
fn a_realm_named_after_its_users_leaves_them_without_a_group() {
    let text = r#"{"users": [{"username": "ada"}], "realm": "late"}"#;

    assert_eq!(scan(text), vec![user(1, "ada", None)]);
}

#[test]
fn a_plain_array_of_users_reads_as_bare_records() {
    let text =
        "[\n{\"id\": \"1\", \"username\": \"ada\"},\n{\"id\": \"2\", \"username\": \"bob\"}\n]";

    assert_eq!(scan(text), vec![user(2, "ada", None), user(3, "bob", None)]);
}

#[test]
fn a_broken_user_record_is_reported_and_the_next_one_is_read() {
    let text = concat!(
        "{\"realm\": \"acme\", \"users\": [\n",
        "{\"username\": \"ada\"},\n",
        "{\"username\" \"x\"},\n",
        "{\"username\": \"bob\"}\n]}"
    );

    let seen = scan(text);

    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0], user(2, "ada", Some("acme")));
    assert!(
        matches!(&seen[1], Seen::User(3, Err(reason), _) if reason.starts_with("invalid JSON")),
        "{seen:?}"
    );
    assert_eq!(seen[2], user(4, "bob", Some("acme")));
}

#[test]
fn concatenated_documents_are_read_one_after_the_other() {
    let text = concat!(
        "{\"realm\": \"a\", \"users\": [{\"username\": \"ada\"}]}\n",
        "{\"realm\": \"b\", \"users\": [{\"username\": \"bob\"}]}\n"
    );

    assert_eq!(
        scan(text),
        vec![user(1, "ada", Some("a")), user(2, "bob", Some("b"))]
    );
}

#[test]
fn users_that_is_not_an_array_is_a_problem_and_null_is_none() {
    assert_eq!(
        scan(r#"{"realm": "a", "users": 3}"#),
        vec![Seen::Problem(
            1,
            "`users` is not an array; the users it holds are skipped".into()
        )]
    );
    assert!(scan(r#"{"realm": "a", "users": null}"#).is_empty());
}

#[test]
fn an_object_that_is_no_export_is_a_problem() {
    let seen = scan("[{\"name\": \"x\"}, 3]");

    assert_eq!(seen.len(), 2);
    assert!(matches!(&seen[0], Seen::Problem(1, reason) if reason.contains("`users`")));
    assert!(matches!(&seen[1], Seen::Problem(1, reason) if reason.contains("not an object")));
}

#[test]
fn a_truncated_file_ends_with_one_problem() {
    let seen =
        scan("{\"realm\": \"a\", \"users\": [\n{\"username\": \"ada\"},\n{\"username\": \"b");

    assert_eq!(seen[0], user(2, "ada", Some("a")));
    assert_eq!(seen.len(), 2);
    assert!(matches!(&seen[1], Seen::Problem(3, reason) if reason.contains("ends inside")));
}

#[test]
fn an_empty_file_and_garbage_are_problems() {
    assert_eq!(
        scan("  \n"),
        vec![Seen::Problem(2, "the file holds no JSON".into())]
    );
    assert_eq!(
        scan("\u{feff}hello"),
        vec![Seen::Problem(1, "expected a JSON object or array".into())]
    );
}

#[test]
fn a_broken_structure_stops_the_file() {
    let seen =
        scan("{\"realm\": \"a\", \"users\": [{\"username\": \"ada\"} {\"username\": \"b\"}]}");

    assert_eq!(seen[0], user(1, "ada", Some("a")));
    assert!(matches!(&seen[1], Seen::Problem(1, reason) if reason.contains("expected `,`")));
    assert_eq!(seen.len(), 2);
}
