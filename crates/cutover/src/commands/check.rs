//! `cutover check PLAN`: what the plan would do with its export, without touching the target.
//! When the plan's ledger exists, it also shows what running the plan again would sync.

use cutover_ledger::Ledger;
use cutover_plan::Plan;
use cutover_worker::{CheckReport, SegmentTriage, SyncPreview, Tally, UserList};

use crate::cli::{CheckArgs, LedgerArgs, Output};
use crate::exit;

/// Unimportable users listed one by one in the text report at most.
const LISTED: usize = 25;

/// Users of each kind of change listed by legacy id in the text report at most.
const SYNC_LISTED: usize = 5;

pub async fn run(args: CheckArgs, ledger_args: &LedgerArgs) -> anyhow::Result<u8> {
    let plan = Plan::load(&args.plan)?;
    // Only an existing ledger is read: a check never creates one.
    let ledger_path = ledger_args.path_for(&args.plan);
    let known = if ledger_path.exists() {
        let ledger = Ledger::open(&ledger_path).await?;
        let known = cutover_worker::known_users(&plan, &ledger).await;
        ledger.close().await;
        known?
    } else {
        None
    };
    let report =
        tokio::task::block_in_place(|| cutover_worker::check_against(&plan, known.as_ref()))?;

    match args.output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&json(&report))?),
        Output::Text => print_text(&plan, &report),
    }
    Ok(if report.can_run() {
        0
    } else {
        exit::CANNOT_RUN
    })
}

fn print_text(plan: &Plan, report: &CheckReport) {
    println!("plan {} ({})", plan.name, plan.source.location());
    println!(
        "users read: {}, unreadable records: {}",
        report.users,
        report.unreadable.len()
    );

    println!("\n{:<20} {:<20} {:>8}", "phase", "segment", "users");
    for (phase, segment, count) in &report.per_segment {
        println!("{phase:<20} {segment:<20} {count:>8}");
    }

    println!("\npassword hashes");
    for (family, count) in &report.hash_families {
        println!("  {family:<18} {count:>8}");
    }
    for triage in &report.password_triage {
        print_triage(triage);
    }

    println!("\ncannot be imported: {}", report.unimportable.len());
    for (code, count) in &report.unimportable_by_code {
        println!("  {code:<22} {count:>6}");
    }
    for user in report.unimportable.iter().take(LISTED) {
        println!(
            "  record {:>6}  user {}  {}: {}",
            user.seq, user.legacy_id, user.code, user.reason
        );
    }
    if report.unimportable.len() > LISTED {
        println!(
            "  ... and {} more (see --output json)",
            report.unimportable.len() - LISTED
        );
    }

    if !report.unreadable.is_empty() {
        println!("\nunreadable records: {}", report.unreadable.len());
        for record in &report.unreadable {
            println!(
                "  {}:{}: {}",
                record.file.display(),
                record.line,
                record.reason
            );
        }
    }
    if !report.warnings.is_empty() {
        println!("\nwarnings: {}", report.warnings.len());
        for warning in &report.warnings {
            let line = warning.line.map(|l| format!(":{l}")).unwrap_or_default();
            println!("  {}{line}: {}", warning.file.display(), warning.message);
        }
    }
    for segment in &report.empty_segments {
        println!("\nwarning: no user falls in segment {segment}");
    }

    if let Some(sync) = &report.sync {
        print_sync(sync);
    }

    if report.can_run() {
        println!(
            "\nthe plan can run: {} users will be sent, {} cannot be imported",
            report.importable(),
            report.unimportable.len()
        );
    } else {
        println!(
            "\n{} users match no segment, for example:",
            report.unsegmented.len()
        );
        for legacy_id in report.unsegmented.iter().take(LISTED) {
            println!("  {legacy_id}");
        }
        println!(
            "the plan cannot run: give every user a segment (a last `where: {{ all: true }}`)"
        );
    }
}

/// One segment's password triage: families, then each way a password goes, with reasons.
fn print_triage(triage: &SegmentTriage) {
    let families: Vec<String> = triage
        .families
        .iter()
        .map(|(family, count)| format!("{family} {count}"))
        .collect();
    println!(
        "\npasswords of segment {} (phase {}): {} users ({})",
        triage.segment,
        triage.phase,
        triage.users,
        families.join(", ")
    );
    let ways: [(&str, &Tally); 4] = [
        ("hash imported", &triage.hash),
        ("password migration hook", &triage.hook),
        ("no password", &triage.none),
        ("fail", &triage.fail),
    ];
    for (way, tally) in ways {
        println!("  {way:<26} {:>8}", tally.total);
        for (why, count) in &tally.by {
            println!("    {count:>8}  {why}");
        }
    }
    if triage.stopped > 0 {
        println!(
            "  {:<26} {:>8}",
            "stopped for another reason", triage.stopped
        );
    }
}

fn print_sync(sync: &SyncPreview) {
    println!("\nagainst the ledger, running the plan again would");
    let lines: [(&str, &UserList); 6] = [
        ("import new users", &sync.new),
        ("import users back in the export", &sync.returned),
        (
            "update changed profiles (password kept)",
            &sync.changed_profile,
        ),
        ("update changed passwords", &sync.changed_password),
        ("not update changed users of live segments", &sync.held_back),
        ("report users gone from the export", &sync.disappeared),
    ];
    for (what, users) in lines {
        let mut first: Vec<&str> = users
            .first
            .iter()
            .take(SYNC_LISTED)
            .map(String::as_str)
            .collect();
        if users.count > first.len() as u64 {
            first.push("...");
        }
        let first = if first.is_empty() {
            String::new()
        } else {
            format!("  ({})", first.join(", "))
        };
        println!("  {what:<44} {:>8}{first}", users.count);
    }
}

fn json(report: &CheckReport) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    value["unreadable"] = report
        .unreadable
        .iter()
        .map(|r| serde_json::json!({"file": r.file, "line": r.line, "reason": r.reason}))
        .collect();
    value["warnings"] = report
        .warnings
        .iter()
        .map(|w| serde_json::json!({"file": w.file, "line": w.line, "message": w.message}))
        .collect();
    value["can_run"] = report.can_run().into();
    value
}
