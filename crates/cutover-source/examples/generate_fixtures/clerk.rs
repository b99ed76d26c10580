//! The Clerk fixture: the dashboard's user export (CSV, digests of every hasher Clerk
//! imports) and the JSON export support hands out, with metadata, a banned user and social
//! logins.

use std::error::Error;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::common::{Algo, Prf, b64, bytes, digest, pbkdf2};
use crate::hashes::{FirebaseProject, argon2id, bcrypt, firebase_scrypt};
use crate::out::{Element, Passwords, csv, json_array, write};

/// The dashboard export's header.
const HEADER: [&str; 13] = [
    "id",
    "first_name",
    "last_name",
    "username",
    "primary_email_address",
    "primary_phone_number",
    "verified_email_addresses",
    "unverified_email_addresses",
    "verified_phone_numbers",
    "unverified_phone_numbers",
    "totp_secret",
    "password_digest",
    "password_hasher",
];

/// A phpass vector published with phpass itself: `test12345`.
const PHPASS_VECTOR: &str = "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0";

/// One dashboard row, by column name.
#[derive(Default, Clone)]
struct Row {
    id: &'static str,
    first: &'static str,
    last: &'static str,
    username: &'static str,
    email: &'static str,
    phone: &'static str,
    verified_emails: &'static str,
    unverified_emails: &'static str,
    verified_phones: &'static str,
    totp: &'static str,
    digest: String,
    hasher: &'static str,
}

impl Row {
    fn cells(&self) -> Vec<String> {
        [
            self.id,
            self.first,
            self.last,
            self.username,
            self.email,
            self.phone,
            self.verified_emails,
            self.unverified_emails,
            self.verified_phones,
            "",
            self.totp,
            &self.digest,
            self.hasher,
        ]
        .iter()
        .map(|cell| cell.to_string())
        .collect()
    }
}

/// A user with a verified primary address.
fn verified(id: &'static str, email: &'static str, first: &'static str, last: &'static str) -> Row {
    Row {
        id,
        first,
        last,
        email,
        verified_emails: email,
        ..Row::default()
    }
}

fn bcrypt_of(pw: &mut Passwords, id: &str, password: &str) -> String {
    bcrypt(
        pw.add(id, password),
        &format!("clerk:{id}"),
        bcrypt::Version::TwoA,
    )
}

/// The Firebase project whose hashes Clerk imported with `scrypt_firebase`.
fn firebase_digest(pw: &mut Passwords, id: &str) -> String {
    let project = FirebaseProject {
        signer_key: bytes("clerk:firebase-signer-key", 64),
        salt_separator: vec![0x07],
        rounds: 8,
        mem_cost: 14,
    };
    let salt = bytes(&format!("clerk:{id}"), 10);
    let hash = firebase_scrypt(pw.add(id, "clerk-firebase"), &salt, &project);
    format!(
        "{}${}${}${}$8$14",
        b64(&hash),
        b64(&salt),
        b64(&project.signer_key),
        b64(&project.salt_separator)
    )
}

fn rows(pw: &mut Passwords) -> Vec<Row> {
    let salt = bytes("clerk:user_2pat", 16);
    let pat = pbkdf2(
        Prf::Sha256,
        pw.add("user_2pat", "clerk-pbkdf2"),
        &salt,
        10_000,
        32,
    );
    let django = pbkdf2(
        Prf::Sha256,
        pw.add("user_2dj", "django-pw"),
        b"seasalt1",
        600_000,
        32,
    );
    let sha1_salt = bytes("clerk:user_2sha1", 8);
    let sha1 = pbkdf2(
        Prf::Sha1,
        pw.add("user_2sha1", "sha1-pw"),
        &sha1_salt,
        10_000,
        20,
    );
    let pepper = bcrypt("peppered-pwpepper", "clerk:pepper", bcrypt::Version::TwoA);

    vec![
        Row {
            verified_emails: "ada@example.com|ada.work@example.com",
            digest: bcrypt_of(pw, "user_2ada", "clerk-ada"),
            hasher: "bcrypt",
            ..verified("user_2ada", "ada@example.com", "Ada", "Lovelace")
        },
        Row {
            digest: argon2id(pw.add("user_2zoe", "clerk-zöe"), "clerk:user_2zoe"),
            hasher: "argon2id",
            ..verified("user_2zoe", "zoe@example.com", "Zoë", "O'Brien")
        },
        Row {
            digest: format!("pbkdf2_sha256$10000${}${}", b64(&salt), b64(&pat)),
            hasher: "pbkdf2_sha256",
            ..verified("user_2pat", "pat@example.com", "Pat", "Kdf")
        },
        Row {
            digest: format!("pbkdf2_sha256$600000$seasalt1${}", b64(&django)),
            hasher: "pbkdf2_sha256_django",
            ..verified("user_2dj", "django@example.com", "Jean", "Go")
        },
        Row {
            digest: format!(
                "pbkdf2_sha1$10000${}${}",
                hex::encode(&sha1_salt),
                hex::encode(sha1)
            ),
            hasher: "pbkdf2_sha1",
            ..verified("user_2sha1", "sha1@example.com", "Shawn", "One")
        },
        Row {
            digest: hex::encode(digest(Algo::Md5, pw.add("user_2md5", "md5-pw").as_bytes())),
            hasher: "md5",
            ..verified("user_2md5", "md5@example.com", "Emm", "Dee")
        },
        Row {
            digest: hex::encode(digest(
                Algo::Sha256,
                pw.add("user_2sha", "sha-pw").as_bytes(),
            )),
            hasher: "sha256",
            ..verified("user_2sha", "sha@example.com", "Sha", "Two")
        },
        Row {
            digest: firebase_digest(pw, "user_2fb"),
            hasher: "scrypt_firebase",
            ..verified("user_2fb", "fiona@example.com", "Fiona", "Firebase")
        },
        Row {
            digest: {
                pw.add("user_2php", "test12345");
                PHPASS_VECTOR.into()
            },
            hasher: "phpass",
            ..verified("user_2php", "php@example.com", "Peh", "Pass")
        },
        Row {
            digest: format!("{pepper}$pepper"),
            hasher: "bcrypt_peppered",
            ..verified("user_2pepper", "pepper@example.com", "Pep", "Per")
        },
        verified("user_2nopw", "nopw@example.com", "Noah", "Password"),
        Row {
            verified_emails: "",
            unverified_emails: "unverified@example.com",
            digest: bcrypt_of(pw, "user_2unverified", "unverified-pw"),
            hasher: "bcrypt",
            ..verified(
                "user_2unverified",
                "unverified@example.com",
                "Una",
                "Verified",
            )
        },
        Row {
            digest: bcrypt_of(pw, "user_2twin", "twin-pw"),
            hasher: "bcrypt",
            ..verified("user_2twin", "ADA@EXAMPLE.COM", "Ada", "Twin")
        },
        Row {
            id: "user_2phone",
            first: "Phil",
            phone: "+15555550123",
            verified_phones: "+15555550123",
            ..Row::default()
        },
        Row {
            digest: "not-a-digest".into(),
            hasher: "md5",
            ..verified("user_2broken", "broken@example.com", "Bro", "Ken")
        },
        Row {
            username: "totp_tom",
            totp: "JBSWY3DPEHPK3PXP",
            digest: bcrypt_of(pw, "user_2totp", "totp-pw"),
            hasher: "bcrypt",
            ..verified("user_2totp", "tom@example.com", "Tom", "Otp")
        },
    ]
}

/// A user of the JSON export, keys in the export's order.
#[derive(Serialize)]
struct JsonUser {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    email_addresses: String,
    phone_numbers: String,
    totp_secret: Option<String>,
    password_digest: Option<String>,
    password_hasher: Option<String>,
    unsafe_metadata: Value,
    public_metadata: Value,
    private_metadata: Value,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    banned: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_accounts: Vec<Value>,
}

fn json_user(row: &Row) -> JsonUser {
    let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
    JsonUser {
        id: row.id.into(),
        first_name: some(row.first),
        last_name: some(row.last),
        username: some(row.username),
        email_addresses: if row.verified_emails.is_empty() {
            row.email.into()
        } else {
            row.verified_emails.into()
        },
        phone_numbers: row.phone.into(),
        totp_secret: some(row.totp),
        password_digest: some(&row.digest),
        password_hasher: some(row.hasher),
        unsafe_metadata: json!({}),
        public_metadata: json!({}),
        private_metadata: json!({}),
        banned: false,
        external_accounts: Vec::new(),
    }
}

fn json_users(rows: &[Row], pw: &mut Passwords) -> Vec<Element<JsonUser>> {
    let pick = |id: &str| rows.iter().find(|row| row.id == id).expect("a fixture row");
    let mut ada = json_user(pick("user_2ada"));
    ada.public_metadata = json!({"plan": "pro"});
    ada.private_metadata = json!({"crm_id": 4711});

    let grace = JsonUser {
        external_accounts: vec![json!({
            "provider": "oauth_google",
            "provider_user_id": "109876543210987654321",
            "email_address": "grace@hopper.example"
        })],
        ..json_user(&verified(
            "user_2grace",
            "grace@hopper.example",
            "Grace",
            "Hopper",
        ))
    };
    let linus = JsonUser {
        external_accounts: vec![
            json!({"provider": "oauth_github", "provider_user_id": "22182844"}),
        ],
        ..json_user(&Row {
            digest: bcrypt_of(pw, "user_2linus", "linus-pw"),
            hasher: "bcrypt",
            ..verified("user_2linus", "linus@example.org", "Linus", "")
        })
    };
    let banned = JsonUser {
        banned: true,
        ..json_user(&Row {
            digest: bcrypt_of(pw, "user_2banned", "banned-pw"),
            hasher: "bcrypt",
            ..verified("user_2banned", "banned@example.com", "Ban", "Ned")
        })
    };

    let mut users: Vec<Element<JsonUser>> = vec![
        Element::Record(ada),
        Element::Record(json_user(pick("user_2zoe"))),
        Element::Record(grace),
        Element::Record(linus),
        Element::Record(banned),
        Element::Record(json_user(pick("user_2twin"))),
        Element::Record(json_user(pick("user_2phone"))),
        Element::Record(json_user(pick("user_2fb"))),
        Element::Record(json_user(pick("user_2pepper"))),
    ];
    users.insert(
        3,
        Element::Verbatim(
            "{\n  \"id\": \"user_2brokenjson\",\n  \"first_name\": \"Bro\"\n  \
             \"last_name\": \"Ken\"\n}"
                .into(),
        ),
    );
    users.push(Element::Verbatim(
        "{\n  \"first_name\": \"No\",\n  \"email_addresses\": \"no.id@example.com\"\n}".into(),
    ));
    users
}

/// Writes the Clerk fixture into `dir`.
pub fn write_fixture(dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut pw = Passwords::default();
    let rows = rows(&mut pw);

    let mut table = vec![HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    table.extend(rows.iter().map(Row::cells));
    table.insert(6, vec!["user_2short".into(), "Short".into(), "Row".into()]);
    write(&dir.join("users.csv"), &csv(&table)?)?;

    let users = json_users(&rows, &mut pw);
    write(
        &dir.join("users.json"),
        &format!("[\n{}\n]\n", json_array(&users, 2)?),
    )?;
    pw.write(dir)
}
