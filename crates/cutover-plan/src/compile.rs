//! Compiling the template trees of a plan: one minijinja environment per plan, one template
//! per string field, every syntax error reported with the field's line.
//!
//! This is the load-time half of `template`; rendering a user is the other half. A string
//! that is exactly one `{{ expression }}` (surrounding whitespace aside) is compiled as an
//! assignment so that rendering can read the value itself and keep its JSON type.

use std::sync::Arc;

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde_saphyr::Spanned;

use crate::error::{field_index, field_key};
use crate::template::{Mapping, RESULT, TemplateNode};
use crate::validate::Checker;
use crate::yaml::Node;

/// Compiles the template trees of one plan into one shared environment.
pub(crate) struct Compiler {
    env: Environment<'static>,
    trees: Vec<TemplateNode>,
}

/// A tree handed out by `Compiler::add`: its index in what `Compiler::finish` returns.
pub(crate) struct TreeId(pub(crate) usize);

impl Compiler {
    pub(crate) fn new() -> Self {
        let mut env = Environment::new();
        // A missing nested value (`app_metadata.tier` without `app_metadata`) is a user
        // without that data, not a broken plan: let it be undefined and leave the field out.
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        // Traits are JSON, not HTML; a trait named `html` must not switch on escaping.
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // In mixed text a null renders as nothing rather than minijinja's `none`, and a
        // boolean as JSON writes it rather than as minijinja's `True`.
        env.set_formatter(|out, state, value| {
            if value.is_none() || value.is_undefined() {
                Ok(())
            } else if value.kind() == ValueKind::Bool {
                out.write_str(if value.is_true() { "true" } else { "false" })
                    .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "write failed"))
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        Self {
            env,
            trees: Vec::new(),
        }
    }

    /// Compiles the mapping at `node`, which must be a YAML mapping, named `field`.
    pub(crate) fn add(
        &mut self,
        node: &Spanned<Node>,
        field: &str,
        check: &mut Checker,
    ) -> Option<TreeId> {
        if !matches!(node.value, Node::Map(_)) {
            let message = format!(
                "must be a mapping of field names to templates, found {}",
                node.value.kind()
            );
            check.report(&node.referenced, field, message);
            return None;
        }
        let root = self.compile(node, field, check)?;
        self.trees.push(root);
        Some(TreeId(self.trees.len() - 1))
    }

    /// Freezes the environment and returns the compiled trees in the order they were added.
    pub(crate) fn finish(self) -> Vec<Mapping> {
        let env = Arc::new(self.env);
        self.trees
            .into_iter()
            .map(|root| Mapping::new(Arc::clone(&env), root))
            .collect()
    }

    fn compile(
        &mut self,
        node: &Spanned<Node>,
        field: &str,
        check: &mut Checker,
    ) -> Option<TemplateNode> {
        match &node.value {
            Node::Str(text) if is_template(text) => self.compile_text(node, text, field, check),
            Node::Map(entries) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (key, value) in entries {
                    match self.compile(value, &field_key(field, &key.value), check) {
                        Some(compiled) => out.push((key.value.clone(), compiled)),
                        None => ok = false,
                    }
                }
                ok.then_some(TemplateNode::Object(out))
            }
            Node::Seq(items) => {
                let compiled: Vec<Option<TemplateNode>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.compile(item, &field_index(field, i), check))
                    .collect();
                compiled
                    .into_iter()
                    .collect::<Option<_>>()
                    .map(TemplateNode::Array)
            }
            other => Some(TemplateNode::Literal(other.to_json())),
        }
    }

    fn compile_text(
        &mut self,
        node: &Spanned<Node>,
        text: &str,
        field: &str,
        check: &mut Checker,
    ) -> Option<TemplateNode> {
        // Compile the text as written first, so that error positions refer to what the
        // author wrote rather than to the wrapper below.
        if let Err(error) = self
            .env
            .add_template_owned(field.to_owned(), text.to_owned())
        {
            let detail = error.detail().unwrap_or("invalid template");
            let message = match error.line() {
                Some(line) if line > 1 => {
                    format!("template syntax error on line {line} of the template: {detail}")
                }
                _ => format!("template syntax error: {detail}"),
            };
            check.report(&node.referenced, field, message);
            return None;
        }

        // Filters, tests and functions are looked up only while rendering, so a misspelt one
        // would fail every user. A trial render with no data finds them now; other failures
        // of that render (arithmetic on missing values) are normal for an empty user.
        if let Some(unknown) = unknown_name(&self.env, field) {
            check.report(&node.referenced, field, unknown);
            return None;
        }

        // A single expression is stored as an assignment so that rendering can read the value
        // itself instead of its text. Adding it under the same name replaces the text form.
        if let Some(expression) = single_expression(text) {
            let wrapped = format!("{{% set {RESULT} = ({expression}) %}}");
            if self
                .env
                .add_template_owned(field.to_owned(), wrapped)
                .is_ok()
            {
                return Some(TemplateNode::Expression(field.to_owned()));
            }
            // The wrapper did not compile (and replaced nothing): keep the text form.
        }
        Some(TemplateNode::Text(field.to_owned()))
    }
}

/// Renders the template `name` without data and describes an unknown filter, test or
/// function it uses, if it uses one on the path that rendering took.
fn unknown_name(env: &Environment<'static>, name: &str) -> Option<String> {
    let error = env
        .get_template(name)
        .ok()?
        .render(minijinja::context! {})
        .err()?;
    let what = match error.kind() {
        ErrorKind::UnknownFilter => "filter",
        ErrorKind::UnknownTest => "test",
        ErrorKind::UnknownFunction => "function",
        _ => return None,
    };
    match error.detail() {
        Some(detail) => Some(format!("template: {detail}")),
        None => Some(format!("template uses an unknown {what}")),
    }
}

/// Whether a string uses template syntax at all; other strings are literals.
fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// The expression of a string that is exactly one `{{ expression }}`, if it is one.
fn single_expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    let markers = ["{{", "}}", "{%", "%}", "{#", "#}"];
    if markers.iter().any(|m| inner.contains(m)) {
        return None;
    }
    let inner = inner.trim();
    (!inner.is_empty()).then_some(inner)
}
