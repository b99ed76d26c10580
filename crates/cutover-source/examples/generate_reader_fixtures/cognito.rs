//! The Cognito fixture: the output of `aws cognito-idp list-users` (AWS CLI v2, JSON,
//! four-space indentation, ISO 8601 dates) and a user CSV in the layout of Cognito's
//! import template. Cognito exports no password hashes, so there are no passwords.

use std::error::Error;
use std::fs;
use std::path::Path;

use crate::json::{J, compact, obj, python, s};
use crate::secrets::uuid;

/// One user of `list-users.json`.
struct Spec {
    key: &'static str,
    username: Option<&'static str>,
    status: &'static str,
    enabled: bool,
    /// Attributes besides `sub`, in the order Cognito lists them.
    attributes: Vec<(&'static str, String)>,
    created: &'static str,
}

/// Writes `list-users.json` and `user-import.csv` into `dir`.
pub fn write(dir: &Path) -> Result<(), Box<dyn Error>> {
    fs::create_dir_all(dir)?;

    let mut users: Vec<J> = specs().into_iter().map(user).collect();
    // A record whose attributes are not Name/Value pairs, as a hand-edited file may have.
    users.insert(
        9,
        obj(vec![
            ("Username", s(&uuid("cognito:broken"))),
            ("Attributes", s("email=broken@example.com")),
            ("UserCreateDate", s("2023-05-01T10:00:00.000000+00:00")),
            ("Enabled", J::Bool(true)),
            ("UserStatus", s("CONFIRMED")),
        ]),
    );
    let page = obj(vec![("Users", J::Arr(users))]);
    fs::write(dir.join("list-users.json"), python(&page, 4, 0) + "\n")?;

    fs::write(dir.join("user-import.csv"), import_csv())?;
    Ok(())
}

/// A user object as `list-users` prints it.
fn user(spec: Spec) -> J {
    let mut attributes = vec![obj(vec![("Name", s("sub")), ("Value", s(&uuid(spec.key)))])];
    attributes.extend(
        spec.attributes
            .iter()
            .map(|(name, value)| obj(vec![("Name", s(name)), ("Value", s(value))])),
    );
    let username = spec.username.map_or_else(|| uuid(spec.key), str::to_string);
    obj(vec![
        ("Username", s(&username)),
        ("Attributes", J::Arr(attributes)),
        ("UserCreateDate", s(spec.created)),
        (
            "UserLastModifiedDate",
            s("2024-06-01T08:30:00.250000+00:00"),
        ),
        ("Enabled", J::Bool(spec.enabled)),
        ("UserStatus", s(spec.status)),
    ])
}

/// The users, in the order the fixture lists them (a pool whose username is the `sub`, with
/// email as an alias, so most usernames are uuids).
fn specs() -> Vec<Spec> {
    let confirmed = |key, attributes| Spec {
        key,
        username: None,
        status: "CONFIRMED",
        enabled: true,
        attributes,
        created: "2022-02-03T04:05:06.789000+00:00",
    };
    vec![
        Spec {
            attributes: vec![
                ("email_verified", "true".into()),
                ("phone_number_verified", "true".into()),
                ("phone_number", "+353861234567".into()),
                ("given_name", "Máire".into()),
                ("family_name", "Ní Bhraonáin".into()),
                ("name", "Máire Ní Bhraonáin".into()),
                ("custom:tier", "pro".into()),
                ("email", "maire@acme.example".into()),
            ],
            ..confirmed("maire", vec![])
        },
        confirmed(
            "darcy",
            vec![
                ("email_verified", "false".into()),
                ("given_name", "Fitzwilliam".into()),
                ("family_name", "D'Arcy".into()),
                ("email", "f.darcy@example.com".into()),
            ],
        ),
        Spec {
            status: "UNCONFIRMED",
            ..confirmed(
                "unconfirmed",
                vec![
                    ("email_verified", "false".into()),
                    ("email", "not.yet@example.com".into()),
                ],
            )
        },
        Spec {
            status: "FORCE_CHANGE_PASSWORD",
            ..confirmed(
                "forcechange",
                vec![
                    ("email_verified", "true".into()),
                    ("given_name", "Frida".into()),
                    ("email", "frida@acme.example".into()),
                ],
            )
        },
        Spec {
            status: "RESET_REQUIRED",
            ..confirmed(
                "reset",
                vec![
                    ("email_verified", "true".into()),
                    ("email", "reset.me@example.org".into()),
                ],
            )
        },
        Spec {
            username: Some("Google_118177152947813486925"),
            status: "EXTERNAL_PROVIDER",
            ..confirmed(
                "google",
                vec![
                    (
                        "identities",
                        identities("Google", "118177152947813486925", true, 1_642_699_117_273),
                    ),
                    ("email_verified", "false".into()),
                    ("given_name", "Gaël".into()),
                    ("family_name", "Müller".into()),
                    ("email", "gael.muller@example.com".into()),
                ],
            )
        },
        Spec {
            username: Some("SignInWithApple_001234.abcdef0123456789.0042"),
            status: "EXTERNAL_PROVIDER",
            ..confirmed(
                "apple",
                vec![
                    (
                        "identities",
                        identities("SignInWithApple", APPLE_ID, true, 1_650_000_000_000),
                    ),
                    ("email", "hidden@privaterelay.appleid.example".into()),
                ],
            )
        },
        confirmed(
            "linked",
            vec![
                (
                    "identities",
                    identities("Google", "104455667788990011223", false, 1_660_000_000_000),
                ),
                ("email_verified", "true".into()),
                ("given_name", "Lin".into()),
                ("family_name", "Ked".into()),
                ("email", "lin.ked@example.net".into()),
            ],
        ),
        Spec {
            enabled: false,
            ..confirmed(
                "disabled",
                vec![
                    ("email_verified", "true".into()),
                    ("given_name", "Dieter".into()),
                    ("email", "dieter@acme.example".into()),
                ],
            )
        },
        confirmed(
            "phoneonly",
            vec![
                ("phone_number_verified", "true".into()),
                ("phone_number", "+15550100123".into()),
                ("given_name", "Pham".into()),
            ],
        ),
        confirmed(
            "maire-twin",
            vec![
                ("email_verified", "true".into()),
                ("given_name", "Maire".into()),
                ("email", "Maire@ACME.example".into()),
            ],
        ),
        Spec {
            status: "ARCHIVED",
            ..confirmed(
                "archived",
                vec![
                    ("email_verified", "true".into()),
                    ("email", "gone@example.org".into()),
                ],
            )
        },
    ]
}

/// The user id Sign in with Apple gave the fixture's Apple user.
const APPLE_ID: &str = "001234.abcdef0123456789.0042";

/// The `identities` attribute of a federated user: a JSON list written as a string.
fn identities(provider: &str, user_id: &str, primary: bool, created: i64) -> String {
    let identity = obj(vec![
        ("userId", s(user_id)),
        ("providerName", s(provider)),
        ("providerType", s(provider)),
        ("issuer", J::Null),
        ("primary", J::Bool(primary)),
        ("dateCreated", J::Int(created)),
    ]);
    compact(&J::Arr(vec![identity]))
}

/// The columns `GetCSVHeader` gives for a pool with one custom attribute, in its order.
const CSV_COLUMNS: [&str; 22] = [
    "cognito:username",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "custom:tier",
    "cognito:mfa_enabled",
];

/// A user CSV in the layout of Cognito's import template, as exporter scripts write it:
/// values unquoted, a comma inside a value escaped with a backslash. Each row gives the
/// columns it fills; the others are empty.
fn import_csv() -> String {
    let rows: [&[(&str, &str)]; 5] = [
        &[
            ("cognito:username", "maire"),
            ("name", "Máire Ní Bhraonáin"),
            ("given_name", "Máire"),
            ("family_name", "Ní Bhraonáin"),
            ("email", "maire@acme.example"),
            ("email_verified", "TRUE"),
            ("birthdate", "02/01/1985"),
            ("locale", "ga"),
            ("phone_number", "+353861234567"),
            ("phone_number_verified", "TRUE"),
            ("address", "1 Sráid na Mainistreach\\, Baile Átha Cliath"),
            ("updated_at", "1672531200"),
            ("custom:tier", "pro"),
            ("cognito:mfa_enabled", "FALSE"),
        ],
        &[
            ("cognito:username", "darcy"),
            ("given_name", "Fitzwilliam"),
            ("family_name", "D'Arcy"),
            ("email", "f.darcy@example.com"),
            ("email_verified", "FALSE"),
            ("cognito:mfa_enabled", "FALSE"),
        ],
        &[
            ("cognito:username", "nomail"),
            ("given_name", "Nobody"),
            ("phone_number", "+15550100123"),
            ("phone_number_verified", "TRUE"),
            ("cognito:mfa_enabled", "FALSE"),
        ],
        // A comma nobody escaped: the row has one value too many.
        &[
            ("cognito:username", "broken"),
            ("given_name", "Too"),
            ("family_name", "Many"),
            ("email", "too.many@example.com"),
            ("email_verified", "TRUE"),
            ("address", "12 Main Street, Springfield"),
            ("cognito:mfa_enabled", "FALSE"),
        ],
        &[
            ("cognito:username", "MaireTwin"),
            ("given_name", "Maire"),
            ("email", "Maire@ACME.example"),
            ("email_verified", "true"),
            ("custom:tier", "free"),
            ("cognito:mfa_enabled", "FALSE"),
        ],
    ];

    let mut lines = vec![CSV_COLUMNS.join(",")];
    for row in rows {
        let values: Vec<&str> = CSV_COLUMNS
            .iter()
            .map(|column| {
                let value = row.iter().find(|(name, _)| name == column);
                value.map_or("", |(_, value)| *value)
            })
            .collect();
        lines.push(values.join(","));
    }
    lines.join("\n") + "\n"
}
