//! Stopping on request. Ctrl-C (SIGINT) or SIGTERM stops a run, a go-live or a rollback
//! between two awaits, which leaves the ledger as a crash at that point would: consistent,
//! and resumed by the same command. A run also records why it stopped in the audit trail.

/// The exit code of a command stopped by a signal, as shells report Ctrl-C.
pub const INTERRUPTED: u8 = 130;

/// Resolves once the process is asked to stop.
pub async fn requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};

        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    // Without a handler the signal would kill the process, so failing to listen is not fatal:
    // the command then runs to its end as if nothing could stop it.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// What to tell the operator after a command was stopped.
pub const ADVICE: &str = "interrupted: everything done so far is recorded in the ledger; run the \
                          same command again to go on where it stopped";
