//! The `percent` selector: the exact bucket hash, its spread, partitions, seeds and errors.

mod common;

use common::{accept, column_of, issue_at, line_of, minimal, refuse};
use cutover_plan::{PercentRange, Plan, Selector, percent_bucket};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The bucket as the plan format defines it, computed here without the crate's code.
fn expected_bucket(seed: &str, legacy_id: &str) -> u16 {
    let digest = Sha256::digest(format!("cutover-bucket:{seed}:{legacy_id}").as_bytes());
    let first: [u8; 8] = digest[..8].try_into().expect("a digest has 8 bytes");
    u16::try_from(u64::from_be_bytes(first) % 10_000).expect("below 10,000")
}

/// A plan with these segment lines, all in one phase.
fn plan(segments: &str, names: &str) -> Plan {
    accept(&minimal(
        segments,
        &format!("  - {{ name: p, segments: [{names}] }}\n"),
    ))
}

fn ids() -> impl Iterator<Item = String> {
    (0..10_000).map(|i| format!("auth0|user-{i}"))
}

#[test]
fn the_bucket_is_the_documented_sha256_of_seed_and_id() {
    // Values written down once, so that a change of the hash on both sides still fails.
    assert_eq!(percent_bucket("", "auth0|42"), 4271);
    assert_eq!(percent_bucket("", "auth0|5f1a2b3c"), 9524);
    assert_eq!(percent_bucket("canary-1", "auth0|42"), 7287);

    for (seed, id) in [
        ("", "auth0|42"),
        ("", ""),
        ("s", "google-oauth2|1"),
        ("é", "ü"),
    ] {
        assert_eq!(
            percent_bucket(seed, id),
            expected_bucket(seed, id),
            "{seed:?} {id:?}"
        );
    }
    assert!(ids().all(|id| percent_bucket("x", &id) < 10_000));
}

#[test]
fn percent_n_takes_about_n_percent_of_the_users() {
    let plan = plan("  - { name: canary, where: { percent: 10 } }\n", "canary");

    let taken = ids()
        .filter(|id| plan.segment_for(&json!({ "legacy_id": id })).is_some())
        .count();
    // 10 % of 10,000 with a binomial spread of 30; five spreads either way.
    assert!((850..=1150).contains(&taken), "{taken} of 10,000");
    let expected = ids().filter(|id| expected_bucket("", id) < 1000).count();
    assert_eq!(taken, expected);
}

#[test]
fn adjacent_ranges_partition_the_users() {
    let plan = plan(
        "  - { name: a, where: { percent: { from: 0, to: 12.5 } } }\n  \
         - { name: b, where: { percent: { from: 12.5, to: 70 } } }\n  \
         - { name: c, where: { percent: { from: 70, to: 100 } } }\n",
        "a, b, c",
    );

    let mut counts = [0usize; 3];
    for id in ids() {
        let ctx = json!({});
        let matching: Vec<usize> = (0..3)
            .filter(|&i| plan.segments[i].selector.matches_user(&id, &ctx))
            .collect();
        assert_eq!(matching.len(), 1, "{id} is in {matching:?}");
        counts[matching[0]] += 1;
    }
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    assert!((1100..=1400).contains(&counts[0]), "{counts:?}");
    assert_eq!(
        plan.segments[1].selector,
        Selector::Percent(PercentRange {
            from: 1250,
            to: 7000,
            seed: String::new()
        })
    );
}

#[test]
fn the_bucket_depends_on_the_seed_and_the_id_only() {
    let text = |name: &str, seed: &str| {
        minimal(
            &format!("  - {{ name: {name}, where: {{ percent: {{ to: 50, seed: {seed} }} }} }}\n"),
            &format!("  - {{ name: phase-{name}, segments: [{name}] }}\n"),
        )
    };
    let first = accept(&text("canary", "wave-1"));
    let renamed = accept(&text("renamed", "wave-1").replace("name: small", "name: other"));
    let reseeded = accept(&text("canary", "wave-2"));

    let pick = |plan: &Plan| -> Vec<bool> {
        ids()
            .map(|id| plan.segment_for_user(&id, &json!({})).is_some())
            .collect()
    };
    assert_eq!(pick(&first), pick(&renamed));
    assert_ne!(pick(&first), pick(&reseeded));
}

#[test]
fn the_legacy_id_comes_from_the_context_or_the_caller() {
    let plan = plan("  - { name: half, where: { percent: 50 } }\n", "half");
    let id = ids()
        .find(|id| expected_bucket("", id) < 5000)
        .expect("an id in the half");
    let outside = ids()
        .find(|id| expected_bucket("", id) >= 5000)
        .expect("an id outside");

    assert!(plan.segment_for(&json!({ "legacy_id": id })).is_some());
    assert!(plan.segment_for(&json!({ "legacy_id": outside })).is_none());
    // Without a legacy id in the context, only the explicit one can place the user.
    assert!(plan.segment_for(&json!({})).is_none());
    assert!(plan.segment_for_user(&id, &json!({})).is_some());
    assert!(
        plan.segment_for_user(&outside, &json!({ "legacy_id": id }))
            .is_none()
    );
}

#[test]
fn empty_and_malformed_percent_ranges_are_refused() {
    let text = minimal(
        "  - { name: a, where: { percent: 0 } }\n  \
         - { name: b, where: { percent: { from: 40, to: 40 } } }\n  \
         - { name: c, where: { percent: 100.5 } }\n  \
         - { name: d, where: { percent: { to: 1.125 } } }\n  \
         - { name: e, where: { percent: { upto: 5 } } }\n  \
         - { name: f, where: { percent: five } }\n  \
         - { name: g, where: { percent: { seed: x } } }\n  \
         - { name: h, where: { percent: { to: 5, seed: 7 } } }\n",
        "  - { name: p, segments: [a, b, c, d, e, f, g, h] }\n",
    );
    let issues = refuse(&text);

    let a = issue_at(&issues, "segments[0].where.percent");
    assert_eq!(
        (a.line, a.column),
        (line_of(&text, "percent: 0 "), column_of(&text, "0 } }"))
    );
    assert!(a.message.contains("from 0 to 0 is empty"), "{}", a.message);
    let b = issue_at(&issues, "segments[1].where.percent");
    assert!(b.message.contains("can never match"), "{}", b.message);
    let c = issue_at(&issues, "segments[2].where.percent");
    assert!(c.message.contains("from 0 to 100"), "{}", c.message);
    let d = issue_at(&issues, "segments[3].where.percent.to");
    assert!(d.message.contains("two decimals"), "{}", d.message);
    let e = issue_at(&issues, "segments[4].where.percent.upto");
    assert_eq!(e.line, line_of(&text, "upto"));
    assert!(e.message.contains("unknown field `upto`"), "{}", e.message);
    assert!(
        issue_at(&issues, "segments[5].where.percent")
            .message
            .contains("must be a number")
    );
    assert!(
        issue_at(&issues, "segments[6].where.percent")
            .message
            .contains("give from, to or both")
    );
    assert!(
        issue_at(&issues, "segments[7].where.percent.seed")
            .message
            .contains("must be a string")
    );
}

#[test]
fn a_percent_of_one_hundred_is_not_a_catch_all() {
    let plan = plan(
        "  - { name: all, where: { percent: 100 } }\n  - { name: late, where: { all: true } }\n",
        "all, late",
    );

    assert_eq!(
        plan.segment_for_user("x", &json!({}))
            .map(|s| s.name.as_str()),
        Some("all")
    );
    // Without an id nobody is in a percent segment, so the later segment still has a use.
    assert_eq!(
        plan.segment_for(&json!({})).map(|s| s.name.as_str()),
        Some("late")
    );
}
