//! Identity templates: how a legacy user's context becomes Kratos traits and public metadata.
//!
//! Each string in `identity.traits` or `identity.metadata_public` is a minijinja template,
//! compiled once when the plan loads (so a syntax error is a plan error with a line). Kratos
//! traits are typed JSON, so a string that is exactly one `{{ expression }}` keeps the type of
//! its value (a number stays a number, `{{ user_metadata }}` stays an object); anything else
//! renders to text. A missing or null value leaves its field out, and a mapping or list whose
//! every entry was left out is left out itself, so a user without a family name gets no
//! `name.last` rather than an empty string that a schema might reject.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use minijinja::Environment;
use serde_json::Value;

use crate::error::TemplateError;
use crate::model::{Activate, IdentityState};

/// The variable a single-expression template assigns its value to.
pub(crate) const RESULT: &str = "__cutover_value";

/// The default traits for an email identity schema, used when the plan gives none.
pub(crate) const DEFAULT_TRAITS: &str = "\
email: \"{{ email }}\"
name:
  first: \"{{ given_name }}\"
  last: \"{{ family_name }}\"
";

/// How a legacy user becomes an identity (`identity:`), with its templates compiled.
#[derive(Debug, Clone)]
pub struct IdentityMapping {
    /// Legacy social connection name to Kratos OIDC provider id.
    pub social_providers: BTreeMap<String, String>,
    /// Whether the legacy `email_verified` flag becomes a verified address (default true).
    pub verified_email: bool,
    /// The plan-wide state identities are created in, following `activate`: `inactive` for
    /// on_golive (the default), `active` for on_import. A phase may choose otherwise; the
    /// state for one phase is [`Phase::identity_state`](crate::Phase::identity_state).
    pub state: IdentityState,
    /// The plan-wide activation (`identity.activate`, or what `identity.state` implies;
    /// default on_golive); each phase's effective one is [`Phase::activate`](crate::Phase).
    pub activate: Activate,
    traits: Mapping,
    metadata_public: Option<Mapping>,
}

impl IdentityMapping {
    pub(crate) fn new(
        traits: Mapping,
        metadata_public: Option<Mapping>,
        social_providers: BTreeMap<String, String>,
        verified_email: bool,
        activate: Activate,
    ) -> Self {
        Self {
            social_providers,
            verified_email,
            state: activate.created_state(),
            activate,
            traits,
            metadata_public,
        }
    }

    /// Renders the identity traits for the user context `ctx`; always a JSON object.
    pub fn render_traits(&self, ctx: &Value) -> Result<Value, TemplateError> {
        let traits = self.traits.render(ctx)?;
        Ok(traits.unwrap_or_else(|| Value::Object(serde_json::Map::new())))
    }

    /// Renders `metadata_public` for `ctx`; `None` when the plan sets none or all of it is
    /// left out.
    pub fn render_metadata_public(&self, ctx: &Value) -> Result<Option<Value>, TemplateError> {
        match &self.metadata_public {
            Some(mapping) => mapping.render(ctx),
            None => Ok(None),
        }
    }

    /// The Kratos OIDC provider for a legacy social connection, if the plan maps it.
    pub fn social_provider(&self, connection: &str) -> Option<&str> {
        self.social_providers.get(connection).map(String::as_str)
    }
}

/// A compiled tree of templates, sharing the plan's template environment.
#[derive(Clone)]
pub(crate) struct Mapping {
    env: Arc<Environment<'static>>,
    root: TemplateNode,
}

impl fmt::Debug for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapping").field("root", &self.root).finish()
    }
}

/// One node of a mapping; template nodes are named by their field path in the environment.
#[derive(Debug, Clone)]
pub(crate) enum TemplateNode {
    Literal(Value),
    Expression(String),
    Text(String),
    Object(Vec<(String, TemplateNode)>),
    Array(Vec<TemplateNode>),
}

impl Mapping {
    pub(crate) fn new(env: Arc<Environment<'static>>, root: TemplateNode) -> Self {
        Self { env, root }
    }

    /// Renders the tree; `None` when everything in it was left out.
    fn render(&self, ctx: &Value) -> Result<Option<Value>, TemplateError> {
        let ctx = minijinja::Value::from_serialize(ctx);
        self.render_node(&self.root, &ctx)
    }

    fn render_node(
        &self,
        node: &TemplateNode,
        ctx: &minijinja::Value,
    ) -> Result<Option<Value>, TemplateError> {
        match node {
            TemplateNode::Literal(value) => Ok((!value.is_null()).then(|| value.clone())),
            TemplateNode::Expression(field) => {
                let render_error = |source| TemplateError::Render {
                    field: field.clone(),
                    source,
                };
                let template = self.env.get_template(field).map_err(render_error)?;
                let captured = template.render_captured(ctx).map_err(render_error)?;
                let Some(value) = captured.state().lookup(RESULT) else {
                    return Ok(None);
                };
                if value.is_undefined() || value.is_none() {
                    return Ok(None);
                }
                let json =
                    serde_json::to_value(&value).map_err(|source| TemplateError::NotJson {
                        field: field.clone(),
                        source,
                    })?;
                Ok((!json.is_null()).then_some(json))
            }
            TemplateNode::Text(field) => {
                let render_error = |source| TemplateError::Render {
                    field: field.clone(),
                    source,
                };
                let template = self.env.get_template(field).map_err(render_error)?;
                let text = template.render(ctx).map_err(render_error)?;
                Ok((!text.trim().is_empty()).then_some(Value::String(text)))
            }
            TemplateNode::Object(entries) => {
                let mut object = serde_json::Map::new();
                for (key, child) in entries {
                    if let Some(value) = self.render_node(child, ctx)? {
                        object.insert(key.clone(), value);
                    }
                }
                let emptied = object.is_empty() && !entries.is_empty();
                Ok((!emptied).then_some(Value::Object(object)))
            }
            TemplateNode::Array(items) => {
                let mut array = Vec::new();
                for child in items {
                    array.extend(self.render_node(child, ctx)?);
                }
                let emptied = array.is_empty() && !items.is_empty();
                Ok((!emptied).then_some(Value::Array(array)))
            }
        }
    }
}
