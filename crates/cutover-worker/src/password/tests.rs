use cutover_hash::{HashFamily, LegacyHash};
use cutover_source::LegacyPassword;

use super::*;

/// A bcrypt hash (cost 4) of the sample export's password rule.
const BCRYPT: &str = "$2a$04$r9ymZxsQ7Q617ZZJNHKjBeIn5h1yKzzkdi1kyYlYoYbPMCkCyh96G";

fn user(hash: Option<&str>, password_unavailable: bool) -> LegacyUser {
    LegacyUser {
        legacy_id: "legacy|1".into(),
        email: Some("ada@example.org".into()),
        email_verified: true,
        phone: None,
        phone_verified: false,
        username: None,
        name: None,
        given_name: None,
        family_name: None,
        created_at: None,
        updated_at: None,
        last_login: None,
        password: hash.map(|hash| LegacyPassword::new(LegacyHash::Encoded(hash.into()))),
        password_unavailable,
        social: Vec::new(),
        application: None,
        tenant: None,
        blocked: false,
        raw: serde_json::Value::Null,
    }
}

fn policy(unimportable_hash: UnimportableHash, unavailable: UnavailablePassword) -> Policy {
    Policy {
        unimportable_hash,
        unavailable_password: unavailable,
    }
}

#[test]
fn an_importable_hash_is_imported_whatever_the_policy() {
    for unimportable in [
        UnimportableHash::Hook,
        UnimportableHash::NoPassword,
        UnimportableHash::Fail,
    ] {
        let decision = PasswordDecision::decide(
            &policy(unimportable, UnavailablePassword::NoPassword),
            &user(Some(BCRYPT), false),
        );

        let credential = decision.credential().unwrap().unwrap();
        assert_eq!(credential.config, PasswordConfig::hashed(BCRYPT));
        assert_eq!(
            decision.route(),
            Some(UserPassword::new(PasswordRoute::Hash, "bcrypt"))
        );
    }
}

/// The phpass vector published with phpass: intact, recognised, not importable.
const PHPASS: &str = "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0";

#[test]
fn an_unimportable_hash_goes_to_the_hook_by_default_with_the_reason() {
    let decision = PasswordDecision::decide(&Policy::default(), &user(Some(PHPASS), false));

    let credential = decision.credential().unwrap().unwrap();
    assert_eq!(credential.config, PasswordConfig::migration_hook());
    let route = decision.route().unwrap();
    assert_eq!(route.route, PasswordRoute::Hook);
    assert!(
        route
            .detail
            .starts_with("hash format Kratos cannot import (phpass): "),
        "{}",
        route.detail
    );
}

#[test]
fn the_reason_says_whether_the_format_is_not_importable_broken_or_unknown() {
    let reason =
        |hash: &str| match PasswordDecision::decide(&Policy::default(), &user(Some(hash), false)) {
            PasswordDecision::Hook(reason) => reason,
            other => panic!("{hash} was not sent to the hook: {other:?}"),
        };

    let phpass = reason(PHPASS);
    let short = reason("$2a$04$tooShort");
    let shorter = reason("$2a$04$short");
    let unknown = reason("md5:abcd");

    assert!(matches!(
        phpass,
        PasswordReason::NotImportable {
            family: HashFamily::Phpass,
            ..
        }
    ));
    assert_eq!(phpass.group(), "hash format Kratos cannot import (phpass)");
    assert!(
        !phpass.to_string().contains("migration hook"),
        "the reason gives no advice that another policy would contradict: {phpass}"
    );
    assert!(matches!(
        short,
        PasswordReason::Broken {
            family: HashFamily::Bcrypt,
            ..
        }
    ));
    assert_eq!(short.group(), "broken hash (bcrypt)");
    assert_eq!(
        shorter.group(),
        short.group(),
        "one group whatever the problem"
    );
    assert_ne!(
        shorter.to_string(),
        short.to_string(),
        "the full reason says the problem"
    );
    assert!(
        short.to_string().starts_with("broken hash (bcrypt): "),
        "{short}"
    );
    assert_eq!(unknown, PasswordReason::UnknownFormat);
    assert_eq!(unknown.group(), "unknown hash format");
    assert!(
        unknown.to_string().starts_with("unknown hash format: "),
        "{unknown}"
    );
}

#[test]
fn an_unimportable_hash_follows_no_password_and_fail() {
    let bad = user(Some("$2a$04$tooShort"), false);

    let without = PasswordDecision::decide(
        &policy(UnimportableHash::NoPassword, UnavailablePassword::Hook),
        &bad,
    );
    let failed = PasswordDecision::decide(
        &policy(UnimportableHash::Fail, UnavailablePassword::Hook),
        &bad,
    );

    assert_eq!(without.credential().unwrap(), None);
    let route = without.route().unwrap();
    assert_eq!(route.route, PasswordRoute::None);
    assert!(
        route.detail.starts_with("broken hash (bcrypt): "),
        "{}",
        route.detail
    );
    let (state, code, reason) = failed.credential().unwrap_err();
    assert_eq!((state, code), (UserState::Failed, ReasonCode::InvalidHash));
    assert_eq!(reason, route.detail);
    assert_eq!(failed.route(), None);
}

#[test]
fn a_password_the_export_lacks_follows_unavailable_password() {
    let cognito = user(None, true);

    let hook = PasswordDecision::decide(&Policy::default(), &cognito);
    let without = PasswordDecision::decide(
        &policy(UnimportableHash::Hook, UnavailablePassword::NoPassword),
        &cognito,
    );

    assert_eq!(
        hook.credential().unwrap().unwrap().config,
        PasswordConfig::migration_hook()
    );
    assert_eq!(
        hook.route(),
        Some(UserPassword::new(
            PasswordRoute::Hook,
            PasswordReason::Unavailable.to_string()
        ))
    );
    assert_eq!(without.credential().unwrap(), None);
    assert_eq!(
        without.route(),
        Some(UserPassword::new(
            PasswordRoute::None,
            PasswordReason::Unavailable.to_string()
        ))
    );
}

#[test]
fn a_user_without_a_password_gets_none_and_the_hook_is_never_guessed() {
    let decision = PasswordDecision::decide(&Policy::default(), &user(None, false));

    assert_eq!(decision.credential().unwrap(), None);
    assert_eq!(
        decision.route(),
        Some(UserPassword::new(
            PasswordRoute::None,
            "no password in the export"
        ))
    );
}

#[test]
fn a_hash_in_the_export_wins_over_the_unavailable_flag() {
    let decision = PasswordDecision::decide(&Policy::default(), &user(Some(BCRYPT), true));

    assert_eq!(decision.route().unwrap().route, PasswordRoute::Hash);
}

#[test]
fn reasons_and_debug_never_show_the_hash() {
    let hash_decision = PasswordDecision::decide(&Policy::default(), &user(Some(BCRYPT), false));
    let broken = "$argon2id$brokenSECRETPART";
    let hook = PasswordDecision::decide(&Policy::default(), &user(Some(broken), false));

    let debug = format!("{hash_decision:?}");
    assert!(!debug.contains("r9ymZxsQ7Q617"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let detail = hook.route().unwrap().detail;
    assert!(!detail.contains("SECRETPART"), "{detail}");
    assert!(!format!("{hook:?}").contains("SECRETPART"));
}
