//! The Firebase fixture: `firebase auth:export` JSON, the same users as CSV in the current
//! column layout, and a few in the 2017 layout, hashed with the sample project parameters
//! Firebase publishes in its scrypt documentation (so that the published test vector is one
//! of the users).

use std::error::Error;
use std::path::Path;

use serde::Serialize;

use crate::common::{b64, bytes};
use crate::hashes::{FirebaseProject, firebase_scrypt, unb64};
use crate::out::{Element, Passwords, json_array, write};

/// `base64_signer_key` of Firebase's published sample `hash_config`.
pub const SIGNER_KEY: &str =
    "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==";

/// The published vector: this salt and hash belong to the password `user1password`.
const VECTOR_SALT: &str = "42xEC+ixf3L2lw==";
const VECTOR_HASH: &str =
    "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==";
const VECTOR_PASSWORD: &str = "user1password";

/// What a fixture user's password fields hold.
#[derive(Clone, Copy)]
enum Hash {
    None,
    /// A real hash of this password with a generated salt.
    Of(&'static str),
    /// The published vector.
    Vector,
    /// A hash field that is not base64.
    Broken,
    /// Empty hash and salt fields, as for users imported with another algorithm.
    Empty,
}

/// One user of the fixture.
struct Spec {
    id: &'static str,
    email: Option<&'static str>,
    verified: bool,
    name: Option<&'static str>,
    hash: Hash,
    phone: Option<&'static str>,
    disabled: bool,
    /// `(providerId, rawId, displayName)`.
    providers: &'static [(&'static str, &'static str, &'static str)],
    custom: Option<&'static str>,
    created: u64,
    last: Option<u64>,
}

const fn spec(id: &'static str, email: Option<&'static str>, name: Option<&'static str>) -> Spec {
    Spec {
        id,
        email,
        verified: true,
        name,
        hash: Hash::None,
        phone: None,
        disabled: false,
        providers: &[],
        custom: None,
        created: 1_589_000_000_000,
        last: Some(1_714_000_000_000),
    }
}

fn users() -> Vec<Spec> {
    vec![
        Spec {
            hash: Hash::Vector,
            ..spec(
                "uid-ada",
                Some("ada@lovelace.example"),
                Some("Lovelace, Ada"),
            )
        },
        Spec {
            hash: Hash::Of("lètmein-Zoë!"),
            created: 1_601_000_000_000,
            ..spec(
                "uid-zoe",
                Some("zoe.obrien@example.com"),
                Some("Zoë O'Brien"),
            )
        },
        Spec {
            hash: Hash::Of("twin-password"),
            verified: false,
            ..spec(
                "uid-zoe-twin",
                Some("Zoe.OBrien@Example.com"),
                Some("Zoe OBrien"),
            )
        },
        Spec {
            phone: Some("+15555550123"),
            verified: false,
            ..spec("uid-phone", None, None)
        },
        Spec {
            providers: &[("google.com", "109876543210987654321", "Grace Hopper")],
            ..spec(
                "uid-grace",
                Some("grace@hopper.example"),
                Some("Grace Hopper"),
            )
        },
        Spec {
            hash: Hash::Of("octocat-and-password"),
            providers: &[("github.com", "22182844", "Linus")],
            ..spec("uid-linus", Some("linus@example.org"), Some("Linus"))
        },
        Spec {
            providers: &[("facebook.com", "10150000000000001", "Mark")],
            ..spec("uid-mark", Some("mark@facebook.example"), Some("Mark"))
        },
        Spec {
            hash: Hash::Of("blocked-but-known"),
            disabled: true,
            last: None,
            ..spec("uid-mallory", Some("mallory@example.com"), Some("Mallory"))
        },
        Spec {
            hash: Hash::Broken,
            ..spec(
                "uid-broken-hash",
                Some("broken.hash@example.com"),
                Some("Brok En"),
            )
        },
        Spec {
            hash: Hash::Empty,
            last: None,
            ..spec(
                "uid-empty-hash",
                Some("imported@example.com"),
                Some("Im Ported"),
            )
        },
        Spec {
            hash: Hash::Of("tenant-admin-pw"),
            custom: Some(r#"{"role":"admin","plan":"pro"}"#),
            ..spec("uid-admin", Some("admin@acme.example"), Some("Adèle Admin"))
        },
    ]
}

/// The project of the published sample parameters.
fn project() -> FirebaseProject {
    FirebaseProject {
        signer_key: unb64(SIGNER_KEY),
        salt_separator: vec![0x07],
        rounds: 8,
        mem_cost: 14,
    }
}

/// The password fields of a user, as base64 text.
fn password_fields(
    user: &Spec,
    project: &FirebaseProject,
    passwords: &mut Passwords,
) -> (Option<String>, Option<String>) {
    match user.hash {
        Hash::None => (None, None),
        Hash::Vector => {
            passwords.add(user.id, VECTOR_PASSWORD);
            (Some(VECTOR_HASH.into()), Some(VECTOR_SALT.into()))
        }
        Hash::Of(password) => {
            let salt = bytes(&format!("firebase-salt:{}", user.id), 10);
            let hash = firebase_scrypt(passwords.add(user.id, password), &salt, project);
            (Some(b64(&hash)), Some(b64(&salt)))
        }
        Hash::Broken => (Some("not*base64!".into()), Some(b64(b"salt"))),
        Hash::Empty => (Some(String::new()), Some(String::new())),
    }
}

/// An account as `auth:export` writes it, keys in the exporter's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    local_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    email_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_signed_in_at: Option<String>,
    created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    disabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_attributes: Option<String>,
    provider_user_info: Vec<ProviderInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProviderInfo {
    provider_id: String,
    raw_id: String,
    display_name: String,
}

/// Writes the Firebase fixture into `dir`.
pub fn write_fixture(dir: &Path) -> Result<(), Box<dyn Error>> {
    let project = project();
    // The hashes below are only as good as this implementation: it must give the
    // published answer before it writes anything.
    let published = firebase_scrypt(VECTOR_PASSWORD, &unb64(VECTOR_SALT), &project);
    if b64(&published) != VECTOR_HASH {
        return Err("the Firebase scrypt implementation misses the published vector".into());
    }
    let mut passwords = Passwords::default();
    let mut accounts = Vec::new();
    let mut rows = Vec::new();

    for user in users() {
        let (hash, salt) = password_fields(&user, &project, &mut passwords);
        rows.push(current_row(&user, hash.clone(), salt.clone()));
        accounts.push(Element::Record(Account {
            local_id: user.id.into(),
            email: user.email.map(Into::into),
            email_verified: user.verified,
            password_hash: hash,
            salt,
            display_name: user.name.map(Into::into),
            last_signed_in_at: user.last.map(|at| at.to_string()),
            created_at: user.created.to_string(),
            phone_number: user.phone.map(Into::into),
            disabled: user.disabled,
            custom_attributes: user.custom.map(Into::into),
            provider_user_info: user
                .providers
                .iter()
                .map(|&(provider, raw_id, name)| ProviderInfo {
                    provider_id: provider.into(),
                    raw_id: raw_id.into(),
                    display_name: name.into(),
                })
                .collect(),
        }));
    }

    // Two records no reader can use: broken JSON, and an account without its id.
    accounts.insert(
        4,
        Element::Verbatim(
            "{\n  \"localId\": \"uid-broken-json\"\n  \"email\": \"broken@example.com\"\n}".into(),
        ),
    );
    accounts.push(Element::Verbatim(
        "{\n  \"email\": \"no.local.id@example.com\",\n  \"emailVerified\": false\n}".into(),
    ));
    let json = format!("{{\"users\": [\n{}]}}", json_array(&accounts, 0)?);
    write(&dir.join("users.json"), &json)?;

    // A display name with both a comma and a quote, which the exporter does not escape:
    // the row falls apart into more columns than the layout has.
    let mut broken = vec![String::new(); 28];
    broken[0] = "uid-broken-csv".into();
    broken[1] = "builder@example.com".into();
    broken[5] = "\"Bob \"The Builder\", Jr.\"".into();
    broken[23] = "1589000000000".into();
    rows.insert(4, broken);
    write(&dir.join("users.csv"), &firebase_csv(&rows))?;
    let legacy = legacy_rows(&project, &mut passwords);
    write(&dir.join("users-2017.csv"), &firebase_csv(&legacy))?;
    passwords.write(dir)
}

/// A row of the current CSV layout, without the trailing comma's empty field.
fn current_row(user: &Spec, hash: Option<String>, salt: Option<String>) -> Vec<String> {
    let mut row = vec![String::new(); 28];
    row[0] = user.id.into();
    row[1] = user.email.unwrap_or_default().into();
    row[2] = user.verified.to_string();
    row[3] = hash.unwrap_or_default();
    row[4] = salt.unwrap_or_default();
    row[5] = escape_comma(user.name.unwrap_or_default());
    for &(provider, raw_id, name) in user.providers {
        let at = match provider {
            "google.com" => 7,
            "facebook.com" => 11,
            "twitter.com" => 15,
            _ => 19,
        };
        row[at] = raw_id.into();
        row[at + 2] = escape_comma(name);
    }
    row[23] = user.created.to_string();
    row[24] = user.last.map(|at| at.to_string()).unwrap_or_default();
    row[25] = user.phone.unwrap_or_default().into();
    row[26] = if user.disabled {
        "true".into()
    } else {
        String::new()
    };
    row[27] = user
        .custom
        .map(|custom| format!("\"{}\"", custom.replace('"', "\"\"")))
        .unwrap_or_default();
    row
}

/// Quotes a value containing a comma, and only then, as firebase-tools does (it does not
/// double quotes inside).
fn escape_comma(value: &str) -> String {
    if value.contains(',') {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

/// Rows already escaped the exporter's way, joined with a trailing comma per line.
fn firebase_csv(rows: &[Vec<String>]) -> String {
    rows.iter().map(|row| row.join(",") + ",\n").collect()
}

/// Three users in the 2017 layout: `disabled` before the times, no custom attributes.
fn legacy_rows(project: &FirebaseProject, passwords: &mut Passwords) -> Vec<Vec<String>> {
    let row = |cells: &[(usize, String)]| {
        let mut row = vec![String::new(); 27];
        for (at, value) in cells {
            row[*at] = value.clone();
        }
        row
    };
    let salt = bytes("firebase-salt:uid-2017-disabled", 10);
    passwords.add("uid-2017-ada", VECTOR_PASSWORD);
    let hash = firebase_scrypt(
        passwords.add("uid-2017-disabled", "old-but-gold"),
        &salt,
        project,
    );
    vec![
        row(&[
            (0, "uid-2017-ada".into()),
            (1, "ada.2017@lovelace.example".into()),
            (2, "false".into()),
            (3, VECTOR_HASH.into()),
            (4, VECTOR_SALT.into()),
            (5, "Ada 2017".into()),
            (24, "1508893925000".into()),
            (25, "1508893925000".into()),
        ]),
        row(&[
            (0, "uid-2017-disabled".into()),
            (1, "disabled.2017@example.com".into()),
            (2, "true".into()),
            (3, b64(&hash)),
            (4, b64(&salt)),
            (7, "104400000000000000001".into()),
            (9, "Dis Abled".into()),
            (23, "true".into()),
            (24, "1508893926000".into()),
            (26, "+15555550199".into()),
        ]),
        row(&[(0, "uid-2017-bare".into()), (2, "false".into())]),
    ]
}
