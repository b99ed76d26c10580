//! One writer per ledger file. A run, a go-live or a rollback holds an exclusive lock on a file
//! beside the ledger for as long as it works, so that a second command on the same ledger is
//! refused instead of racing the first one's batches. The operating system releases the lock
//! when the holder exits, however it exits, so a crashed run never leaves a stale lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::LedgerError;

/// The lock on a ledger file, held until it is dropped.
#[derive(Debug)]
pub struct LedgerLock {
    _file: File,
}

/// The lock file of the ledger at `ledger`: its path with `-lock` appended, as SQLite names
/// its `-wal` and `-shm` files.
pub fn lock_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

impl LedgerLock {
    /// Takes the lock of the ledger at `ledger`, or fails at once if another process holds it.
    pub fn acquire(ledger: &Path) -> Result<LedgerLock, LedgerError> {
        let path = lock_path(ledger);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| LedgerError::Lock {
                path: path.display().to_string(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(LedgerLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LedgerError::Busy {
                path: ledger.display().to_string(),
            }),
            Err(TryLockError::Error(source)) => Err(LedgerError::Lock {
                path: path.display().to_string(),
                source,
            }),
        }
    }
}
