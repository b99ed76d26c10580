//! The sandbox's only door to password hashes: Kratos's verdicts on imported hashes and logins.
//!
//! Keeping both calls here means the import check and the test login agree on one hash
//! implementation, and a change of the hash crate's API touches one file.
//!
//! TODO: cutover-hash does not export `validate_for_kratos`/`verify_kratos` yet, so this module
//! understands bcrypt only and rejects every other family. Switch both functions to
//! `cutover_hash` once it does; the signatures here stay as they are.

use std::str::FromStr;

/// The bcrypt prefixes Kratos detects; all minor versions are computed alike, `$2x$` is refused.
const BCRYPT_PREFIXES: &[&str] = &["$2$", "$2a$", "$2b$", "$2y$", "$2z$"];

/// The bcrypt cost bounds Kratos enforces at import.
const BCRYPT_COSTS: std::ops::RangeInclusive<u32> = 4..=15;

/// The longest password bcrypt checks; Kratos refuses longer ones instead of truncating them.
const BCRYPT_MAX_BYTES: usize = 72;

/// Kratos's import-time verdict on `hash`; the error is the reason a 400 carries.
pub(crate) fn validate(hash: &str) -> Result<(), String> {
    bcrypt_parts(hash).map(|_| ())
}

/// Whether `password` matches `hash` as Kratos's comparator decides; malformed hashes never do.
pub(crate) fn verify(password: &str, hash: &str) -> bool {
    let Ok(canonical) = bcrypt_parts(hash) else {
        return false;
    };
    password.len() <= BCRYPT_MAX_BYTES && matches!(bcrypt::verify(password, &canonical), Ok(true))
}

/// The hash rewritten with the `$2b$` prefix the bcrypt crate parses, once its cost is checked.
fn bcrypt_parts(hash: &str) -> Result<String, String> {
    let Some(rest) = BCRYPT_PREFIXES
        .iter()
        .find_map(|prefix| hash.strip_prefix(prefix))
    else {
        return Err(
            "the imported password does not match any hash format the sandbox knows \
                    (it understands bcrypt only for now)"
                .to_owned(),
        );
    };

    let canonical = format!("$2b${rest}");
    let parts = bcrypt::HashParts::from_str(&canonical)
        .map_err(|_| "the imported bcrypt hash could not be parsed".to_owned())?;
    if !BCRYPT_COSTS.contains(&parts.get_cost()) {
        return Err(format!(
            "the imported bcrypt hash declares a cost outside {}..={}",
            BCRYPT_COSTS.start(),
            BCRYPT_COSTS.end()
        ));
    }
    Ok(canonical)
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
    }

    #[test]
    fn unknown_and_broken_hashes_are_rejected() {
        assert!(validate("$1$abc$def").is_err());
        assert!(validate("").is_err());
        assert!(validate("$2a$10$tooshort").is_err());
        assert!(validate(&bcrypt::hash("x", 4).unwrap().replacen("$2b$", "$2x$", 1)).is_err());
        assert!(!verify("x", "$1$abc$def"));
    }
}
