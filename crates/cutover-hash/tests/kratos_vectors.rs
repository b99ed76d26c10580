//! The 147 Kratos hash vectors: every verdict of Kratos's comparator is reproduced, and
//! the structural verdict agrees with it wherever the password does not decide.
//!
//! The vectors come from Kratos's own tests and docs (see `tests/data`); `valid` is
//! whether Kratos's `hash.Compare` accepts the password.

use std::collections::HashSet;

use cutover_hash::{HashFamily, validate_for_kratos, verify_kratos};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vector {
    password: String,
    hash: String,
    algorithm: String,
    valid: bool,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("data/kratos-hash-vectors.json");
    let vectors: Vec<Vector> = serde_json::from_str(text).expect("the vector file is JSON");
    assert_eq!(vectors.len(), 147);
    vectors
}

/// The family behind each of the file's descriptive algorithm labels.
fn family_of_label(label: &str) -> HashFamily {
    match label {
        "bcrypt" => HashFamily::Bcrypt,
        "argon2id" => HashFamily::Argon2id,
        "argon2i" => HashFamily::Argon2i,
        "scrypt" => HashFamily::Scrypt,
        "firescrypt" => HashFamily::Firescrypt,
        "md5" | "md5-salted" => HashFamily::Md5,
        "md5crypt" => HashFamily::Md5Crypt,
        "sha256crypt" | "sha512crypt" => HashFamily::ShaCrypt,
        "sha1" | "sha256" | "sha512" => HashFamily::SaltedSha,
        "unknown" => HashFamily::Unknown,
        _ if label.starts_with("pbkdf2-") => HashFamily::Pbkdf2,
        _ if label.starts_with("ssha") => HashFamily::Ssha,
        _ if label.starts_with("hmac-") => HashFamily::Hmac,
        _ => panic!("unexpected algorithm label {label}"),
    }
}

#[test]
fn every_vector_verifies_as_kratos_decides() {
    let wrong: Vec<String> = vectors()
        .iter()
        .filter(|v| verify_kratos(&v.password, &v.hash) != v.valid)
        .map(|v| format!("{} (valid: {}): {}", v.algorithm, v.valid, v.hash))
        .collect();
    assert!(
        wrong.is_empty(),
        "verdicts differ from Kratos:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn valid_vectors_validate_with_their_family() {
    for v in vectors().iter().filter(|v| v.valid) {
        assert_eq!(
            validate_for_kratos(&v.hash),
            Ok(family_of_label(&v.algorithm)),
            "{}",
            v.hash
        );
    }
}

#[test]
fn invalid_vectors_are_refused_unless_only_the_password_is_wrong() {
    let needs_password: HashSet<&str> = NEEDS_THE_PASSWORD.iter().map(|(hash, _)| *hash).collect();
    assert_eq!(
        needs_password.len(),
        NEEDS_THE_PASSWORD.len(),
        "a hash is listed twice"
    );

    let mut used = HashSet::new();
    for v in vectors().iter().filter(|v| !v.valid) {
        let verdict = validate_for_kratos(&v.hash);
        if needs_password.contains(v.hash.as_str()) {
            used.insert(v.hash.as_str().to_owned());
            assert_eq!(verdict, Ok(family_of_label(&v.algorithm)), "{}", v.hash);
            assert!(!verify_kratos(&v.password, &v.hash), "{}", v.hash);
        } else {
            let error = verdict.expect_err(&v.hash);
            assert_eq!(error.family(), family_of_label(&v.algorithm), "{}", v.hash);
        }
    }

    let stale: Vec<&&str> = needs_password
        .iter()
        .filter(|h| !used.contains(**h))
        .collect();
    assert!(
        stale.is_empty(),
        "listed but not an invalid vector: {stale:?}"
    );
}

#[test]
fn refusals_never_quote_the_hash() {
    for v in vectors() {
        let Err(error) = validate_for_kratos(&v.hash) else {
            continue;
        };
        let message = error.to_string();
        // The first piece names the format (`argon2id`, `hmac-md5`), which is no secret.
        let pieces = v
            .hash
            .split(['$', '{', '}'])
            .filter(|piece| !piece.is_empty())
            .skip(1);
        for piece in pieces.filter(|piece| piece.len() >= 6) {
            assert!(
                !message.contains(piece),
                "{message:?} quotes part of {}",
                v.hash
            );
        }
    }
}

/// Invalid vectors whose hash is well-formed: only the password decides, so validation
/// accepts them and verification refuses them. Keyed by hash, each with why it fails.
const NEEDS_THE_PASSWORD: &[(&str, &str)] = &[
    (
        concat!(
            "$argon2i$v=19$m=65536,t=3,p=4$pZ+27D6B0bCi0DwSmANF1w$",
            "4RNCUu4Uyu7eTIvzIdSuKz+I9idJlX/ykn6J10/W0EU",
        ),
        "an argon2i hash of another password",
    ),
    (
        concat!(
            "$pbkdf2-sha512$i=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$",
            "+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPww",
        ),
        "last tag character swapped for another canonical one: a tag of nobody",
    ),
    (
        concat!(
            "$pbkdf2-sha224$i=100000,l=32$A2nzbFd+wwzPSb+TqkF5Pw$",
            "9M4GM2yOYw/fZvsvQbF/0Ec8JO2u9O1MYRTfrDimX6o",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$pbkdf2-sha384$i=100000,l=32$xDInuz7Y/DPzZUnCaQXJmg$",
            "7ICaEa6jEqxbbCBbv4YzrBf39KYNAtc3Bj0QWKeB3Ck",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXcc$",
            "QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI",
        ),
        "one extra salt character still decodes (a 33-byte salt): wrong salt",
    ),
    (
        concat!(
            "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$",
            "QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpII",
        ),
        "one extra hash character still decodes (a 33-byte key): wrong tag",
    ),
    (
        concat!(
            "$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$",
            "MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "{SSHA256}czO44OTV17PcF1cRxWrLZLy9xHd7CWyVYplr1rOhuMlx/7IK",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "{SSHA512}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0",
            "C9NYixHsE6Yh59M=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ=",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$cDJvb3ZrZGJ6cQ==$2qU2SGWP8viTM1md3FiI3+rjWXQ=",
        "the digest was made with another salt",
    ),
    (
        concat!(
            "$sha256$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$",
            "0gfRVLCvtBCk20udLDEY5vNhujWx7RGjwRIS1ebMsLY=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$sha512$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$",
            "6ctpVuApMNp0CgBXcdHw/GC562eFEFGr4gpgANX8ZYsX+j5B19IkdmOY2Fytsz3QUwSWdGcUjbqwgJGTH0UYv",
            "w==",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$md5$WhBei51A4TKXgNYuoiZdig==",
        "plain MD5 of another password",
    ),
    (
        "$md5$Dk/E5LQLsx4yt8QbUbvpdg==",
        "plain MD5 of another password",
    ),
    (
        "$md5$4skj967KRHFsnPFoL5dMMw==",
        "plain MD5 of another password",
    ),
    (
        "$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$MTIz$hh8ZTp1hGPPZQqcr4+UXSQ==",
        "salted MD5 of another password",
    ),
    (
        "$md5$pf=e1NBTFR9JCR7UEFTU1dPUkR9$MTIzNA==$ud392Z8rfZ+Ou7ZFXYLKbA==",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$md5$pf=e1BBU1NXT1JEfXtTQUxUfSQ/$MTIzNDU2Nzg5$8PhwWanVRnpJAFK4NUjR0w==",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$md5-crypt$xWMlm2eL$GGTOpgZu4p2k6ORprAu3b.",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$md5-crypt$E7zjruqF$RTglYR1CzBHwwiTk9nVzx1",
        "md5-crypt of another password",
    ),
    (
        "$sha256-crypt$rounds=535000$awpcR7lDlnK/S7WE$vHU7KkQwyjfGz6u4MUi7.lH9htK/l63HloTsX1ZMz.3",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$sha256-crypt$rounds=535000$T95kH8e37IGVdxzJ$gLeaNa6qRog.bx4Bzqp63ceWItH6nSAal6c3WmT5GHB",
        "sha256-crypt of another password",
    ),
    (
        concat!(
            "$sha512-crypt$rounds=656000$hNcDLFO63bkYVDZf$",
            "Mt9dhH0xqfxWZ6Pu8zXw.Ku5f15IRTweuaDcUc.ObXWGn7B1h8YIWLmArZd8psd2mrUVswCXLAVptmISr.8iI",
            "/",
        ),
        "sha512-crypt of another password",
    ),
    (
        "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$",
        "an empty HMAC key is still a key; the MAC was made under 12345",
    ),
    (
        "$hmac-md4$MWQ5ZTI4Nzc2Zjg4YmE2MTQ5YjQ0OTMyOGE4NWU4YjA=$MTIzNA==",
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        "$hmac-md4$MWQ5ZTI4Nzc2Zjg4YmE2MTQ5YjQ0OTMyOGE4NWU4YjA=$MTIzNDU=",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNA==",
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNDU=",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        "$hmac-sha1$NDMyNjcxZTUyY2Y2YTBmYjZjZDE2NjQxYjAwNjFiZjAwOGEzNWM5MA==$MTIzNA==",
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        "$hmac-sha1$NDMyNjcxZTUyY2Y2YTBmYjZjZDE2NjQxYjAwNjFiZjAwOGEzNWM5MA==$MTIzNDU=",
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$hmac-sha224$",
            "YmUwYmYzM2EwNGRlNDE0YjQzNjBhNmIyOThmNmIyYzI4OWQyMzk3MDUwZDFjMzliYjVmMDMyOTQ=$MTIzNA==",
        ),
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        concat!(
            "$hmac-sha224$",
            "YmUwYmYzM2EwNGRlNDE0YjQzNjBhNmIyOThmNmIyYzI4OWQyMzk3MDUwZDFjMzliYjVmMDMyOTQ=$MTIzNDU=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$hmac-sha256$",
            "ZTAzMWJhMWMyOTM4YjFkMjgzZjkxOWExZGY5YWM2NmMxOTJhN2RkNzQ0MzJkNWZkNGFkYTI5OTk0MWJhMTA5Z",
            "g==$MTIzNA==",
        ),
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        concat!(
            "$hmac-sha256$",
            "ZTAzMWJhMWMyOTM4YjFkMjgzZjkxOWExZGY5YWM2NmMxOTJhN2RkNzQ0MzJkNWZkNGFkYTI5OTk0MWJhMTA5Z",
            "g==$MTIzNDU=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$hmac-sha384$",
            "ZWEyMGM3NGE4Y2UzMTljNTdjZTlhZGQyYTZjNDE0MGQ4YjMwYWIwOWM4OTRiNWQ4MmZjODlhMzBhMmQzNGE5N",
            "mQ0NDY1NWRhYjQ2ZjhiYjBkNTRmYjk5YWZkZTA1MGY1$MTIzNA==",
        ),
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        concat!(
            "$hmac-sha384$",
            "ZWEyMGM3NGE4Y2UzMTljNTdjZTlhZGQyYTZjNDE0MGQ4YjMwYWIwOWM4OTRiNWQ4MmZjODlhMzBhMmQzNGE5N",
            "mQ0NDY1NWRhYjQ2ZjhiYjBkNTRmYjk5YWZkZTA1MGY1$MTIzNDU=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
    (
        concat!(
            "$hmac-sha512$",
            "OTFmODY0ZTI1NmU0ZjVhYjhiMDViZGFmNGVmNGZmMGVlNTY4ODYwNWJhYTk4MTk2OTgyMzc3NzI1YTc4MzcxM",
            "TMzNzZmY2YxYTk5MGMxM2RiZDk2MGFmMmQ1YzRmODdlMGMwYTNkYjcyNjY0NjM4NGE4YzQ2MjNhZDZkN2UxZT",
            "E=$MTIzNA==",
        ),
        "the MAC was made under key 12345, this says 1234",
    ),
    (
        concat!(
            "$hmac-sha512$",
            "OTFmODY0ZTI1NmU0ZjVhYjhiMDViZGFmNGVmNGZmMGVlNTY4ODYwNWJhYTk4MTk2OTgyMzc3NzI1YTc4MzcxM",
            "TMzNzZmY2YxYTk5MGMxM2RiZDk2MGFmMmQ1YzRmODdlMGMwYTNkYjcyNjY0NjM4NGE4YzQ2MjNhZDZkN2UxZT",
            "E=$MTIzNDU=",
        ),
        "a valid vector's hash, tried with a wrong password",
    ),
];
