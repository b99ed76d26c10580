//! The Auth0 bulk-import fixture: a JSON array in Auth0's import schema, one user per hash
//! algorithm `custom_password_hash` knows (md4, md5, sha1, sha256, sha512 with their salt
//! and encoding options, bcrypt, argon2, pbkdf2, ldap, hmac) and the awkward cases.

use std::error::Error;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::common::{Algo, Prf, b64, b64_raw, bytes, digest, hmac_sha256, pbkdf2, salted, ssha};
use crate::hashes::{argon2id, bcrypt};
use crate::out::{Element, Passwords, json_array, write};

/// A user in Auth0's import schema, keys in the order Auth0 documents them.
#[derive(Serialize, Default)]
struct ImportUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_password_hash: Option<Value>,
}

/// A user with an id and a verified email; the rest filled in per case.
fn user(id: &str, email: &str) -> ImportUser {
    ImportUser {
        email: Some(email.into()),
        email_verified: Some(true),
        user_id: Some(id.into()),
        ..ImportUser::default()
    }
}

/// Writes the Auth0 import fixture into `dir`.
pub fn write_fixture(dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut pw = Passwords::default();
    let mut users = Vec::new();
    let mut add = |user: ImportUser| users.push(Element::Record(user));

    let password = pw.add("imp-md4", "md4-Passw0rd");
    add(ImportUser {
        given_name: Some("Antonia".into()),
        custom_password_hash: Some(json!({
            "algorithm": "md4",
            "hash": {"value": b64(&digest(Algo::Md4, password.as_bytes())), "encoding": "base64"}
        })),
        ..user("imp-md4", "antonia@example.com")
    });

    let password = pw.add("imp-md5", "md5-salted-pw");
    let md5 = salted(Algo::Md5, password, b"abc123", true);
    add(ImportUser {
        app_metadata: Some(json!({"tier": "pro"})),
        custom_password_hash: Some(json!({
            "algorithm": "md5",
            "hash": {"value": hex::encode_upper(md5), "encoding": "hex"},
            "salt": {"value": "abc123", "position": "prefix"}
        })),
        ..user("imp-md5", "mary@example.com")
    });

    let password = pw.add("imp-sha1", "sha1-sälted");
    let salt = bytes("auth0-import:imp-sha1", 8);
    let sha1 = salted(Algo::Sha1, password, &salt, false);
    add(ImportUser {
        given_name: Some("Seán".into()),
        family_name: Some("O'Connor".into()),
        name: Some("Seán O'Connor".into()),
        custom_password_hash: Some(json!({
            "algorithm": "sha1",
            "hash": {"value": b64(&sha1), "encoding": "base64"},
            "salt": {"value": b64(&salt), "encoding": "base64", "position": "suffix"}
        })),
        ..user("imp-sha1", "sean@example.com")
    });

    let password = pw.add("imp-sha256", "sha256-plain");
    add(ImportUser {
        custom_password_hash: Some(json!({
            "algorithm": "sha256",
            "hash": {"value": hex::encode(digest(Algo::Sha256, password.as_bytes()))}
        })),
        ..user("imp-sha256", "velma@example.com")
    });

    let password = pw.add("imp-sha512", "sha512-hex-salt");
    let salt = bytes("auth0-import:imp-sha512", 16);
    let sha512 = salted(Algo::Sha512, password, &salt, false);
    add(ImportUser {
        custom_password_hash: Some(json!({
            "algorithm": "sha512",
            "hash": {"value": hex::encode(sha512), "encoding": "hex"},
            "salt": {"value": hex::encode(&salt), "encoding": "hex", "position": "suffix"}
        })),
        ..user("imp-sha512", "edward@example.com")
    });

    let password = pw.add("imp-bcrypt", "bcrypt-pässword");
    add(ImportUser {
        given_name: Some("Zoë".into()),
        family_name: Some("Ångström".into()),
        name: Some("Zoë Ångström".into()),
        password_hash: Some(bcrypt(
            password,
            "auth0-import:imp-bcrypt",
            bcrypt::Version::TwoB,
        )),
        ..user("imp-bcrypt", "zoe@example.com")
    });

    let password = pw.add("imp-bcrypt-custom", "custom-bcrypt");
    let hash = bcrypt(
        password,
        "auth0-import:imp-bcrypt-custom",
        bcrypt::Version::TwoA,
    );
    add(ImportUser {
        custom_password_hash: Some(json!({"algorithm": "bcrypt", "hash": {"value": hash}})),
        ..user("imp-bcrypt-custom", "bea@example.com")
    });

    let password = pw.add("imp-argon2", "argon2-pw");
    let hash = argon2id(password, "auth0-import:imp-argon2");
    add(ImportUser {
        custom_password_hash: Some(json!({"algorithm": "argon2", "hash": {"value": hash}})),
        ..user("imp-argon2", "ari@example.com")
    });

    let password = pw.add("imp-pbkdf2", "pbkdf2-sha256-pw");
    let salt = bytes("auth0-import:imp-pbkdf2", 16);
    let key = pbkdf2(Prf::Sha256, password, &salt, 10_000, 32);
    let value = format!(
        "$pbkdf2-sha256$i=10000,l=32${}${}",
        b64_raw(&salt),
        b64_raw(&key)
    );
    add(ImportUser {
        custom_password_hash: Some(
            json!({"algorithm": "pbkdf2", "hash": {"value": value, "encoding": "utf8"}}),
        ),
        ..user("imp-pbkdf2", "pat@example.com")
    });

    let password = pw.add("imp-pbkdf2-defaults", "pbkdf2-defaults-pw");
    let salt = bytes("auth0-import:imp-pbkdf2-defaults", 8);
    let key = pbkdf2(Prf::Sha512, password, &salt, 100_000, 64);
    let value = format!("$pbkdf2-sha512${}${}", b64_raw(&salt), b64_raw(&key));
    add(ImportUser {
        custom_password_hash: Some(json!({"algorithm": "pbkdf2", "hash": {"value": value}})),
        ..user("imp-pbkdf2-defaults", "cecil@example.com")
    });

    let password = pw.add("imp-ldap", "ldap-secret");
    let hash = ssha(password, &bytes("auth0-import:imp-ldap", 8));
    add(ImportUser {
        custom_password_hash: Some(
            json!({"algorithm": "ldap", "hash": {"value": hash, "encoding": "utf8"}}),
        ),
        ..user("imp-ldap", "lars@example.com")
    });

    let password = pw.add("imp-hmac", "hmac-pw");
    let key = bytes("auth0-import:imp-hmac", 12);
    add(ImportUser {
        custom_password_hash: Some(json!({
            "algorithm": "hmac",
            "hash": {
                "value": b64(&hmac_sha256(password, &key)),
                "encoding": "base64",
                "digest": "sha256",
                "key": {"value": hex::encode(&key), "encoding": "hex"}
            }
        })),
        ..user("imp-hmac", "peter@example.com")
    });

    let password = pw.add("imp-twin", "twin-pw");
    add(ImportUser {
        password_hash: Some(bcrypt(
            password,
            "auth0-import:imp-twin",
            bcrypt::Version::TwoB,
        )),
        ..user("imp-twin", "Mary@Example.com")
    });

    add(ImportUser {
        email: None,
        email_verified: None,
        username: Some("nomail".into()),
        ..user("imp-no-email", "")
    });

    add(ImportUser {
        username: Some("ghost".into()),
        given_name: Some("Gh".into()),
        ..ImportUser::default()
    });

    add(ImportUser {
        password_hash: Some(String::new()),
        ..user("imp-empty", "empty.hash@example.com")
    });

    add(ImportUser {
        custom_password_hash: Some(json!({
            "algorithm": "sha1",
            "hash": {"value": "zz0123456789abcdef0123456789abcdef012345", "encoding": "hex"}
        })),
        ..user("imp-broken-digest", "broken.digest@example.com")
    });

    add(ImportUser {
        custom_password_hash: Some(json!({
            "algorithm": "md5",
            "hash": {"value": hex::encode(digest(Algo::Md5, b"ignored")), "encoding": "hex"},
            "password": {"encoding": "utf16le"}
        })),
        ..user("imp-utf16", "wide@example.com")
    });

    let password = pw.add("imp-blocked", "blocked-pw");
    add(ImportUser {
        blocked: Some(true),
        password_hash: Some(bcrypt(
            password,
            "auth0-import:imp-blocked",
            bcrypt::Version::TwoB,
        )),
        ..user("imp-blocked", "blocked@example.com")
    });

    add(ImportUser {
        password_hash: Some(bcrypt(
            "either",
            "auth0-import:imp-both",
            bcrypt::Version::TwoB,
        )),
        custom_password_hash: Some(json!({"algorithm": "bcrypt", "hash": {"value": "$2b$10$x"}})),
        ..user("imp-both", "both@example.com")
    });

    let password = pw.add("no.id@example.com", "no-id-argon2");
    add(ImportUser {
        user_id: None,
        custom_password_hash: Some(json!({
            "algorithm": "argon2",
            "hash": {"value": argon2id(password, "auth0-import:no-id")}
        })),
        ..user("", "no.id@example.com")
    });

    users.insert(
        15,
        Element::Verbatim(
            "{\n  \"email\": \"broken@example.com\",\n  \"user_id\": \"imp-broken-json\"\n  \
             \"email_verified\": true\n}"
                .into(),
        ),
    );
    let text = format!("[\n{}\n]\n", json_array(&users, 2)?);
    write(&dir.join("users.json"), &text)?;
    pw.write(dir)
}
