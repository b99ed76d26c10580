//! Runs: which plan a ledger is carrying out, and with which version of the plan file.

use sqlx::Row;

use crate::error::QueryContext;
use crate::{Ledger, LedgerError, Run, now};

impl Ledger {
    /// The run of the plan named `plan_name`, if one was ever started in this ledger.
    pub async fn find_run(&self, plan_name: &str) -> Result<Option<Run>, LedgerError> {
        let row = sqlx::query(
            "select id, plan_name, plan_digest, plan_json, created_at from runs
             where plan_name = ?",
        )
        .bind(plan_name)
        .fetch_optional(&self.pool)
        .await
        .during("find run")?;

        row.map(|row| {
            let json: String = row.get("plan_json");
            let plan_json = serde_json::from_str(&json).map_err(|_| LedgerError::Corrupt {
                what: "plan snapshot",
                value: row.get::<String, _>("plan_name"),
            })?;
            Ok(Run {
                id: row.get("id"),
                plan_name: row.get("plan_name"),
                plan_digest: row.get("plan_digest"),
                plan_json,
                created_at: row.get("created_at"),
            })
        })
        .transpose()
    }

    /// Starts a new run of a plan and returns it.
    pub async fn create_run(
        &self,
        plan_name: &str,
        plan_digest: &str,
        plan_json: &serde_json::Value,
    ) -> Result<Run, LedgerError> {
        let id = uuid::Uuid::now_v7().to_string();
        let at = now();
        sqlx::query(
            "insert into runs (id, plan_name, plan_digest, plan_json, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(plan_name)
        .bind(plan_digest)
        .bind(plan_json.to_string())
        .bind(&at)
        .bind(&at)
        .execute(&self.pool)
        .await
        .during("create run")?;

        Ok(Run {
            id,
            plan_name: plan_name.into(),
            plan_digest: plan_digest.into(),
            plan_json: plan_json.clone(),
            created_at: at,
        })
    }

    /// Records that the run now follows a changed plan file.
    pub async fn accept_plan_change(
        &self,
        run_id: &str,
        plan_digest: &str,
        plan_json: &serde_json::Value,
    ) -> Result<(), LedgerError> {
        sqlx::query("update runs set plan_digest = ?, plan_json = ?, updated_at = ? where id = ?")
            .bind(plan_digest)
            .bind(plan_json.to_string())
            .bind(now())
            .bind(run_id)
            .execute(&self.pool)
            .await
            .during("accept plan change")?;
        Ok(())
    }
}
