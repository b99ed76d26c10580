//! Identifier normalisation, the rule that decides which logins collide.
//!
//! Kratos (master, §12.2 of the notes) stores password, code and webauthn identifiers folded:
//! whitespace trimmed, NFKC (which also folds widths), lowercased, invisible and control
//! characters removed. Two identifiers that fold to the same string belong to one identity, so
//! `Alice@Example.org` and `alice@example.org` conflict. OIDC subjects are not folded.

use unicode_normalization::UnicodeNormalization;

/// The stored form of a password, code or webauthn identifier.
pub(crate) fn identifier(raw: &str) -> String {
    let visible: String = raw.chars().filter(|c| !is_invisible(*c)).collect();
    let folded = visible.nfkc().collect::<String>().to_lowercase();
    folded.trim().to_owned()
}

/// The stored form of a verifiable or recovery address on `via` (`email` or `sms`).
pub(crate) fn address(via: &str, raw: &str) -> String {
    match via {
        "email" => identifier(raw),
        // TODO: Kratos formats phone numbers in E.164; the sandbox only trims them.
        _ => raw
            .chars()
            .filter(|c| !is_invisible(*c))
            .collect::<String>()
            .trim()
            .to_owned(),
    }
}

/// Control characters and the invisible formatting characters people paste along with text.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_differing_in_case_fold_to_one() {
        assert_eq!(
            identifier("Alice@Example.org"),
            identifier("alice@example.org")
        );
    }

    #[test]
    fn whitespace_and_invisible_characters_are_removed() {
        assert_eq!(
            identifier("  bob\u{200B}@example.org\u{FEFF} "),
            "bob@example.org"
        );
    }

    #[test]
    fn fullwidth_letters_fold_to_ascii() {
        assert_eq!(identifier("ＣＡＲＯＬ"), "carol");
    }

    #[test]
    fn sms_addresses_are_not_lowercased_but_trimmed() {
        assert_eq!(address("sms", " +4930123 "), "+4930123");
        assert_eq!(address("email", " X@Y.Z "), "x@y.z");
    }
}
