//! Vectors for what Kratos's own test suite leaves out (§14 of the Kratos notes) and for
//! the strings Kratos accepts but mishandles (§17), generated with independent tools.
//!
//! Fixed strings come from RFC 6070 and from glibc's crypt(3) (through Python); the rest
//! are produced here with the RustCrypto crates and then edited the way a broken export
//! or converter would edit them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cutover_hash::{HashError, HashFamily, detect, validate_for_kratos, verify_kratos};

fn bcrypt_hash(password: &str) -> String {
    bcrypt::hash(password, 4).expect("cost 4 is valid")
}

#[test]
fn every_bcrypt_minor_version_but_x_is_computed_alike() {
    let hash = bcrypt_hash("correct horse");
    assert!(hash.starts_with("$2b$"));
    let body = &hash[4..];

    for prefix in ["$2a$", "$2b$", "$2y$", "$2z$", "$2$"] {
        let variant = format!("{prefix}{body}");
        assert_eq!(
            validate_for_kratos(&variant),
            Ok(HashFamily::Bcrypt),
            "{prefix}"
        );
        assert!(verify_kratos("correct horse", &variant), "{prefix}");
        assert!(!verify_kratos("wrong horse", &variant), "{prefix}");
    }

    let crypt_blowfish_bug = format!("$2x${body}");
    assert_eq!(detect(&crypt_blowfish_bug), HashFamily::Unknown);
    assert_eq!(
        validate_for_kratos(&crypt_blowfish_bug),
        Err(HashError::UnknownFormat)
    );
    assert!(!verify_kratos("correct horse", &crypt_blowfish_bug));
}

#[test]
fn bcrypt_passwords_over_72_bytes_never_match() {
    let long = "x".repeat(72);
    let hash = bcrypt_hash(&long);
    assert!(verify_kratos(&long, &hash));
    // The bcrypt crate would truncate and accept this; Kratos refuses it.
    assert!(!verify_kratos(&format!("{long}y"), &hash));
    assert!(verify_kratos("", &bcrypt_hash("")));
}

#[test]
fn bcrypt_text_kratos_skips_is_refused_though_it_still_verifies() {
    let hash = bcrypt_hash("pw");
    let trailing = format!("{hash}extra");
    let separator = format!("{}#{}", &hash[..6], &hash[7..]);

    for edited in [&trailing, &separator] {
        assert!(matches!(
            validate_for_kratos(edited),
            Err(HashError::Malformed { .. })
        ));
        assert!(
            verify_kratos("pw", edited),
            "Kratos only compares the first 60 bytes"
        );
    }
    let truncated = &hash[..59];
    assert!(validate_for_kratos(truncated).is_err());
    assert!(!verify_kratos("pw", truncated));
}

#[test]
fn bcrypt_costs_outside_kratos_bounds_are_refused() {
    let hash = bcrypt_hash("pw");
    for cost in ["03", "16", "31"] {
        let edited = format!("$2b${cost}{}", &hash[6..]);
        assert!(matches!(
            validate_for_kratos(&edited),
            Err(HashError::OutOfBounds { .. })
        ));
        assert!(!verify_kratos("pw", &edited));
    }
}

#[test]
fn pbkdf2_sha1_matches_rfc_6070() {
    let cases = [
        (
            "$pbkdf2-sha1$i=1,l=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y",
            true,
        ),
        (
            "$pbkdf2-sha1$i=4096,l=20$c2FsdA$SwB5AbdlSJq+rUnZJvch0GWkKcE",
            true,
        ),
        // The same key under sha256 (any unknown shaNNN is sha256 too) is another key.
        (
            "$pbkdf2-sha256$i=1,l=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y",
            false,
        ),
        (
            "$pbkdf2-sha9$i=1,l=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y",
            false,
        ),
    ];
    for (hash, matches) in cases {
        assert_eq!(validate_for_kratos(hash), Ok(HashFamily::Pbkdf2), "{hash}");
        assert_eq!(verify_kratos("password", hash), matches, "{hash}");
    }
    let zero = "$pbkdf2-sha1$i=0,l=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y";
    let error = validate_for_kratos(zero).unwrap_err();
    assert_eq!(
        error.to_string(),
        "pbkdf2 hash: iterations (i=) 0 outside 1..=10000000"
    );
}

#[test]
fn sha_crypt_without_rounds_uses_5000() {
    // glibc crypt(3): "Hello world!" with salt "saltstring", default rounds.
    let sha256 = "$sha256-crypt$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5";
    let sha512 = "$sha512-crypt$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJ\
                  uesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
    let with_rounds = sha256.replace("crypt$salt", "crypt$rounds=5000$salt");
    for hash in [sha256, sha512, with_rounds.as_str()] {
        assert_eq!(
            validate_for_kratos(hash),
            Ok(HashFamily::ShaCrypt),
            "{hash}"
        );
        assert!(verify_kratos("Hello world!", hash), "{hash}");
        assert!(!verify_kratos("Hello world", hash), "{hash}");
    }
    let raw = sha256.replace("$sha256-crypt$", "$5$");
    assert_eq!(validate_for_kratos(&raw), Err(HashError::UnknownFormat));
}

#[test]
fn sha_crypt_that_standard_crypt_reads_differently_is_refused() {
    // glibc: rounds=10000 and the salt shortened to its first 16 characters.
    let standard = "$sha256-crypt$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.\
                    opqey6IcA";
    assert_eq!(validate_for_kratos(standard), Ok(HashFamily::ShaCrypt));
    assert!(verify_kratos("Hello world!", standard));

    let long_salt = standard.replace("saltst$", "saltstring$");
    let few_rounds = standard.replace("rounds=10000", "rounds=999");
    let rounds_as_salt = "$sha256-crypt$rounds=10000$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA";
    for hash in [long_salt.as_str(), few_rounds.as_str(), rounds_as_salt] {
        assert!(validate_for_kratos(hash).is_err(), "{hash}");
        assert!(!verify_kratos("Hello world!", hash), "{hash}");
    }
}

#[test]
fn md5_crypt_matches_glibc_and_refuses_long_salts() {
    let hash = "$md5-crypt$saltsalt$qjXMvbEw8oaL.CzflDtaK/";
    assert_eq!(validate_for_kratos(hash), Ok(HashFamily::Md5Crypt));
    assert!(verify_kratos("password", hash));
    assert!(!verify_kratos("passwort", hash));

    let long_salt = "$md5-crypt$saltsaltsalt$qjXMvbEw8oaL.CzflDtaK/";
    assert!(matches!(
        validate_for_kratos(long_salt),
        Err(HashError::Unusable { .. })
    ));
}

const ARGON2: &str = "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw";

#[test]
fn argon2_versions_other_than_19_are_refused() {
    assert!(verify_kratos("test", ARGON2));
    for edited in [ARGON2.replace("v=19", "v=16"), ARGON2.replace("v=19$", "")] {
        assert!(matches!(
            validate_for_kratos(&edited),
            Err(HashError::Malformed { .. })
        ));
        assert!(!verify_kratos("test", &edited));
    }
}

#[test]
fn argon2_parameters_kratos_only_tolerates_are_refused() {
    // Go's scanner drops what follows the last number, and reads a signed version.
    for edited in [
        ARGON2.replace("p=4", "p=4,keyid=abc"),
        ARGON2.replace("v=19", "v=+19"),
    ] {
        assert!(matches!(
            validate_for_kratos(&edited),
            Err(HashError::Malformed { .. })
        ));
        assert!(verify_kratos("test", &edited), "{edited}");
    }
    // Memory below 8 KiB per lane: Go raises it, standard Argon2 refuses it.
    let low_memory = ARGON2.replace("m=32", "m=16");
    assert!(matches!(
        validate_for_kratos(&low_memory),
        Err(HashError::Unusable { .. })
    ));
}

#[test]
fn unpadded_base64_in_padded_formats_is_refused() {
    let padded = [
        "$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$\
         MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=",
        "$md5$CY9rzUYh03PK3k6DJie09g==",
        "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNDU=",
        "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ=",
        "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a",
    ];
    for hash in padded {
        assert!(validate_for_kratos(hash).is_ok(), "{hash}");
        assert!(verify_kratos(
            if hash.starts_with('{') {
                "test123"
            } else {
                "test"
            },
            hash
        ));
        // Strip the padding of the last field only, as an unpadded export would have it.
        let unpadded = hash.trim_end_matches('=');
        if unpadded == hash {
            continue;
        }
        assert!(matches!(
            validate_for_kratos(unpadded),
            Err(HashError::Malformed { .. })
        ));
        assert!(!verify_kratos("test", unpadded), "{unpadded}");
    }
    let salt_unpadded =
        "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg$2qU2SGWP8viTM1md3FiI3+rjWXQ=";
    assert!(matches!(
        validate_for_kratos(salt_unpadded),
        Err(HashError::Malformed { .. })
    ));
    assert!(!verify_kratos("test", salt_unpadded));

    // And the other way round: padding where Kratos wants none.
    let padded_argon2 = ARGON2.replace("cVE4bQ$", "cVE4bQ==$");
    assert!(matches!(
        validate_for_kratos(&padded_argon2),
        Err(HashError::Malformed { .. })
    ));
    assert!(!verify_kratos("test", &padded_argon2));
}

#[test]
fn line_breaks_kratos_skips_are_refused_though_they_still_verify() {
    let broken = "$md5$CY9rzUYh03PK\n3k6DJie09g==";
    assert!(matches!(
        validate_for_kratos(broken),
        Err(HashError::Malformed { .. })
    ));
    assert!(verify_kratos("test", broken));
    assert!(validate_for_kratos("$md5$CY9rzUYh03PK3k6DJie09g==\n").is_err());
}

fn firescrypt(hash: &[u8], signer_key: &[u8], ln: u32) -> String {
    format!(
        "$firescrypt$ln={ln},r=8,p=1${}${}${}${}",
        STANDARD.encode(b"salty"),
        STANDARD.encode(hash),
        STANDARD.encode(b"\x07"),
        STANDARD.encode(signer_key)
    )
}

#[test]
fn firescrypt_with_empty_fields_would_let_anyone_in() {
    let open_door = firescrypt(b"", b"", 4);
    assert!(matches!(
        validate_for_kratos(&open_door),
        Err(HashError::Unusable { .. })
    ));
    assert!(
        verify_kratos("anything at all", &open_door),
        "Kratos compares two empty strings"
    );

    assert!(validate_for_kratos(&firescrypt(b"hash", b"", 4)).is_err());
    assert!(
        validate_for_kratos(&firescrypt(b"hash", b"signer", 4)).is_err(),
        "lengths differ"
    );
    let zero = firescrypt(b"hash", b"keys", 0);
    assert!(matches!(
        validate_for_kratos(&zero),
        Err(HashError::Unusable { .. })
    ));
    assert!(!verify_kratos("pw", &zero));
}

#[test]
fn scrypt_with_n_not_a_power_of_two_never_verifies() {
    let hash = format!(
        "$scrypt$ln=14,r=8,p=1${}${}",
        STANDARD.encode(b"salt"),
        STANDARD.encode([0u8; 32])
    );
    let error = validate_for_kratos(&hash).unwrap_err();
    assert!(matches!(error, HashError::Unusable { .. }));
    assert!(error.to_string().contains("not log2 N"), "{error}");
    assert!(!verify_kratos("pw", &hash));
}

#[test]
fn salted_formats_without_the_password_token_are_refused() {
    let template = STANDARD.encode("{SALT}");
    let digest = STANDARD.encode(md5_of(b"salt"));
    let hash = format!("$md5$pf={template}${}${digest}", STANDARD.encode(b"salt"));
    assert!(matches!(
        validate_for_kratos(&hash),
        Err(HashError::Unusable { .. })
    ));
    assert!(
        verify_kratos("any password", &hash),
        "the digest ignores the password"
    );
}

#[test]
fn hmac_middle_field_must_be_lowercase_hex_text() {
    let upper = "$hmac-md5$RkU4Njk3Rjc0MkQwODA0MDVEMTI3MEU2MTYzMzE2Rjk=$MTIzNDU=";
    assert!(matches!(
        validate_for_kratos(upper),
        Err(HashError::Unusable { .. })
    ));
    assert!(!verify_kratos("test", upper));
    let raw_mac = format!("$hmac-md5${}$MTIzNDU=", STANDARD.encode([0u8; 16]));
    assert!(matches!(
        validate_for_kratos(&raw_mac),
        Err(HashError::Unusable { .. })
    ));
}

fn md5_of(input: &[u8]) -> Vec<u8> {
    use md5::Digest as _;
    md5::Md5::digest(input).to_vec()
}
