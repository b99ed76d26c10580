//! Broken legacy strings: each is recognised by its layout, reported with that family as
//! broken (never as not importable, so no user is sent to a hook that could not check
//! them), and refused by `verify` as unreadable rather than as a wrong password, without
//! computing anything.

use cutover_hash::{HashErrorKind, HashFamily, LegacyHash, family, to_kratos, verify};

const BROKEN: [(&str, HashFamily, &str); 19] = [
    (
        "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L",
        HashFamily::Phpass,
        "characters",
    ),
    (
        "$P$!IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0",
        HashFamily::Phpass,
        "log2",
    ),
    (
        "$S$z0jOAf3SWo8LZbI3hnATd81YG0Q7XzQ9.hxtRfgcAO74X2qplNME",
        HashFamily::Drupal7,
        "log2",
    ),
    ("$wp$2y$04$short", HashFamily::WordPress, "characters"),
    (
        "bcrypt_sha256$$2b$04$short",
        HashFamily::DjangoBcryptSha256,
        "characters",
    ),
    (
        "$2b$3$abcdefghijklmnopqrstuujv/86KBUqWwIdPp0uRATkCcvgptl1Pm",
        HashFamily::Bcrypt,
        "cost",
    ),
    (
        "$argon2id$v=19$m=64,t=1,p=1,keyid=k$c2FsdHNhbHQ$aGFzaGhhc2g",
        HashFamily::Argon2id,
        "key",
    ),
    (
        "$argon2i$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        HashFamily::Argon2i,
        "version",
    ),
    (
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaGhhc2g",
        HashFamily::Argon2id,
        "salt",
    ),
    (
        "$pbkdf2-sha256$0$c2FsdA$aGFzaA",
        HashFamily::Pbkdf2,
        "iteration",
    ),
    (
        "pbkdf2:sha256$salt$00ff",
        HashFamily::Pbkdf2,
        "iteration count",
    ),
    (
        "scrypt$16383$salt$8$1$aGFzaA==",
        HashFamily::Scrypt,
        "power of two",
    ),
    (
        "$scrypt$ln=4,r=8,p=1$c2FsdA==$aGFzaA",
        HashFamily::Scrypt,
        "passlib",
    ),
    (
        "$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==$c2FsdA==$aGFzaA==",
        HashFamily::Firescrypt,
        "sk=",
    ),
    (
        "$fbscrypt$v=2,n=14,r=8,p=1$c2FsdA==$aGFzaA==",
        HashFamily::Firescrypt,
        "parameter",
    ),
    ("{SHA}c2hvcnQ=", HashFamily::SaltedSha, "bytes"),
    ("sha1$salt$not-hex", HashFamily::SaltedSha, "hexadecimal"),
    // Costs no real system uses would exhaust the machine checking a single password.
    (
        "$scrypt$ln=1073741824,r=8,p=1$c2FsdA==$aGFzaA==",
        HashFamily::Scrypt,
        "memory",
    ),
    (
        "$argon2id$v=19$m=8388608,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        HashFamily::Argon2id,
        "memory",
    ),
];

#[test]
fn broken_strings_keep_their_family_and_say_what_is_wrong() {
    for (text, expected, words) in BROKEN {
        let hash = LegacyHash::Encoded(text.to_string());
        assert_eq!(family(&hash), expected, "{text}");

        let error = to_kratos(&hash).unwrap_err();
        assert_eq!(error.kind(), HashErrorKind::Broken, "{text}: {error}");
        assert_eq!(error.family(), expected, "{text}");
        assert!(error.to_string().contains(words), "{text}: {error}");
        assert_eq!(verify("password", &hash), Err(error), "{text}");
    }
}

#[test]
fn white_space_around_a_hash_is_refused_rather_than_guessed_away() {
    let padded = LegacyHash::Encoded(" $P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0".into());
    let error = to_kratos(&padded).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::Unknown);

    let trailing = LegacyHash::Encoded("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0\n".into());
    let error = to_kratos(&trailing).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::Broken);
    assert!(error.to_string().contains("white space"), "{error}");
}

#[test]
fn parts_that_can_never_match_are_broken() {
    let short_digest = LegacyHash::Digest {
        algorithm: cutover_hash::Digest::Sha256,
        digest: vec![0; 20],
        salt: None,
        salt_position: cutover_hash::SaltPosition::Suffix,
    };
    let empty_key = LegacyHash::Pbkdf2 {
        algorithm: cutover_hash::Digest::Sha1,
        iterations: 1000,
        salt: b"salt".to_vec(),
        key: Vec::new(),
    };
    let odd_n = LegacyHash::Scrypt {
        n: 1000,
        r: 8,
        p: 1,
        salt: b"salt".to_vec(),
        key: vec![0; 32],
    };
    for hash in [short_digest, empty_key, odd_n] {
        let error = to_kratos(&hash).unwrap_err();
        assert_eq!(error.kind(), HashErrorKind::Broken, "{error}");
        assert!(verify("pw", &hash).is_err());
    }
}
