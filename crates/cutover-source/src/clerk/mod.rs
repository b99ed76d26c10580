//! The Clerk reader: the dashboard's user export (CSV) or Clerk's JSON export.
//!
//! The dashboard CSV (Settings, User exports) is the one export with password digests;
//! support hands out a JSON array with the same data and metadata. Which one a file is, is
//! told from its first byte. Digests keep the format of the hasher they came with (see
//! [`digest`]).

mod digest;
mod user;

use crate::input::first_byte;
use crate::records::{Record, Records};
use crate::stream::{Items, UserStream, open_users, users_error, users_file_only};
use crate::table::HeaderRecords;
use crate::{SourceConfig, SourceError};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "clerk";

/// Opens the export named by `config`.
pub(crate) fn open(config: &SourceConfig) -> Result<Items, SourceError> {
    users_file_only(config, FORMAT)?;
    let mut input = open_users(config)?;
    let records: Box<dyn Iterator<Item = Record> + Send> =
        match first_byte(&mut input).map_err(|e| users_error(config, e))? {
            Some(b'[' | b'{') => Box::new(Records::new(input).map_err(|e| users_error(config, e))?),
            _ => Box::new(HeaderRecords::new(input)),
        };
    Ok(UserStream::items(
        config.users.clone(),
        records,
        user::map_user,
    ))
}
