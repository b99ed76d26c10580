//! The target of a plan: a Kratos admin API, or the embedded sandbox started for the run.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context;
use cutover_ory::{OryClient, OryConfig};
use cutover_plan::Plan;
use cutover_sandbox::{Sandbox, SandboxConfig, Store};

/// A connected target; the embedded sandbox, if any, lives as long as this value.
pub struct Target {
    /// The admin API client.
    pub client: OryClient,
    sandbox: Option<Sandbox>,
}

impl Target {
    /// Connects to the plan's target, starting the embedded sandbox when the plan names one.
    pub async fn connect(plan: &Plan) -> anyhow::Result<Target> {
        let (admin_url, api_key, sandbox) = match &plan.target.endpoint {
            cutover_plan::Target::Sandbox { store } => {
                let config = SandboxConfig {
                    store: Store::File(store.clone()),
                    schemas: Vec::new(),
                };
                let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
                let sandbox = Sandbox::start(config, listen).await.with_context(|| {
                    format!("cannot start the sandbox with store {}", store.display())
                })?;
                (sandbox.url(), None, Some(sandbox))
            }
            cutover_plan::Target::Kratos {
                admin_url,
                api_key_env,
            } => (
                admin_url.clone(),
                api_key(admin_url, api_key_env.as_deref())?,
                None,
            ),
        };

        let client = OryClient::new(OryConfig {
            api_key,
            timeout: plan.target.timeout,
            max_retries: plan.target.max_retries,
            ..OryConfig::new(admin_url)
        })
        .context("cannot set up the admin API client")?;
        Ok(Target { client, sandbox })
    }

    /// Stops the embedded sandbox, if one was started.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// The API key from the environment variable the plan names. A self-hosted Kratos on this
/// machine needs none, so a missing variable is only an error for a remote target.
fn api_key(admin_url: &str, env: Option<&str>) -> anyhow::Result<Option<String>> {
    let Some(env) = env else { return Ok(None) };
    match std::env::var(env) {
        Ok(key) if !key.is_empty() => Ok(Some(key)),
        _ if is_local(admin_url) => {
            tracing::warn!(
                variable = env,
                "API key variable not set; sending no key to a local target"
            );
            Ok(None)
        }
        _ => anyhow::bail!(
            "the environment variable {env} named by target.api_key_env is not set: export the \
             Ory project API key in it"
        ),
    }
}

fn is_local(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    ["127.", "localhost", "[::1]"]
        .iter()
        .any(|prefix| rest.starts_with(prefix))
}
