//! What a caller tells the generic readers: where each field of a legacy user is in a record,
//! how the password hash is stored, and the CSV dialect or the database query.
//!
//! The generic formats (`csv`, `jsonl`, `sql`) read exports of home-grown user tables, whose
//! column names and hash schemes are whatever the application chose. These types are plain
//! data, like the rest of [`crate::SourceConfig`]: the plan crate fills them in through the
//! worker, and only the readers interpret them. Secrets are never part of them, only the
//! names of the environment variables that hold them.

use std::collections::BTreeMap;

/// A digest algorithm a legacy scheme is built on.
pub use cutover_hash::Digest as HashDigest;
/// Where a salt is joined to the password before digesting.
pub use cutover_hash::SaltPosition as SaltPlacement;
use serde::{Deserialize, Serialize};

/// How records of a generic export map onto a legacy user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMapping {
    /// Where each field of the user is in a record.
    pub fields: FieldPaths,
    /// How the password hash is stored; `None` when the export holds no passwords.
    #[serde(default)]
    pub password: Option<PasswordColumns>,
}

/// Where each field of a legacy user is in a record: a CSV column name, or for JSON and SQL
/// a column or a dotted path into the record (`profile.first_name`).
///
/// A path is looked up as one key first, so a column whose name contains dots is found too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldPaths {
    /// The user's id in the legacy system; a record without one is unreadable.
    pub legacy_id: String,
    /// The email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the email address is verified (a boolean, 0/1, or true/false words).
    #[serde(default)]
    pub email_verified: Option<String>,
    /// The phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Whether the phone number is verified.
    #[serde(default)]
    pub phone_verified: Option<String>,
    /// The login name.
    #[serde(default)]
    pub username: Option<String>,
    /// The given (first) name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// The family (last) name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// The full display name.
    #[serde(default)]
    pub name: Option<String>,
    /// When the account was created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When the account was last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// When the user last signed in.
    #[serde(default)]
    pub last_login: Option<String>,
    /// Whether the user is blocked.
    #[serde(default)]
    pub blocked: Option<String>,
    /// The application the user belongs to.
    #[serde(default)]
    pub application: Option<String>,
    /// The tenant the user belongs to.
    #[serde(default)]
    pub tenant: Option<String>,
    /// Social logins: connection name to the path of the user's id at that provider.
    #[serde(default)]
    pub social: BTreeMap<String, String>,
}

/// How the password hash is stored, and what an empty hash means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordColumns {
    /// One scheme for every record, or a scheme chosen by a column of each record.
    pub schemes: SchemeChoice,
    /// What a record without a hash means.
    #[serde(default)]
    pub when_empty: WhenEmpty,
}

/// Which hash scheme a record's password uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeChoice {
    /// Every record uses this scheme.
    Fixed(HashScheme),
    /// The value of `column` names the scheme of each record, as a key of `schemes`; tables
    /// that rehash on login hold several generations of hashes side by side.
    PerRecord {
        /// The column or path naming the scheme.
        column: String,
        /// The schemes by the value that names them.
        schemes: BTreeMap<String, HashScheme>,
    },
}

/// One way of storing a password hash, with the columns that hold its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashScheme {
    /// A self-describing string exactly as stored (bcrypt, argon2, Django, phpass, `{SSHA}`
    /// ...); the hash crate recognises it.
    Encoded {
        /// The column holding the string.
        hash: String,
    },
    /// A plain or salted message digest of the password.
    Digest {
        /// The digest algorithm.
        algorithm: HashDigest,
        /// The column holding the digest.
        hash: String,
        /// How the digest is written in the column.
        encoding: Encoding,
        /// The salt column; a record with an empty salt is unsalted.
        salt: Option<SaltColumn>,
        /// Where the salt is joined to the password.
        salt_position: SaltPlacement,
    },
    /// An HMAC of the password under a key held in an environment variable.
    Hmac {
        /// The digest of the HMAC.
        algorithm: HashDigest,
        /// The column holding the MAC.
        hash: String,
        /// How the MAC is written in the column.
        encoding: Encoding,
        /// The name of the environment variable holding the key.
        key_env: String,
        /// How the key is written in the variable.
        key_encoding: Encoding,
    },
    /// PBKDF2-HMAC given as parts.
    Pbkdf2 {
        /// The digest of the HMAC.
        algorithm: HashDigest,
        /// The column holding the derived key.
        hash: String,
        /// How the derived key is written in the column.
        encoding: Encoding,
        /// The salt column.
        salt: SaltColumn,
        /// The iteration count.
        iterations: Param,
    },
    /// scrypt given as parts.
    Scrypt {
        /// The column holding the derived key.
        hash: String,
        /// How the derived key is written in the column.
        encoding: Encoding,
        /// The salt column.
        salt: SaltColumn,
        /// The cost N, written out (16384, not 14).
        n: Param,
        /// The block size r.
        r: Param,
        /// The parallelism p.
        p: Param,
    },
}

impl HashScheme {
    /// The column holding the hash.
    pub fn hash(&self) -> &str {
        match self {
            Self::Encoded { hash }
            | Self::Digest { hash, .. }
            | Self::Hmac { hash, .. }
            | Self::Pbkdf2 { hash, .. }
            | Self::Scrypt { hash, .. } => hash,
        }
    }

    /// The salt column, for the schemes that have one.
    pub fn salt(&self) -> Option<&SaltColumn> {
        match self {
            Self::Digest { salt, .. } => salt.as_ref(),
            Self::Pbkdf2 { salt, .. } | Self::Scrypt { salt, .. } => Some(salt),
            Self::Encoded { .. } | Self::Hmac { .. } => None,
        }
    }

    /// The columns that hold parameters (iteration counts, scrypt costs).
    pub fn parameter_columns(&self) -> Vec<&str> {
        let params: Vec<&Param> = match self {
            Self::Pbkdf2 { iterations, .. } => vec![iterations],
            Self::Scrypt { n, r, p, .. } => vec![n, r, p],
            _ => Vec::new(),
        };
        params
            .into_iter()
            .filter_map(|param| match param {
                Param::Column(column) => Some(column.as_str()),
                Param::Fixed(_) => None,
            })
            .collect()
    }
}

/// A salt column and how the salt is written in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaltColumn {
    /// The column or path holding the salt.
    pub path: String,
    /// How the salt is written.
    pub encoding: Encoding,
}

/// A number given once for every record, or read from a column of each record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// The same value for every record.
    Fixed(u64),
    /// The column or path holding each record's value.
    Column(String),
}

/// How bytes (a digest, a salt, a key) are written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The UTF-8 bytes of the text itself (salts and keys only).
    Text,
    /// Hexadecimal, either case.
    Hex,
    /// Base64, standard or URL-safe alphabet, padded or not.
    Base64,
}

/// What a record without a password hash means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenEmpty {
    /// The user has no password (social logins, invitations never accepted); the default.
    #[default]
    NoPassword,
    /// The user has a password the export does not carry, as [`crate::LegacyUser`]'s
    /// `password_unavailable` says.
    Unavailable,
}

/// The dialect of a CSV export. The first row is always the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// The field delimiter, `,` by default.
    pub delimiter: u8,
    /// The quote character, `"` by default; a quote inside a quoted field is doubled.
    pub quote: u8,
    /// An escape character for quotes inside quoted fields (`\` in MySQL's `INTO OUTFILE`),
    /// in place of doubling them.
    #[serde(default)]
    pub escape: Option<u8>,
    /// A cell value that means null, such as `\N` or `NULL`; an empty cell is always null.
    #[serde(default)]
    pub null: Option<String>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: b',',
            quote: b'"',
            escape: None,
            null: None,
        }
    }
}

/// The database and query of an `sql` source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlOptions {
    /// The name of the environment variable holding the connection string, which may hold a
    /// password and is therefore never part of the configuration.
    pub url_env: String,
    /// The query whose rows are the users.
    pub query: String,
    /// How binary columns (bytea, BLOB) are written into records.
    #[serde(default)]
    pub binary: BinaryText,
}

/// How binary column values are turned into text in a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryText {
    /// Lowercase hexadecimal; the default.
    #[default]
    Hex,
    /// Standard base64 with padding.
    Base64,
}
