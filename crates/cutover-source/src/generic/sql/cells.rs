//! Converting the columns of a SQL row into JSON values, for each database.
//!
//! The field mapping and the raw record work on JSON objects, so every column is turned into
//! JSON by its database type: text stays text, numbers stay numbers (decimals as text, so no
//! digit is lost), booleans stay booleans, JSON columns become JSON, timestamps become RFC
//! 3339 text (without an offset when the column has none), and binary columns become hex or
//! base64 text as the plan says. A type with no sensible JSON form (PostgreSQL `numeric`,
//! `inet`, geometry) is reported once and left out of the records, with the advice to cast
//! it in the query.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde_json::Value;
use sqlx::mysql::{MySqlRow, MySqlTypeInfo};
use sqlx::postgres::{PgRow, PgTypeInfo, PgTypeKind};
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Decode, Row, Type, TypeInfo, ValueRef};

use crate::generic::config::BinaryText;

/// One column of a converted row.
///
/// It has no `Debug` on purpose: a cell of the hash column holds a hash.
pub(super) enum Cell {
    /// The column's value as JSON.
    Value(Value),
    /// The column's type has no JSON form here; the type's name.
    Unsupported(String),
    /// The value could not be converted (an impossible date, text that is not UTF-8); the
    /// type's name.
    Failed(String),
}

/// A row as column names and cells, in the query's column order.
pub(super) type Cells = Vec<(String, Cell)>;

/// What decoding one value gave: the value, or why not (for `Cell::Failed`).
type Decoded = Result<Value, ()>;

/// Converts a PostgreSQL row.
pub(super) fn postgres(row: &PgRow, binary: BinaryText) -> Cells {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let cell = match row.try_get_raw(i) {
                Ok(raw) if raw.is_null() => Cell::Value(Value::Null),
                Ok(_) => postgres_cell(row, i, column.type_info(), binary),
                Err(_) => Cell::Failed(column.type_info().name().to_lowercase()),
            };
            (column.name().to_string(), cell)
        })
        .collect()
}

fn postgres_cell(row: &PgRow, i: usize, ty: &PgTypeInfo, binary: BinaryText) -> Cell {
    // A domain is stored and sent as its base type.
    let mut base = ty;
    while let PgTypeKind::Domain(inner) = base.kind() {
        base = inner;
    }
    let name = base.name();
    let get = |decoded: Decoded| match decoded {
        Ok(value) => Cell::Value(value),
        Err(()) => Cell::Failed(ty.name().to_lowercase()),
    };

    // Enum labels travel as text, whatever the enum is called.
    if matches!(base.kind(), PgTypeKind::Enum(_)) {
        return get(decode::<String, _>(row, i).map(Value::String));
    }
    let decoded = match name {
        "BOOL" => decode::<bool, _>(row, i).map(Value::Bool),
        "INT2" => decode::<i16, _>(row, i).map(Value::from),
        "INT4" => decode::<i32, _>(row, i).map(Value::from),
        "INT8" => decode::<i64, _>(row, i).map(Value::from),
        "OID" => decode::<sqlx::postgres::types::Oid, _>(row, i).map(|oid| Value::from(oid.0)),
        "FLOAT4" => decode::<f32, _>(row, i).map(|f| float(f64::from(f))),
        "FLOAT8" => decode::<f64, _>(row, i).map(float),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "UNKNOWN" | "citext" => {
            decode::<String, _>(row, i).map(Value::String)
        }
        "UUID" => decode::<uuid::Uuid, _>(row, i).map(|id| Value::String(id.to_string())),
        "JSON" | "JSONB" => decode::<Value, _>(row, i),
        "TIMESTAMPTZ" => decode::<DateTime<Utc>, _>(row, i).map(zoned),
        "TIMESTAMP" => decode::<NaiveDateTime, _>(row, i).map(naive),
        "DATE" => decode::<NaiveDate, _>(row, i).map(|d| Value::String(d.to_string())),
        "TIME" => decode::<NaiveTime, _>(row, i).map(|t| Value::String(t.to_string())),
        "BYTEA" => decode::<Vec<u8>, _>(row, i).map(|bytes| bytes_text(&bytes, binary)),
        "TEXT[]" | "VARCHAR[]" | "BPCHAR[]" | "NAME[]" | "citext[]" => {
            decode::<Vec<String>, _>(row, i).map(Value::from)
        }
        "INT2[]" => decode::<Vec<i16>, _>(row, i).map(Value::from),
        "INT4[]" => decode::<Vec<i32>, _>(row, i).map(Value::from),
        "INT8[]" => decode::<Vec<i64>, _>(row, i).map(Value::from),
        "BOOL[]" => decode::<Vec<bool>, _>(row, i).map(Value::from),
        "UUID[]" => decode::<Vec<uuid::Uuid>, _>(row, i)
            .map(|ids| Value::from(ids.iter().map(ToString::to_string).collect::<Vec<_>>())),
        _ => return Cell::Unsupported(ty.name().to_lowercase()),
    };
    get(decoded)
}

/// Converts a MySQL or MariaDB row.
pub(super) fn mysql(row: &MySqlRow, binary: BinaryText) -> Cells {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let ty = column.type_info();
            let cell = match row.try_get_raw(i) {
                Ok(raw) if raw.is_null() => Cell::Value(Value::Null),
                Ok(_) => mysql_cell(row, i, ty, binary),
                Err(_) => Cell::Failed(ty.name().to_lowercase()),
            };
            (column.name().to_string(), cell)
        })
        .collect()
}

fn mysql_cell(row: &MySqlRow, i: usize, ty: &MySqlTypeInfo, binary: BinaryText) -> Cell {
    let name = ty.name();
    // Text in a binary collation (`utf8mb4_bin`, MariaDB's JSON) is sent flagged as binary
    // and named like a blob; only the `binary` character set means bytes.
    let text = <String as Type<sqlx::MySql>>::compatible(ty);
    let decoded = match name {
        "BOOLEAN" => decode::<i8, _>(row, i).map(|b| Value::Bool(b != 0)),
        "TINYINT" => decode::<i8, _>(row, i).map(Value::from),
        "SMALLINT" => decode::<i16, _>(row, i).map(Value::from),
        "INT" | "MEDIUMINT" => decode::<i32, _>(row, i).map(Value::from),
        "BIGINT" => decode::<i64, _>(row, i).map(Value::from),
        "TINYINT UNSIGNED" => decode::<u8, _>(row, i).map(Value::from),
        "SMALLINT UNSIGNED" | "YEAR" => decode::<u16, _>(row, i).map(Value::from),
        "INT UNSIGNED" | "MEDIUMINT UNSIGNED" => decode::<u32, _>(row, i).map(Value::from),
        "BIGINT UNSIGNED" => decode::<u64, _>(row, i).map(Value::from),
        "FLOAT" => decode::<f32, _>(row, i).map(|f| float(f64::from(f))),
        "DOUBLE" => decode::<f64, _>(row, i).map(float),
        // Decimals travel as their text, which keeps every digit.
        "DECIMAL" | "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT"
        | "ENUM" | "SET" => decode::<String, _>(row, i).map(Value::String),
        "JSON" => decode::<Value, _>(row, i),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" if text => {
            decode::<String, _>(row, i).map(Value::String)
        }
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" | "BIT" => {
            decode::<Vec<u8>, _>(row, i).map(|bytes| bytes_text(&bytes, binary))
        }
        "DATETIME" | "TIMESTAMP" => {
            zero_date(row, i, decode::<NaiveDateTime, _>(row, i).map(naive))
        }
        "DATE" => zero_date(
            row,
            i,
            decode::<NaiveDate, _>(row, i).map(|d| Value::String(d.to_string())),
        ),
        "TIME" => decode::<NaiveTime, _>(row, i).map(|t| Value::String(t.to_string())),
        _ => return Cell::Unsupported(name.to_lowercase()),
    };
    match decoded {
        Ok(value) => Cell::Value(value),
        Err(()) => Cell::Failed(name.to_lowercase()),
    }
}

/// MySQL's "zero date" (`0000-00-00`), which applications write for "no date", is null; in
/// the binary protocol it is a value of length 0.
fn zero_date(row: &MySqlRow, i: usize, decoded: Decoded) -> Decoded {
    decoded.or_else(|()| match decode::<Vec<u8>, _>(row, i) {
        Ok(bytes) if bytes.iter().all(|b| *b == 0) => Ok(Value::Null),
        _ => Err(()),
    })
}

/// Converts a SQLite row by the type of each value (SQLite columns hold any type); a column
/// declared `BOOLEAN` reads its 0 and 1 as a boolean.
pub(super) fn sqlite(row: &SqliteRow, binary: BinaryText) -> Cells {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let declared = column.type_info().name();
            let cell = match row.try_get_raw(i) {
                Ok(raw) if raw.is_null() => Cell::Value(Value::Null),
                Ok(raw) => {
                    let stored = raw.type_info().name().to_string();
                    sqlite_cell(row, i, &stored, declared, binary)
                }
                Err(_) => Cell::Failed(declared.to_lowercase()),
            };
            (column.name().to_string(), cell)
        })
        .collect()
}

fn sqlite_cell(
    row: &SqliteRow,
    i: usize,
    stored: &str,
    declared: &str,
    binary: BinaryText,
) -> Cell {
    let decoded = match stored {
        "INTEGER" if declared.eq_ignore_ascii_case("BOOLEAN") => match decode::<i64, _>(row, i) {
            Ok(0) => Ok(Value::Bool(false)),
            Ok(1) => Ok(Value::Bool(true)),
            other => other.map(Value::from),
        },
        "INTEGER" | "NUMERIC" => decode::<i64, _>(row, i).map(Value::from),
        "REAL" => decode::<f64, _>(row, i).map(float),
        "TEXT" => decode::<String, _>(row, i).map(Value::String),
        "BLOB" => decode::<Vec<u8>, _>(row, i).map(|bytes| bytes_text(&bytes, binary)),
        _ => return Cell::Unsupported(stored.to_lowercase()),
    };
    match decoded {
        Ok(value) => Cell::Value(value),
        Err(()) => Cell::Failed(stored.to_lowercase()),
    }
}

/// Decodes column `i` as `T` without sqlx's type check: the callers have matched the type by
/// name already, including types sqlx does not know by name (domains, enums, `citext`).
fn decode<'r, T, R>(row: &'r R, i: usize) -> Result<T, ()>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    T: Decode<'r, R::Database> + Type<R::Database>,
{
    row.try_get_unchecked::<T, _>(i).map_err(|_| ())
}

fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

fn zoned(at: DateTime<Utc>) -> Value {
    Value::String(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// A timestamp without a time zone, written without an offset (readers take it as UTC).
fn naive(at: NaiveDateTime) -> Value {
    Value::String(at.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
}

fn bytes_text(bytes: &[u8], binary: BinaryText) -> Value {
    Value::String(match binary {
        BinaryText::Hex => hex::encode(bytes),
        BinaryText::Base64 => STANDARD.encode(bytes),
    })
}
