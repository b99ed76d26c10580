//! Starting and stopping the sandbox: configuration, binding, serving and shutdown.
//!
//! The listener is bound before anything is served, so a caller that asked for port 0 knows the
//! real address as soon as `start` returns and never has to poll for the server to come up.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::errors::SandboxError;
use crate::faults::Faults;
use crate::routes::{self, AppState, Inner};
use crate::schema::SchemaRegistry;
use crate::stats::Stats;
use crate::store::IdentityStore;

/// Where the sandbox keeps its identities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Store {
    /// An in-memory SQLite database that disappears with the sandbox.
    #[default]
    Memory,
    /// A SQLite database file, created if missing, that survives restarts.
    File(PathBuf),
}

/// How to run a sandbox: its store and the identity schemas it knows besides the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Where identities are stored.
    pub store: Store,
    /// Extra identity schemas as `(schema id, JSON schema)`; an id may replace a built-in one.
    pub schemas: Vec<(String, serde_json::Value)>,
}

/// A running sandbox serving in a background tokio task.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Opens the store, binds `listen` (port 0 picks a free port) and serves in a tokio task.
    pub async fn start(config: SandboxConfig, listen: SocketAddr) -> Result<Sandbox, SandboxError> {
        let (stop, stopped) = watch::channel(false);
        let (listener, state) = prepare(config, listen, stopped.clone()).await?;
        let addr = local_addr(&listener, listen)?;

        let task = tokio::spawn(async move {
            if let Err(error) = run(listener, state, stopped).await {
                tracing::warn!(%error, "sandbox server stopped with an error");
            }
        });
        Ok(Sandbox { addr, stop, task })
    }

    /// The base URL of the admin API, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests, ends pending hangs, waits for the server and closes the store.
    pub async fn shutdown(self) {
        // The receiver lives in the serving task, so sending can only fail once it has ended.
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "sandbox server task failed");
        }
    }
}

/// Serves the sandbox on `listen` in the foreground until `shutdown` completes.
pub async fn serve_until(
    config: SandboxConfig,
    listen: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), SandboxError> {
    let (stop, stopped) = watch::channel(false);
    let (listener, state) = prepare(config, listen, stopped.clone()).await?;
    let addr = local_addr(&listener, listen)?;
    tracing::info!(%addr, "sandbox listening");

    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    run(listener, state, stopped).await
}

async fn prepare(
    config: SandboxConfig,
    listen: SocketAddr,
    stopped: watch::Receiver<bool>,
) -> Result<(TcpListener, AppState), SandboxError> {
    let schemas = SchemaRegistry::new(config.schemas)?;

    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| SandboxError::Bind {
            addr: listen,
            source,
        })?;
    let addr = local_addr(&listener, listen)?;

    let store = IdentityStore::open(&config.store).await?;
    let state = AppState(Arc::new(Inner {
        store,
        schemas,
        base_url: format!("http://{addr}"),
        stats: Stats::default(),
        faults: Faults::default(),
        stopped,
    }));
    Ok((listener, state))
}

async fn run(
    listener: TcpListener,
    state: AppState,
    mut stopped: watch::Receiver<bool>,
) -> Result<(), SandboxError> {
    let app = routes::router(state.clone());
    let signal = async move {
        // An error means the sender is gone, which is a stop request as well.
        let _ = stopped.wait_for(|stop| *stop).await;
    };

    let served = axum::serve(listener, app)
        .with_graceful_shutdown(signal)
        .await;
    state.0.store.close().await;
    served.map_err(SandboxError::Serve)
}

/// The bound address as a client reaches it: a wildcard listen address becomes loopback.
fn local_addr(listener: &TcpListener, listen: SocketAddr) -> Result<SocketAddr, SandboxError> {
    let mut addr = listener.local_addr().map_err(|source| SandboxError::Bind {
        addr: listen,
        source,
    })?;

    if addr.ip().is_unspecified() {
        let loopback = match addr {
            SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        };
        addr.set_ip(loopback);
    }
    Ok(addr)
}
