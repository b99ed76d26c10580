//! RFC 6902 JSON Patch with the restrictions of Kratos's `PATCH /admin/identities/{id}`.
//!
//! Kratos allows only `add`, `remove` and `replace`, refuses paths that would change the id or
//! the social sign-in credentials behind its back, and turns a `replace` of a missing member into
//! an `add`. The three operations are small enough to implement here, on the identity's stored
//! JSON document, without another dependency.

use serde::Deserialize;
use serde_json::Value;

use crate::errors::ApiError;

/// Paths no operation may touch, themselves and everything below them.
const DENIED_SUBTREES: &[&str] = &["/credentials/oidc", "/credentials/saml"];

/// Paths no operation may touch, though their children may be patched.
const DENIED_EXACT: &[&str] = &["/id", "/credentials", "/stateChangedAt"];

/// One operation of a patch document.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Operation {
    /// `add`, `remove` or `replace`; the other RFC 6902 operations are refused.
    pub op: String,
    /// A JSON pointer into the identity.
    pub path: String,
    /// The value for `add` and `replace`.
    #[serde(default)]
    pub value: Option<Value>,
}

/// Applies `operations` to `document` in order; any failure leaves the caller's copy unused.
pub(crate) fn apply(document: &mut Value, operations: &[Operation]) -> Result<(), ApiError> {
    for operation in operations {
        check_allowed(operation)?;
        let tokens = parse_pointer(&operation.path)?;

        match operation.op.as_str() {
            "add" => add(document, &tokens, value_of(operation)?)?,
            "replace" => match resolve_mut(document, &tokens) {
                Some(target) => *target = value_of(operation)?,
                None => add(document, &tokens, value_of(operation)?)?,
            },
            "remove" => remove(document, &tokens, &operation.path)?,
            _ => unreachable!("check_allowed refuses other operations"),
        }
    }
    Ok(())
}

fn check_allowed(operation: &Operation) -> Result<(), ApiError> {
    if !matches!(operation.op.as_str(), "add" | "remove" | "replace") {
        return Err(ApiError::bad_request(format!(
            "unsupported operation {:?}: only add, remove and replace are allowed",
            operation.op
        )));
    }

    let path = operation.path.as_str();
    let below = |root: &str| path == root || path.starts_with(&format!("{root}/"));
    if DENIED_EXACT.contains(&path) || DENIED_SUBTREES.iter().any(|root| below(root)) {
        return Err(ApiError::bad_request(format!(
            "patch path {path} may not be changed"
        )));
    }
    if path == "/region" && operation.op == "remove" {
        return Err(ApiError::bad_request(
            "patch path /region only takes add and replace",
        ));
    }
    Ok(())
}

fn value_of(operation: &Operation) -> Result<Value, ApiError> {
    operation.value.clone().ok_or_else(|| {
        ApiError::bad_request(format!(
            "the {} operation on {} needs a value",
            operation.op, operation.path
        ))
    })
}

/// The unescaped reference tokens of a JSON pointer; the empty pointer is the whole document.
fn parse_pointer(pointer: &str) -> Result<Vec<String>, ApiError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(ApiError::bad_request(format!(
            "patch path {pointer:?} is not a JSON pointer: it must start with /"
        )));
    };
    Ok(rest
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn resolve_mut<'d>(document: &'d mut Value, tokens: &[String]) -> Option<&'d mut Value> {
    tokens.iter().try_fold(document, |node, token| match node {
        Value::Object(fields) => fields.get_mut(token),
        Value::Array(elements) => token
            .parse::<usize>()
            .ok()
            .and_then(|i| elements.get_mut(i)),
        _ => None,
    })
}

fn add(document: &mut Value, tokens: &[String], value: Value) -> Result<(), ApiError> {
    let Some((last, parents)) = tokens.split_last() else {
        *document = value;
        return Ok(());
    };
    let missing =
        || ApiError::bad_request(format!("patch path /{} does not exist", parents.join("/")));

    match resolve_mut(document, parents).ok_or_else(missing)? {
        Value::Object(fields) => {
            fields.insert(last.clone(), value);
        }
        Value::Array(elements) => {
            let index = match last.as_str() {
                "-" => elements.len(),
                index => array_index(index, elements.len() + 1)?,
            };
            elements.insert(index, value);
        }
        _ => {
            return Err(ApiError::bad_request(
                "patch path does not lead into an object or array",
            ));
        }
    }
    Ok(())
}

fn remove(document: &mut Value, tokens: &[String], path: &str) -> Result<(), ApiError> {
    let Some((last, parents)) = tokens.split_last() else {
        return Err(ApiError::bad_request(
            "the whole identity cannot be removed",
        ));
    };
    let missing = || ApiError::bad_request(format!("patch path {path} does not exist"));

    match resolve_mut(document, parents).ok_or_else(missing)? {
        Value::Object(fields) => fields.remove(last).map(drop).ok_or_else(missing),
        Value::Array(elements) => {
            let index = array_index(last, elements.len())?;
            elements.remove(index);
            Ok(())
        }
        _ => Err(missing()),
    }
}

/// An array index below `bound`, as RFC 6902 spells it (no sign, no leading zeros).
fn array_index(token: &str, bound: usize) -> Result<usize, ApiError> {
    let well_formed = token == "0" || (!token.starts_with('0') && !token.is_empty());
    match token.parse::<usize>() {
        Ok(index) if well_formed && index < bound => Ok(index),
        _ => Err(ApiError::bad_request(format!(
            "patch array index {token:?} is out of range"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ops(value: Value) -> Vec<Operation> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn replace_add_and_remove_edit_the_document() {
        let mut doc = json!({"state": "active", "metadata_admin": {"a": 1}, "list": [1, 3]});

        apply(
            &mut doc,
            &ops(json!([
                {"op": "replace", "path": "/state", "value": "inactive"},
                {"op": "replace", "path": "/metadata_public", "value": {"x": true}},
                {"op": "remove", "path": "/metadata_admin/a"},
                {"op": "add", "path": "/list/1", "value": 2},
                {"op": "add", "path": "/list/-", "value": 4},
            ])),
        )
        .unwrap();

        assert_eq!(
            doc,
            json!({"state": "inactive", "metadata_admin": {}, "metadata_public": {"x": true},
                   "list": [1, 2, 3, 4]})
        );
    }

    #[test]
    fn forbidden_operations_and_paths_are_refused() {
        for patch in [
            json!([{"op": "move", "from": "/a", "path": "/b"}]),
            json!([{"op": "replace", "path": "/id", "value": "x"}]),
            json!([{"op": "add", "path": "/credentials/oidc/config", "value": {}}]),
            json!([{"op": "remove", "path": "/credentials"}]),
            json!([{"op": "remove", "path": "/missing"}]),
        ] {
            let mut doc = json!({"id": "1", "a": 1});

            let error = apply(&mut doc, &ops(patch.clone())).unwrap_err();

            assert_eq!(error.status().as_u16(), 400, "{patch}");
        }
    }

    #[test]
    fn escaped_tokens_address_keys_with_slashes() {
        let mut doc = json!({"metadata_admin": {}});

        apply(
            &mut doc,
            &ops(json!([{"op": "add", "path": "/metadata_admin/a~1b", "value": 1}])),
        )
        .unwrap();

        assert_eq!(doc, json!({"metadata_admin": {"a/b": 1}}));
    }
}
