//! The Supabase reader: rows of the `auth.users` table, as JSON or CSV.
//!
//! The Admin API never returns password hashes, so a migration works from a dump of the
//! table: JSON (an array or NDJSON, for example from `select json_agg(u) from auth.users
//! u`) or CSV with a header row (`\copy auth.users to 'users.csv' csv header`). Which one
//! a file is, is told from its first byte. Both give the same user, with `jsonb` columns
//! parsed whether they arrive as JSON or as JSON text inside a CSV cell.

mod user;

use chrono::Utc;

use crate::stream::{Items, UserStream, json_or_csv_records, users_file_only};
use crate::{SourceConfig, SourceError};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "supabase";

/// Opens the table dump named by `config`.
///
/// A ban (`banned_until`) counts as in force when it ends after the moment the export is
/// opened.
pub(crate) fn open(config: &SourceConfig) -> Result<Items, SourceError> {
    users_file_only(config, FORMAT)?;
    let records = json_or_csv_records(config)?;
    let now = Utc::now();
    Ok(UserStream::items(
        config.users.clone(),
        records,
        move |record| user::map_user(record, now),
    ))
}
