//! A YAML value of any shape with the location of every node, and the YAML options we parse with.
//!
//! Most of the plan has a fixed shape and deserializes into the structs of `raw`. Two parts do
//! not: identity templates (any nesting of maps, lists and strings) and the values compared by a
//! `field` selector. Serde's untagged enums would lose serde-saphyr's locations there, so `Node`
//! implements `Deserialize` by hand and wraps every child in `Spanned`.
//!
//! The same tree also answers "which field is at line 4, column 5?" so that syntax errors
//! reported by serde-saphyr (which know where, but not which field) can name the field path.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_saphyr::{DuplicateKeyPolicy, Location, Options, Spanned};

use crate::error::{field_index, field_key};

/// The parser options used for every plan.
///
/// Booleans are YAML 1.2 only (`true`/`false`): YAML 1.1 would read a country code `NO` or a
/// connection named `on` as a boolean, which is how silent mapping mistakes happen. Errors
/// carry no snippet of their own: the plan errors render snippets from a copy of the text
/// whose secrets are masked, and the parser's copy would not be.
pub(crate) fn options() -> Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// The options for locating a node after a parse failed: as `options`, but a duplicate key
/// does not stop the walk, so the duplicate itself can be found.
fn locating_options() -> Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: DuplicateKeyPolicy::LastWins,
    }
}

/// One YAML node of any shape; children carry their own locations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl Node {
    /// Converts the node to JSON, dropping the locations.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;

        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::UInt(u) => Value::from(*u),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(|n| n.value.to_json()).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Names the kind of node, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) | Node::UInt(_) | Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Int(i) => serializer.serialize_i64(*i),
            Node::UInt(u) => serializer.serialize_u64(*u),
            Node::Float(f) => serializer.serialize_f64(*f),
            Node::Str(s) => serializer.serialize_str(s),
            Node::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&item.value)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&key.value, &value.value)?;
                }
                map.end()
            }
        }
    }
}

/// The node found at a position of the plan text.
pub(crate) struct Found {
    /// The field path of the value there, or of the mapping holding the key there.
    pub path: String,
    /// Where that value or mapping starts.
    pub start: Location,
}

/// Finds the node at `line`:`column` of `text`, if the text is YAML at all.
///
/// Errors at a value name that value's path. Errors at a key ("unknown field", "duplicate key")
/// are about the mapping holding it, so a key stands for its mapping's path. A value starting
/// at the position wins over a key starting there, and a deeper value over a shallower one.
pub(crate) fn node_at(text: &str, line: u64, column: u64) -> Option<Found> {
    let root: Spanned<Node> = serde_saphyr::from_str_with_options(text, locating_options()).ok()?;

    let mut best: Option<(u8, usize, Found)> = None;
    visit(
        &root,
        String::new(),
        0,
        &mut |location, owner, path, depth, is_value| {
            if location.line() != line || location.column() != column {
                return;
            }
            let rank = (u8::from(is_value), depth);
            if best.as_ref().is_none_or(|(v, d, _)| rank > (*v, *d)) {
                let found = Found {
                    path: path.to_owned(),
                    start: *owner,
                };
                best = Some((rank.0, rank.1, found));
            }
        },
    );
    best.map(|(_, _, found)| found)
}

/// Calls `found(location, owner, path, depth, is_value)` for every value and key below
/// `node`; `owner` is where the value itself, or the mapping holding the key, starts.
fn visit(
    node: &Spanned<Node>,
    path: String,
    depth: usize,
    found: &mut dyn FnMut(&Location, &Location, &str, usize, bool),
) {
    found(&node.referenced, &node.referenced, &path, depth, true);

    match &node.value {
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(item, field_index(&path, i), depth + 1, found);
            }
        }
        Node::Map(entries) => {
            for (key, value) in entries {
                found(&key.referenced, &node.referenced, &path, depth, false);
                visit(value, field_key(&path, &key.value), depth + 1, found);
            }
        }
        _ => {}
    }
}
