//! `cutover sandbox`: serve the Kratos-compatible admin API in the foreground until stopped.

use anyhow::Context;
use cutover_sandbox::{Sandbox, SandboxConfig, Store};

use crate::cli::SandboxArgs;

pub async fn run(args: SandboxArgs) -> anyhow::Result<u8> {
    let mut schemas = Vec::new();
    for spec in &args.schemas {
        let (id, file) = spec
            .split_once('=')
            .with_context(|| format!("--schema takes ID=FILE, not {spec:?}"))?;
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read identity schema {file}"))?;
        let schema = serde_json::from_str(&text)
            .with_context(|| format!("identity schema {file} is not JSON"))?;
        schemas.push((id.to_string(), schema));
    }
    let store = args.store.map_or(Store::Memory, Store::File);
    let sandbox = Sandbox::start(SandboxConfig { store, schemas }, args.listen)
        .await
        .context("cannot start the sandbox")?;

    // The first line on stdout is the URL, so scripts and tests can use port 0.
    println!("{}", sandbox.url());
    tracing::info!(url = %sandbox.url(), "sandbox serving the Kratos admin API; Ctrl-C stops it");
    shutdown_signal().await;
    sandbox.shutdown().await;
    Ok(0)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
