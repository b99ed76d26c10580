//! `cutover rollback PLAN (--phase NAME | --segment NAME) --by WHO`: undo a phase or a
//! segment. Without `--yes` it only prints what it would do.

use anyhow::Context;
use cutover_ledger::{EventKind, GoLiveState, RollbackMode};
use cutover_plan::Plan;
use cutover_worker::{RollbackOptions, RollbackReport, RollbackScope, SegmentRollback};

use crate::cli::{LedgerArgs, Output, RollbackArgs};
use crate::commands::{lock_existing_ledger, open_existing_ledger};
use crate::interrupt;
use crate::observer::CliObserver;
use crate::target::Target;

/// Users left alone listed one by one in the text report at most.
const LISTED: usize = 20;

pub async fn run(args: RollbackArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    let observer = CliObserver::new()?;
    let ledger_path = ledger_args.path_for(&args.plan);
    // Saying what a rollback would do only reads, so it may run beside another command.
    let _lock = args
        .yes
        .then(|| lock_existing_ledger(&ledger_path, &args.plan))
        .transpose()?;
    let ledger = open_existing_ledger(ledger_path, &args.plan).await?;
    let target = Target::connect(&plan).await?;

    // clap makes exactly one of the two required.
    let (scope, what) = match (args.phase, args.segment) {
        (Some(phase), _) => (
            RollbackScope::Phase(phase.clone()),
            format!("phase {phase}"),
        ),
        (None, Some(segment)) => (
            RollbackScope::Segment(segment.clone()),
            format!("segment {segment}"),
        ),
        (None, None) => anyhow::bail!("name the --phase or the --segment to roll back"),
    };
    let options = RollbackOptions {
        scope,
        actor: args.by,
        execute: args.yes,
        force: args.force,
        deactivate: args.deactivate,
    };
    let work = cutover_worker::rollback(&plan, &ledger, &target.client, &options, &observer);
    let result = tokio::select! {
        result = work => Some(result),
        () = interrupt::requested() => None,
    };
    if result.is_none() {
        let segments: Vec<&str> = match &options.scope {
            RollbackScope::Segment(segment) => vec![segment.as_str()],
            RollbackScope::Phase(phase) => plan
                .phase(phase)
                .map(|phase| phase.segments.iter().map(String::as_str).collect())
                .unwrap_or_default(),
        };
        let recorded = interrupt::record_for_segments(
            &plan,
            &ledger,
            &segments,
            GoLiveState::RollingBack,
            EventKind::RollbackInterrupted,
            &options.actor,
        );
        if let Err(err) = recorded.await {
            tracing::warn!("the interruption is not in the audit trail: {err}");
        }
    }
    target.close().await;
    ledger.close().await;
    let Some(result) = result else {
        eprintln!("{}", interrupt::ADVICE);
        return Ok(interrupt::INTERRUPTED);
    };
    let report = result.with_context(|| format!("rollback of {what} stopped"))?;

    match args.output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Output::Text => print_text(&report),
    }
    Ok(0)
}

fn print_text(report: &RollbackReport) {
    for segment in &report.segments {
        print_segment(report, segment);
    }
    if !report.executed {
        println!("\nnothing was changed: run the same command with --yes to carry it out");
    }
}

fn print_segment(report: &RollbackReport, segment: &SegmentRollback) {
    let name = format!("segment {} (phase {})", segment.segment, segment.phase);
    if !segment.needs_rollback() {
        println!(
            "{name}, go-live state {}: nothing to roll back, no identity this plan created is \
             left to {}",
            segment.golive, report.mode
        );
    }
    match (report.executed, report.mode) {
        _ if !segment.needs_rollback() => {}
        (false, RollbackMode::Delete) => println!(
            "{name}, go-live state {}: would delete the {} identities this plan created and \
             put their users back to pending",
            segment.golive, segment.to_change
        ),
        (false, RollbackMode::Deactivate) => println!(
            "{name}, go-live state {}: would make the {} identities this plan created \
             inactive, keeping them",
            segment.golive, segment.to_change
        ),
        (true, RollbackMode::Delete) => println!(
            "{name}: deleted {} identities ({} were already gone); their users are pending \
             again, so the phase can run again",
            segment.deleted, segment.already_gone
        ),
        (true, RollbackMode::Deactivate) => println!(
            "{name}: {} identities are inactive ({} could not be found on the target)",
            segment.deactivated, segment.missing
        ),
    }

    if segment.kept.is_empty() {
        return;
    }
    println!(
        "  left alone ({}): identities without a rollback marker in this ledger (found on \
         the target rather than created by this run, or someone else's)",
        segment.kept.len()
    );
    for user in segment.kept.iter().take(LISTED) {
        let identity = user.identity_id.as_deref().unwrap_or("-");
        println!("    {}  {identity}  {}", user.legacy_id, user.why);
    }
    if segment.kept.len() > LISTED {
        println!(
            "    ... and {} more (see --output json)",
            segment.kept.len() - LISTED
        );
    }
}
