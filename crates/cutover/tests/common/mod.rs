//! Test harness: the real `cutover` binary, a sandbox target in its own process on loopback,
//! and the sample export copied into a scratch directory.

#![allow(dead_code)]

pub mod examples;
pub mod lifecycle;
pub mod logins;
pub mod oracle;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

/// The `cutover` binary under test.
pub fn cutover() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cutover"))
}

/// `cutover COMMAND PLAN ARGS...`, ready for its environment and to run.
pub fn cutover_on(command: &str, plan: &Path, args: &[&str]) -> Command {
    let mut process = cutover();
    process.arg(command).arg(plan).args(args);
    process
}

/// The sample export committed in `plans/exports`.
pub fn sample_exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/exports")
}

/// A sandbox target running as a separate process, so that it outlives a crashed run.
pub struct SandboxProcess {
    child: Child,
    pub url: String,
}

impl SandboxProcess {
    /// Starts `cutover sandbox` on a free loopback port with its store in `dir`.
    pub fn start(dir: &Path) -> SandboxProcess {
        Self::start_on(&dir.join("sandbox.db"))
    }

    /// Starts `cutover sandbox` on a free loopback port with the store file `store`.
    pub fn start_on(store: &Path) -> SandboxProcess {
        let mut child = cutover()
            .args(["sandbox", "--listen", "127.0.0.1:0", "--store"])
            .arg(store)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sandbox");
        let stdout = child.stdout.take().expect("sandbox stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("sandbox prints its URL");
        assert!(line.starts_with("http://"), "sandbox printed {line:?}");
        SandboxProcess {
            child,
            url: line.trim().to_string(),
        }
    }

    /// Request counts per route, and the number of identities.
    pub async fn stats(&self) -> Value {
        get_json(&format!("{}/__sandbox/stats", self.url)).await
    }

    /// How many requests of one route (e.g. `PATCH /admin/identities`) were received.
    pub async fn requests(&self, route: &str) -> u64 {
        self.stats().await["requests"][route].as_u64().unwrap_or(0)
    }

    /// Forgets the request counts.
    pub async fn reset_stats(&self) {
        post_json(&format!("{}/__sandbox/stats/reset", self.url), &json!({})).await;
    }

    /// Makes the next `times` requests of `route` fail in the given mode.
    pub async fn inject(&self, route: &str, mode: &str, times: u32) {
        let fault = json!({"route": route, "mode": mode, "times": times, "retry_after_secs": 1});
        post_json(&format!("{}/__sandbox/faults", self.url), &fault).await;
    }

    /// Makes the next `times` requests of `route` answer only after `delay_ms`.
    pub async fn delay(&self, route: &str, delay_ms: u64, times: u32) {
        let fault =
            json!({"route": route, "mode": "delay_ms", "times": times, "delay_ms": delay_ms});
        post_json(&format!("{}/__sandbox/faults", self.url), &fault).await;
    }

    /// Forgets every queued fault.
    pub async fn clear_faults(&self) {
        let url = format!("{}/__sandbox/faults", self.url);
        let response = reqwest::Client::new().delete(url).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "clear faults: {}",
            response.status()
        );
    }

    /// Creates identities as if they had existed before the migration.
    pub async fn seed(&self, identities: Vec<Value>) {
        post_json(
            &format!("{}/__sandbox/seed", self.url),
            &json!({"identities": identities}),
        )
        .await;
    }

    /// Every identity on the target, page by page.
    pub async fn identities(&self) -> Vec<Value> {
        let client = reqwest::Client::new();
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut request = client
                .get(format!("{}/admin/identities", self.url))
                .query(&[("page_size", "500")]);
            if let Some(token) = &token {
                request = request.query(&[("page_token", token.as_str())]);
            }
            let response = request.send().await.expect("list identities");
            let link = response
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let page: Vec<Value> = response.json().await.expect("identity page");
            all.extend(page);
            token = next_token(&link);
            if token.is_none() {
                return all;
            }
        }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_token(link: &str) -> Option<String> {
    let next = link.split(',').find(|part| part.contains("rel=\"next\""))?;
    let url = next.split(['<', '>']).nth(1)?;
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page_token="))
        .map(str::to_string)
}

async fn get_json(url: &str) -> Value {
    reqwest::get(url)
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON body")
}

async fn post_json(url: &str, body: &Value) -> Value {
    let response = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .expect("POST");
    assert!(
        response.status().is_success(),
        "POST {url}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

/// A scratch directory with the sample export and a plan aimed at `admin_url`.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub plan: PathBuf,
}

impl Workspace {
    /// Copies the sample export and writes a two-phase plan for the target.
    pub fn new(admin_url: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("tempdir");
        let exports = dir.path().join("exports");
        std::fs::create_dir(&exports).unwrap();
        for file in ["users.ndjson", "password-hashes.ndjson"] {
            std::fs::copy(sample_exports().join(file), exports.join(file)).expect("copy sample");
        }
        let plan = dir.path().join("plan.yaml");
        std::fs::write(&plan, plan_text(admin_url, 250)).unwrap();
        Workspace { dir, plan }
    }

    /// Rewrites the plan with another batch size for the second phase.
    pub fn set_batch_size(&self, admin_url: &str, batch_size: u32) {
        std::fs::write(&self.plan, plan_text(admin_url, batch_size)).unwrap();
    }

    /// Runs `cutover` with the given arguments after the subcommand and the plan.
    pub fn cutover(&self, command: &str, args: &[&str]) -> Output {
        cutover_on(command, &self.plan, args)
            .output()
            .expect("run cutover")
    }

    /// `cutover status --output json`.
    pub fn status(&self) -> Value {
        let output = self.cutover("status", &["--output", "json", "--failures", "100000"]);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("status JSON")
    }

    /// `cutover check --output json`.
    pub fn check(&self) -> Value {
        let output = self.cutover("check", &["--output", "json"]);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("check JSON")
    }
}

fn plan_text(admin_url: &str, batch_size: u32) -> String {
    format!(
        r#"version: 1
name: e2e-sample
source:
  format: auth0
  users: exports/users.ndjson
  password_hashes: exports/password-hashes.ndjson
target:
  admin_url: {admin_url}
  schema_id: preset://email
  timeout_secs: 5
identity:
  traits:
    email: "{{{{ email }}}}"
    name:
      first: "{{{{ given_name }}}}"
      last: "{{{{ family_name }}}}"
  social_providers:
    google-oauth2: google
    github: github
segments:
  - name: staff
    where: {{ email_domain: [acme.example] }}
  - name: rest
    where: {{ all: true }}
phases:
  - name: staff
    segments: [staff]
    batch_size: 500
  - name: rest
    segments: [rest]
    after: [staff]
    batch_size: {batch_size}
"#
    )
}

/// Fails the test with the command's output unless it succeeded.
pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "cutover failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The identities' external ids, sorted, with their traits: what "the same identities" means.
pub fn fingerprint(identities: &[Value]) -> Vec<(String, Value)> {
    let mut rows: Vec<(String, Value)> = identities
        .iter()
        .map(|identity| {
            let external = identity["external_id"].as_str().unwrap_or("").to_string();
            (external, json!([identity["traits"], identity["state"]]))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}
