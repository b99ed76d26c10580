//! The command line: one subcommand per verb, and argument groups shared between them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::builder::NonEmptyStringValueParser;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// Moves the users of a legacy login system into Ory Identities, segment by segment.
#[derive(Debug, Parser)]
#[command(name = "cutover", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// More log output (-v debug, -vv trace); RUST_LOG overrides it.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the plan and the whole export without touching the target, and report.
    Check(CheckArgs),
    /// Run the plan's phases in order (run it again to resume).
    Run(RunArgs),
    /// Show where every phase and segment stands, from the ledger.
    Status(StatusArgs),
    /// Take a segment live: check its gates, then activate its identities.
    Golive(GoliveArgs),
    /// Undo a phase or a segment: delete (or deactivate) the identities this plan created.
    Rollback(RollbackArgs),
    /// Show the audit trail per segment, or check it for tampering (`audit verify PLAN`).
    Audit(AuditArgs),
    /// Serve a Kratos-compatible admin API for rehearsals and tests.
    Sandbox(SandboxArgs),
}

/// Where the ledger is.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The ledger file (default: `<plan file stem>.ledger.db` beside the plan file).
    #[arg(long, global = true, env = "CUTOVER_LEDGER")]
    pub ledger: Option<PathBuf>,
}

impl LedgerArgs {
    /// The ledger of a plan: the one given, or the file beside the plan.
    pub fn path_for(&self, plan: &Path) -> PathBuf {
        if let Some(path) = &self.ledger {
            return path.clone();
        }
        let stem = plan
            .file_stem()
            .map_or_else(|| "plan".into(), |s| s.to_string_lossy());
        plan.with_file_name(format!("{stem}.ledger.db"))
    }
}

/// How to print a report.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Output {
    /// For people.
    #[default]
    Text,
    /// For programs.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Run only this phase; the phases it comes after must be finished.
    #[arg(long)]
    pub phase: Option<String>,
    /// Continue the run even though the plan file changed since it started.
    #[arg(long)]
    pub accept_plan_change: bool,
    /// Who runs it, for the event trail (default: the USER environment variable).
    #[arg(long, env = "USER", default_value = "unknown")]
    pub by: String,
    /// What to do when a phase's window is closed, for every phase: wait for it to open, or
    /// stop with exit code 5 (default: each phase's `outside_window`).
    #[arg(long, value_enum, value_name = "CHOICE")]
    pub outside_window: Option<OutsideWindowArg>,
}

/// What `run` does outside a phase's window.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutsideWindowArg {
    /// Wait until the window opens, then go on.
    Wait,
    /// Stop, saying when the window opens; run again then.
    Exit,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// How many failed users to list.
    #[arg(long, default_value_t = 20)]
    pub failures: u32,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port; the URL is printed on stdout).
    #[arg(long, default_value = "127.0.0.1:4434")]
    pub listen: SocketAddr,
    /// Keep identities in this SQLite file instead of in memory.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// An extra identity schema, as ID=FILE (repeatable).
    #[arg(long = "schema", value_name = "ID=FILE")]
    pub schemas: Vec<String>,
}

#[derive(Debug, Args)]
pub struct GoliveArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// The segment to take live.
    #[arg(long)]
    pub segment: String,
    /// Who declares the go-live, for the audit trail.
    #[arg(long, value_name = "WHO", value_parser = NonEmptyStringValueParser::new())]
    pub by: String,
    /// A note for the audit trail (a change ticket, say).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Go live although gates fail; the reason is recorded with the gates that failed.
    #[arg(long, value_name = "REASON")]
    pub force: Option<String>,
    /// How many imported identities to read back from the target before going live
    /// (default: the phase's `golive_sample`).
    #[arg(long, value_name = "N")]
    pub sample: Option<u32>,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["phase", "segment"])))]
pub struct RollbackArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Roll back every segment of this phase.
    #[arg(long)]
    pub phase: Option<String>,
    /// Roll back this segment.
    #[arg(long)]
    pub segment: Option<String>,
    /// Who rolls back, for the audit trail.
    #[arg(long, value_name = "WHO", value_parser = NonEmptyStringValueParser::new())]
    pub by: String,
    /// Carry it out; without it, only print what would be done.
    #[arg(long)]
    pub yes: bool,
    /// Delete the identities even though the segment went live.
    #[arg(long, conflicts_with = "deactivate")]
    pub force: bool,
    /// Make the identities inactive and keep them, instead of deleting them.
    #[arg(long)]
    pub deactivate: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// The plan file.
    #[arg(required = true)]
    pub plan: Option<PathBuf>,
    /// Show only this segment's timeline (its events and its phase's).
    #[arg(long)]
    pub segment: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: AuditOutput,
}

/// What `audit` can do besides listing.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit trail: exit 0 when intact, 4 naming each bad event otherwise.
    Verify(AuditVerifyArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

/// How to print the audit trail.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum AuditOutput {
    /// A timeline per segment, for people.
    #[default]
    Table,
    /// Every event as JSON.
    Json,
    /// One event a line, for spreadsheets.
    Csv,
}
