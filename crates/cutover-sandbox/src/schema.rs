//! Identity schemas: the built-in ones, those from the configuration, and trait validation.
//!
//! `default` and `preset://email` are Kratos's email-password quickstart schema, shipped as an
//! asset of this crate. Traits are validated as Kratos does it, as the `traits` member of a
//! document checked against the whole schema (draft-07, formats enforced), and then read by the
//! `ory.sh/kratos` extension for identifiers and addresses.

use std::collections::HashMap;

use jsonschema::Validator;
use serde_json::{Value, json};

use crate::errors::{ApiError, SandboxError};
use crate::extension::{self, Extracted};

/// Kratos's email-password quickstart identity schema.
const EMAIL_PASSWORD_SCHEMA: &str = include_str!("../schemas/email-password.schema.json");

/// The schema id used when a body leaves `schema_id` empty, Kratos's default.
pub(crate) const DEFAULT_SCHEMA_ID: &str = "default";

/// The ids the email-password schema is known by.
const BUILT_IN_IDS: &[&str] = &[DEFAULT_SCHEMA_ID, "preset://email"];

/// How many validation errors a 400 reason lists.
const MAX_REASONS: usize = 5;

/// All identity schemas the sandbox knows, compiled.
pub(crate) struct SchemaRegistry {
    schemas: HashMap<String, IdentitySchema>,
    email: Validator,
}

struct IdentitySchema {
    raw: Value,
    validator: Validator,
}

impl SchemaRegistry {
    /// Compiles the built-in schemas and the `extra` ones, which may replace a built-in id.
    pub(crate) fn new(extra: Vec<(String, Value)>) -> Result<Self, SandboxError> {
        let built_in: Value = serde_json::from_str(EMAIL_PASSWORD_SCHEMA).map_err(|error| {
            SandboxError::InvalidSchema {
                id: DEFAULT_SCHEMA_ID.into(),
                reason: error.to_string(),
            }
        })?;

        let mut schemas = HashMap::new();
        for id in BUILT_IN_IDS {
            schemas.insert(
                (*id).to_owned(),
                IdentitySchema::compile(id, built_in.clone())?,
            );
        }
        for (id, raw) in extra {
            let schema = IdentitySchema::compile(&id, raw)?;
            schemas.insert(id, schema);
        }

        let email = compile(
            "format:email",
            &json!({"type": "string", "format": "email"}),
        )?;
        Ok(SchemaRegistry { schemas, email })
    }

    /// The schema id a body means: an empty one falls back to `default`.
    pub(crate) fn effective_id(schema_id: &str) -> &str {
        if schema_id.is_empty() {
            DEFAULT_SCHEMA_ID
        } else {
            schema_id
        }
    }

    /// The JSON of schema `id`, as served under `/schemas/{id}`.
    pub(crate) fn raw(&self, id: &str) -> Option<&Value> {
        self.schemas.get(id).map(|schema| &schema.raw)
    }

    /// Validates `traits` against schema `schema_id` and extracts identifiers and addresses.
    ///
    /// An unknown schema and invalid traits are both a 400, as in Kratos.
    pub(crate) fn check(&self, schema_id: &str, traits: &Value) -> Result<Extracted, ApiError> {
        let Some(schema) = self.schemas.get(schema_id) else {
            return Err(ApiError::bad_request(format!(
                "Unable to find JSON Schema ID: {schema_id}"
            )));
        };

        let document = json!({ "traits": traits });
        let reasons: Vec<String> = schema
            .validator
            .iter_errors(&document)
            .take(MAX_REASONS)
            .map(|error| {
                format!(
                    "I[#{}] S[#{}] {}",
                    error.instance_path(),
                    error.schema_path(),
                    error
                )
            })
            .collect();
        if !reasons.is_empty() {
            return Err(ApiError::bad_request(reasons.join("; ")));
        }

        let is_email = |value: &str| self.email.is_valid(&Value::String(value.to_owned()));
        extension::extract(&schema.raw, traits, &is_email).map_err(ApiError::bad_request)
    }
}

impl IdentitySchema {
    fn compile(id: &str, raw: Value) -> Result<Self, SandboxError> {
        let validator = compile(id, &raw)?;
        Ok(IdentitySchema { raw, validator })
    }
}

fn compile(id: &str, raw: &Value) -> Result<Validator, SandboxError> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        // Kratos registers "noformat" for traits that opt out of the verification format check.
        .with_format("noformat", |_: &str| true)
        .build(raw)
        .map_err(|error| SandboxError::InvalidSchema {
            id: id.to_owned(),
            reason: error.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_schema_accepts_an_email_and_names() {
        let registry = SchemaRegistry::new(Vec::new()).unwrap();
        let traits = json!({"email": "a@example.org", "name": {"first": "A", "last": "B"}});

        let extracted = registry.check("preset://email", &traits).unwrap();

        assert_eq!(extracted.identifiers["password"], vec!["a@example.org"]);
    }

    #[test]
    fn built_in_schema_rejects_unknown_traits_and_bad_emails() {
        let registry = SchemaRegistry::new(Vec::new()).unwrap();

        let unknown = registry.check("default", &json!({"email": "a@example.org", "x": 1}));
        let bad_email = registry.check("default", &json!({"email": "not an email"}));

        assert_eq!(unknown.unwrap_err().status().as_u16(), 400);
        assert_eq!(bad_email.unwrap_err().status().as_u16(), 400);
    }

    #[test]
    fn unknown_schema_id_is_a_bad_request() {
        let registry = SchemaRegistry::new(Vec::new()).unwrap();

        let error = registry.check("user_v1", &json!({})).unwrap_err();

        assert_eq!(
            error.reason(),
            Some("Unable to find JSON Schema ID: user_v1")
        );
    }
}
