//! The Django fixture: `manage.py dumpdata auth admin --indent 2` of a project on the
//! default user model, with a password in every format Django has stored over the years.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::Path;

use argon2::Algorithm;

use crate::common::{Prf, b64, b64_raw, pbkdf2};
use crate::json::{J, obj, python, s};
use crate::secrets::{Argon, argon2, bcrypt, bytes, md5_hex, sha1_hex, sha256_hex, text_salt};

/// Django's scrypt hasher test vector, for the password `lètmein`.
const SCRYPT: &str = concat!(
    "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQE",
    "SkXFRkdVCBhhY8mx7rQwite/Pw=="
);

/// An argon2i hash as Django wrote them before argon2id, for the password `password`.
const ARGON2I: &str = "argon2$argon2i$v=19$m=256,t=1,p=1$c29tZXNhbHQ$AJFIsNZTMKTAewB4+ETN1A";

/// One user of the dump: the primary key, what Django stored, and the password it verifies.
struct Spec {
    pk: i64,
    username: &'static str,
    email: &'static str,
    first: &'static str,
    last: &'static str,
    active: bool,
    staff: bool,
    stored: String,
    password: Option<&'static str>,
    last_login: Option<&'static str>,
}

/// Writes `dumpdata.json` into `dir` and returns the known passwords by legacy id.
pub fn write(dir: &Path) -> Result<BTreeMap<String, String>, Box<dyn Error>> {
    fs::create_dir_all(dir)?;
    let users = specs();

    let mut records = vec![
        permission(1, "Can add log entry", "add_logentry"),
        permission(2, "Can change user", "change_user"),
        obj(vec![
            ("model", s("auth.group")),
            ("pk", J::Int(1)),
            (
                "fields",
                obj(vec![
                    ("name", s("support")),
                    ("permissions", J::Arr(vec![J::Int(2)])),
                ]),
            ),
        ]),
    ];
    records.extend(users.iter().map(user));
    // Two records an editor broke: one whose fields are not an object, one that is not JSON
    // (a comma is missing; its braces still balance, so the records after it are read).
    records.insert(
        9,
        obj(vec![
            ("model", s("auth.user")),
            ("pk", J::Int(90)),
            ("fields", s("oops")),
        ]),
    );
    records.insert(
        14,
        J::Raw("{\n  \"model\": \"auth.user\"\n  \"pk\": 91,\n  \"fields\": {}\n}".into()),
    );
    records.push(obj(vec![
        ("model", s("admin.logentry")),
        ("pk", J::Int(1)),
        (
            "fields",
            obj(vec![
                ("action_time", s("2024-02-03T04:05:06.789Z")),
                ("user", J::Int(1)),
                ("object_repr", s("support")),
                ("action_flag", J::Int(1)),
                ("change_message", s("[{\"added\": {}}]")),
            ]),
        ),
    ]));

    // Django's serializer writes `[`, then each object at column 0 with `indent`, joined by
    // `,` and a line break, then `]`.
    let body: Vec<String> = records.iter().map(|record| python(record, 2, 0)).collect();
    fs::write(
        dir.join("dumpdata.json"),
        format!("[\n{}\n]\n", body.join(",\n")),
    )?;

    Ok(users
        .iter()
        .filter_map(|u| Some((u.pk.to_string(), u.password?.to_string())))
        .collect())
}

fn permission(pk: i64, name: &str, codename: &str) -> J {
    obj(vec![
        ("model", s("auth.permission")),
        ("pk", J::Int(pk)),
        (
            "fields",
            obj(vec![
                ("name", s(name)),
                ("content_type", J::Int(pk)),
                ("codename", s(codename)),
            ]),
        ),
    ])
}

/// A user record with the fields of `django.contrib.auth.models.User`, in model order.
fn user(spec: &Spec) -> J {
    let last_login = spec.last_login.map_or(J::Null, s);
    let joined = format!("2020-0{}-1{}T09:15:27.123Z", 1 + spec.pk % 9, spec.pk % 10);
    obj(vec![
        ("model", s("auth.user")),
        ("pk", J::Int(spec.pk)),
        (
            "fields",
            obj(vec![
                ("password", s(&spec.stored)),
                ("last_login", last_login),
                ("is_superuser", J::Bool(spec.pk == 1)),
                ("username", s(spec.username)),
                ("first_name", s(spec.first)),
                ("last_name", s(spec.last)),
                ("email", s(spec.email)),
                ("is_staff", J::Bool(spec.staff)),
                ("is_active", J::Bool(spec.active)),
                ("date_joined", s(&joined)),
                (
                    "groups",
                    J::Arr(if spec.staff { vec![J::Int(1)] } else { vec![] }),
                ),
                ("user_permissions", J::Arr(vec![])),
            ]),
        ),
    ])
}

fn specs() -> Vec<Spec> {
    let base = |pk, username, email, stored: String, password| Spec {
        pk,
        username,
        email,
        first: "",
        last: "",
        active: true,
        staff: false,
        stored,
        password,
        last_login: Some("2024-05-06T07:08:09Z"),
    };
    vec![
        Spec {
            first: "Siobhán",
            last: "O'Connor",
            staff: true,
            ..base(
                1,
                "siobhan",
                "siobhan@acme.example",
                pbkdf2_sha256("siobhan", "Siobhán's pass 1", 600_000),
                Some("Siobhán's pass 1"),
            )
        },
        Spec {
            first: "Łukasz",
            last: "Żółć",
            ..base(
                2,
                "lukasz",
                "lukasz@example.com",
                pbkdf2_sha1("lukasz", "żółw-2"),
                Some("żółw-2"),
            )
        },
        Spec {
            first: "Zoë",
            last: "D'Angelo",
            staff: true,
            ..base(
                3,
                "zoe",
                "zoe@acme.example",
                django_argon2("zoe", "argon 3"),
                Some("argon 3"),
            )
        },
        base(
            4,
            "bcrypt_sha256",
            "b.sha@example.com",
            bcrypt_sha256(LONG),
            Some(LONG),
        ),
        base(
            5,
            "bcrypt",
            "plain.bcrypt@example.com",
            format!("bcrypt${}", bcrypt("dj-bcrypt", "bcrypt 5", 12)),
            Some("bcrypt 5"),
        ),
        base(
            6,
            "oldsha1",
            "old.sha1@example.org",
            salted("oldsha1", "sha1", "sha1 6"),
            Some("sha1 6"),
        ),
        base(
            7,
            "oldmd5",
            "old.md5@example.org",
            salted("oldmd5", "md5", "md5 7"),
            Some("md5 7"),
        ),
        base(
            8,
            "baremd5",
            "bare.md5@example.org",
            md5_hex("bare md5 8"),
            Some("bare md5 8"),
        ),
        base(
            9,
            "baresha1",
            "bare.sha1@example.org",
            format!("sha1$${}", sha1_hex("bare sha1 9")),
            Some("bare sha1 9"),
        ),
        // Django's own test vector for its crypt hasher (password `letmein`).
        base(
            10,
            "cryptuser",
            "crypt@example.org",
            "crypt$$abN/qM.L/H8EQ".into(),
            Some("letmein"),
        ),
        Spec {
            last_login: None,
            ..base(
                11,
                "social_only",
                "social.only@example.com",
                unusable("social_only"),
                None,
            )
        },
        base(
            12,
            "emptypw",
            "empty.password@example.com",
            String::new(),
            None,
        ),
        base(
            13,
            "brokenhash",
            "broken.hash@example.com",
            "foo$bar".into(),
            None,
        ),
        Spec {
            active: false,
            first: "Ina",
            last: "Active",
            ..base(
                14,
                "inactive",
                "inactive@example.com",
                pbkdf2_sha256("inactive", "inactive 14", 600_000),
                Some("inactive 14"),
            )
        },
        base(
            15,
            "noemail",
            "",
            pbkdf2_sha256("noemail", "no mail 15", 600_000),
            Some("no mail 15"),
        ),
        base(
            16,
            "social_twin",
            "Social.Only@EXAMPLE.com",
            unusable("social_twin"),
            None,
        ),
        // Known vectors: Django's scrypt hasher and an argon2i hash of Django before 1.10's
        // move to argon2id, both for `lètmein` / `password`.
        base(
            17,
            "scryptuser",
            "scrypt@example.net",
            SCRYPT.into(),
            Some("lètmein"),
        ),
        base(
            18,
            "argon2i",
            "argon2i@example.net",
            ARGON2I.into(),
            Some("password"),
        ),
    ]
}

/// `pbkdf2_sha256$<iterations>$<salt>$<b64 hash>`, Django's default hasher.
fn pbkdf2_sha256(key: &str, password: &str, iterations: u32) -> String {
    let salt = text_salt(&format!("dj:{key}"), 22);
    let hash = pbkdf2(Prf::Sha256, password, salt.as_bytes(), iterations, 32);
    format!("pbkdf2_sha256${iterations}${salt}${}", b64(&hash))
}

/// `pbkdf2_sha1$<iterations>$<salt>$<b64 hash>`.
fn pbkdf2_sha1(key: &str, password: &str) -> String {
    let salt = text_salt(&format!("dj:{key}"), 22);
    let hash = pbkdf2(Prf::Sha1, password, salt.as_bytes(), 600_000, 20);
    format!("pbkdf2_sha1$600000${salt}${}", b64(&hash))
}

/// `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`, Django's Argon2 defaults.
fn django_argon2(key: &str, password: &str) -> String {
    let salt = bytes(&format!("dj-argon:{key}"), 16);
    let params = Argon {
        algorithm: Algorithm::Argon2id,
        memory: 102_400,
        time: 2,
        lanes: 8,
        length: 32,
    };
    let hash = argon2(&params, password, &salt);
    format!(
        "argon2$argon2id$v=19$m=102400,t=2,p=8${}${}",
        b64_raw(&salt),
        b64_raw(&hash)
    )
}

/// A password longer than bcrypt's 72 bytes would be, were it not pre-hashed.
const LONG: &str = "a long passphrase that bcrypt alone would cut after seventy-two bytes, no. 4";

/// `bcrypt_sha256$$2b$12$…`: bcrypt over the hex SHA-256 of the password.
fn bcrypt_sha256(password: &str) -> String {
    format!(
        "bcrypt_sha256${}",
        bcrypt("dj-bsha", &sha256_hex(password), 12)
    )
}

/// `sha1$<salt>$<hex>` or `md5$<salt>$<hex>`: the digest of salt then password.
fn salted(key: &str, algorithm: &str, password: &str) -> String {
    let salt = text_salt(&format!("dj:{key}"), 12);
    let digest = match algorithm {
        "sha1" => sha1_hex(&format!("{salt}{password}")),
        _ => md5_hex(&format!("{salt}{password}")),
    };
    format!("{algorithm}${salt}${digest}")
}

/// `!` and 40 random characters: `set_unusable_password()`.
fn unusable(key: &str) -> String {
    format!("!{}", text_salt(&format!("unusable:{key}"), 40))
}
