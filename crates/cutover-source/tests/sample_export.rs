//! The committed sample export in `plans/exports`: what the reader makes of it must agree
//! with facts counted from the files directly, and the sample must keep the awkward cases
//! its README promises (they are what `check` and the example plans are demonstrated on).

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::PathBuf;

use common::*;
use cutover_source::{HashFamily, JoinKey, LegacyUser, SourceItem};
use serde_json::Value;

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/exports")
}

fn read_sample(join: JoinKey) -> Vec<SourceItem> {
    let dir = sample_dir();
    let hashes = Some(dir.join("password-hashes.ndjson"));
    read_all(&config(dir.join("users.ndjson"), hashes, join))
}

/// The lines of a sample file parsed on their own: (1-based line, record or nothing).
fn raw_lines(name: &str) -> Vec<(u64, Option<Value>)> {
    let text = fs::read_to_string(sample_dir().join(name)).expect("the sample is committed");
    (1..)
        .zip(text.lines())
        .map(|(n, line)| (n, serde_json::from_str(line).ok()))
        .collect()
}

fn raw_users() -> Vec<Value> {
    raw_lines("users.ndjson")
        .into_iter()
        .filter_map(|(_, value)| value)
        .collect()
}

/// The `auth0|…` ids the password-hash file has a row for.
fn raw_hash_ids() -> HashSet<String> {
    let rows = raw_lines("password-hashes.ndjson")
        .into_iter()
        .filter_map(|(_, value)| value);
    rows.map(|row| match row["alt_id"].as_str() {
        Some(alt_id) => format!("auth0|{alt_id}"),
        None => format!("auth0|{}", row["_id"]["$oid"].as_str().expect("an $oid")),
    })
    .collect()
}

fn count(users: &[&LegacyUser], keep: impl Fn(&LegacyUser) -> bool) -> usize {
    users.iter().filter(|user| keep(user)).count()
}

fn is_staff(email: &str) -> bool {
    email.ends_with("@acme.example")
}

#[test]
fn every_record_but_the_one_broken_line_is_read() {
    let items = read_sample(JoinKey::UserId);
    let broken: Vec<u64> = raw_lines("users.ndjson")
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(line, _)| line)
        .collect();

    let unreadable = unreadable(&items);

    assert_eq!(broken.len(), 1, "the sample has exactly one broken line");
    assert_eq!(
        unreadable.iter().map(|u| u.line).collect::<Vec<_>>(),
        broken
    );
    assert!(unreadable[0].file.ends_with("users.ndjson"));
    assert_eq!(users(&items).len(), raw_users().len());
    assert!(users(&items).len() >= 2_100);
}

#[test]
fn staff_blocked_and_email_less_users_match_the_file() {
    let items = read_sample(JoinKey::UserId);
    let users = users(&items);
    let raw = raw_users();
    let raw_count = |keep: &dyn Fn(&Value) -> bool| raw.iter().filter(|u| keep(u)).count();

    let staff = count(&users, |u| u.email.as_deref().is_some_and(is_staff));
    let blocked = count(&users, |u| u.blocked);
    let without_email = count(&users, |u| u.email.is_none());

    assert_eq!(
        staff,
        raw_count(&|u| u["email"].as_str().is_some_and(is_staff))
    );
    assert!(
        (90..=110).contains(&staff),
        "about 100 staff, found {staff}"
    );
    assert_eq!(blocked, raw_count(&|u| u["blocked"] == Value::Bool(true)));
    assert!(blocked >= 1);
    assert_eq!(without_email, raw_count(&|u| u.get("email").is_none()));
    assert_eq!(without_email, 1);
}

#[test]
fn social_users_per_connection_match_the_file_and_include_an_unmapped_one() {
    let items = read_sample(JoinKey::UserId);
    let mut from_file: BTreeMap<String, usize> = BTreeMap::new();
    for user in raw_users()
        .iter()
        .filter(|u| u["identities"][0]["isSocial"] == Value::Bool(true))
    {
        let connection = user["identities"][0]["connection"]
            .as_str()
            .expect("a connection");
        *from_file.entry(connection.to_string()).or_default() += 1;
    }

    let mut from_reader: BTreeMap<String, usize> = BTreeMap::new();
    for user in users(&items)
        .into_iter()
        .filter(|u| !u.legacy_id.starts_with("auth0|"))
    {
        assert!(
            user.password.is_none(),
            "{} is social and has a password",
            user.legacy_id
        );
        assert_eq!(Some(&user.social[0].connection), user.application.as_ref());
        *from_reader
            .entry(user.social[0].connection.clone())
            .or_default() += 1;
    }

    assert_eq!(from_reader, from_file);
    assert!(from_reader.contains_key("google-oauth2") && from_reader.contains_key("github"));
    let unmapped = from_reader
        .keys()
        .filter(|c| !["google-oauth2", "github"].contains(&&c[..]));
    assert!(unmapped.count() >= 1, "{from_reader:?}");
}

#[test]
fn users_without_a_hash_row_have_no_password_and_no_row_is_left_but_the_broken_users() {
    let items = read_sample(JoinKey::UserId);
    let users = users(&items);
    let hash_ids = raw_hash_ids();
    let database: Vec<&str> = users
        .iter()
        .map(|u| u.legacy_id.as_str())
        .filter(|id| id.starts_with("auth0|"))
        .collect();

    let without_row = database
        .iter()
        .filter(|id| !hash_ids.contains(**id))
        .count();
    let social = count(&users, |u| !u.legacy_id.starts_with("auth0|"));
    let unclaimed_rows = hash_ids
        .iter()
        .filter(|id| !database.contains(&id.as_str()))
        .count();

    assert_eq!(
        count(&users, |u| u.password.is_none()),
        without_row + social
    );
    let share = without_row * 100 / users.len();
    assert!(
        (3..=7).contains(&share),
        "about 5% database users without a hash: {share}%"
    );
    let unmatched = warnings(&items);
    assert_eq!(unmatched.len(), unclaimed_rows, "{unmatched:?}");
    assert!(
        unmatched
            .iter()
            .all(|w| w.message.ends_with("matched no user"))
    );
}

#[test]
fn bcrypt_hashes_of_every_prefix_and_three_unusable_hashes_are_present() {
    let items = read_sample(JoinKey::UserId);
    let hashes: Vec<&str> = users(&items)
        .into_iter()
        .filter_map(|u| u.password.as_ref().and_then(|p| p.hash.as_encoded()))
        .collect();
    let well_formed =
        |hash: &&str| hash.len() == 60 && ["$2a$04$", "$2b$04$", "$2y$04$"].contains(&&hash[..7]);

    for prefix in ["$2a$", "$2b$", "$2y$"] {
        assert!(
            hashes.iter().any(|h| h.starts_with(prefix)),
            "no {prefix} hash"
        );
    }
    let unusable: Vec<&&str> = hashes.iter().filter(|h| !well_formed(h)).collect();
    assert_eq!(unusable.len(), 3);
    let families = users(&items)
        .into_iter()
        .filter_map(|u| u.password.as_ref());
    assert!(families.filter(|p| p.family != HashFamily::Bcrypt).count() >= 2);
}

#[test]
fn the_documented_password_rule_logs_users_in() {
    let items = read_sample(JoinKey::UserId);
    let with_bcrypt = users(&items).into_iter().filter_map(|user| {
        let hash = user.password.as_ref()?.hash.as_encoded()?;
        (hash.len() == 60).then_some((user.legacy_id.strip_prefix("auth0|")?, hash))
    });

    let mut checked = 0;
    for (local_id, hash) in with_bcrypt.take(25) {
        let password = format!("pw-{local_id}");
        assert!(
            bcrypt::verify(&password, hash).expect("a bcrypt hash"),
            "{local_id}"
        );
        assert!(!bcrypt::verify("pw-wrong", hash).expect("a bcrypt hash"));
        checked += 1;
    }
    assert_eq!(checked, 25);
}

#[test]
fn emails_differing_only_in_case_come_in_pairs_and_join_alike_by_either_key() {
    let by_id = read_sample(JoinKey::UserId);
    let by_email = read_sample(JoinKey::Email);
    let mut spellings: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for email in users(&by_id).into_iter().filter_map(|u| u.email.as_deref()) {
        spellings
            .entry(email.to_lowercase())
            .or_default()
            .push(email);
    }

    let duplicates: Vec<&Vec<&str>> = spellings.values().filter(|s| s.len() > 1).collect();

    assert_eq!(duplicates.len(), 5, "{duplicates:?}");
    assert!(duplicates.iter().all(|s| s.len() == 2 && s[0] != s[1]));
    let passwords = |items: &[SourceItem]| -> Vec<(String, Option<String>)> {
        let users = users(items).into_iter();
        users
            .map(|u| {
                let hash = u.password.as_ref().and_then(|p| p.hash.as_encoded());
                (u.legacy_id.clone(), hash.map(str::to_string))
            })
            .collect()
    };
    assert_eq!(passwords(&by_id), passwords(&by_email));
    assert_eq!(warnings(&by_id), warnings(&by_email));
}
