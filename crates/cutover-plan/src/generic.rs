//! The checked `source:` settings of the generic formats: the field mapping, the password
//! hash scheme, the CSV dialect and the SQL query.
//!
//! `validate` builds these from the raw file; each type admits only the combinations that
//! make sense (a PBKDF2 scheme always has a salt and an iteration count, an HMAC scheme the
//! name of the variable holding its key), so the worker can hand them to the readers without
//! checking anything again.

use std::collections::BTreeMap;

/// The formats whose fields the plan maps (`source.fields`).
pub const GENERIC_FORMATS: [&str; 3] = ["csv", "jsonl", "sql"];

/// Where each field of the legacy user is in a record (`source.fields:`): a CSV column, or
/// for JSON and SQL a column or a dotted path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMapping {
    /// The legacy user id; required.
    pub legacy_id: String,
    /// The email address.
    pub email: Option<String>,
    /// Whether the email address is verified.
    pub email_verified: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// Whether the phone number is verified.
    pub phone_verified: Option<String>,
    /// The login name.
    pub username: Option<String>,
    /// The given name.
    pub given_name: Option<String>,
    /// The family name.
    pub family_name: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// When the account was created.
    pub created_at: Option<String>,
    /// When the account was last changed.
    pub updated_at: Option<String>,
    /// When the user last signed in.
    pub last_login: Option<String>,
    /// Whether the user is blocked.
    pub blocked: Option<String>,
    /// The application the user belongs to.
    pub application: Option<String>,
    /// The tenant the user belongs to.
    pub tenant: Option<String>,
    /// Social logins: connection name to the column holding the user's id there.
    pub social: BTreeMap<String, String>,
}

/// How the password hash is stored (`source.password:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordSpec {
    /// One scheme, or a scheme per record.
    pub choice: PasswordChoice,
    /// What a record without a hash means (default: no password).
    pub when_empty: WhenEmpty,
}

/// One scheme for every record, or a scheme named by a column of each record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChoice {
    /// `scheme:` — every record.
    Fixed(PasswordScheme),
    /// `scheme_column:` and `schemes:` — the column's value picks the scheme.
    PerRecord {
        /// The column naming each record's scheme.
        column: String,
        /// The schemes by that value.
        schemes: BTreeMap<String, PasswordScheme>,
    },
}

/// A hash scheme with its columns and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordScheme {
    /// `encoded`: a self-describing string as stored.
    Encoded {
        /// The hash column.
        hash: String,
    },
    /// `md5`, `sha1`, `sha256` ...: a plain or salted digest.
    Digest {
        /// The digest algorithm.
        algorithm: DigestAlgorithm,
        /// The hash column.
        hash: String,
        /// How the digest is written.
        encoding: ByteEncoding,
        /// The salt column, if the digest is salted.
        salt: Option<SaltSpec>,
        /// Where the salt goes (required with a salt; `suffix` stands in without one).
        salt_position: SaltPosition,
    },
    /// `hmac_sha256` ...: an HMAC under a key from the environment.
    Hmac {
        /// The digest algorithm of the HMAC.
        algorithm: DigestAlgorithm,
        /// The hash column.
        hash: String,
        /// How the MAC is written.
        encoding: ByteEncoding,
        /// The environment variable holding the key.
        key_env: String,
        /// How the key is written in the variable.
        key_encoding: ByteEncoding,
    },
    /// `pbkdf2_sha256` ...: PBKDF2 parts.
    Pbkdf2 {
        /// The digest algorithm of the HMAC.
        algorithm: DigestAlgorithm,
        /// The hash column.
        hash: String,
        /// How the derived key is written.
        encoding: ByteEncoding,
        /// The salt column.
        salt: SaltSpec,
        /// The iteration count, fixed or from a column.
        iterations: CountSpec,
    },
    /// `scrypt`: scrypt parts.
    Scrypt {
        /// The hash column.
        hash: String,
        /// How the derived key is written.
        encoding: ByteEncoding,
        /// The salt column.
        salt: SaltSpec,
        /// The cost N, written out.
        n: CountSpec,
        /// The block size r.
        r: CountSpec,
        /// The parallelism p.
        p: CountSpec,
    },
}

/// A salt column and how the salt is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaltSpec {
    /// The salt column.
    pub column: String,
    /// How the salt is written.
    pub encoding: ByteEncoding,
}

/// A number given in the plan or read from a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountSpec {
    /// The same for every record.
    Fixed(u64),
    /// Read from this column of each record.
    Column(String),
}

/// How bytes are written as text (`encoding`, `salt_encoding`, `key_encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteEncoding {
    /// The UTF-8 bytes of the text.
    Text,
    /// Hexadecimal.
    Hex,
    /// Base64.
    Base64,
}

/// A digest algorithm of a hash scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// MD4.
    Md4,
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// Where a salt is joined to the password (`salt_position:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaltPosition {
    /// Before the password.
    Prefix,
    /// After the password.
    Suffix,
}

/// What a record without a hash means (`when_empty:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhenEmpty {
    /// The user has no password; the default.
    #[default]
    NoPassword,
    /// The user has a password the export does not carry.
    Unavailable,
}

/// The CSV dialect (`source.csv:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvDialect {
    /// The field delimiter (default `,`).
    pub delimiter: u8,
    /// The quote character (default `"`).
    pub quote: u8,
    /// The escape character inside quotes, if quotes are not doubled.
    pub escape: Option<u8>,
    /// A cell value that means null, besides the empty cell.
    pub null: Option<String>,
}

impl Default for CsvDialect {
    fn default() -> Self {
        Self {
            delimiter: b',',
            quote: b'"',
            escape: None,
            null: None,
        }
    }
}

/// The database and query of format `sql` (`source.sql:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlSource {
    /// The environment variable holding the connection string.
    pub url_env: String,
    /// The query whose rows are the users.
    pub query: String,
    /// How binary columns are written into records (default hex).
    pub binary: BinaryEncoding,
}

/// How binary column values become text (`source.sql.binary:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinaryEncoding {
    /// Lowercase hexadecimal; the default.
    #[default]
    Hex,
    /// Standard base64.
    Base64,
}
