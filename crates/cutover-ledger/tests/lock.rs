//! The ledger lock: one run, go-live or rollback per ledger file at a time, whatever path
//! names the file.

use cutover_ledger::{Ledger, LedgerError, LedgerLock};

#[tokio::test]
async fn a_second_holder_is_refused_until_the_first_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("plan.ledger.db");

    let first = LedgerLock::acquire(&ledger).unwrap();
    let second = LedgerLock::acquire(&ledger);

    let err = second.unwrap_err();
    assert!(matches!(err, LedgerError::Busy { .. }), "{err:?}");
    assert!(
        err.to_string().contains("plan.ledger.db is in use"),
        "{err}"
    );
    // The ledger is usable by its holder while it is locked.
    Ledger::open(&ledger).await.unwrap().close().await;
    drop(first);
    LedgerLock::acquire(&ledger).expect("the lock is free again");
}

#[cfg(unix)]
#[test]
fn another_path_to_the_same_ledger_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("plan.ledger.db");
    let alias = dir.path().join("alias.db");
    let _held = LedgerLock::acquire(&ledger).unwrap();
    std::os::unix::fs::symlink(&ledger, &alias).unwrap();

    let through_alias = LedgerLock::acquire(&alias);

    assert!(
        matches!(through_alias, Err(LedgerError::Busy { .. })),
        "{through_alias:?}"
    );
}
