//! The Clerk reader: the dashboard's user export (CSV) or Clerk's JSON export.
//!
//! The dashboard CSV (Settings, User exports) is the one export with password digests;
//! support hands out a JSON array with the same data and metadata. Which one a file is, is
//! told from its first byte. Digests keep the format of the hasher they came with (see
//! [`digest`]).

mod digest;
mod user;

use crate::stream::{Items, UserStream, json_or_csv_records, users_file_only};
use crate::{SourceConfig, SourceError};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "clerk";

/// Opens the export named by `config`.
pub(crate) fn open(config: &SourceConfig) -> Result<Items, SourceError> {
    users_file_only(config, FORMAT)?;
    let records = json_or_csv_records(config)?;
    Ok(UserStream::items(
        config.users.clone(),
        records,
        user::map_user,
    ))
}
