//! One module per subcommand.

pub mod audit;
pub mod check;
pub mod golive;
pub mod rollback;
pub mod run;
pub mod sandbox;
pub mod status;

use std::path::{Path, PathBuf};

use cutover_ledger::{Ledger, LedgerLock};

/// Opens the plan's ledger, which must exist: commands that act on a run never create one.
pub async fn open_existing_ledger(path: PathBuf, plan_file: &Path) -> anyhow::Result<Ledger> {
    require_ledger(&path, plan_file)?;
    Ok(Ledger::open(&path).await?)
}

/// Locks the plan's ledger, which must exist, for a command that writes to it.
pub fn lock_existing_ledger(path: &Path, plan_file: &Path) -> anyhow::Result<LedgerLock> {
    require_ledger(path, plan_file)?;
    Ok(LedgerLock::acquire(path)?)
}

fn require_ledger(path: &Path, plan_file: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!(
            "no ledger at {}: the plan {} has not run yet (start it with `cutover run {}`, or \
             name its ledger with --ledger)",
            path.display(),
            plan_file.display(),
            plan_file.display()
        );
    }
    Ok(())
}
