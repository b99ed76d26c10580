//! The example plans of `plans/examples/`, run as a user would run them: copied with their
//! fixtures into a scratch directory, checked, run into the sandbox the plan names, and the
//! sandbox's store then opened to see which identities were created.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use super::{SandboxProcess, assert_success, cutover_on};

/// The signer key of the Firebase example project (Firebase's published sample key), and
/// the variable the example plan reads it from.
pub const FIREBASE_SIGNER_KEY: (&str, &str) = (
    "FIREBASE_SIGNER_KEY",
    "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
);

/// The committed examples.
fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples")
}

/// An example plan and its fixture in a scratch directory.
pub struct Example {
    pub dir: tempfile::TempDir,
    pub plan: PathBuf,
    format: String,
    env: Vec<(String, String)>,
}

impl Example {
    /// Copies `plans/examples/<format>.yaml` and `plans/examples/<format>/`.
    pub fn new(format: &str) -> Example {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = dir.path().join(format!("{format}.yaml"));
        std::fs::copy(examples().join(format!("{format}.yaml")), &plan).expect("copy plan");
        let fixture = dir.path().join(format);
        std::fs::create_dir(&fixture).expect("fixture directory");
        for entry in std::fs::read_dir(examples().join(format)).expect("the fixture") {
            let entry = entry.expect("a fixture file");
            std::fs::copy(entry.path(), fixture.join(entry.file_name())).expect("copy fixture");
        }
        Example {
            dir,
            plan,
            format: format.to_string(),
            env: Vec::new(),
        }
    }

    /// Sets an environment variable for every command run on the example.
    pub fn with_env(mut self, (name, value): (&str, &str)) -> Example {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Rewrites the plan, replacing one piece of text that must be in it.
    pub fn edit_plan(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(&self.plan).expect("the plan");
        assert!(text.contains(from), "the plan has no {from:?}");
        std::fs::write(&self.plan, text.replacen(from, to, 1)).expect("write the plan");
    }

    /// Runs `cutover <command> <plan> <args>` with the example's environment.
    pub fn cutover(&self, command: &str, args: &[&str]) -> Output {
        let mut process = cutover_on(command, &self.plan, args);
        for (name, value) in &self.env {
            process.env(name, value);
        }
        process.output().expect("run cutover")
    }

    /// `cutover check --output json`.
    pub fn check(&self) -> Value {
        let output = self.cutover("check", &["--output", "json"]);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("check JSON")
    }

    /// `cutover run`, which must succeed.
    pub fn run(&self) {
        assert_success(&self.cutover("run", &[]));
    }

    /// The failed users of the run, by legacy id, with their reason code.
    pub fn failures(&self) -> BTreeMap<String, String> {
        let output = self.cutover("status", &["--output", "json", "--failures", "1000"]);
        assert_success(&output);
        let status: Value = serde_json::from_slice(&output.stdout).expect("status JSON");
        status["failures"]
            .as_array()
            .expect("failures")
            .iter()
            .map(|row| {
                let id = row["legacy_id"].as_str().expect("legacy id").to_string();
                (
                    id,
                    row["reason_code"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// The identities in the sandbox store the plan names, each summed up by
    /// [`summary`], keyed by external id.
    pub async fn identities(&self) -> BTreeMap<String, Value> {
        let store = self.dir.path().join(format!("{}-sandbox.db", self.format));
        let sandbox = SandboxProcess::start_on(&store);
        sandbox
            .identities()
            .await
            .iter()
            .map(|identity| {
                let id = identity["external_id"].as_str().expect("external id");
                (id.to_string(), summary(identity))
            })
            .collect()
    }
}

/// What a test compares of an identity: traits, public metadata, state, the segment it came
/// in with, whether its address is verified, and its social logins.
pub fn summary(identity: &Value) -> Value {
    let verified = identity["verifiable_addresses"]
        .as_array()
        .is_some_and(|addresses| addresses.iter().any(|a| a["verified"] == true));
    let oidc = identity["credentials"]["oidc"]["identifiers"].clone();
    json!({
        "traits": identity["traits"],
        "metadata_public": identity["metadata_public"],
        "state": identity["state"],
        "segment": identity["metadata_admin"]["cutover"]["segment"],
        "verified": verified,
        "oidc": if oidc.is_null() { json!([]) } else { oidc },
    })
}

/// Failures as the test writes them: `(legacy id, reason code)` pairs.
pub fn failures(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(id, code)| (id.to_string(), code.to_string()))
        .collect()
}
