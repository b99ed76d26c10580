//! Firebase's CSV export in both column layouts firebase-tools has written, turned into
//! the record shape of its JSON export.
//!
//! The CSV has no header and ends every line with an extra comma. The current layout has
//! 28 columns: `localId, email, emailVerified, passwordHash, salt, displayName, photoUrl`,
//! four columns (`rawId, email, displayName, photoUrl`) for each of `google.com`,
//! `facebook.com`, `twitter.com` and `github.com`, then `createdAt, lastSignedInAt,
//! phoneNumber, disabled, customAttributes`. The JavaScript-era firebase-tools (2017) wrote
//! `disabled, createdAt, lastSignedInAt, phoneNumber` instead and no `customAttributes`.
//! Nothing in the file says which; the layout is told from each row by which columns hold
//! epoch milliseconds, and from the number of columns when a row has no times at all.
//!
//! Rows become objects with the JSON export's key names, so that the user context of a
//! Firebase user is the same whichever file type was exported.

use serde_json::{Map, Value, json};

use crate::input::Input;
use crate::records::Record;
use crate::table::{Rows, over_lines};

/// The social providers the exporter writes, with the column of each one's `rawId`.
const PROVIDERS: [(&str, usize); 4] = [
    ("google.com", 7),
    ("facebook.com", 11),
    ("twitter.com", 15),
    ("github.com", 19),
];

/// A column layout of the CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// firebase-tools since 2018: times before `phoneNumber, disabled, customAttributes`.
    Current,
    /// firebase-tools of 2017: `disabled` before the times, no `customAttributes`.
    Legacy,
}

/// Where a layout keeps the columns that moved between versions.
struct Columns {
    created_at: usize,
    last_signed_in_at: usize,
    phone_number: usize,
    disabled: usize,
    custom_attributes: Option<usize>,
}

impl Layout {
    /// The columns of a row without the empty field after the trailing comma.
    const fn width(self) -> usize {
        match self {
            Layout::Current => 28,
            Layout::Legacy => 27,
        }
    }

    const fn columns(self) -> Columns {
        match self {
            Layout::Current => Columns {
                created_at: 23,
                last_signed_in_at: 24,
                phone_number: 25,
                disabled: 26,
                custom_attributes: Some(27),
            },
            Layout::Legacy => Columns {
                created_at: 24,
                last_signed_in_at: 25,
                phone_number: 26,
                disabled: 23,
                custom_attributes: None,
            },
        }
    }

    /// Whether a row of `fields` columns can be in this layout, with or without the
    /// trailing comma's empty field.
    fn fits(self, fields: &[String]) -> bool {
        let width = self.width();
        fields.len() == width || (fields.len() == width + 1 && fields[width].is_empty())
    }
}

/// Tells a row's layout; `previous` settles rows that carry no time to tell by.
pub(crate) fn detect(fields: &[String], previous: Option<Layout>) -> Result<Layout, String> {
    let millis = |at: usize| fields.get(at).is_some_and(|f| is_millis(f));
    let flag = |at: usize| fields.get(at).is_some_and(|f| is_flag(f));

    let current = Layout::Current.fits(fields);
    let legacy = Layout::Legacy.fits(fields);
    if current && millis(23) {
        return Ok(Layout::Current);
    }
    if legacy && millis(24) && flag(23) {
        return Ok(Layout::Legacy);
    }

    match (current, legacy) {
        (true, true) => Ok(previous.unwrap_or(Layout::Legacy)),
        (true, false) => Ok(Layout::Current),
        (false, true) => Ok(Layout::Legacy),
        (false, false) => Err(format!(
            "the row has {} fields; a firebase auth:export CSV row has 29 (28 in files of \
             firebase-tools before 2018), so the columns cannot be told apart (a display name \
             with both a comma and a quote breaks rows this way)",
            fields.len()
        )),
    }
}

/// Epoch milliseconds as the exporter writes them: digits only.
fn is_millis(field: &str) -> bool {
    !field.is_empty() && field.bytes().all(|b| b.is_ascii_digit())
}

/// A `disabled` cell: empty, `true` or `false`.
fn is_flag(field: &str) -> bool {
    matches!(field, "" | "true" | "false")
}

/// The rows of a Firebase CSV export as records in the JSON export's shape.
pub(crate) struct FirebaseCsv {
    rows: Rows,
    /// The layout of the last row that could be told by its times.
    layout: Option<Layout>,
}

impl FirebaseCsv {
    /// Reads `input` as a Firebase CSV export.
    pub(crate) fn new(input: Input) -> Self {
        Self {
            rows: Rows::new(input),
            layout: None,
        }
    }
}

impl Iterator for FirebaseCsv {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let row = self.rows.next()?;
        let parsed = row.fields.and_then(|fields| {
            let layout = detect(&fields, self.layout)
                .map_err(|reason| over_lines(reason, row.line, row.next_line))?;
            self.layout = Some(layout);
            Ok(record(&fields, layout))
        });
        Some(Record {
            line: row.line,
            parsed,
        })
    }
}

/// Builds the JSON-shaped record of a row; empty cells are left out, as the JSON export
/// leaves out absent values.
pub(crate) fn record(fields: &[String], layout: Layout) -> Value {
    let cell = |at: usize| fields.get(at).map(String::as_str).filter(|f| !f.is_empty());
    let columns = layout.columns();
    let mut object = Map::new();
    let mut put = |key: &str, at: usize| {
        if let Some(value) = cell(at) {
            object.insert(key.to_string(), Value::from(value));
        }
    };

    put("localId", 0);
    put("email", 1);
    put("passwordHash", 3);
    put("salt", 4);
    put("displayName", 5);
    put("photoUrl", 6);
    put("createdAt", columns.created_at);
    put("lastSignedInAt", columns.last_signed_in_at);
    put("phoneNumber", columns.phone_number);
    if let Some(at) = columns.custom_attributes {
        put("customAttributes", at);
    }
    object.insert("emailVerified".into(), Value::Bool(cell(2) == Some("true")));
    if let Some(disabled) = cell(columns.disabled) {
        object.insert("disabled".into(), Value::Bool(disabled == "true"));
    }

    let providers: Vec<Value> = PROVIDERS
        .iter()
        .filter_map(|&(provider_id, at)| {
            let raw_id = cell(at)?;
            let mut info = Map::new();
            info.insert("providerId".into(), json!(provider_id));
            info.insert("rawId".into(), json!(raw_id));
            for (key, offset) in [("email", 1), ("displayName", 2), ("photoUrl", 3)] {
                if let Some(value) = cell(at + offset) {
                    info.insert(key.into(), json!(value));
                }
            }
            Some(Value::Object(info))
        })
        .collect();
    object.insert("providerUserInfo".into(), Value::Array(providers));
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(usize, &str)], width: usize) -> Vec<String> {
        let mut fields = vec![String::new(); width];
        for &(at, value) in cells {
            fields[at] = value.to_string();
        }
        fields
    }

    #[test]
    fn times_in_columns_23_and_24_mean_the_current_layout() {
        let fields = row(&[(0, "u1"), (23, "1508893925000"), (26, "true")], 29);

        assert_eq!(detect(&fields, None), Ok(Layout::Current));
        let record = record(&fields, Layout::Current);
        assert_eq!(record["createdAt"], "1508893925000");
        assert_eq!(record["disabled"], true);
    }

    #[test]
    fn times_in_columns_24_and_25_after_a_flag_mean_the_older_layout() {
        let fields = row(&[(0, "u1"), (23, "true"), (24, "1508893925000")], 28);

        assert_eq!(detect(&fields, None), Ok(Layout::Legacy));
        let record = record(&fields, Layout::Legacy);
        assert_eq!(record["createdAt"], "1508893925000");
        assert_eq!(record["disabled"], true);
        assert!(record.get("customAttributes").is_none());
    }

    #[test]
    fn a_row_without_times_follows_the_rows_before_it() {
        let fields = row(&[(0, "u1")], 28);

        assert_eq!(detect(&fields, Some(Layout::Current)), Ok(Layout::Current));
        assert_eq!(detect(&fields, None), Ok(Layout::Legacy));
        assert_eq!(detect(&row(&[(0, "u1")], 29), None), Ok(Layout::Current));
    }

    #[test]
    fn a_row_of_another_width_is_refused() {
        let reason = detect(&row(&[(0, "u1")], 30), None).expect_err("30 fields");

        assert!(reason.starts_with("the row has 30 fields"), "{reason}");
    }

    #[test]
    fn provider_columns_become_provider_user_info() {
        let fields = row(&[(0, "u1"), (19, "22182844"), (21, "Octo Cat")], 29);

        let record = record(&fields, Layout::Current);
        assert_eq!(
            record["providerUserInfo"],
            json!([{"providerId": "github.com", "rawId": "22182844", "displayName": "Octo Cat"}])
        );
        assert_eq!(record["emailVerified"], false);
    }
}
