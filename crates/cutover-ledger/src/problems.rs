//! Problems found while reading the export, kept so that `status` can show them later.

use sqlx::Row;

use crate::error::QueryContext;
use crate::users::to_i64;
use crate::{Ledger, LedgerError};

/// A record of the export that could not be read, or a warning about one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SourceProblem {
    /// The export file.
    pub file: String,
    /// The line in that file, when known.
    pub line: Option<u64>,
    /// `unreadable` or `warning`.
    pub kind: String,
    /// What is wrong.
    pub message: String,
}

impl Ledger {
    /// Replaces the run's source problems with those of the latest read of the export.
    pub async fn replace_source_problems(
        &self,
        run_id: &str,
        problems: &[SourceProblem],
    ) -> Result<(), LedgerError> {
        let mut tx = self.pool.begin().await.during("begin source problems")?;
        sqlx::query("delete from source_problems where run_id = ?")
            .bind(run_id)
            .execute(&mut *tx)
            .await
            .during("clear source problems")?;

        for problem in problems {
            sqlx::query(
                "insert into source_problems (run_id, file, line, kind, message)
                 values (?, ?, ?, ?, ?)",
            )
            .bind(run_id)
            .bind(&problem.file)
            .bind(problem.line.map(to_i64))
            .bind(&problem.kind)
            .bind(&problem.message)
            .execute(&mut *tx)
            .await
            .during("record source problem")?;
        }
        tx.commit().await.during("commit source problems")?;
        Ok(())
    }

    /// The run's source problems, in file order.
    pub async fn source_problems(&self, run_id: &str) -> Result<Vec<SourceProblem>, LedgerError> {
        let rows = sqlx::query(
            "select file, line, kind, message from source_problems where run_id = ?
             order by file, line",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .during("list source problems")?;
        Ok(rows
            .iter()
            .map(|row| SourceProblem {
                file: row.get("file"),
                line: row
                    .get::<Option<i64>, _>("line")
                    .and_then(|l| u64::try_from(l).ok()),
                kind: row.get("kind"),
                message: row.get("message"),
            })
            .collect())
    }
}
