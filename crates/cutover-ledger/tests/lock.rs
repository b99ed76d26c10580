//! The ledger lock: one run, go-live or rollback per ledger file at a time.

use cutover_ledger::{LedgerError, LedgerLock, lock_path};

#[test]
fn a_second_holder_is_refused_until_the_first_lets_go() {
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
    assert!(lock_path(&ledger).exists());
    drop(first);
    LedgerLock::acquire(&ledger).expect("the lock is free again");
}
