//! `cutover run PLAN`: run the plan's phases, or resume them.
//!
//! A run that stops at a closed phase window is not a failure: it prints what it did, says
//! when the window opens, and exits with its own code so that a scheduler can tell.

use anyhow::Context;
use cutover_ledger::{EventKind, Ledger, LedgerLock};
use cutover_plan::{OutsideWindow, Plan};
use cutover_worker::{RunOptions, RunSummary};

use crate::cli::{LedgerArgs, OutsideWindowArg, RunArgs};
use crate::exit;
use crate::interrupt;
use crate::observer::CliObserver;
use crate::target::Target;

pub async fn run(args: RunArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    let observer = CliObserver::new()?;
    let clock = crate::clock::from_env()?;
    let ledger_path = ledger_args.path_for(&args.plan);
    let _lock = LedgerLock::acquire(&ledger_path)?;
    let ledger = Ledger::open(&ledger_path).await?;
    let target = Target::connect(&plan).await?;

    let options = RunOptions {
        phase: args.phase,
        accept_plan_change: args.accept_plan_change,
        actor: args.by,
        outside_window: args.outside_window.map(|choice| match choice {
            OutsideWindowArg::Wait => OutsideWindow::Wait,
            OutsideWindowArg::Exit => OutsideWindow::Exit,
        }),
    };
    let client = &target.client;
    let work = cutover_worker::run(&plan, &ledger, client, &options, &observer, clock.as_ref());
    let result = tokio::select! {
        result = work => Some(result),
        () = interrupt::requested() => None,
    };
    let Some(result) = result else {
        let recorded = record_interruption(&plan, &ledger, &options.actor).await;
        target.close().await;
        ledger.close().await;
        if let Err(err) = recorded {
            tracing::warn!("the interruption is not in the audit trail: {err}");
        }
        eprintln!("{}", interrupt::ADVICE);
        return Ok(interrupt::INTERRUPTED);
    };
    target.close().await;
    ledger.close().await;

    let summary = result.with_context(|| format!("run of plan {} stopped", plan.name))?;
    print_summary(&summary);
    let Some(opening) = &summary.paused else {
        return Ok(0);
    };
    eprintln!(
        "stopped: phase {} sends only in its window {}, which is closed; it opens next at {}. \
         Run `cutover run {}` again then, or pass --outside-window wait to let a run wait for it",
        opening.phase,
        opening.window,
        opening.when(),
        args.plan.display()
    );
    Ok(exit::WINDOW_CLOSED)
}

/// Adds a `run_interrupted` event saying the run was stopped on request.
async fn record_interruption(plan: &Plan, ledger: &Ledger, actor: &str) -> anyhow::Result<()> {
    let Some(run) = ledger.find_run(&plan.name).await? else {
        return Ok(());
    };
    let kind = EventKind::RunInterrupted;
    let note = Some(interrupt::NOTE);
    ledger
        .append_event(&run.id, kind, actor, plan.digest(), None, note)
        .await?;
    Ok(())
}

fn print_summary(summary: &RunSummary) {
    println!(
        "sent {} batches: {} users imported, {} failed in this run",
        summary.batches_sent, summary.imported_now, summary.failed_now
    );
    println!(
        "export: {} new users, {} changed since they were imported, {} back after \
         disappearing, {} disappeared",
        summary.new_users, summary.changed_users, summary.returned_users, summary.disappeared.count
    );
    let sync = &summary.sync;
    if summary.changed_users > 0 || sync.updated + sync.refused + sync.missing > 0 {
        println!(
            "updated {} identities ({} with a new password); {} refused by the target, {} no \
             longer on the target",
            sync.updated, sync.with_password, sync.refused, sync.missing
        );
    }
    if sync.held_back > 0 {
        println!(
            "not updated: {} changed users whose segment is live (reported only; first: {})",
            sync.held_back,
            sync.held_back_first.join(", ")
        );
    }
    if summary.disappeared.count > 0 {
        let first: Vec<&str> = summary
            .disappeared
            .first
            .iter()
            .map(|user| user.legacy_id.as_str())
            .collect();
        println!(
            "disappeared from the export: {} users, kept in the ledger and on the target \
             (first: {})",
            summary.disappeared.count,
            first.join(", ")
        );
    }
    for opening in &summary.waited {
        println!(
            "phase {} waited for its window {} until {}",
            opening.phase,
            opening.window,
            opening.when()
        );
    }
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "phase", "imported", "failed", "skipped", "pending", "in flight"
    );
    for phase in &summary.phases {
        let c = &phase.counts;
        println!(
            "{:<20} {:>9} {:>9} {:>9} {:>9} {:>9}",
            phase.phase, c.imported, c.failed, c.skipped, c.pending, c.in_flight
        );
    }
}
