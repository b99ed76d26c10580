//! The family names are an interface: plans, reports and JSON carry them, so they must not
//! drift between `Display`, serde and the documentation.

use cutover_hash::HashFamily;

const NAMES: [(HashFamily, &str); 26] = [
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
    (HashFamily::Bcrypt2x, "bcrypt-2x"),
    (HashFamily::WordPress, "wordpress"),
    (HashFamily::DjangoBcryptSha256, "django-bcrypt-sha256"),
    (HashFamily::Phpass, "phpass"),
    (HashFamily::Drupal7, "drupal7"),
    (HashFamily::Argon2d, "argon2d"),
    (HashFamily::Pbkdf2Sha224, "pbkdf2-sha224"),
    (HashFamily::Pbkdf2Sha384, "pbkdf2-sha384"),
    (HashFamily::Pbkdf2Md5, "pbkdf2-md5"),
    (HashFamily::Pbkdf2Md4, "pbkdf2-md4"),
    (HashFamily::Md4, "md4"),
    (HashFamily::Sha224, "sha224"),
    (HashFamily::Sha384, "sha384"),
    (HashFamily::Unknown, "unknown"),
];

/// The families Kratos has an import format for: the first twelve.
const IMPORTABLE: usize = 12;

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
    assert!(serde_json::from_str::<HashFamily>("\"PHPass\"").is_err());
    assert!(serde_json::from_str::<HashFamily>("\"yescrypt\"").is_err());
}

#[test]
fn only_the_kratos_families_are_importable() {
    for (index, (family, name)) in NAMES.into_iter().enumerate() {
        assert_eq!(family.is_importable(), index < IMPORTABLE, "{name}");
    }
}
