//! Differences between two versions of a plan, as one line per changed field.
//!
//! A migration runs for days; when the plan file changes under a run, the operator must see
//! exactly what changed (`phases[0].batch_size: 500 -> 200`) before the run continues. The
//! comparison works on the canonical JSON of each plan, so it does not depend on key order,
//! comments or formatting in the files.

use serde_json::Value;

use crate::error::{field_index, field_key};

/// Lists the fields that differ between two canonical plans, in a stable order.
///
/// Each line is `path: old -> new` for a changed value, `path: added new` for a field only in
/// `new`, and `path: removed old` for a field only in `old`; values are compact JSON. Lists
/// are compared position by position.
pub fn diff_plans(old: &Value, new: &Value) -> Vec<String> {
    let mut changes = Vec::new();
    diff_at("", old, new, &mut changes);
    changes
}

fn diff_at(path: &str, old: &Value, new: &Value, changes: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let child = field_key(path, key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff_at(&child, x, y, changes),
                    (Some(x), None) => changes.push(format!("{}: removed {x}", shown(&child))),
                    (None, Some(y)) => changes.push(format!("{}: added {y}", shown(&child))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let child = field_index(path, i);
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => diff_at(&child, x, y, changes),
                    (Some(x), None) => changes.push(format!("{}: removed {x}", shown(&child))),
                    (None, Some(y)) => changes.push(format!("{}: added {y}", shown(&child))),
                    (None, None) => {}
                }
            }
        }
        _ if old != new => changes.push(format!("{}: {old} -> {new}", shown(path))),
        _ => {}
    }
}

/// Names the whole document when the path is empty.
fn shown(path: &str) -> &str {
    if path.is_empty() { "(plan)" } else { path }
}
