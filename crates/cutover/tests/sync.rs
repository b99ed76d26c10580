//! Delta sync through the real binary and a sandbox target: a run with a newer export
//! updates exactly the users who changed (the password only when it changed), imports the
//! new ones, reports those gone from the export without deleting them, and sends nothing
//! once everything is in sync; `check` shows all of it beforehand, and a sync killed halfway
//! resumes without resending what it recorded.

mod common;
mod sync_support;

use std::collections::HashMap;

use common::lifecycle::writes;
use common::{SandboxProcess, Workspace, assert_success};
use serde_json::{Value, json};
use sync_support::{
    Export, STAFF, UPDATE_ROUTE, activate_on_import, can_log_in, count_and_ids, count_ids, ids,
    on_target, plain_users, sample_password,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_export_updates_exactly_the_changed_users_and_imports_the_new_ones() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    activate_on_import(&work);
    assert_success(&work.cutover("run", &[]));
    let before = on_target(&sandbox).await;

    let plain = plain_users(&work);
    let [
        renamed,
        renamed_too,
        moved,
        rehashed,
        gone_1,
        gone_2,
        gone_3,
    ] = std::array::from_fn(|i| plain[i].0.as_str());
    let export = Export::of(&work);
    export.set_given_name(renamed, "Renamed");
    export.set_given_name(renamed_too, "Renamed");
    export.set_given_name(STAFF, "Renamed");
    export.set_email(moved, "moved.away@example.org");
    let new_hash = bcrypt::hash("a new password", 4).unwrap();
    export.set_hash(rehashed, &new_hash);
    export.remove(&[gone_1, gone_2, gone_3]);
    let template = export.user(renamed);
    let newcomer_hash = bcrypt::hash("newcomer password", 4).unwrap();
    export.add_user(
        &template,
        "fff000000000000000000001",
        "newcomer.one@example.org",
        &newcomer_hash,
    );
    export.add_user(
        &template,
        "fff000000000000000000002",
        "newcomer.two@example.org",
        &newcomer_hash,
    );
    export.add_user(
        &template,
        "fff000000000000000000003",
        "new.staff@acme.example",
        &newcomer_hash,
    );
    let newcomers = [
        "auth0|fff000000000000000000001",
        "auth0|fff000000000000000000002",
        "auth0|fff000000000000000000003",
    ];

    // What a sync would do, before it does it.
    sandbox.reset_stats().await;
    let check = work.check();
    let sync = &check["sync"];
    assert_eq!(count_and_ids(&sync["new"]), (3, ids(&newcomers)), "{sync}");
    let profile = ids(&[renamed, renamed_too, STAFF, moved]);
    assert_eq!(
        count_and_ids(&sync["changed_profile"]),
        (4, profile),
        "{sync}"
    );
    assert_eq!(
        count_and_ids(&sync["changed_password"]),
        (1, ids(&[rehashed])),
        "{sync}"
    );
    assert_eq!(
        count_and_ids(&sync["disappeared"]),
        (3, ids(&[gone_1, gone_2, gone_3]))
    );
    assert_eq!(sync["held_back"]["count"], 0);
    let text = work.cutover("check", &[]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("update changed passwords") && text.contains(rehashed),
        "{text}"
    );
    assert_eq!(
        sandbox.stats().await["requests"],
        json!({}),
        "check called the target"
    );

    let second = work.cutover("run", &[]);
    assert_success(&second);

    assert_eq!(
        sandbox.requests(UPDATE_ROUTE).await,
        5,
        "{}",
        sandbox.stats().await
    );
    let after = on_target(&sandbox).await;
    assert_eq!(
        after.len(),
        before.len() + 3,
        "new users imported, none deleted"
    );
    for id in [gone_1, gone_2, gone_3] {
        assert_eq!(
            after[id], before[id],
            "a user gone from the export is left alone"
        );
    }
    for id in [renamed, renamed_too, STAFF] {
        assert_eq!(after[id]["traits"]["name"]["first"], "Renamed");
    }
    assert_eq!(after[moved]["traits"]["email"], "moved.away@example.org");
    // An update without a password leaves the password credential as it was.
    let password_at = |identities: &HashMap<String, Value>, id: &str| {
        let at = &identities[id]["credentials"]["password"]["updated_at"];
        assert!(
            at.is_string(),
            "no password credential for {id}: {}",
            identities[id]
        );
        at.clone()
    };
    assert_eq!(password_at(&after, renamed), password_at(&before, renamed));
    assert_eq!(password_at(&after, moved), password_at(&before, moved));
    assert_ne!(
        password_at(&after, rehashed),
        password_at(&before, rehashed)
    );
    let unchanged = &plain[7].0;
    assert_eq!(
        after[unchanged], before[unchanged],
        "an unchanged user was touched"
    );
    for id in newcomers {
        assert!(after.contains_key(id), "{id} was not imported");
    }

    assert!(can_log_in(&sandbox, &plain[3].1, "a new password").await);
    assert!(!can_log_in(&sandbox, &plain[3].1, &sample_password(rehashed)).await);
    assert!(can_log_in(&sandbox, &plain[0].1, &sample_password(renamed)).await);
    assert!(can_log_in(&sandbox, "moved.away@example.org", &sample_password(moved)).await);
    assert!(can_log_in(&sandbox, "new.staff@acme.example", "newcomer password").await);

    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(stdout.contains("3 new users"), "{stdout}");
    assert!(
        stdout.contains("updated 5 identities (1 with a new password)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("disappeared from the export: 3 users"),
        "{stdout}"
    );
    let status = work.status();
    assert_eq!(
        count_ids(&status["disappeared"]),
        (3, ids(&[gone_1, gone_2, gone_3]))
    );
    let text = work.cutover("status", &[]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(gone_1));
    for phase in status["phases"].as_array().unwrap() {
        assert_eq!(phase["counts"]["pending"], 0, "{phase}");
    }

    sandbox.reset_stats().await;
    assert_success(&work.cutover("run", &[]));
    assert_eq!(
        writes(&sandbox).await,
        0,
        "a third run wrote: {}",
        sandbox.stats().await
    );
    let sync = &work.check()["sync"];
    for kind in ["new", "changed_profile", "changed_password"] {
        assert_eq!(sync[kind]["count"], 0, "{kind}: {sync}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_halfway_resumes_without_resending_what_it_recorded() {
    let scratch = tempfile::tempdir().unwrap();
    let sandbox = SandboxProcess::start(scratch.path());
    let work = Workspace::new(&sandbox.url);
    assert_success(&work.cutover("run", &[]));
    let plain = plain_users(&work);
    let export = Export::of(&work);
    for (id, _) in &plain[..6] {
        export.set_given_name(id, "Renamed");
    }
    sandbox.reset_stats().await;

    let crashed = common::cutover()
        .arg("run")
        .arg(&work.plan)
        .env("CUTOVER_CRASH_AT", "sync-after:2")
        .output()
        .unwrap();
    assert!(!crashed.status.success(), "the run did not crash");
    assert_eq!(sandbox.requests(UPDATE_ROUTE).await, 2);
    sandbox.reset_stats().await;

    assert_success(&work.cutover("run", &[]));

    assert_eq!(
        sandbox.requests(UPDATE_ROUTE).await,
        4,
        "{}",
        sandbox.stats().await
    );
    let after = on_target(&sandbox).await;
    for (id, _) in &plain[..6] {
        assert_eq!(after[id]["traits"]["name"]["first"], "Renamed", "{id}");
    }
}
