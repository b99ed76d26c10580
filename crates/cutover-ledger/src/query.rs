//! Query shapes that several tables of the ledger share.

use sqlx::Sqlite;
use sqlx::query::QueryScalar;
use sqlx::sqlite::{SqliteArguments, SqliteRow};

use crate::error::QueryContext;
use crate::{Ledger, LedgerError};

impl Ledger {
    /// Runs a `count(*)` query. SQLite never counts below zero, so the conversion cannot
    /// fail; a negative count would read as zero.
    pub(crate) async fn count(
        &self,
        query: QueryScalar<'_, Sqlite, i64, SqliteArguments>,
        operation: &'static str,
    ) -> Result<u64, LedgerError> {
        let count = query.fetch_one(&self.pool).await.during(operation)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// A page of the rows `sql` selects from a segment of a run: at most `limit`, with keys
    /// after `after`. `sql` takes the run id, the segment, `after` twice (its null test, then
    /// the comparison) and the limit, in that order.
    pub(crate) async fn segment_page(
        &self,
        sql: &'static str,
        run_id: &str,
        segment: &str,
        after: Option<&str>,
        limit: u32,
        operation: &'static str,
    ) -> Result<Vec<SqliteRow>, LedgerError> {
        sqlx::query(sql)
            .bind(run_id)
            .bind(segment)
            .bind(after)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .during(operation)
    }
}
