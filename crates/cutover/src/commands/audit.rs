//! `cutover audit PLAN`: the run's audit trail as a timeline per segment (or JSON, or CSV),
//! and `cutover audit verify PLAN`: the check that no event was edited, deleted, reordered or
//! added behind cutover's back.

use std::path::Path;

use anyhow::Context;
use cutover_ledger::{Event, Ledger, Run};
use cutover_plan::Plan;

use crate::cli::{AuditArgs, AuditCommand, AuditOutput, AuditVerifyArgs, LedgerArgs, Output};
use crate::commands::open_existing_ledger;
use crate::exit;

/// The counts shown per event, in column order.
const COUNTS: [&str; 9] = [
    "pending",
    "in_flight",
    "imported",
    "failed",
    "skipped",
    "conflicts",
    "activated",
    "deactivated",
    "deleted",
];

pub async fn run(args: AuditArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    if let Some(AuditCommand::Verify(verify_args)) = args.command {
        return verify(verify_args, ledger_args).await;
    }
    // clap requires the plan whenever no subcommand is given.
    let plan_path = args.plan.context("name the plan file")?;
    let (plan, ledger, run) = open(&plan_path, ledger_args).await?;
    let events = ledger.events(&run.id).await;
    ledger.close().await;
    let events = events?;

    let phase = match &args.segment {
        Some(segment) => Some(
            plan.phase_of_segment(segment)
                .with_context(|| format!("plan {} has no segment {segment:?}", plan.name))?,
        ),
        None => None,
    };
    let selected: Vec<&Event> = match (&args.segment, phase) {
        (Some(segment), Some(phase)) => events
            .iter()
            .filter(|event| concerns(event, segment, &phase.name))
            .collect(),
        _ => events.iter().collect(),
    };

    match args.output {
        AuditOutput::Json => {
            let report = serde_json::json!({
                "plan": plan.name,
                "run_id": run.id,
                "segment": args.segment,
                "events": selected,
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        AuditOutput::Csv => print_csv(&selected)?,
        AuditOutput::Table => match &args.segment {
            Some(segment) => print_timeline(&format!("segment {segment}"), &selected),
            None => print_timelines(&plan, &events),
        },
    }
    Ok(0)
}

async fn verify(args: AuditVerifyArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let (plan, ledger, run) = open(&args.plan, ledger_args).await?;
    let checked = async {
        let events = ledger.events(&run.id).await?;
        let findings = ledger.verify_audit(&run.id).await?;
        anyhow::Ok((events, findings))
    }
    .await;
    ledger.close().await;
    let (events, findings) = checked?;
    // Whoever holds the file can recompute the whole chain; the last hash, kept elsewhere,
    // is what proves later that the trail up to it was not rewritten.
    let last_hash = events.last().and_then(|event| event.hash.clone());
    let events = events.len();

    match args.output {
        Output::Json => {
            let report = serde_json::json!({
                "plan": plan.name,
                "run_id": run.id,
                "events": events,
                "intact": findings.is_empty(),
                "last_hash": last_hash,
                "findings": findings,
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Output::Text => {
            for finding in &findings {
                println!("{finding}");
            }
            if findings.is_empty() {
                let last = last_hash.as_deref().unwrap_or("none");
                println!(
                    "the audit trail of plan {} is intact: {events} events, last hash {last}",
                    plan.name
                );
            }
        }
    }
    if findings.is_empty() {
        return Ok(0);
    }
    eprintln!(
        "error: the audit trail of plan {} was tampered with: {} events are wrong (listed above)",
        plan.name,
        findings.len()
    );
    Ok(exit::AUDIT_BROKEN)
}

async fn open(plan_path: &Path, ledger_args: &LedgerArgs) -> anyhow::Result<(Plan, Ledger, Run)> {
    let plan = Plan::load(plan_path)?;
    let ledger_path = ledger_args.path_for(plan_path);
    let ledger = open_existing_ledger(ledger_path.clone(), plan_path).await?;
    let Some(run) = ledger.find_run(&plan.name).await? else {
        ledger.close().await;
        anyhow::bail!(
            "the ledger {} has no run of plan {}",
            ledger_path.display(),
            plan.name
        );
    };
    Ok((plan, ledger, run))
}

/// Whether an event belongs to a segment's timeline: it names the segment, or it is about
/// the segment's phase as a whole.
fn concerns(event: &Event, segment: &str, phase: &str) -> bool {
    match &event.segment {
        Some(named) => named == segment,
        None => event.phase.as_deref() == Some(phase),
    }
}

fn print_timelines(plan: &Plan, events: &[Event]) {
    let whole_run: Vec<&Event> = events
        .iter()
        .filter(|event| event.phase.is_none() && event.segment.is_none())
        .collect();
    print_timeline(&format!("plan {} as a whole", plan.name), &whole_run);
    for segment in &plan.segments {
        let phase = plan
            .phase_of_segment(&segment.name)
            .map_or("", |phase| &phase.name);
        let timeline: Vec<&Event> = events
            .iter()
            .filter(|event| concerns(event, &segment.name, phase))
            .collect();
        println!();
        print_timeline(
            &format!("segment {} (phase {phase})", segment.name),
            &timeline,
        );
    }
}

fn print_timeline(title: &str, events: &[&Event]) {
    println!("{title}");
    if events.is_empty() {
        println!("  no events");
        return;
    }
    println!(
        "  {:>6}  {:<24}  {:<20}  {:<12}  {:>8} {:>7} {:>7} {:>9}  {:<18}  note",
        "seq", "at", "kind", "by", "imported", "failed", "skipped", "conflicts", "changed"
    );
    for event in events {
        println!(
            "  {:>6}  {:<24}  {:<20}  {:<12}  {:>8} {:>7} {:>7} {:>9}  {:<18}  {}",
            event.seq,
            event.at,
            event.kind,
            event.actor,
            event.count("imported"),
            event.count("failed"),
            event.count("skipped"),
            event.count("conflicts"),
            changed(event),
            event.note.as_deref().unwrap_or("")
        );
    }
}

/// What the event's command changed on the target, such as `activated 120`.
fn changed(event: &Event) -> String {
    ["activated", "deactivated", "deleted"]
        .iter()
        .filter(|name| event.counts.get(**name).is_some())
        .map(|name| format!("{name} {}", event.count(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_csv(events: &[&Event]) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec![
        "seq",
        "at",
        "kind",
        "actor",
        "plan_digest",
        "phase",
        "segment",
    ];
    header.extend(COUNTS);
    header.extend(["note", "prev_hash", "hash"]);
    out.write_record(&header)?;

    for event in events {
        let mut record = vec![
            event.seq.to_string(),
            event.at.clone(),
            event.kind.clone(),
            event.actor.clone(),
            event.plan_digest.clone(),
            event.phase.clone().unwrap_or_default(),
            event.segment.clone().unwrap_or_default(),
        ];
        record.extend(COUNTS.iter().map(|name| event.count(name).to_string()));
        record.push(event.note.clone().unwrap_or_default());
        record.push(event.prev_hash.clone().unwrap_or_default());
        record.push(event.hash.clone().unwrap_or_default());
        out.write_record(&record)?;
    }
    out.flush()?;
    Ok(())
}
