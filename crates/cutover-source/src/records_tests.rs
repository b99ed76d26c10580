use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;
use crate::input::decode;

/// Reads `bytes` and returns each record's line with its `user_id` or its error.
fn read(bytes: &[u8]) -> Vec<(u64, Result<String, String>)> {
    let input = decode(Cursor::new(bytes.to_vec())).expect("in-memory input decodes");
    Records::new(input)
        .expect("in-memory input opens")
        .map(|record| {
            let id = record.parsed.map(|value| value["user_id"].to_string());
            (record.line, id)
        })
        .collect()
}

fn ok(line: u64, id: &str) -> (u64, Result<String, String>) {
    (line, Ok(format!("\"{id}\"")))
}

#[test]
fn ndjson_records_carry_their_line_and_blank_lines_are_skipped() {
    let records = read(b"{\"user_id\":\"a\"}\n\n  \r\n{\"user_id\":\"b\"}\r\n{\"user_id\":\"c\"}");

    assert_eq!(records, vec![ok(1, "a"), ok(4, "b"), ok(5, "c")]);
}

#[test]
fn a_broken_ndjson_line_is_an_error_and_reading_goes_on() {
    let records = read(b"{\"user_id\":\"a\"}\n{\"user_id\":\"b\",\n{\"user_id\":\"c\"}\n");

    assert_eq!(records[0], ok(1, "a"));
    assert_eq!(records[1].0, 2);
    let reason = records[1].1.as_ref().expect_err("line 2 is broken");
    assert!(reason.starts_with("invalid JSON"), "{reason}");
    assert_eq!(records[2], ok(3, "c"));
}

#[test]
fn leading_blank_lines_and_a_bom_do_not_shift_line_numbers() {
    let records = read(b"\xEF\xBB\xBF\n\n{\"user_id\":\"a\"}\n");

    assert_eq!(records, vec![ok(3, "a")]);
}

#[test]
fn array_elements_carry_the_line_they_start_on() {
    let text =
        "[\n  {\"user_id\": \"a\",\n   \"name\": \"O'Brien ] }\"},\n  {\"user_id\": \"b\"}\n]\n";

    assert_eq!(read(text.as_bytes()), vec![ok(2, "a"), ok(4, "b")]);
}

#[test]
fn a_broken_array_element_is_an_error_and_the_next_one_is_read() {
    let records = read(b"[{\"user_id\":\"a\"},\n{\"user_id\" \"b\"},\n{\"user_id\":\"c\"},]");

    assert_eq!(records.len(), 3);
    assert!(records[1].1.is_err());
    assert_eq!(records[1].0, 2);
    assert_eq!(records[2], ok(3, "c"));
}

#[test]
fn escaped_quotes_inside_strings_do_not_end_an_element() {
    let records = read(br#"[{"user_id":"a\"}{[","x":1}, {"user_id":"b"}]"#);

    assert_eq!(records, vec![ok(1, "a\\\"}{["), ok(1, "b")]);
}

#[test]
fn an_unclosed_array_ends_with_one_error() {
    let records = read(b"[{\"user_id\":\"a\"},\n{\"user_id\":\"b\"");

    assert_eq!(records[0], ok(1, "a"));
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[1].1,
        Err("the file ends inside an array element".into())
    );
}

#[test]
fn content_after_the_array_is_reported() {
    let records = read(b"[{\"user_id\":\"a\"}]\n\ngarbage");

    assert_eq!(records[0], ok(1, "a"));
    assert_eq!(
        records[1],
        (3, Err("unexpected content after the JSON array".into()))
    );
}

#[test]
fn an_empty_array_has_no_records() {
    assert!(read(b" [ ] ").is_empty());
    assert!(read(b"").is_empty());
}

#[test]
fn gzip_input_is_detected_by_its_magic_bytes() {
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(b"{\"user_id\":\"a\"}\n{\"user_id\":\"b\"}\n")
        .expect("gzip in memory");
    let bytes = gzip.finish().expect("gzip in memory");

    assert_eq!(read(&bytes), vec![ok(1, "a"), ok(2, "b")]);
}

/// Reads `bytes` as an envelope holding its records under `users`.
fn read_envelope(bytes: &[u8]) -> Vec<(u64, Result<String, String>)> {
    let input = decode(Cursor::new(bytes.to_vec())).expect("in-memory input decodes");
    Records::envelope(input, "users")
        .expect("in-memory input opens")
        .map(|record| {
            let id = record.parsed.map(|value| value["user_id"].to_string());
            (record.line, id)
        })
        .collect()
}

#[test]
fn an_envelope_yields_the_elements_of_its_array_with_their_lines() {
    let text = "{\"users\": [\n{\n  \"user_id\": \"a\"\n},\n{\n  \"user_id\": \"b\"\n}]}";

    assert_eq!(read_envelope(text.as_bytes()), vec![ok(2, "a"), ok(5, "b")]);
}

#[test]
fn other_members_of_an_envelope_are_skipped_before_and_after_the_array() {
    let text =
        br#"{"kind": "x", "meta": {"users": [1]}, "users": [{"user_id":"a"}], "next": null}"#;

    assert_eq!(read_envelope(text), vec![ok(1, "a")]);
}

#[test]
fn a_broken_element_inside_an_envelope_is_an_error_and_the_next_one_is_read() {
    let records = read_envelope(b"{\"users\": [{\"user_id\" \"a\"},\n{\"user_id\":\"b\"}]}\n");

    assert_eq!(records.len(), 2);
    assert!(records[0].1.is_err());
    assert_eq!(records[1], ok(2, "b"));
}

#[test]
fn an_envelope_without_its_array_is_reported() {
    let records = read_envelope(b"{\"accounts\": []}");
    assert_eq!(
        records,
        vec![(1, Err("the top-level object has no `users` array".into()))]
    );

    let records = read_envelope(b"{\"users\": {}}");
    assert_eq!(records, vec![(1, Err("`users` is not an array".into()))]);
}

#[test]
fn an_envelope_cut_short_ends_with_one_error() {
    let records = read_envelope(b"{\"users\": [{\"user_id\":\"a\"}]");

    assert_eq!(records[0], ok(1, "a"));
    assert_eq!(
        records[1],
        (1, Err("the file ends inside the top-level object".into()))
    );
    assert_eq!(records.len(), 2);
}

#[test]
fn a_bare_array_is_accepted_where_an_envelope_is_expected() {
    assert_eq!(read_envelope(b"[{\"user_id\":\"a\"}]"), vec![ok(1, "a")]);
}

#[test]
fn content_after_an_envelope_is_reported() {
    let records = read_envelope(b"{\"users\": []}\n{}");

    assert_eq!(
        records,
        vec![(
            2,
            Err("unexpected content after the top-level object".into())
        )]
    );
}

#[test]
fn a_json_error_inside_a_multi_line_element_names_its_line_in_the_file() {
    let records = read(b"[\n{\"user_id\": \"a\"},\n{\n  \"user_id\": \"b\"\n  \"x\": 1\n}]");

    assert_eq!(records[1].0, 3);
    assert_eq!(
        records[1].1,
        Err("invalid JSON at line 5, column 3: expected `,` or `}`".into())
    );
}
