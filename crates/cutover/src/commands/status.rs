//! `cutover status PLAN`: where every phase and segment of the plan's run stands.

use cutover_plan::Plan;
use cutover_worker::{StatusReport, WindowStatus};

use crate::cli::{LedgerArgs, Output, StatusArgs};
use crate::commands::open_existing_ledger;

pub async fn run(args: StatusArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    let ledger = open_existing_ledger(ledger_args.path_for(&args.plan), &args.plan).await?;
    let clock = crate::clock::from_env()?;
    let report = cutover_worker::status(&plan, &ledger, args.failures, clock.as_ref()).await?;
    ledger.close().await;

    let Some(report) = report else {
        anyhow::bail!(
            "the ledger has no run of plan {} (is --ledger the right file?)",
            plan.name
        );
    };
    match args.output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Output::Text => print_text(&report),
    }
    Ok(0)
}

/// Whether a phase's window is open now, and until or from when.
fn window_text(window: &WindowStatus) -> String {
    match (window.open, &window.until_text) {
        (true, Some(until)) => format!("{}: open until {until}", window.window),
        (true, None) => format!("{}: open", window.window),
        (false, Some(opens)) => format!("{}: closed, opens {opens}", window.window),
        (false, None) => format!("{}: closed, and never opens again", window.window),
    }
}

fn print_text(report: &StatusReport) {
    println!(
        "plan {} (run {} started {})",
        report.run.plan_name, report.run.id, report.run.created_at
    );
    if report.plan_changed {
        println!("note: the plan file changed since the run last accepted it");
    }

    println!(
        "\n{:<16} {:<16} {:>8} {:>9} {:>7} {:>8} {:>8} {:>9}  go-live",
        "phase", "segment", "users", "imported", "failed", "skipped", "pending", "in flight"
    );
    for phase in &report.phases {
        for (segment, c) in &phase.segments {
            let golive = report
                .golive
                .iter()
                .find(|state| &state.segment == segment)
                .map_or("not_live", |state| state.state.as_str());
            println!(
                "{:<16} {:<16} {:>8} {:>9} {:>7} {:>8} {:>8} {:>9}  {golive}",
                phase.phase,
                segment,
                c.total(),
                c.imported,
                c.failed,
                c.skipped,
                c.pending,
                c.in_flight
            );
        }
        let state = if phase.counts.is_finished() {
            "finished"
        } else {
            "not finished"
        };
        println!("{:<16} {state}", "");
        if let Some(window) = report.windows.iter().find(|w| w.phase == phase.phase) {
            println!("{:<16} window {}", "", window_text(window));
        }
    }

    if !report.reasons.is_empty() {
        println!("\nfailed or skipped, by reason");
        for (code, count) in &report.reasons {
            println!("  {code:<22} {count:>6}");
        }
    }
    for user in &report.failures {
        let reason = user.reason.as_deref().unwrap_or("");
        println!("  {}: {reason}", user.legacy_id);
    }
    if !report.password_routes.is_empty() {
        println!("\npasswords, by route");
        println!(
            "  {:<5} {:>8} {:>9}  family or reason",
            "route", "users", "imported"
        );
        for count in &report.password_routes {
            println!(
                "  {:<5} {:>8} {:>9}  {}",
                count.route.as_str(),
                count.users,
                count.imported,
                count.detail
            );
        }
    }
    if !report.source_problems.is_empty() {
        println!("\nexport problems: {}", report.source_problems.len());
        for problem in &report.source_problems {
            let line = problem.line.map(|l| format!(":{l}")).unwrap_or_default();
            println!(
                "  {} {}{line}: {}",
                problem.kind, problem.file, problem.message
            );
        }
    }
    if report.disappeared.count > 0 {
        println!(
            "\ndisappeared from the export: {} (kept in the ledger; identities stay on the target)",
            report.disappeared.count
        );
        for user in &report.disappeared.first {
            println!(
                "  {} ({}, segment {})",
                user.legacy_id, user.state, user.segment
            );
        }
    }
    if let Some(last) = report.events.last() {
        println!(
            "\nlast event: {} at {} by {}",
            last.kind, last.at, last.actor
        );
    }
}
