//! Writing the example table as the three exports: CSV as `psql \copy ... csv header` writes
//! it, NDJSON as an application's export job writes it (nested objects, epoch times), and
//! SQL that creates and fills the table in PostgreSQL, MySQL/MariaDB or SQLite.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::hashes;
use crate::table::{Stored, User};

/// The password columns of one row.
#[derive(Debug, Default, Clone)]
pub struct PasswordColumns {
    pub hash_algo: Option<&'static str>,
    pub password_hash: Option<String>,
    pub password_salt: Option<String>,
    pub hash_iterations: Option<u32>,
}

/// The table's columns, in order.
pub const COLUMNS: [&str; 19] = [
    "id",
    "email",
    "email_confirmed",
    "phone",
    "username",
    "first_name",
    "last_name",
    "display_name",
    "signup_at",
    "updated_at",
    "last_seen_at",
    "is_banned",
    "workspace",
    "plan",
    "hash_algo",
    "password_hash",
    "password_salt",
    "hash_iterations",
    "google_sub",
];

/// How the user's password is stored in the table's columns.
pub fn password_columns(user: &User) -> PasswordColumns {
    let id = user.id;
    let password = user.password.unwrap_or_default();
    let mut columns = PasswordColumns {
        hash_algo: user.stored.algo(),
        ..PasswordColumns::default()
    };
    let (hash, salt) = match user.stored {
        Stored::Nothing => (None, None),
        Stored::Bcrypt => (Some(hashes::bcrypt(id, password, false)), None),
        Stored::BcryptPhp => (Some(hashes::bcrypt(id, password, true)), None),
        Stored::Argon2id => (Some(hashes::argon2id(id, password)), None),
        Stored::Sha256Salted => {
            let salt = hashes::text_salt(id, "sha256", 12);
            let digest = hashes::sha256_prefixed(salt.as_bytes(), password);
            (Some(hex::encode(digest)), Some(salt))
        }
        Stored::Sha512Salted => {
            let salt = hashes::salt(id, "sha512", 16);
            let digest = hashes::sha512_suffixed(&salt, password);
            (Some(STANDARD.encode(digest)), Some(hex::encode(salt)))
        }
        Stored::Pbkdf2 => {
            let salt = hashes::salt(id, "pbkdf2", 16);
            let key = hashes::pbkdf2_sha256(&salt, password, hashes::PBKDF2_ITERATIONS);
            columns.hash_iterations = Some(hashes::PBKDF2_ITERATIONS);
            (Some(STANDARD.encode(key)), Some(STANDARD.encode(salt)))
        }
        Stored::Md5 => (Some(hex::encode(hashes::md5(password))), None),
        Stored::Sha1 => (Some(hex::encode(hashes::sha1(password))), None),
        Stored::Hmac => (Some(hex::encode(hashes::hmac_sha256(password))), None),
        Stored::Scrypt => {
            let salt = hashes::salt(id, "scrypt", 16);
            let key = hashes::scrypt(&salt, password);
            (Some(hex::encode(key)), Some(hex::encode(salt)))
        }
        Stored::Django => {
            let salt = hashes::text_salt(id, "django", 12);
            (Some(hashes::django_pbkdf2(&salt, password, 260_000)), None)
        }
        Stored::Phpass => {
            let salt = hashes::text_salt(id, "phpass", 8);
            (Some(hashes::phpass(&salt, password, 13)), None)
        }
        Stored::Ssha => (
            Some(hashes::ssha(&hashes::salt(id, "ssha", 8), password)),
            None,
        ),
        Stored::BrokenBcrypt => (Some("$2b$04$thisIsNotAFullBcryptHash".to_string()), None),
        Stored::BrokenHex => (
            Some("NOT-HEX-".repeat(8)),
            Some(hashes::text_salt(id, "sha256", 12)),
        ),
        Stored::UnknownScheme => (Some("8c736521".to_string()), None),
    };
    columns.password_hash = hash;
    columns.password_salt = salt;
    columns
}

/// A row's cells as text, in [`COLUMNS`] order, the way `psql` writes CSV (`t`/`f`).
fn cells(user: &User, password: &PasswordColumns) -> Vec<String> {
    let flag = |value: &str| match value {
        "true" => "t".to_string(),
        "false" => "f".to_string(),
        other => other.to_string(),
    };
    vec![
        user.id.to_string(),
        user.email.unwrap_or_default().to_string(),
        flag(user.email_confirmed),
        user.phone.unwrap_or_default().to_string(),
        user.username.to_string(),
        user.first_name.to_string(),
        user.last_name.to_string(),
        user.display_name.to_string(),
        user.signup_at.to_string(),
        user.updated_at.to_string(),
        user.last_seen_at.unwrap_or_default().to_string(),
        flag(&user.is_banned.to_string()),
        user.workspace.to_string(),
        user.plan.to_string(),
        password.hash_algo.unwrap_or_default().to_string(),
        password.password_hash.clone().unwrap_or_default(),
        password.password_salt.clone().unwrap_or_default(),
        password
            .hash_iterations
            .map(|n| n.to_string())
            .unwrap_or_default(),
        user.google_sub.unwrap_or_default().to_string(),
    ]
}

/// The CSV export; a broken row is written with its display name unquoted, so the comma in
/// it splits the row into one field too many.
pub fn csv(users: &[User]) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(COLUMNS).expect("write header");
    let mut text = String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8");

    for user in users {
        let cells = cells(user, &password_columns(user));
        if user.broken_row {
            text.push_str(&cells.join(","));
            text.push('\n');
            continue;
        }
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        writer.write_record(&cells).expect("write row");
        text.push_str(&String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8"));
    }
    text
}

/// The NDJSON export: profile and credentials nested, last activity as epoch milliseconds;
/// a broken row is cut off in the middle.
pub fn jsonl(users: &[User]) -> String {
    let mut text = String::new();
    for user in users {
        let password = password_columns(user);
        let confirmed = match user.email_confirmed {
            "true" => json!(true),
            "false" => json!(false),
            other => json!(other),
        };
        let iso = |at: &str| {
            if at.len() == 19 {
                json!(format!("{}T{}Z", &at[..10], &at[11..]))
            } else {
                json!(at)
            }
        };
        let last_seen = user.last_seen_at.map(|at| {
            let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S")
                .expect("table times parse");
            json!(at.and_utc().timestamp_millis())
        });
        let mut record = Map::new();
        record.insert("id".into(), json!(user.id));
        record.insert("email".into(), json!(user.email));
        record.insert("email_confirmed".into(), confirmed);
        record.insert("phone".into(), json!(user.phone));
        record.insert(
            "username".into(),
            json!(Some(user.username).filter(|u| !u.is_empty())),
        );
        record.insert(
            "profile".into(),
            json!({
                "first_name": user.first_name,
                "last_name": user.last_name,
                "display_name": user.display_name,
            }),
        );
        record.insert("signup_at".into(), iso(user.signup_at));
        record.insert("updated_at".into(), iso(user.updated_at));
        record.insert("last_seen_at".into(), last_seen.unwrap_or(Value::Null));
        record.insert("is_banned".into(), json!(user.is_banned));
        record.insert("workspace".into(), json!(user.workspace));
        record.insert("plan".into(), json!(user.plan));
        record.insert(
            "credentials".into(),
            json!({
                "algo": password.hash_algo,
                "hash": password.password_hash,
                "salt": password.password_salt,
                "iterations": password.hash_iterations,
            }),
        );
        record.insert("google_sub".into(), json!(user.google_sub));

        let line = Value::Object(record).to_string();
        if user.broken_row {
            let cut = line
                .char_indices()
                .nth(line.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            text.push_str(&line[..cut]);
        } else {
            text.push_str(&line);
        }
        text.push('\n');
    }
    text
}

/// The table's definition, in SQL that PostgreSQL, MySQL/MariaDB and SQLite all accept.
pub const SCHEMA: &str =
    "-- The user table of a made-up application, as its own code created it: several
-- generations of password hashes side by side (hash_algo names each row's scheme), a salt
-- and an iteration count for the schemes that need them, and a Google login id. The same
-- statements work in PostgreSQL, MySQL/MariaDB and SQLite.
CREATE TABLE app_users (
    id INTEGER NOT NULL PRIMARY KEY,
    email VARCHAR(320) NULL,
    email_confirmed BOOLEAN NULL,
    phone VARCHAR(32) NULL,
    username VARCHAR(64) NULL,
    first_name VARCHAR(100) NULL,
    last_name VARCHAR(100) NULL,
    display_name VARCHAR(200) NULL,
    signup_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    last_seen_at TIMESTAMP NULL,
    is_banned BOOLEAN NOT NULL,
    workspace VARCHAR(64) NULL,
    plan VARCHAR(16) NULL,
    hash_algo VARCHAR(16) NULL,
    password_hash VARCHAR(255) NULL,
    password_salt VARCHAR(64) NULL,
    hash_iterations INTEGER NULL,
    google_sub VARCHAR(64) NULL
);
";

/// The rows, one `INSERT` each; a broken row of the file exports is left out (a database
/// cannot hold it), and values a typed column cannot hold are null.
pub fn seed(users: &[User]) -> String {
    let mut text = String::from(
        "-- The rows of app_users (schema.sql), the same users as the CSV and NDJSON examples\n\
         -- except the row that is broken in those files. Times are UTC.\n",
    );
    for user in users.iter().filter(|user| !user.broken_row) {
        let password = password_columns(user);
        let cells = cells(user, &password);
        let values: Vec<String> = COLUMNS
            .iter()
            .zip(&cells)
            .map(|(column, cell)| sql_value(column, cell))
            .collect();
        text.push_str(&format!(
            "INSERT INTO app_users ({}) VALUES ({});\n",
            COLUMNS.join(", "),
            values.join(", ")
        ));
    }
    text
}

/// One value as a SQL literal for its column.
fn sql_value(column: &str, cell: &str) -> String {
    let timestamp = matches!(column, "signup_at" | "updated_at" | "last_seen_at");
    let valid_time = chrono::NaiveDateTime::parse_from_str(cell, "%Y-%m-%d %H:%M:%S").is_ok();
    match (column, cell) {
        (_, "") => "NULL".to_string(),
        ("email_confirmed" | "is_banned", "t") => "TRUE".to_string(),
        ("email_confirmed" | "is_banned", "f") => "FALSE".to_string(),
        ("email_confirmed", _) => "NULL".to_string(),
        (_, _) if timestamp && !valid_time => "NULL".to_string(),
        ("id" | "hash_iterations", number) => number.to_string(),
        (_, text) => format!("'{}'", text.replace('\'', "''")),
    }
}

/// The known passwords of the users in an export, by legacy id, as pretty JSON.
pub fn passwords(users: &[User], with_broken_rows: bool) -> String {
    let mut map = Map::new();
    for user in users {
        if user.broken_row && !with_broken_rows {
            continue;
        }
        if let Some(password) = user.password {
            map.insert(user.id.to_string(), json!(password));
        }
    }
    serde_json::to_string_pretty(&Value::Object(map)).expect("JSON") + "\n"
}
