//! Turning one `dumpdata` record into a [`LegacyUser`], or saying it is not a user.
//!
//! A record is `{"model": "app.model", "pk": …, "fields": {…}}`. Which model holds the users
//! is the project's choice (`AUTH_USER_MODEL`), so a record is taken as a user when its
//! fields have `password` and `last_login`, the two fields every Django user model inherits
//! from `AbstractBaseUser`; every other record belongs to another model. The password goes
//! over exactly as Django stores it (`pbkdf2_sha256$…`, `argon2$…`, `bcrypt_sha256$…`, …);
//! understanding it is the hash crate's work.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::field_values::{flag, full_name, parse_text_time, text};
use crate::{LegacyHash, LegacyPassword, LegacyUser};

/// The key of `raw` that says what the password field held, since the field itself is
/// removed: `hashed`, `unusable` (Django's `!` marker), `empty` or `missing`.
const PASSWORD_STATE: &str = "password_state";

/// What the password field of a user held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordState {
    /// A hash, handed over as it is.
    Hashed,
    /// `!` and random characters: Django's `set_unusable_password()`, for users who sign in
    /// another way; no password.
    Unusable,
    /// An empty string, which Django never accepts at login; no password.
    Empty,
    /// `null` or not a string; no password.
    Missing,
}

impl PasswordState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Hashed => "hashed",
            Self::Unusable => "unusable",
            Self::Empty => "empty",
            Self::Missing => "missing",
        }
    }
}

/// What one record turned out to be.
pub(crate) enum Mapped {
    /// A user, and what the reader counts or reports about it.
    User(Box<MappedUser>),
    /// A record of another model, by model name.
    OtherModel(String),
}

/// A user read from a record.
pub(crate) struct MappedUser {
    /// The user.
    pub user: LegacyUser,
    /// The user model's name, such as `auth.user`.
    pub model: String,
    /// What the password field held.
    pub password_state: PasswordState,
    /// Whether the record had no `pk`, so that a natural key is the legacy id.
    pub id_from_natural_key: bool,
    /// Whether a timestamp had no time zone and was read as UTC.
    pub naive_time: bool,
    /// Problems with single fields, naming fields only.
    pub warnings: Vec<String>,
}

/// Maps one record; an `Err` says why it cannot be read at all.
pub(crate) fn map_record(record: Value) -> Result<Mapped, String> {
    let Value::Object(mut record) = record else {
        return Err("a dumpdata record must be a JSON object".into());
    };
    let Some(model) = text(&record, "model") else {
        return Err("the record has no `model`".into());
    };
    let pk = record.get("pk").cloned();
    let Some(Value::Object(fields)) = record.get_mut("fields") else {
        return Err(format!("the {model} record has no `fields` object"));
    };
    if !(fields.contains_key("password") && fields.contains_key("last_login")) {
        return Ok(Mapped::OtherModel(model));
    }

    let mut warnings = Vec::new();
    let (password, password_state) = password(fields.remove("password"), &mut warnings);
    let fields = &*fields;
    let (legacy_id, id_from_natural_key) = legacy_id(pk.as_ref(), fields)
        .ok_or_else(|| format!("the {model} record has no `pk`, username or email"))?;

    let mut naive_time = false;
    let mut time = |field: &str| {
        let (at, naive) = timestamp(fields, field, &mut warnings);
        naive_time |= naive;
        at
    };
    let created_at = time("date_joined");
    let last_login = time("last_login");

    let given_name = text(fields, "first_name");
    let family_name = text(fields, "last_name");
    let user = LegacyUser {
        legacy_id,
        email: text(fields, "email"),
        email_verified: flag(fields, "email_verified").unwrap_or(false),
        phone: text(fields, "phone_number").or_else(|| text(fields, "phone")),
        phone_verified: flag(fields, "phone_number_verified").unwrap_or(false),
        username: text(fields, "username"),
        name: full_name(given_name.as_deref(), family_name.as_deref()),
        given_name,
        family_name,
        created_at,
        updated_at: None,
        last_login,
        password,
        password_unavailable: false,
        social: Vec::new(),
        application: None,
        tenant: None,
        // Django's `is_active` defaults to true; only an explicit false blocks.
        blocked: flag(fields, "is_active") == Some(false),
        raw: Value::Null,
    };

    record.insert(PASSWORD_STATE.into(), password_state.as_str().into());
    Ok(Mapped::User(Box::new(MappedUser {
        user: LegacyUser {
            raw: Value::Object(record),
            ..user
        },
        model,
        password_state,
        id_from_natural_key,
        naive_time,
        warnings,
    })))
}

/// The password field as a hash, or why there is none.
fn password(
    field: Option<Value>,
    warnings: &mut Vec<String>,
) -> (Option<LegacyPassword>, PasswordState) {
    match field {
        Some(Value::String(hash)) if hash.is_empty() => (None, PasswordState::Empty),
        Some(Value::String(hash)) if hash.starts_with('!') => (None, PasswordState::Unusable),
        Some(Value::String(hash)) => (
            Some(LegacyPassword::new(LegacyHash::Encoded(hash))),
            PasswordState::Hashed,
        ),
        Some(Value::Null) | None => {
            warnings.push("`password` is null; no password".into());
            (None, PasswordState::Missing)
        }
        Some(_) => {
            warnings.push("`password` is not a string; no password".into());
            (None, PasswordState::Missing)
        }
    }
}

/// The primary key as text; without one (`dumpdata --natural-primary`), the natural key
/// Django's user manager uses, the username, or else the email.
fn legacy_id(pk: Option<&Value>, fields: &Map<String, Value>) -> Option<(String, bool)> {
    match pk {
        Some(Value::String(pk)) if !pk.is_empty() => Some((pk.clone(), false)),
        Some(Value::Number(pk)) => Some((pk.to_string(), false)),
        _ => text(fields, "username")
            .or_else(|| text(fields, "email"))
            .map(|key| (key, true)),
    }
}

/// Reads a timestamp as `dumpdata` writes it (ISO 8601, with an offset when `USE_TZ` is on),
/// warning when it is present but unreadable; the flag says it had no offset.
fn timestamp(
    fields: &Map<String, Value>,
    field: &str,
    warnings: &mut Vec<String>,
) -> (Option<DateTime<Utc>>, bool) {
    let parsed = match fields.get(field) {
        None | Some(Value::Null) => return (None, false),
        Some(Value::String(text)) => parse_text_time(text),
        Some(_) => None,
    };
    match parsed {
        Some((at, naive)) => (Some(at), naive),
        None => {
            warnings.push(format!("`{field}` is not an ISO 8601 time; left empty"));
            (None, false)
        }
    }
}
