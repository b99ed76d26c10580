//! Serialisation details and secret redaction of the models.

use std::time::Duration;

use cutover_ory::{
    CreateIdentityBody, Identity, IdentityCredential, IdentityCredentialsImport, OryConfig,
    PasswordConfig, PasswordImport, UpdateIdentityBody,
};
use serde_json::json;

use crate::server::identity_json;

#[test]
fn debug_of_a_create_body_hides_hashes_and_passwords() {
    let body = CreateIdentityBody {
        credentials: Some(IdentityCredentialsImport {
            password: Some(PasswordImport {
                config: PasswordConfig {
                    hashed_password: Some("$2a$10$TOPSECRETHASH".to_owned()),
                    password: Some("hunter2".to_owned()),
                    use_password_migration_hook: None,
                },
            }),
            oidc: None,
        }),
        ..CreateIdentityBody::default()
    };

    let debug = format!("{body:?}");

    assert!(!debug.contains("TOPSECRETHASH"), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn debug_of_a_read_identity_hides_the_credential_config() {
    let identity: Identity =
        serde_json::from_value(identity_json("0d3c1c1a-7a93-4a8f-9b5b-8f6f7e6d5c4b")).unwrap();

    let debug = format!("{identity:?}");

    assert!(!debug.contains("SECRET"), "{debug}");
    assert!(identity.credentials["password"].config.is_some());
}

#[test]
fn debug_of_the_config_hides_the_api_key() {
    let config = OryConfig {
        api_key: Some("ory_pat_verysecret".to_owned()),
        ..OryConfig::new("http://kratos:4434")
    };

    let debug = format!("{config:?}");

    assert!(!debug.contains("verysecret"), "{debug}");
    assert_eq!(config.timeout, Duration::from_secs(60));
}

#[test]
fn migration_hook_config_sends_only_the_flag() {
    let config = serde_json::to_value(PasswordConfig::migration_hook()).unwrap();

    assert_eq!(config, json!({ "use_password_migration_hook": true }));
}

#[test]
fn a_password_credential_uses_the_hook_only_without_a_stored_hash() {
    let credential = |config: Option<serde_json::Value>| IdentityCredential {
        credential_type: "password".into(),
        identifiers: vec!["ada@example.org".into()],
        version: Some(0),
        config,
        created_at: None,
        updated_at: None,
    };
    let stored_by_kratos = json!({"hashed_password": "", "use_password_migration_hook": true});
    let migrated = json!({"hashed_password": "$2a$10$x", "use_password_migration_hook": true});

    assert!(credential(Some(stored_by_kratos)).uses_password_migration_hook());
    assert!(
        credential(Some(json!({"use_password_migration_hook": true})))
            .uses_password_migration_hook()
    );
    assert!(!credential(Some(migrated)).uses_password_migration_hook());
    assert!(!credential(Some(json!({"hashed_password": ""}))).uses_password_migration_hook());
    assert!(!credential(None).uses_password_migration_hook());
}

#[test]
fn update_body_from_an_identity_keeps_external_id_and_metadata() {
    let mut raw = identity_json("0d3c1c1a-7a93-4a8f-9b5b-8f6f7e6d5c4b");
    raw["metadata_admin"] = json!({ "segment": "a" });
    let identity: Identity = serde_json::from_value(raw).unwrap();

    let body = serde_json::to_value(UpdateIdentityBody::from_identity(&identity)).unwrap();

    assert_eq!(
        body,
        json!({
            "schema_id": "preset://email",
            "traits": { "email": "alice@example.org" },
            "state": "active",
            "metadata_admin": { "segment": "a" },
            "external_id": "auth0|5dea"
        })
    );
}
