//! The `source:` settings of the generic formats (`csv`, `jsonl`, `sql`) as written.
//!
//! These mirror the YAML like the rest of `raw`: every mapping denies unknown keys (so a
//! misspelt field of the legacy user is refused with the list of known ones), values that a
//! later check may complain about are `Spanned`, and secrets that people paste in anyway (an
//! HMAC key, a connection string) are accepted only to be refused, their values never kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::raw::Refused;
use crate::yaml::Node;

/// `source.fields:` — the column or path of each field of the legacy user.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFields {
    pub legacy_id: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_verified: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_login: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
}

/// `source.password:` — how the password hash is stored; the same shape describes each entry
/// of `schemes`, whose unset keys fall back to the ones beside `schemes`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPassword {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Spanned<RawScheme>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Spanned<RawEncoding>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt_encoding: Option<Spanned<RawEncoding>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt_position: Option<Spanned<RawSaltPosition>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_env: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<Spanned<RawEncoding>>,
    /// An HMAC key written into the plan; accepted only to be refused. Never kept.
    #[serde(default, skip_serializing, alias = "hmac_key")]
    pub key: Option<Spanned<Refused>>,
    /// A number, or the name of a column holding it; told apart by `validate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<Spanned<Node>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when_empty: Option<Spanned<RawWhenEmpty>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme_column: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schemes: Option<Spanned<BTreeMap<String, Spanned<RawPassword>>>>,
}

/// `source.password.scheme:` — the hash schemes a generic source can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawScheme {
    Encoded,
    Md4,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    HmacMd4,
    HmacMd5,
    HmacSha1,
    HmacSha224,
    HmacSha256,
    HmacSha384,
    HmacSha512,
    Pbkdf2Sha1,
    Pbkdf2Sha224,
    Pbkdf2Sha256,
    Pbkdf2Sha384,
    Pbkdf2Sha512,
    Scrypt,
}

/// `encoding`, `salt_encoding`, `key_encoding`: how bytes are written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawEncoding {
    Text,
    Hex,
    Base64,
}

/// `salt_position:` — where the salt goes relative to the password.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawSaltPosition {
    Prefix,
    Suffix,
}

/// `when_empty:` — what a record without a hash means.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawWhenEmpty {
    NoPassword,
    Unavailable,
}

/// `source.csv:` — the CSV dialect; each value is one character, checked by `validate`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCsv {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escape: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_value: Option<Spanned<String>>,
}

/// `source.sql:` — the database (by the name of a variable) and the query.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSql {
    pub url_env: Spanned<String>,
    pub query: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary: Option<Spanned<RawBinary>>,
    /// A connection string written into the plan; accepted only to be refused. Never kept.
    #[serde(
        default,
        skip_serializing,
        alias = "connection_string",
        alias = "database_url",
        alias = "dsn"
    )]
    pub url: Option<Spanned<Refused>>,
}

/// `source.sql.binary:` — how binary columns are written into records.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawBinary {
    Hex,
    Base64,
}
