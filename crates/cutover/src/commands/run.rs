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
