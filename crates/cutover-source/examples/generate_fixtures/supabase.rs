//! The Supabase fixture: rows of `auth.users` as JSON (what `select json_agg(u) from
//! auth.users u` gives) and as CSV (what `\copy auth.users to 'users.csv' csv header`
//! gives), every column in the table's order.

use std::error::Error;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::{b64, bytes};
use crate::hashes::{FirebaseProject, argon2id, bcrypt, firebase_scrypt};
use crate::out::{Passwords, ordered_object, write};

/// The columns of `auth.users`, in table order.
const COLUMNS: [&str; 35] = [
    "instance_id",
    "id",
    "aud",
    "role",
    "email",
    "encrypted_password",
    "email_confirmed_at",
    "invited_at",
    "confirmation_token",
    "confirmation_sent_at",
    "recovery_token",
    "recovery_sent_at",
    "email_change_token_new",
    "email_change",
    "email_change_sent_at",
    "last_sign_in_at",
    "raw_app_meta_data",
    "raw_user_meta_data",
    "is_super_admin",
    "created_at",
    "updated_at",
    "phone",
    "phone_confirmed_at",
    "phone_change",
    "phone_change_token",
    "phone_change_sent_at",
    "confirmed_at",
    "email_change_token_current",
    "email_change_confirm_status",
    "banned_until",
    "reauthentication_token",
    "reauthentication_sent_at",
    "is_sso_user",
    "deleted_at",
    "is_anonymous",
];

/// Columns of type `timestamptz`, written differently by JSON and CSV.
const TIME_COLUMNS: [&str; 14] = [
    "email_confirmed_at",
    "invited_at",
    "confirmation_sent_at",
    "recovery_sent_at",
    "email_change_sent_at",
    "last_sign_in_at",
    "created_at",
    "updated_at",
    "phone_confirmed_at",
    "phone_change_sent_at",
    "confirmed_at",
    "banned_until",
    "reauthentication_sent_at",
    "deleted_at",
];

/// One row, as column-value pairs; times are Postgres text (`2024-01-15 10:30:00+00`).
type Row = Vec<(&'static str, Value)>;

/// A confirmed email user created at `created`, with every column at its usual value.
fn row(id: &str, email: Option<&str>, created: &str) -> Row {
    let confirmed = email.map(|_| Value::from(created));
    COLUMNS
        .iter()
        .map(|&column| {
            let value = match column {
                "instance_id" => json!("00000000-0000-0000-0000-000000000000"),
                "id" => json!(id),
                "aud" | "role" => json!("authenticated"),
                "email" => json!(email),
                "email_confirmed_at" | "confirmed_at" => confirmed.clone().unwrap_or(Value::Null),
                "created_at" | "updated_at" => json!(created),
                "raw_app_meta_data" => json!({"provider": "email", "providers": ["email"]}),
                "raw_user_meta_data" => json!({}),
                "email_change_confirm_status" => json!(0),
                "is_sso_user" | "is_anonymous" => json!(false),
                "encrypted_password"
                | "confirmation_token"
                | "recovery_token"
                | "email_change_token_new"
                | "email_change"
                | "phone_change"
                | "phone_change_token"
                | "email_change_token_current"
                | "reauthentication_token" => json!(""),
                _ => Value::Null,
            };
            (column, value)
        })
        .collect()
}

/// Sets one column of a row.
fn set(row: &mut Row, column: &str, value: Value) {
    let cell = row
        .iter_mut()
        .find(|(name, _)| *name == column)
        .expect("a column of auth.users");
    cell.1 = value;
}

/// A user id in the fixture's uuid series.
fn uuid(n: u32) -> String {
    format!("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a{n:04}")
}

fn users(pw: &mut Passwords) -> Vec<Row> {
    let mut rows = Vec::new();
    let created = "2023-03-04 05:06:07.123456+00";

    let mut ada = row(&uuid(1), Some("ada@example.com"), created);
    let hash = bcrypt(
        pw.add(&uuid(1), "supabase-ada"),
        "supabase:1",
        bcrypt::Version::TwoA,
    );
    set(&mut ada, "encrypted_password", json!(hash));
    set(
        &mut ada,
        "raw_user_meta_data",
        json!({"full_name": "Ada Lovelace"}),
    );
    set(
        &mut ada,
        "last_sign_in_at",
        json!("2024-05-06 07:08:09.010111+00"),
    );
    rows.push(ada);

    let mut zoe = row(&uuid(2), Some("zoe.obrien@example.com"), created);
    let hash = argon2id(pw.add(&uuid(2), "ärgon-Zoë"), "supabase:2");
    set(&mut zoe, "encrypted_password", json!(hash));
    set(
        &mut zoe,
        "raw_user_meta_data",
        json!({"full_name": "Zoë O'Brien", "first_name": "Zoë", "last_name": "O'Brien"}),
    );
    rows.push(zoe);

    let project = FirebaseProject {
        signer_key: bytes("supabase:firebase-signer-key", 64),
        salt_separator: vec![0x07],
        rounds: 8,
        mem_cost: 14,
    };
    let salt = bytes("supabase:3", 10);
    let hash = firebase_scrypt(pw.add(&uuid(3), "from-firebase"), &salt, &project);
    let fbscrypt = format!(
        "$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==,sk={}${}${}",
        b64(&project.signer_key),
        b64(&salt),
        b64(&hash)
    );
    let mut fiona = row(&uuid(3), Some("fiona@example.com"), created);
    set(&mut fiona, "encrypted_password", json!(fbscrypt));
    set(
        &mut fiona,
        "raw_user_meta_data",
        json!({"full_name": "Fiona Firebase"}),
    );
    rows.push(fiona);

    let mut grace = row(&uuid(4), Some("grace@hopper.example"), created);
    set(
        &mut grace,
        "raw_app_meta_data",
        json!({"provider": "google", "providers": ["google"]}),
    );
    set(
        &mut grace,
        "raw_user_meta_data",
        json!({
            "iss": "https://accounts.google.com",
            "sub": "109876543210987654321",
            "name": "Grace Hopper",
            "full_name": "Grace Hopper",
            "email": "grace@hopper.example",
            "email_verified": true,
            "provider_id": "109876543210987654321"
        }),
    );
    rows.push(grace);

    let mut linus = row(&uuid(5), Some("linus@example.org"), created);
    let hash = bcrypt(
        pw.add(&uuid(5), "linus-pw"),
        "supabase:5",
        bcrypt::Version::TwoA,
    );
    set(&mut linus, "encrypted_password", json!(hash));
    set(
        &mut linus,
        "raw_app_meta_data",
        json!({"provider": "email", "providers": ["email", "github"]}),
    );
    set(
        &mut linus,
        "raw_user_meta_data",
        json!({"full_name": "Linus"}),
    );
    rows.push(linus);

    let mut phone = row(&uuid(6), None, created);
    set(&mut phone, "phone", json!("15555550123"));
    set(&mut phone, "phone_confirmed_at", json!(created));
    set(&mut phone, "confirmed_at", json!(created));
    set(
        &mut phone,
        "raw_app_meta_data",
        json!({"provider": "phone", "providers": ["phone"]}),
    );
    rows.push(phone);

    let mut banned = row(&uuid(7), Some("banned@example.com"), created);
    let hash = bcrypt(
        pw.add(&uuid(7), "banned-pw"),
        "supabase:7",
        bcrypt::Version::TwoA,
    );
    set(&mut banned, "encrypted_password", json!(hash));
    set(&mut banned, "banned_until", json!("2999-01-01 00:00:00+00"));
    rows.push(banned);

    let mut pardoned = row(&uuid(8), Some("pardoned@example.com"), created);
    let hash = bcrypt(
        pw.add(&uuid(8), "unbanned-pw"),
        "supabase:8",
        bcrypt::Version::TwoA,
    );
    set(&mut pardoned, "encrypted_password", json!(hash));
    set(
        &mut pardoned,
        "banned_until",
        json!("2020-01-01 00:00:00+00"),
    );
    rows.push(pardoned);

    let mut twin = row(&uuid(9), Some("ADA@example.com"), "2023-06-01 00:00:00+00");
    let hash = bcrypt(
        pw.add(&uuid(9), "twin-pw"),
        "supabase:9",
        bcrypt::Version::TwoY,
    );
    set(&mut twin, "encrypted_password", json!(hash));
    rows.push(twin);

    let mut broken = row(&uuid(10), Some("broken.hash@example.com"), created);
    set(&mut broken, "encrypted_password", json!("$2a$10$tooshort"));
    rows.push(broken);

    let mut unconfirmed = row(&uuid(11), Some("unconfirmed@example.com"), created);
    let hash = bcrypt(
        pw.add(&uuid(11), "unconfirmed-pw"),
        "supabase:11",
        bcrypt::Version::TwoA,
    );
    set(&mut unconfirmed, "encrypted_password", json!(hash));
    set(&mut unconfirmed, "email_confirmed_at", Value::Null);
    set(&mut unconfirmed, "confirmed_at", Value::Null);
    set(
        &mut unconfirmed,
        "confirmation_token",
        json!("a1b2c3d4e5f6secrettoken"),
    );
    set(&mut unconfirmed, "confirmation_sent_at", json!(created));
    rows.push(unconfirmed);

    let mut deleted = row(&uuid(12), Some("deleted@example.com"), created);
    set(&mut deleted, "deleted_at", json!("2024-02-02 02:02:02+00"));
    rows.push(deleted);

    let provider = "sso:0e1f2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7";
    let mut sso = row(&uuid(13), Some("sam@corp.example"), created);
    set(&mut sso, "is_sso_user", json!(true));
    set(
        &mut sso,
        "raw_app_meta_data",
        json!({"provider": provider, "providers": [provider]}),
    );
    set(
        &mut sso,
        "raw_user_meta_data",
        json!({"sub": "saml-subject-123", "full_name": "Sam L"}),
    );
    rows.push(sso);
    rows
}

/// A time in JSON's ISO form: `2024-01-15T10:30:00.123456+00:00`.
fn iso(text: &str) -> String {
    format!("{}:00", text.replacen(' ', "T", 1))
}

/// A row as the JSON of `json_agg`.
fn json_row(row: &Row) -> String {
    let pairs: Vec<(&str, Value)> = row
        .iter()
        .map(|(column, value)| {
            let value = match value {
                Value::String(text) if TIME_COLUMNS.contains(column) => json!(iso(text)),
                other => other.clone(),
            };
            (*column, value)
        })
        .collect();
    ordered_object(&pairs)
}

/// A row as psql's CSV: empty for null, `t`/`f`, JSON text for `jsonb`.
fn csv_row(row: &Row) -> Vec<String> {
    row.iter()
        .map(|(_, value)| match value {
            Value::Null => String::new(),
            Value::Bool(flag) => if *flag { "t" } else { "f" }.to_string(),
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Writes the Supabase fixture into `dir`.
pub fn write_fixture(dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut pw = Passwords::default();
    let rows = users(&mut pw);

    let mut elements: Vec<String> = rows.iter().map(json_row).collect();
    elements.insert(
        6,
        "{\n  \"id\": \"9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0099\",\n  \"email\": }".into(),
    );
    elements.push("{\n  \"email\": \"no.id@example.com\",\n  \"aud\": \"authenticated\"\n}".into());
    write(
        &dir.join("users.json"),
        &format!("[\n{}\n]\n", elements.join(",\n")),
    )?;

    let mut table = vec![COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    table.extend(rows.iter().map(csv_row));
    table.insert(
        7,
        vec![
            uuid(98),
            "short@example.com".into(),
            "a row cut short".into(),
        ],
    );
    write(&dir.join("users.csv"), &crate::out::csv(&table)?)?;
    pw.write(dir)
}
