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
