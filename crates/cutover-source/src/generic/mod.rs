//! The generic readers: `csv`, `jsonl` and `sql` exports of home-grown user tables.
//!
//! Unlike the vendor readers, these know no field names of their own: the plan maps each
//! field of the legacy user to a column or a path, and says how the password hash is stored.
//! Each reader turns its records into JSON objects (CSV cells as strings, SQL columns as
//! typed values) and hands them to one [`mapper::Mapper`], so the mapping, the password
//! decoding and the warnings are the same whatever the file or database.

mod config;
mod csv_reader;
mod jsonl;
mod mapper;
mod password;
mod sql;
mod timestamp;
mod values;

pub use config::{
    BinaryText, CsvOptions, Encoding, FieldPaths, HashDigest, HashScheme, Param, PasswordColumns,
    RecordMapping, SaltColumn, SaltPlacement, SchemeChoice, SqlOptions, WhenEmpty,
};

pub(crate) use csv_reader::{FORMAT as CSV_FORMAT, open as open_csv};
pub(crate) use jsonl::{FORMAT as JSONL_FORMAT, open as open_jsonl};
pub(crate) use sql::{FORMAT as SQL_FORMAT, open as open_sql};
