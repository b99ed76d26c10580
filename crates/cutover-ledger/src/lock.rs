//! One writer per ledger file. A run, a go-live or a rollback holds an exclusive lock on the
//! ledger for as long as it works, so that a second command on the same ledger is refused
//! instead of racing the first one's batches. The operating system releases the lock when the
//! holder exits, however it exits, so a crashed run never leaves a stale lock.
//!
//! On Unix the lock is an advisory `flock` on the ledger file itself: it follows the file
//! whatever path (or symlink) names it, and it cannot be lost by deleting a lock file. SQLite
//! locks byte ranges with `fcntl`, which `flock` does not interfere with. Elsewhere a whole-file
//! lock would block SQLite's own, so a file beside the ledger's canonical path is locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::LedgerError;

/// The lock on a ledger file, held until it is dropped.
#[derive(Debug)]
pub struct LedgerLock {
    _file: File,
}

impl LedgerLock {
    /// Takes the lock of the ledger at `ledger` (creating an empty ledger file if there is
    /// none), or fails at once if another process holds it.
    pub fn acquire(ledger: &Path) -> Result<LedgerLock, LedgerError> {
        let path = lock_path(ledger)?;
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

/// The file whose lock stands for the ledger's.
#[cfg(unix)]
fn lock_path(ledger: &Path) -> Result<PathBuf, LedgerError> {
    Ok(ledger.to_path_buf())
}

/// The file whose lock stands for the ledger's: its canonical path with `-lock` appended, as
/// SQLite names its `-wal` and `-shm` files, so that two paths to one ledger share it.
#[cfg(not(unix))]
fn lock_path(ledger: &Path) -> Result<PathBuf, LedgerError> {
    let io = |source| LedgerError::Lock {
        path: ledger.display().to_string(),
        source,
    };
    if !ledger.exists() {
        File::create(ledger).map_err(io)?;
    }
    let mut name = ledger.canonicalize().map_err(io)?.into_os_string();
    name.push("-lock");
    Ok(PathBuf::from(name))
}
