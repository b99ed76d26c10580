//! The sandbox's only door to password hashes: Kratos's verdicts on imported hashes and logins.
//!
//! Keeping both calls here means the import check and the test login agree on one hash
//! implementation, and a change of the hash crate's API touches one file. Both come from
//! `cutover-hash`; the import check is deliberately stricter than Kratos, refusing hashes
//! Kratos would store but never verify (or verify for any password).

/// Kratos's import-time verdict on `hash`; the error is the reason a 400 carries.
pub(crate) fn validate(hash: &str) -> Result<(), String> {
    cutover_hash::validate_for_kratos(hash)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Whether `password` matches `hash` as Kratos's comparator decides; malformed hashes never do.
pub(crate) fn verify(password: &str, hash: &str) -> bool {
    cutover_hash::verify_kratos(password, hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_hashes_validate_and_verify() {
        let hash = bcrypt::hash("correct horse", 4).unwrap();

        assert!(validate(&hash).is_ok());
        assert!(verify("correct horse", &hash));
        assert!(!verify("wrong horse", &hash));
        assert!(verify("correct horse", &hash.replacen("$2b$", "$2y$", 1)));
        assert!(!verify(
            &"x".repeat(73),
            &bcrypt::hash("x".repeat(73), 4).unwrap()
        ));
    }

    #[test]
    fn other_kratos_families_validate_and_verify() {
        let md5 = "$md5$CY9rzUYh03PK3k6DJie09g==";
        let argon2id = "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw";
        for hash in [md5, argon2id] {
            assert!(validate(hash).is_ok(), "{hash}");
            assert!(verify("test", hash), "{hash}");
            assert!(!verify("tset", hash), "{hash}");
        }
    }

    #[test]
    fn unknown_and_broken_hashes_are_rejected() {
        assert!(validate("$1$abc$def").is_err());
        assert!(validate("").is_err());
        assert!(validate("$2a$10$tooshort").is_err());
        assert!(validate(&bcrypt::hash("x", 4).unwrap().replacen("$2b$", "$2x$", 1)).is_err());
        assert!(!verify("x", "$1$abc$def"));

        let reason = validate("$pbkdf2-sha256$i=0,l=32$c2FsdA$c2FsdA").unwrap_err();
        assert_eq!(
            reason,
            "pbkdf2 hash: iterations (i=) 0 outside 1..=10000000"
        );
    }
}
