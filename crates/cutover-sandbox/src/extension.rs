//! The `ory.sh/kratos` schema extension: which traits are login identifiers and addresses.
//!
//! Kratos runs its extension while validating traits: every trait value whose schema node
//! carries `"ory.sh/kratos"` becomes a credential identifier (`credentials.password.identifier`
//! and friends), a verifiable address (`verification.via`) or a recovery address
//! (`recovery.via`). This module walks the schema next to the traits and collects those values,
//! normalised, so the store can enforce their uniqueness.
//!
//! The walk follows `properties`, `items`, `allOf` and local `$ref`s; `anyOf`/`oneOf` branches
//! are not followed, because only the branch that matched would count and we do not know it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::normalize;

/// The JSON key of Kratos's extension in a schema node.
const EXTENSION_KEY: &str = "ory.sh/kratos";

/// How deep `$ref` chains and nesting are followed before giving up on a (cyclic) schema.
const MAX_DEPTH: usize = 64;

/// What the extension derived from one identity's traits.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Extracted {
    /// Normalised identifiers by credential type (`password`, `webauthn`, `code`).
    pub identifiers: BTreeMap<String, Vec<String>>,
    /// `(via, normalised value)` of each verifiable address, in trait order.
    pub verifiable: Vec<(String, String)>,
    /// `(via, normalised value)` of each recovery address, in trait order.
    pub recovery: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExtensionConfig {
    credentials: CredentialsConfig,
    verification: ViaConfig,
    recovery: ViaConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CredentialsConfig {
    password: IdentifierConfig,
    webauthn: IdentifierConfig,
    code: CodeConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IdentifierConfig {
    identifier: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeConfig {
    identifier: bool,
    via: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ViaConfig {
    via: String,
}

/// Collects identifiers and addresses from `traits` as the schema `root` marks them.
///
/// `is_email` is the email format check used where the extension demands one. The error is a
/// reason in Kratos's `I[#/path] message` style.
pub(crate) fn extract(
    root: &Value,
    traits: &Value,
    is_email: &dyn Fn(&str) -> bool,
) -> Result<Extracted, String> {
    let mut out = Extracted::default();
    let walker = Walker { root, is_email };

    if let Some(traits_schema) = root.pointer("/properties/traits") {
        walker.walk(traits_schema, traits, "/traits", &mut out, 0)?;
    }
    Ok(out)
}

struct Walker<'a> {
    root: &'a Value,
    is_email: &'a dyn Fn(&str) -> bool,
}

impl Walker<'_> {
    fn walk(
        &self,
        schema: &Value,
        instance: &Value,
        path: &str,
        out: &mut Extracted,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let schema = self.resolve(schema, depth);

        if let (Some(config), Value::String(value)) = (schema.get(EXTENSION_KEY), instance) {
            let config: ExtensionConfig =
                serde_json::from_value(config.clone()).unwrap_or_default();
            self.apply(&config, schema, value, path, out)?;
        }

        if let Some(Value::Array(parts)) = schema.get("allOf") {
            for part in parts {
                self.walk(part, instance, path, out, depth + 1)?;
            }
        }

        match (instance, schema.get("properties"), schema.get("items")) {
            (Value::Object(fields), Some(Value::Object(properties)), _) => {
                for (name, sub_schema) in properties {
                    if let Some(value) = fields.get(name) {
                        let sub_path = format!("{path}/{}", escape(name));
                        self.walk(sub_schema, value, &sub_path, out, depth + 1)?;
                    }
                }
            }
            (Value::Array(elements), _, Some(items)) => {
                for (index, element) in elements.iter().enumerate() {
                    let item_schema = match items {
                        Value::Array(positional) => match positional.get(index) {
                            Some(item_schema) => item_schema,
                            None => continue,
                        },
                        single => single,
                    };
                    let sub_path = format!("{path}/{index}");
                    self.walk(item_schema, element, &sub_path, out, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Follows local `$ref`s (`#/definitions/...`); a remote or broken one resolves to itself.
    fn resolve<'s>(&'s self, mut schema: &'s Value, depth: usize) -> &'s Value {
        for _ in depth..MAX_DEPTH {
            let Some(Value::String(reference)) = schema.get("$ref") else {
                break;
            };
            let Some(pointer) = reference.strip_prefix('#') else {
                break;
            };
            match self.root.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn apply(
        &self,
        config: &ExtensionConfig,
        schema: &Value,
        value: &str,
        path: &str,
        out: &mut Extracted,
    ) -> Result<(), String> {
        let credentials = &config.credentials;
        if credentials.password.identifier {
            push_unique(out.identifiers.entry("password".into()).or_default(), value);
        }
        if credentials.webauthn.identifier {
            push_unique(out.identifiers.entry("webauthn".into()).or_default(), value);
        }

        if credentials.code.identifier {
            match credentials.code.via.as_str() {
                "email" if !(self.is_email)(value) => {
                    return Err(format!("I[#{path}] {value:?} is not a valid \"email\""));
                }
                "email" | "sms" => {
                    push_unique(out.identifiers.entry("code".into()).or_default(), value);
                }
                other => {
                    return Err(format!(
                        "I[#{path}] credentials.code.via has unknown value {other:?}"
                    ));
                }
            }
        }

        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if !config.verification.via.is_empty() {
            self.check_format(&config.verification.via, format, value, path)?;
            let address = normalize::address(&config.verification.via, value);
            push_address(&mut out.verifiable, &config.verification.via, address);
        }
        if !config.recovery.via.is_empty() {
            let address = normalize::address(&config.recovery.via, value);
            push_address(&mut out.recovery, &config.recovery.via, address);
        }
        Ok(())
    }

    /// Kratos demands an email format for `via: email` without one, and a format for `via: sms`.
    fn check_format(&self, via: &str, format: &str, value: &str, path: &str) -> Result<(), String> {
        if !format.is_empty() {
            return Ok(());
        }
        match via {
            "email" if (self.is_email)(value) => Ok(()),
            "email" => Err(format!("I[#{path}] {value:?} is not valid \"email\"")),
            _ => Err(format!(
                "I[#{path}] no format specified, a format is required if verification is enabled"
            )),
        }
    }
}

fn push_unique(identifiers: &mut Vec<String>, raw: &str) {
    let value = normalize::identifier(raw);
    if !identifiers.contains(&value) {
        identifiers.push(value);
    }
}

fn push_address(addresses: &mut Vec<(String, String)>, via: &str, value: String) {
    let entry = (via.to_owned(), value);
    if !addresses.contains(&entry) {
        addresses.push(entry);
    }
}

/// Escapes a property name for a JSON pointer.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn any_email(value: &str) -> bool {
        value.contains('@')
    }

    #[test]
    fn marked_traits_become_identifiers_and_addresses() {
        let schema = json!({"properties": {"traits": {"properties": {
            "email": {"type": "string", "format": "email", "ory.sh/kratos": {
                "credentials": {"password": {"identifier": true}},
                "verification": {"via": "email"}, "recovery": {"via": "email"}}},
            "name": {"type": "string"}
        }}}});
        let traits = json!({"email": " Alice@Example.org", "name": "Alice"});

        let out = extract(&schema, &traits, &any_email).unwrap();

        assert_eq!(out.identifiers["password"], vec!["alice@example.org"]);
        assert_eq!(
            out.verifiable,
            vec![("email".into(), "alice@example.org".into())]
        );
        assert_eq!(
            out.recovery,
            vec![("email".into(), "alice@example.org".into())]
        );
    }

    #[test]
    fn refs_and_arrays_are_followed() {
        let schema = json!({
            "definitions": {"mail": {"type": "string", "ory.sh/kratos":
                {"credentials": {"password": {"identifier": true}}}}},
            "properties": {"traits": {"properties": {
                "emails": {"type": "array", "items": {"$ref": "#/definitions/mail"}}}}}
        });
        let traits = json!({"emails": ["A@x.org", "b@x.org", "a@X.org"]});

        let out = extract(&schema, &traits, &any_email).unwrap();

        assert_eq!(out.identifiers["password"], vec!["a@x.org", "b@x.org"]);
    }

    #[test]
    fn verification_by_email_without_format_rejects_non_emails() {
        let schema = json!({"properties": {"traits": {"properties": {
            "login": {"type": "string", "ory.sh/kratos": {"verification": {"via": "email"}}}}}}});

        let error = extract(&schema, &json!({"login": "not-an-email"}), &any_email).unwrap_err();

        assert!(error.starts_with("I[#/traits/login]"), "{error}");
    }
}
