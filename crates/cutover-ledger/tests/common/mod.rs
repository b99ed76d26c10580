//! What the ledger tests share: a ledger file with one run, and users sent to the target.

#![allow(dead_code)]

use cutover_ledger::{BatchOutcome, Ledger, Outcome};
use serde_json::json;

/// A ledger file in a scratch directory with one run; the directory lives as long as the
/// returned guard.
pub async fn ledger_with_run() -> (tempfile::TempDir, Ledger, String) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("run.ledger")).await.unwrap();
    let run = ledger
        .create_run("plan", "digest", &json!({"name": "plan"}))
        .await
        .unwrap();
    (dir, ledger, run.id)
}

/// The outcome of a user that batch `batch_id` created as `identity`.
pub fn imported(legacy_id: &str, batch_id: &str, identity: &str) -> Outcome {
    Outcome {
        legacy_id: legacy_id.into(),
        batch_id: batch_id.into(),
        result: BatchOutcome::Imported {
            identity_id: identity.into(),
            created: true,
        },
    }
}

/// Sends the users of phase `p1` in one batch and records each as created, with identity
/// `id-<legacy id>`.
pub async fn import(ledger: &Ledger, run: &str, legacy_ids: &[&str]) {
    let batch = ledger.begin_batch(run, "p1", legacy_ids).await.unwrap();
    let outcomes: Vec<Outcome> = legacy_ids
        .iter()
        .map(|id| imported(id, &batch, &format!("id-{id}")))
        .collect();
    ledger
        .record_outcomes(run, &outcomes, Some(&batch))
        .await
        .unwrap();
}
