//! The `jsonl` reader: one JSON object per line (or one JSON array of objects), plain or
//! gzip, mapped by the plan's field paths.
//!
//! Splitting the file into records, with their lines, is the same job the Auth0 reader
//! needs and is done by [`crate::records`]; this module only maps each object.

use std::collections::VecDeque;
use std::path::PathBuf;

use serde_json::Value;

use super::mapper::{Mapper, items};
use crate::input::open_input;
use crate::records::{Record, Records};
use crate::{Env, SourceConfig, SourceError, SourceItem};

/// The name of this format in a plan's `source.format`.
pub(crate) const FORMAT: &str = "jsonl";

/// Opens the users file named by `config` and returns the stream of items.
pub(crate) fn open(
    config: &SourceConfig,
    env: Env<'_>,
) -> Result<Box<dyn Iterator<Item = SourceItem> + Send>, SourceError> {
    let mapper = Mapper::from_options(config.options.mapping.as_ref(), FORMAT, env)?;
    let io_error = |source| SourceError::Io {
        role: "users",
        path: config.users.clone(),
        source,
    };
    let records = Records::new(open_input(&config.users).map_err(io_error)?).map_err(io_error)?;

    Ok(Box::new(JsonlReader {
        file: config.users.clone(),
        records,
        mapper,
        pending: VecDeque::new(),
    }))
}

/// The iterator behind [`open`].
struct JsonlReader {
    file: PathBuf,
    records: Records,
    mapper: Mapper,
    pending: VecDeque<SourceItem>,
}

impl Iterator for JsonlReader {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }

            let Record { line, parsed } = self.records.next()?;
            let mapped = parsed.and_then(|value| match value {
                Value::Object(record) => self.mapper.map(record),
                _ => Err("a user record must be a JSON object".into()),
            });
            self.pending.extend(items(&self.file, line, mapped));
        }
    }
}
