//! Writing a fixture's files: the export itself and `passwords.json`, the known password
//! of every user whose hash the export carries.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::Path;

use serde::Serialize;

/// The known passwords of a fixture's users, by legacy id.
#[derive(Default)]
pub struct Passwords(BTreeMap<String, String>);

impl Passwords {
    /// Records that `legacy_id`'s hash was made from `password`, and returns the password.
    pub fn add<'a>(&mut self, legacy_id: &str, password: &'a str) -> &'a str {
        self.0.insert(legacy_id.to_string(), password.to_string());
        password
    }

    /// Writes `passwords.json` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), Box<dyn Error>> {
        let text = serde_json::to_string_pretty(&self.0)? + "\n";
        write(&dir.join("passwords.json"), &text)
    }
}

/// Writes one file, creating its directory.
pub fn write(path: &Path, text: &str) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// One element of a JSON array file: a record, or text written as it is (a broken record).
pub enum Element<T> {
    Record(T),
    Verbatim(String),
}

/// Writes the elements of a JSON array, pretty-printed, indented by `indent` spaces and
/// separated by `,` and a line break, the way exporters that stream their output write them.
pub fn json_array<T: Serialize>(
    elements: &[Element<T>],
    indent: usize,
) -> Result<String, Box<dyn Error>> {
    let mut parts = Vec::new();
    for element in elements {
        let text = match element {
            Element::Record(record) => serde_json::to_string_pretty(record)?,
            Element::Verbatim(text) => text.clone(),
        };
        let pad = " ".repeat(indent);
        let lines: Vec<String> = text.lines().map(|line| format!("{pad}{line}")).collect();
        parts.push(lines.join("\n"));
    }
    Ok(parts.join(",\n"))
}

/// A JSON object with its keys in the given order (serde_json's own map sorts them),
/// pretty-printed with two spaces.
pub fn ordered_object(pairs: &[(&str, serde_json::Value)]) -> String {
    let members: Vec<String> = pairs
        .iter()
        .map(|(key, value)| {
            let value = serde_json::to_string_pretty(value).expect("JSON values serialise");
            format!(
                "  {}: {}",
                serde_json::Value::from(*key),
                value.replace('\n', "\n  ")
            )
        })
        .collect();
    format!("{{\n{}\n}}", members.join(",\n"))
}

/// Writes rows as CSV, quoting only the fields that need it.
pub fn csv(rows: &[Vec<String>]) -> Result<String, Box<dyn Error>> {
    let mut writer = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}
