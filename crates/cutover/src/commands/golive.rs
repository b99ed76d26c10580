//! `cutover golive PLAN --segment NAME --by WHO`: take a segment live once its gates hold.
//!
//! A gate that fails blocks the go-live with exit code 1 and changes nothing; `--force REASON`
//! overrides it and records the reason with the failed gates in the audit trail.

use anyhow::Context;
use cutover_ledger::{EventKind, GoLiveState};
use cutover_plan::Plan;
use cutover_worker::{Gate, GoLiveOptions, GoLiveOutcome, GoLiveSummary};

use crate::cli::{GoliveArgs, LedgerArgs, Output};
use crate::commands::{lock_existing_ledger, open_existing_ledger};
use crate::exit;
use crate::interrupt;
use crate::observer::CliObserver;
use crate::target::Target;

/// Users left inactive listed by legacy id in the text report at most.
const LISTED: usize = 10;

pub async fn run(args: GoliveArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    let observer = CliObserver::new()?;
    let ledger_path = ledger_args.path_for(&args.plan);
    let _lock = lock_existing_ledger(&ledger_path, &args.plan)?;
    let ledger = open_existing_ledger(ledger_path, &args.plan).await?;
    let target = Target::connect(&plan).await?;

    let options = GoLiveOptions {
        segment: args.segment.clone(),
        actor: args.by,
        note: args.note,
        force: args.force,
        sample: args.sample,
    };
    let work = cutover_worker::golive(&plan, &ledger, &target.client, &options, &observer);
    let result = tokio::select! {
        result = work => Some(result),
        () = interrupt::requested() => None,
    };
    if result.is_none() {
        let (segments, kind) = ([args.segment.as_str()], EventKind::GoliveInterrupted);
        let recorded = interrupt::record_for_segments(
            &plan,
            &ledger,
            &segments,
            GoLiveState::Activating,
            kind,
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
    let outcome = result.with_context(|| format!("go-live of segment {} stopped", args.segment))?;

    match args.output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
        Output::Text => print_text(&outcome),
    }
    if let GoLiveOutcome::Blocked {
        segment,
        gates,
        forcible,
    } = &outcome
    {
        let failed = gates.iter().filter(|gate| !gate.passed).count();
        let way_out = if *forcible {
            "do what the failed gates say and run it again, or pass --force REASON to go live \
             anyway (the reason and the failed gates are recorded)"
        } else {
            "do what the failed gate says and run it again"
        };
        eprintln!(
            "error: the go-live of segment {segment} is blocked ({failed} of {} gates fail) and \
             nothing was changed: {way_out}",
            gates.len()
        );
        return Ok(exit::FAILURE);
    }
    Ok(0)
}

fn print_text(outcome: &GoLiveOutcome) {
    match outcome {
        GoLiveOutcome::AlreadyLive { segment, live_at } => {
            let since = live_at.as_deref().unwrap_or("an earlier go-live");
            println!("segment {segment} is already live (since {since}); nothing was sent");
        }
        GoLiveOutcome::Blocked { segment, gates, .. } => {
            println!("go-live of segment {segment}: blocked");
            print_gates(gates);
        }
        GoLiveOutcome::Live(summary) => print_live(summary),
    }
}

fn print_live(summary: &GoLiveSummary) {
    let how = match (summary.resumed, summary.forced) {
        (true, _) => " (resumed)",
        (false, true) => " (gates overridden with --force)",
        (false, false) => "",
    };
    println!(
        "segment {} of phase {} is live{how}",
        summary.segment, summary.phase
    );
    if !summary.gates.is_empty() {
        print_gates(&summary.gates);
    }
    if summary.created_active {
        println!(
            "phase {} activates on import: its identities were created active, so only those \
             a rollback deactivated are activated",
            summary.phase
        );
    }
    println!(
        "activated {} identities now, {} active in all",
        summary.activated_now, summary.active
    );
    if !summary.held_inactive.is_empty() {
        let first: Vec<&str> = summary
            .held_inactive
            .iter()
            .take(LISTED)
            .map(String::as_str)
            .collect();
        println!(
            "left inactive, blocked in the legacy system: {} ({})",
            summary.held_inactive.len(),
            first.join(", ")
        );
    }
}

fn print_gates(gates: &[Gate]) {
    for gate in gates {
        let verdict = if gate.passed { "pass" } else { "FAIL" };
        println!("  [{verdict}] {:<18} {}", gate.name, gate.detail);
    }
}
