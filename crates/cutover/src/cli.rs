//! The command line: one subcommand per verb, and argument groups shared between them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

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
        let stem = plan.file_stem().map_or_else(|| "plan".into(), |s| s.to_string_lossy());
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
