//! JSON with its keys in the order a vendor writes them, printed the way that vendor prints.
//!
//! `serde_json::Value` sorts keys, and each vendor has its own layout: Keycloak's Jackson
//! writes `"key" : value` with arrays on one line (`[ {`), Python's `json.dumps` (Django,
//! the AWS CLI) writes `"key": value` with every list item on its own line. Fixtures in the
//! real layout test the readers against what they will really meet.

/// A JSON value whose objects keep their key order.
#[derive(Clone)]
pub enum J {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
    /// Text written as it is, for a record that must be broken.
    Raw(String),
}

/// An object from `(key, value)` pairs, in that order.
pub fn obj(fields: Vec<(&str, J)>) -> J {
    J::Obj(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A string value.
pub fn s(text: &str) -> J {
    J::Str(text.to_string())
}

/// A list of strings.
pub fn strings(items: &[&str]) -> J {
    J::Arr(items.iter().map(|item| s(item)).collect())
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn scalar(value: &J) -> Option<String> {
    match value {
        J::Null => Some("null".into()),
        J::Bool(b) => Some(b.to_string()),
        J::Int(n) => Some(n.to_string()),
        J::Str(text) => Some(quote(text)),
        J::Raw(text) => Some(text.clone()),
        J::Arr(_) | J::Obj(_) => None,
    }
}

/// Compact JSON, as Keycloak writes `secretData` and `credentialData`.
pub fn compact(value: &J) -> String {
    if let Some(text) = scalar(value) {
        return text;
    }
    match value {
        J::Arr(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(",")
        ),
        J::Obj(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("{}:{}", quote(key), compact(value)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        _ => unreachable!("scalars are handled above"),
    }
}

/// Jackson's default pretty printer, as in `kc.sh export` files: two spaces per object
/// level, `" : "` between key and value, arrays inline as `[ a, b ]`.
pub fn jackson(value: &J) -> String {
    let mut out = String::new();
    jackson_into(value, 0, &mut out);
    out
}

fn jackson_into(value: &J, nesting: usize, out: &mut String) {
    if let Some(text) = scalar(value) {
        out.push_str(&text);
        return;
    }
    match value {
        J::Arr(items) if items.is_empty() => out.push_str("[ ]"),
        J::Arr(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                jackson_into(item, nesting, out);
            }
            out.push_str(" ]");
        }
        J::Obj(fields) if fields.is_empty() => out.push_str("{ }"),
        J::Obj(fields) => {
            out.push('{');
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                out.push_str(&"  ".repeat(nesting + 1));
                out.push_str(&quote(key));
                out.push_str(" : ");
                jackson_into(value, nesting + 1, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(nesting));
            out.push('}');
        }
        _ => unreachable!("scalars are handled above"),
    }
}

/// Python's `json.dumps(value, indent=indent, ensure_ascii=False)`, starting at `level`.
pub fn python(value: &J, indent: usize, level: usize) -> String {
    let mut out = String::new();
    python_into(value, indent, level, &mut out);
    out
}

fn python_into(value: &J, indent: usize, level: usize, out: &mut String) {
    if let Some(text) = scalar(value) {
        out.push_str(&text);
        return;
    }
    let (open, close, empty) = match value {
        J::Arr(_) => ('[', ']', "[]"),
        _ => ('{', '}', "{}"),
    };
    let entries: Vec<(Option<&str>, &J)> = match value {
        J::Arr(items) => items.iter().map(|item| (None, item)).collect(),
        J::Obj(fields) => fields.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
        _ => unreachable!("scalars are handled above"),
    };
    if entries.is_empty() {
        out.push_str(empty);
        return;
    }

    out.push(open);
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('\n');
        out.push_str(&" ".repeat(indent * (level + 1)));
        if let Some(key) = key {
            out.push_str(&quote(key));
            out.push_str(": ");
        }
        python_into(item, indent, level + 1, out);
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent * level));
    out.push(close);
}
