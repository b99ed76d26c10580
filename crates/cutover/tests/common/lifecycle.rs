//! Helpers for the go-live, rollback and audit tests: plans whose identities start inactive,
//! commands crashed at a checkpoint, the ledger file opened for tampering, and the target's
//! identities per segment.

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use super::oracle::expected;
use super::{SandboxProcess, Workspace, assert_success, cutover_on};

/// The plan name the test plans use, as identities' `metadata_admin` records it.
pub const PLAN_NAME: &str = "e2e-sample";

impl Workspace {
    /// Rewrites the plan file with `edit`.
    pub fn edit_plan(&self, edit: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(&self.plan).unwrap();
        let edited = edit(text.clone());
        assert_ne!(edited, text, "the plan edit changed nothing");
        std::fs::write(&self.plan, edited).unwrap();
    }

    /// Makes the plan create identities `inactive`, so that a go-live has work to do.
    pub fn create_inactive(&self) {
        self.edit_plan(|text| text.replace("identity:\n", "identity:\n  state: inactive\n"));
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, command: &str, args: &[&str]) -> String {
        let output = self.cutover(command, args);
        assert_success(&output);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs a command with `CUTOVER_CRASH_AT` set; it must die at that checkpoint.
    pub fn crash_at(&self, checkpoint: &str, command: &str, args: &[&str]) -> Output {
        let output = cutover_on(command, &self.plan, args)
            .env("CUTOVER_CRASH_AT", checkpoint)
            .output()
            .expect("run cutover");
        assert!(
            !output.status.success(),
            "{command} did not crash at {checkpoint}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// The ledger file beside the plan.
    pub fn ledger_path(&self) -> PathBuf {
        self.dir.path().join("plan.ledger.db")
    }

    /// Runs SQL on the ledger file directly, as someone with the file in hand would.
    pub async fn ledger_sql(&self, sql: &str) {
        let pool = self.ledger_pool().await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&pool)
            .await
            .expect("ledger SQL");
        pool.close().await;
    }

    /// One number read from the ledger file.
    pub async fn ledger_number(&self, sql: &str) -> i64 {
        let pool = self.ledger_pool().await;
        let value = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&pool)
            .await
            .expect("ledger query");
        pool.close().await;
        value
    }

    async fn ledger_pool(&self) -> sqlx::SqlitePool {
        let url = format!("sqlite://{}", self.ledger_path().display());
        sqlx::SqlitePool::connect(&url)
            .await
            .expect("open the ledger file")
    }

    /// `cutover audit PLAN --output json` with extra arguments: the events.
    pub fn audit_events(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["--output", "json"];
        all.extend(args);
        let report: Value = serde_json::from_str(&self.ok("audit", &all)).expect("audit JSON");
        report["events"].as_array().expect("events").clone()
    }

    /// Marks a user of the copied export as blocked in the legacy system.
    pub fn block_user(&self, legacy_id: &str) {
        let path = self.dir.path().join("exports/users.ndjson");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut found = false;
        let lines: Vec<String> = text
            .lines()
            .map(|line| match serde_json::from_str::<Value>(line) {
                Ok(mut user) if user["user_id"] == legacy_id => {
                    found = true;
                    user["blocked"] = Value::Bool(true);
                    user.to_string()
                }
                _ => line.to_string(),
            })
            .collect();
        assert!(found, "no user {legacy_id} in the export");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
}

/// The first importable users of the sample export, at the staff domain or not, as
/// (legacy id, email).
pub fn importable_users(work: &Workspace, staff: bool, count: usize) -> Vec<(String, String)> {
    let exports = work.dir.path().join("exports");
    let importable = expected(&exports).importable;
    let text = std::fs::read_to_string(exports.join("users.ndjson")).unwrap();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|user| {
            user["user_id"]
                .as_str()
                .is_some_and(|id| importable.contains(id))
        })
        .filter(|user| {
            user["email"]
                .as_str()
                .unwrap_or("")
                .ends_with("@acme.example")
                == staff
        })
        .take(count)
        .map(|user| {
            let id = user["user_id"].as_str().unwrap().to_string();
            (id, user["email"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The identities this plan created for a segment, by the segment their metadata names.
pub fn of_segment<'a>(identities: &'a [Value], segment: &str) -> Vec<&'a Value> {
    identities
        .iter()
        .filter(|identity| identity["metadata_admin"]["cutover"]["segment"] == segment)
        .collect()
}

/// Asserts that every identity of `segment` is active but the blocked user's, which a
/// go-live must leave inactive.
pub fn assert_active_but_blocked(identities: &[Value], segment: &str, blocked: &str) {
    for identity in of_segment(identities, segment) {
        let expected = if identity["external_id"] == blocked {
            "inactive"
        } else {
            "active"
        };
        assert_eq!(identity["state"], expected, "{}", identity["external_id"]);
    }
}

/// How many requests that change identities the target received since its counts were reset.
pub async fn writes(sandbox: &SandboxProcess) -> u64 {
    let stats = sandbox.stats().await;
    stats["requests"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(route, _)| !route.starts_with("GET"))
        .map(|(_, count)| count.as_u64().unwrap())
        .sum()
}

/// A command's standard output and error, for assertions.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The exit code of a command that was not killed.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("the command was killed")
}
