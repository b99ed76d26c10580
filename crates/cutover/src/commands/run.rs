//! `cutover run PLAN`: run the plan's phases, or resume them.

use anyhow::Context;
use cutover_ledger::Ledger;
use cutover_plan::Plan;
use cutover_worker::{RunOptions, RunSummary};

use crate::cli::{LedgerArgs, RunArgs};
use crate::observer::CliObserver;
use crate::target::Target;

pub async fn run(args: RunArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    let observer = CliObserver::new()?;
    let ledger_path = ledger_args.path_for(&args.plan);
    let ledger = Ledger::open(&ledger_path).await?;
    let target = Target::connect(&plan).await?;

    let options = RunOptions {
        phase: args.phase,
        accept_plan_change: args.accept_plan_change,
        actor: args.by,
    };
    let result = cutover_worker::run(&plan, &ledger, &target.client, &options, &observer).await;
    target.close().await;
    ledger.close().await;

    let summary = result.with_context(|| format!("run of plan {} stopped", plan.name))?;
    print_summary(&summary);
    Ok(0)
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
