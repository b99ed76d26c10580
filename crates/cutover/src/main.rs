//! `cutover`: moves the users of a legacy login system into Ory Identities, segment by
//! segment, from a plan. This binary is a thin shell: it parses the command line, wires the
//! library crates together, renders their results, and maps failures to exit codes.

mod cli;
mod clock;
mod commands;
mod interrupt;
mod observer;
mod target;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Exit codes, documented in the README.
pub mod exit {
    /// The command failed; the message says why. A run can be resumed.
    pub const FAILURE: u8 = 1;
    /// The plan or the command line is invalid.
    pub const INVALID: u8 = 2;
    /// `check` found that the plan cannot run as it is.
    pub const CANNOT_RUN: u8 = 3;
    /// `audit verify` found the audit trail tampered with.
    pub const AUDIT_BROKEN: u8 = 4;
    /// `run` stopped because a phase's window is closed; run it again when it opens.
    pub const WINDOW_CLOSED: u8 = 5;
}

fn main() -> ExitCode {
    end_quietly_on_closed_stdout();
    let cli = Cli::parse();
    init_logging(cli.verbose);

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Check(args) => commands::check::run(args, &cli.ledger).await,
            Command::Run(args) => commands::run::run(args, &cli.ledger).await,
            Command::Status(args) => commands::status::run(args, &cli.ledger).await,
            Command::Sandbox(args) => commands::sandbox::run(args).await,
            Command::Golive(args) => commands::golive::run(args, &cli.ledger).await,
            Command::Rollback(args) => commands::rollback::run(args, &cli.ledger).await,
            Command::Audit(args) => commands::audit::run(args, &cli.ledger).await,
        }
    });

    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if closed_stdout(&err) => ExitCode::from(SIGPIPE_EXIT),
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            if let Some(plan_error) = err.downcast_ref::<cutover_plan::PlanError>() {
                print_snippets(plan_error);
            }
            if ledger_damaged(&err) {
                eprintln!(
                    "hint: the ledger file is damaged (the one beside the plan, or --ledger): \
                     restore it from a backup; a run with a new ledger finds the identities \
                     this plan created on the target and adopts them, but cannot roll them back"
                );
            }
            let code = if err.is::<cutover_plan::PlanError>() {
                exit::INVALID
            } else {
                exit::FAILURE
            };
            ExitCode::from(code)
        }
    }
}

/// The exit code a shell gives a process killed by SIGPIPE.
const SIGPIPE_EXIT: u8 = 141;

/// Whether the command failed only because the reader of its output went away.
fn closed_stdout(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A reader that stops early (`cutover audit PLAN | head`) closes the pipe, and printing to it
/// then panics. That is no failure of cutover's: end quietly with the code a shell gives a
/// process killed by SIGPIPE, as Unix tools do. Every other panic is reported as usual.
fn end_quietly_on_closed_stdout() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(i32::from(SIGPIPE_EXIT));
        }
        report(info);
    }));
}

/// Shows where each problem of an invalid plan is, in a snippet of the file, after the one-line
/// messages that name file, line and field.
fn print_snippets(error: &cutover_plan::PlanError) {
    if error.issues().is_empty() {
        return;
    }
    for report in error.to_reports() {
        eprintln!("\n{report:?}");
    }
}

/// Whether SQLite said the ledger file is corrupt or not a database at all.
fn ledger_damaged(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let text = cause.to_string();
        text.contains("database disk image is malformed") || text.contains("file is not a database")
    })
}

/// Logs go to stderr, coloured only on a terminal; `RUST_LOG` overrides the level chosen with
/// `-v`.
fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
