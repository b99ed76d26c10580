//! The template context of a legacy user: what plan templates and segment rules can see.
//!
//! It lives here, beside the user type, so that every consumer (segments, trait templates,
//! reports) sees the same names. The password hash is never part of it; only its family is.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::LegacyUser;

impl LegacyUser {
    /// Builds the JSON object that plan templates and segment rules are evaluated against.
    ///
    /// It holds every field of the user by name (the password only as `password_family`),
    /// then every top-level key of the raw record that is not already a field (so that
    /// `{{ user_metadata.plan }}` works), and the raw record itself as `raw`.
    pub fn template_context(&self) -> Value {
        let social: Vec<Value> = self
            .social
            .iter()
            .map(|s| json!({ "connection": s.connection, "subject": s.subject }))
            .collect();

        let mut context = Map::new();
        context.insert("legacy_id".into(), json!(self.legacy_id));
        context.insert("email".into(), json!(self.email));
        context.insert("email_verified".into(), json!(self.email_verified));
        context.insert("phone".into(), json!(self.phone));
        context.insert("phone_verified".into(), json!(self.phone_verified));
        context.insert("username".into(), json!(self.username));
        context.insert("name".into(), json!(self.name));
        context.insert("given_name".into(), json!(self.given_name));
        context.insert("family_name".into(), json!(self.family_name));
        context.insert("created_at".into(), timestamp(self.created_at));
        context.insert("updated_at".into(), timestamp(self.updated_at));
        context.insert("last_login".into(), timestamp(self.last_login));
        context.insert("application".into(), json!(self.application));
        context.insert("tenant".into(), json!(self.tenant));
        context.insert("blocked".into(), json!(self.blocked));
        context.insert("social".into(), Value::Array(social));
        let family = self.password.as_ref().map(|p| p.family.to_string());
        context.insert("password_family".into(), json!(family));
        context.insert(
            "password_unavailable".into(),
            json!(self.password_unavailable),
        );

        // The normalised fields win over raw keys of the same name (Auth0's `email` and
        // `blocked` mean the same thing), and `password`/`raw` are reserved names.
        if let Value::Object(raw) = &self.raw {
            for (key, value) in raw {
                let reserved = key == "password" || key == "raw";
                if !reserved && !context.contains_key(key) {
                    context.insert(key.clone(), value.clone());
                }
            }
        }

        context.insert("raw".into(), self.raw.clone());
        Value::Object(context)
    }
}

/// Formats a timestamp the way the exports write them: RFC 3339, UTC, milliseconds.
fn timestamp(at: Option<DateTime<Utc>>) -> Value {
    match at {
        Some(at) => Value::String(at.to_rfc3339_opts(SecondsFormat::Millis, true)),
        None => Value::Null,
    }
}
