//! What a run of each example plan must make of every user's password: the hash family it
//! signs in with, or why it goes to the password migration hook or arrives without a
//! password (see each fixture's README under `plans/examples/`).

#![allow(dead_code)]

use crate::common::logins::Login::{self, Hash, Hook, NoPassword, NotImported};
use crate::common::logins::{ABSENT, UNAVAILABLE};

/// One user of a fixture and the way its password must go.
pub type Expected = (&'static str, Login);

/// The hash families whose users sign in with their old password after a migration of the
/// fixtures: every family Kratos imports that the readers produce from them.
pub const SIGNED_IN: [&str; 10] = [
    "argon2i",
    "argon2id",
    "bcrypt",
    "firescrypt",
    "hmac",
    "md5",
    "pbkdf2",
    "salted-sha",
    "scrypt",
    "ssha",
];

/// The families in the fixtures that cutover recognises but Kratos cannot import: their
/// users go to the password migration hook.
pub const TO_THE_HOOK: [&str; 3] = ["django-bcrypt-sha256", "md4", "phpass"];

/// The hook reason of a recognised family Kratos cannot import.
fn not_importable(family: &'static str) -> Login {
    Hook(match family {
        "md4" => "hash format Kratos cannot import (md4)",
        "phpass" => "hash format Kratos cannot import (phpass)",
        "django-bcrypt-sha256" => "hash format Kratos cannot import (django-bcrypt-sha256)",
        other => panic!("no fixture has a {other} hash"),
    })
}

/// `plans/examples/auth0_import/users.json`.
pub fn auth0_import() -> Vec<Expected> {
    vec![
        ("imp-md4", not_importable("md4")),
        ("imp-md5", Hash("md5")),
        ("imp-sha1", Hash("salted-sha")),
        ("imp-sha256", Hash("salted-sha")),
        ("imp-sha512", Hash("salted-sha")),
        ("imp-bcrypt", Hash("bcrypt")),
        ("imp-bcrypt-custom", Hash("bcrypt")),
        ("imp-argon2", Hash("argon2id")),
        ("imp-pbkdf2", Hash("pbkdf2")),
        ("imp-pbkdf2-defaults", Hash("pbkdf2")),
        ("imp-ldap", Hash("ssha")),
        ("imp-hmac", Hash("hmac")),
        ("imp-twin", NotImported),
        ("imp-empty", NoPassword(ABSENT)),
        ("imp-broken-digest", Hook(UNAVAILABLE)),
        ("imp-utf16", Hook(UNAVAILABLE)),
        ("imp-blocked", Hash("bcrypt")),
        ("imp-both", Hook(UNAVAILABLE)),
        ("no.id@example.com", Hash("argon2id")),
    ]
}

/// `plans/examples/clerk/users.csv`, the dashboard export.
pub fn clerk_csv() -> Vec<Expected> {
    vec![
        ("user_2ada", Hash("bcrypt")),
        ("user_2zoe", Hash("argon2id")),
        ("user_2pat", Hash("pbkdf2")),
        ("user_2dj", Hash("pbkdf2")),
        ("user_2sha1", Hash("pbkdf2")),
        ("user_2md5", Hash("md5")),
        ("user_2sha", Hash("salted-sha")),
        ("user_2fb", Hash("firescrypt")),
        ("user_2php", not_importable("phpass")),
        ("user_2pepper", Hook(UNAVAILABLE)),
        ("user_2nopw", NoPassword(ABSENT)),
        ("user_2unverified", Hash("bcrypt")),
        ("user_2twin", NotImported),
        ("user_2phone", NotImported),
        ("user_2broken", Hook(UNAVAILABLE)),
        ("user_2totp", Hash("bcrypt")),
    ]
}

/// `plans/examples/clerk/users.json`, the JSON export of the same instance.
pub fn clerk_json() -> Vec<Expected> {
    vec![
        ("user_2ada", Hash("bcrypt")),
        ("user_2zoe", Hash("argon2id")),
        ("user_2twin", NotImported),
        ("user_2phone", NotImported),
        ("user_2fb", Hash("firescrypt")),
        ("user_2pepper", Hook(UNAVAILABLE)),
        ("user_2grace", NoPassword(ABSENT)),
        ("user_2linus", Hash("bcrypt")),
        ("user_2banned", Hash("bcrypt")),
    ]
}

/// `plans/examples/supabase/users.json`; ids end in these four digits.
pub fn supabase() -> Vec<Expected> {
    vec![
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0001", Hash("bcrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0002", Hash("argon2id")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0003", Hash("firescrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0004", NoPassword(ABSENT)),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0005", Hash("bcrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0006", NotImported),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0007", Hash("bcrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0008", Hash("bcrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0009", NotImported),
        (
            "9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0010",
            Hook("broken hash (bcrypt)"),
        ),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0011", Hash("bcrypt")),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0012", NoPassword(ABSENT)),
        ("9a1f8c52-3b7e-4d21-9c55-1f0e6b2a0013", NotImported),
    ]
}

/// `plans/examples/firebase/users.json`.
pub fn firebase_json() -> Vec<Expected> {
    vec![
        ("uid-ada", Hash("firescrypt")),
        ("uid-zoe", Hash("firescrypt")),
        ("uid-zoe-twin", NotImported),
        ("uid-phone", NotImported),
        ("uid-grace", NoPassword(ABSENT)),
        ("uid-linus", Hash("firescrypt")),
        ("uid-mark", NotImported),
        ("uid-mallory", Hash("firescrypt")),
        ("uid-broken-hash", Hook(UNAVAILABLE)),
        ("uid-empty-hash", NoPassword(ABSENT)),
        ("uid-admin", Hash("firescrypt")),
    ]
}

/// `plans/examples/firebase/users-2017.csv`, the older CSV layout.
pub fn firebase_2017() -> Vec<Expected> {
    vec![
        ("uid-2017-ada", Hash("firescrypt")),
        ("uid-2017-disabled", Hash("firescrypt")),
        // No email: fails as `missing_trait` under the plan's email schema.
        ("uid-2017-bare", NotImported),
    ]
}

/// Realm `acme` of `plans/examples/keycloak/export`; realm `master` is left out.
pub fn keycloak() -> Vec<Expected> {
    vec![
        ("0096834a-1e09-41b2-b54a-d32656b7d359", Hash("argon2id")),
        ("e9997d5f-c5ce-4ca0-9396-cb7d4bd75335", Hash("argon2id")),
        ("091568b1-3a23-48c5-b3ea-1fb277a9c956", Hash("pbkdf2")),
        ("d886a835-29c4-43d2-81b5-d89190818cff", Hash("pbkdf2")),
        ("8d98179b-1dff-4a17-b510-b228858c3a0b", Hash("pbkdf2")),
        ("0896f99b-5f82-47a9-92ac-94b437b89b8a", NotImported),
        ("ebe3e1d9-6db2-40ca-8114-81df145c570b", NotImported),
        ("1f3a4f90-8f68-4258-8c11-0b01149f1136", NoPassword(ABSENT)),
        ("3737188b-cb83-41c1-99cb-4ff2501001d3", Hash("argon2id")),
        ("85c6972d-f1df-4691-98b2-6d2dc2103118", Hash("argon2id")),
        ("c1ec0dfb-0d8a-4b0d-8e81-64371e326672", Hook(UNAVAILABLE)),
        ("eeb8ccd5-713d-4cb6-b732-e441eb1bdaba", Hook(UNAVAILABLE)),
        ("e5dffeb2-7e4f-4fa3-bb7f-0dca8dfc98c7", Hash("argon2id")),
        ("d5b71af7-90eb-4236-a4f0-8e976ed35c35", Hash("bcrypt")),
        (
            "609b81ac-a679-4b4d-accb-3d8d28edc088",
            Hook("unknown hash format"),
        ),
        ("6f429186-7105-4cac-a79a-a5e805347c7d", Hook(UNAVAILABLE)),
        ("b513a1f4-a91b-4cd1-92e2-f38e78631513", Hash("argon2id")),
        ("609c4723-19d3-4701-9046-6b91559f46b1", NotImported),
        ("40050c19-415a-4718-8462-8a806c5c6780", NotImported),
    ]
}

/// `plans/examples/django/dumpdata.json`, by primary key.
pub fn django() -> Vec<Expected> {
    vec![
        ("1", Hash("pbkdf2")),
        ("2", Hash("pbkdf2")),
        ("3", Hash("argon2id")),
        ("4", not_importable("django-bcrypt-sha256")),
        ("5", Hash("bcrypt")),
        ("6", Hash("salted-sha")),
        ("7", Hash("md5")),
        ("8", Hash("md5")),
        ("9", Hash("salted-sha")),
        ("10", Hook("unknown hash format")),
        ("11", NoPassword(ABSENT)),
        ("12", NoPassword(ABSENT)),
        ("13", Hook("unknown hash format")),
        ("14", Hash("pbkdf2")),
        ("15", NotImported),
        ("16", NotImported),
        ("17", Hash("scrypt")),
        ("18", Hash("argon2i")),
    ]
}

/// `plans/examples/cognito/list-users.json`: no hashes at all.
pub fn cognito() -> Vec<Expected> {
    vec![
        ("db94b2f2-80a8-426b-8ddb-bb67741eca57", Hook(UNAVAILABLE)),
        ("c5f01092-b4a5-46df-82ec-d3a6fb3cebe0", Hook(UNAVAILABLE)),
        ("932ba8a1-9b79-4c2e-8bca-5813275c2ede", Hook(UNAVAILABLE)),
        ("fecf0f96-bdd5-48aa-8631-0fd85363355a", Hook(UNAVAILABLE)),
        ("4bae5982-611d-4251-95eb-89c808b9b823", NoPassword(ABSENT)),
        ("319bc758-0e42-4a4c-8741-db85f049d0b8", NoPassword(ABSENT)),
        ("f8c5f367-2071-472c-ba6a-d647e071a6d9", NotImported),
        ("24e69f1e-5696-4f97-b9db-fef5fda64f35", Hook(UNAVAILABLE)),
        ("4f290d9c-b811-4397-a80d-d25bbb5a76e2", Hook(UNAVAILABLE)),
        ("cffb3179-2397-4ea3-a25c-312399df3b58", NotImported),
        ("989d7546-9096-41fc-88b3-1788d776dc44", NotImported),
        ("e47fcc44-f08f-4815-ac82-f9a96f0aba9d", NoPassword(ABSENT)),
    ]
}

/// The example table of the `csv`, `jsonl` and `sql` plans, which say
/// `policy.unimportable_hash: fail`: the cut-short bcrypt hash (1011) and the phpass hash
/// (1018) fail with `invalid_hash`; 1021 is an unreadable row of the file exports.
pub fn generic_table() -> Vec<Expected> {
    vec![
        ("1001", Hash("bcrypt")),
        ("1002", Hash("bcrypt")),
        ("1003", Hash("argon2id")),
        ("1004", Hash("salted-sha")),
        ("1005", Hash("pbkdf2")),
        ("1006", Hash("bcrypt")),
        ("1007", NotImported),
        ("1008", NotImported),
        ("1009", Hash("bcrypt")),
        ("1010", NoPassword(ABSENT)),
        ("1011", NotImported),
        ("1012", Hook(UNAVAILABLE)),
        ("1013", Hook(UNAVAILABLE)),
        ("1014", Hash("salted-sha")),
        ("1015", Hash("hmac")),
        ("1016", Hash("scrypt")),
        ("1017", Hash("pbkdf2")),
        ("1018", NotImported),
        ("1019", Hash("ssha")),
        ("1020", Hash("md5")),
        ("1021", NotImported),
        ("1022", Hash("bcrypt")),
        ("1023", NoPassword(ABSENT)),
    ]
}

/// Every table above, named by its fixture.
pub fn all() -> Vec<(&'static str, Vec<Expected>)> {
    vec![
        ("auth0_import", auth0_import()),
        ("clerk users.csv", clerk_csv()),
        ("clerk users.json", clerk_json()),
        ("supabase", supabase()),
        ("firebase users.json", firebase_json()),
        ("firebase users-2017.csv", firebase_2017()),
        ("keycloak", keycloak()),
        ("django", django()),
        ("cognito", cognito()),
        ("csv, jsonl and sql", generic_table()),
    ]
}
