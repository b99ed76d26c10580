//! The family names are an interface: plans, reports and JSON carry them, so they must not
//! drift between `Display`, serde and the documentation.

use cutover_hash::HashFamily;

const NAMES: [(HashFamily, &str); 13] = [
    (HashFamily::Bcrypt, "bcrypt"),
    (HashFamily::Argon2id, "argon2id"),
    (HashFamily::Argon2i, "argon2i"),
    (HashFamily::Pbkdf2, "pbkdf2"),
    (HashFamily::Scrypt, "scrypt"),
    (HashFamily::Firescrypt, "firescrypt"),
    (HashFamily::Ssha, "ssha"),
    (HashFamily::SaltedSha, "salted-sha"),
    (HashFamily::Md5, "md5"),
    (HashFamily::Md5Crypt, "md5-crypt"),
    (HashFamily::ShaCrypt, "sha-crypt"),
    (HashFamily::Hmac, "hmac"),
    (HashFamily::Unknown, "unknown"),
];

#[test]
fn display_and_serde_use_the_same_lowercase_names() {
    for (family, name) in NAMES {
        assert_eq!(family.to_string(), name);
        assert_eq!(family.as_str(), name);
        assert_eq!(
            serde_json::to_value(family).unwrap(),
            serde_json::json!(name)
        );
        assert_eq!(
            serde_json::from_value::<HashFamily>(name.into()).unwrap(),
            family
        );
    }
}

#[test]
fn unknown_names_do_not_deserialize() {
    assert!(serde_json::from_str::<HashFamily>("\"Bcrypt\"").is_err());
    assert!(serde_json::from_str::<HashFamily>("\"phpass\"").is_err());
}
