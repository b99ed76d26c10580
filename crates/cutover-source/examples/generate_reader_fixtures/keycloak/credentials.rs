//! Password credentials as Keycloak exports them, in both layouts.

use argon2::Algorithm;

use super::EPOCH_MS;
use crate::common::{Prf, b64, pbkdf2};
use crate::json::{J, compact, obj, s, strings};
use crate::secrets::{Argon, argon2, bytes, uuid};

/// The envelope of a credential; `secret_data` and `credential_data` are JSON strings.
pub fn credential(key: &str, secret_data: J, credential_data: J, priority: i64) -> J {
    obj(vec![
        ("id", s(&uuid(&format!("kc-credential:{key}")))),
        ("type", s("password")),
        ("userLabel", s("My password")),
        ("createdDate", J::Int(EPOCH_MS + 3_600_000)),
        ("secretData", secret_data),
        ("credentialData", credential_data),
        ("priority", J::Int(priority)),
    ])
}

/// The `secretData` document: the hash value and salt in base64.
pub fn secret(value: &str, salt: &str) -> J {
    obj(vec![
        ("value", s(value)),
        ("salt", s(salt)),
        ("additionalParameters", obj(vec![])),
    ])
}

/// The `credentialData` document: iterations, algorithm and its parameters.
pub fn data(algorithm: &str, iterations: i64, parameters: J) -> J {
    obj(vec![
        ("hashIterations", J::Int(iterations)),
        ("algorithm", s(algorithm)),
        ("additionalParameters", parameters),
    ])
}

/// `credentialData` of a PBKDF2 credential, as the JSON string Keycloak writes.
pub fn pbkdf2_data(algorithm: &str, iterations: i64) -> J {
    J::Str(compact(&data(algorithm, iterations, obj(vec![]))))
}

/// A PBKDF2 credential of priority 10 with a derived salt.
pub fn pbkdf2_credential(
    key: &str,
    algorithm: &str,
    password: &str,
    iterations: u32,
    length: usize,
) -> J {
    pbkdf2_credential_at(key, algorithm, password, iterations, length, 10)
}

/// A PBKDF2 credential of the given priority with a derived salt.
pub fn pbkdf2_credential_at(
    key: &str,
    algorithm: &str,
    password: &str,
    iterations: u32,
    length: usize,
    priority: i64,
) -> J {
    let prf = match algorithm {
        "pbkdf2" => Prf::Sha1,
        "pbkdf2-sha256" => Prf::Sha256,
        _ => Prf::Sha512,
    };
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let value = pbkdf2(prf, password, &salt, iterations, length);
    credential(
        key,
        J::Str(compact(&secret(&b64(&value), &b64(&salt)))),
        pbkdf2_data(algorithm, i64::from(iterations)),
        priority,
    )
}

/// An Argon2 credential with Keycloak's default parameters (id, 1.3, 7168 KiB, t=5, p=1,
/// 32 bytes); without `all_parameters`, only `type` and `hashLength` are written, as in a
/// hand-written import file.
pub fn argon2_credential(key: &str, password: &str, all_parameters: bool) -> J {
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let params = Argon {
        algorithm: Algorithm::Argon2id,
        memory: 7_168,
        time: 5,
        lanes: 1,
        length: 32,
    };
    let value = argon2(&params, password, &salt);
    let parameters = if all_parameters {
        obj(vec![
            ("hashLength", strings(&["32"])),
            ("memory", strings(&["7168"])),
            ("type", strings(&["id"])),
            ("version", strings(&["1.3"])),
            ("parallelism", strings(&["1"])),
        ])
    } else {
        obj(vec![
            ("hashLength", strings(&["32"])),
            ("type", strings(&["id"])),
        ])
    };
    credential(
        key,
        J::Str(compact(&secret(&b64(&value), &b64(&salt)))),
        J::Str(compact(&data("argon2", 5, parameters))),
        10,
    )
}

/// A credential in the layout of exports before the credential refactor: PBKDF2-SHA1.
pub fn legacy_credential(key: &str, password: &str) -> J {
    let salt = bytes(&format!("kc-salt:{key}"), 16);
    let value = pbkdf2(Prf::Sha1, password, &salt, 20_000, 64);
    obj(vec![
        ("type", s("password")),
        ("hashedSaltedValue", s(&b64(&value))),
        ("salt", s(&b64(&salt))),
        ("hashIterations", J::Int(20_000)),
        ("counter", J::Int(0)),
        ("algorithm", s("pbkdf2")),
        ("digits", J::Int(0)),
        ("period", J::Int(0)),
        ("createdDate", J::Int(1_500_000_000_000)),
        ("config", obj(vec![])),
    ])
}
