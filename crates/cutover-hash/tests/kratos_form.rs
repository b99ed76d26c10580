//! Strings already in Kratos form, read as legacy hashes: Kratos's own vectors pass
//! through [`to_kratos`] unchanged, and whenever a vector converts, the legacy verdict and
//! Kratos's verdict on the converted string agree.
//!
//! The second property is what keeps users from being locked out: whatever cutover sends
//! to Kratos verifies exactly the passwords the source system accepted.

use cutover_hash::{
    HashErrorKind, HashFamily, LegacyHash, family, to_kratos, validate_for_kratos, verify,
    verify_kratos,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vector {
    password: String,
    hash: String,
    valid: bool,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("data/kratos-hash-vectors.json");
    serde_json::from_str(text).expect("the vector file is JSON")
}

#[test]
fn valid_kratos_vectors_pass_through_unchanged_and_verify_as_legacy_hashes() {
    for vector in vectors().into_iter().filter(|v| v.valid) {
        let hash = LegacyHash::Encoded(vector.hash.clone());
        assert_eq!(to_kratos(&hash).as_ref(), Ok(&vector.hash));
        assert_eq!(family(&hash), cutover_hash::detect(&vector.hash));
        assert_eq!(verify(&vector.password, &hash), Ok(true), "{}", vector.hash);
    }
}

#[test]
fn whenever_a_vector_converts_the_legacy_and_kratos_verdicts_agree() {
    let mut converted = 0;
    for vector in vectors() {
        let hash = LegacyHash::Encoded(vector.hash.clone());
        // Refusals are checked elsewhere; costly refused hashes are never computed here.
        let Ok(kratos) = to_kratos(&hash) else {
            continue;
        };
        assert!(validate_for_kratos(&kratos).is_ok(), "{kratos}");
        converted += 1;
        // Valid vectors passing through unchanged are verified by the test above.
        if vector.valid && kratos == vector.hash {
            continue;
        }
        assert_eq!(
            verify(&vector.password, &hash),
            Ok(verify_kratos(&vector.password, &kratos)),
            "{} became {kratos}",
            vector.hash
        );
    }
    assert!(converted > 90, "only {converted} vectors converted");
}

#[test]
fn refusals_say_whether_the_hash_is_unknown_broken_or_for_the_hook() {
    let unknown = LegacyHash::Encoded("$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o".into());
    let error = to_kratos(&unknown).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::Unknown);
    assert_eq!(family(&unknown), HashFamily::Unknown);
    assert_eq!(verify("pw", &unknown), Err(error));

    let broken = LegacyHash::Encoded("pbkdf2_sha256$260000$salt$not base64!".into());
    let error = to_kratos(&broken).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::Broken);
    assert_eq!(error.family(), HashFamily::Pbkdf2);
    assert!(!error.is_recognised());
    assert!(verify("pw", &broken).is_err());

    let phpass = LegacyHash::Encoded("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0".into());
    let error = to_kratos(&phpass).unwrap_err();
    assert_eq!(error.kind(), HashErrorKind::NotImportable);
    assert!(error.is_recognised());
    assert_eq!(verify("test12345", &phpass), Ok(true));
}

#[test]
fn no_refusal_quotes_the_hash() {
    let secrets = [
        ("pbkdf2_sha256$260000$s3cr3tsalt$NOTBASE64!!", "s3cr3tsalt"),
        ("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", "IQRaTwmf"),
        (
            "$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$CE423UmmMnCMx2OGHtu1ww",
            "c2FsdHNhbHRzYWx0",
        ),
        (
            "$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==$c2FsdA==$aGFzaA==",
            "aGFzaA",
        ),
        ("sha1$s3cr3tsalt$0123", "s3cr3tsalt"),
    ];
    for (hash, secret) in secrets {
        let error = to_kratos(&LegacyHash::Encoded(hash.into())).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains(secret), "{message}");
    }
}
