//! Stopping on request. Ctrl-C (SIGINT) or SIGTERM stops a run, a go-live or a rollback
//! between two awaits, which leaves the ledger as a crash at that point would: consistent,
//! and resumed by the same command. The audit trail then says the command was stopped.

use cutover_ledger::{EventKind, GoLiveState, Ledger, NewEvent};
use cutover_plan::Plan;

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

/// What the trail notes of a command stopped on request.
pub const NOTE: &str = "stopped on request (Ctrl-C or SIGTERM)";

/// Records `kind` for every one of `segments` that a go-live or rollback left in `underway`
/// (`activating` or `rolling_back`): those it had begun when it was stopped.
pub async fn record_for_segments(
    plan: &Plan,
    ledger: &Ledger,
    segments: &[&str],
    underway: GoLiveState,
    kind: EventKind,
    actor: &str,
) -> anyhow::Result<()> {
    let Some(run) = ledger.find_run(&plan.name).await? else {
        return Ok(());
    };
    for segment in segments {
        if ledger.segment_state(&run.id, segment).await?.state != underway {
            continue;
        }
        let phase = plan
            .phase_of_segment(segment)
            .map(|phase| phase.name.as_str());
        let event = NewEvent {
            phase,
            segment: Some(segment),
            note: Some(NOTE),
            ..NewEvent::new(kind, actor, plan.digest())
        };
        ledger.record_event(&run.id, &event).await?;
    }
    Ok(())
}
