//! Round trips for every family the RustCrypto crates can generate: a hash of a random
//! password, written in Kratos form, validates, verifies, and refuses another password.
//!
//! md5-crypt is missing because no crate generates it (cutover's own implementation is
//! checked against glibc in `generated_vectors.rs` instead). Costs are kept minimal and
//! cases few so that the suite stays fast in debug builds.

use argon2::{Argon2, PasswordHasher as _};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use cutover_hash::{HashFamily, validate_for_kratos, verify_kratos};
use proptest::prelude::*;
use sha2::Digest as _;

/// Checks the three promises for one generated hash.
fn round_trip(
    family: HashFamily,
    hash: &str,
    password: &str,
    other: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(validate_for_kratos(hash), Ok(family), "{}", hash);
    prop_assert!(verify_kratos(password, hash), "{} does not verify", hash);
    prop_assert!(
        !verify_kratos(other, hash),
        "{} verifies another password",
        hash
    );
    Ok(())
}

fn passwords() -> impl Strategy<Value = (String, String)> {
    ("\\PC{0,24}", "\\PC{0,24}").prop_filter("two different passwords", |(a, b)| a != b)
}

fn salts() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 8..24)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn bcrypt((password, other) in passwords()) {
        let hash = bcrypt::hash(&password, 4).unwrap();
        round_trip(HashFamily::Bcrypt, &hash, &password, &other)?;
    }

    #[test]
    fn argon2((password, other) in passwords(), salt in salts(), id in any::<bool>()) {
        let (algorithm, family) = if id {
            (argon2::Algorithm::Argon2id, HashFamily::Argon2id)
        } else {
            (argon2::Algorithm::Argon2i, HashFamily::Argon2i)
        };
        let params = argon2::Params::new(16, 1, 2, Some(16)).unwrap();
        let hasher = Argon2::new(algorithm, argon2::Version::V0x13, params);
        let hash = hasher.hash_password_with_salt(password.as_bytes(), &salt).unwrap();
        round_trip(family, &hash.to_string(), &password, &other)?;
    }

    #[test]
    fn pbkdf2(
        (password, other) in passwords(),
        salt in salts(),
        name in prop::sample::select(vec!["sha1", "sha224", "sha256", "sha384", "sha512"]),
        iterations in 1u32..50,
    ) {
        let mut key = [0u8; 32];
        let pw = password.as_bytes();
        match name {
            "sha1" => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, &salt, iterations, &mut key),
            "sha224" => pbkdf2::pbkdf2_hmac::<sha3::Sha3_224>(pw, &salt, iterations, &mut key),
            "sha384" => pbkdf2::pbkdf2_hmac::<sha3::Sha3_384>(pw, &salt, iterations, &mut key),
            "sha512" => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, &salt, iterations, &mut key),
            _ => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, &salt, iterations, &mut key),
        }
        let hash = format!(
            "$pbkdf2-{name}$i={iterations},l=32${}${}",
            STANDARD_NO_PAD.encode(&salt),
            STANDARD_NO_PAD.encode(key)
        );
        round_trip(HashFamily::Pbkdf2, &hash, &password, &other)?;
    }

    #[test]
    fn scrypt((password, other) in passwords(), salt in salts(), log_n in 1u8..6, r in 1u32..4) {
        let mut key = [0u8; 32];
        let params = scrypt::Params::new(log_n, r, 1).unwrap();
        scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key).unwrap();
        let hash = format!(
            "$scrypt$ln={},r={r},p=1${}${}",
            1u32 << log_n,
            STANDARD.encode(&salt),
            STANDARD.encode(key)
        );
        round_trip(HashFamily::Scrypt, &hash, &password, &other)?;
    }

    #[test]
    fn firescrypt(
        (password, other) in passwords(),
        salt in salts(),
        signer_key in proptest::collection::vec(any::<u8>(), 1..64),
        log_n in 1u8..6,
    ) {
        use ctr::cipher::{KeyIvInit as _, StreamCipher as _};

        let separator = [0x07u8];
        let mut key = [0u8; 32];
        let params = scrypt::Params::new(log_n, 8, 1).unwrap();
        let salted = [salt.as_slice(), &separator].concat();
        scrypt::scrypt(password.as_bytes(), &salted, &params, &mut key).unwrap();
        let mut encrypted = signer_key.clone();
        ctr::Ctr128BE::<aes::Aes256>::new(&key.into(), &[0u8; 16].into())
            .apply_keystream(&mut encrypted);
        let hash = format!(
            "$firescrypt$ln={log_n},r=8,p=1${}${}${}${}",
            STANDARD.encode(&salt),
            STANDARD.encode(&encrypted),
            STANDARD.encode(separator),
            STANDARD.encode(&signer_key)
        );
        round_trip(HashFamily::Firescrypt, &hash, &password, &other)?;
    }

    #[test]
    fn ssha((password, other) in passwords(), salt in salts(), bits in 0usize..3) {
        let input = [password.as_bytes(), &salt].concat();
        let (prefix, digest) = match bits {
            0 => ("{SSHA}", sha1::Sha1::digest(&input).to_vec()),
            1 => ("{SSHA256}", sha2::Sha256::digest(&input).to_vec()),
            _ => ("{SSHA512}", sha2::Sha512::digest(&input).to_vec()),
        };
        let hash = format!("{prefix}{}", STANDARD.encode([digest, salt].concat()));
        round_trip(HashFamily::Ssha, &hash, &password, &other)?;
    }

    #[test]
    fn salted_sha_and_md5(
        (password, other) in passwords(),
        salt in salts(),
        template in prop::sample::select(
            vec!["{SALT}{PASSWORD}", "{PASSWORD}::{SALT}", "x{PASSWORD}"],
        ),
        name in prop::sample::select(vec!["sha1", "sha256", "sha512", "md5"]),
    ) {
        let input = template
            .replace("{SALT}", "\u{0}")
            .replace("{PASSWORD}", &password)
            .into_bytes();
        // The salt is random bytes, not text, so it is spliced in at the placeholder.
        let input = splice(&input, &salt);
        let digest = match name {
            "sha1" => sha1::Sha1::digest(&input).to_vec(),
            "sha256" => sha2::Sha256::digest(&input).to_vec(),
            "sha512" => sha2::Sha512::digest(&input).to_vec(),
            _ => md5::Md5::digest(&input).to_vec(),
        };
        let hash = format!(
            "${name}$pf={}${}${}",
            STANDARD.encode(template),
            STANDARD.encode(&salt),
            STANDARD.encode(digest)
        );
        let family = if name == "md5" { HashFamily::Md5 } else { HashFamily::SaltedSha };
        round_trip(family, &hash, &password, &other)?;
    }

    #[test]
    fn plain_md5((password, other) in passwords()) {
        let hash = format!("$md5${}", STANDARD.encode(md5::Md5::digest(password.as_bytes())));
        round_trip(HashFamily::Md5, &hash, &password, &other)?;
    }

    #[test]
    fn sha_crypt((password, other) in passwords(), salt in salts(), wide in any::<bool>()) {
        let (algorithm, prefix) = if wide {
            (sha_crypt::Algorithm::Sha512Crypt, "$sha512-crypt$")
        } else {
            (sha_crypt::Algorithm::Sha256Crypt, "$sha256-crypt$")
        };
        let params = sha_crypt::Params::new(1000).unwrap();
        let hasher = sha_crypt::ShaCrypt::new(algorithm, params);
        let mcf = hasher.hash_password_with_salt(password.as_bytes(), &salt[..8]).unwrap();
        let mcf = mcf.to_string();
        let hash = format!("{prefix}{}", mcf.split_once('$').unwrap().1.split_once('$').unwrap().1);
        round_trip(HashFamily::ShaCrypt, &hash, &password, &other)?;
    }

    #[test]
    fn hmac(
        (password, other) in passwords(),
        key in proptest::collection::vec(any::<u8>(), 0..40),
        name in prop::sample::select(
            vec!["md4", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
        ),
    ) {
        let pw = password.as_bytes();
        let mac = match name {
            "md4" => mac::<hmac::Hmac<md4::Md4>>(&key, pw),
            "md5" => mac::<hmac::Hmac<md5::Md5>>(&key, pw),
            "sha1" => mac::<hmac::Hmac<sha1::Sha1>>(&key, pw),
            "sha224" => mac::<hmac::Hmac<sha2::Sha224>>(&key, pw),
            "sha256" => mac::<hmac::Hmac<sha2::Sha256>>(&key, pw),
            "sha384" => mac::<hmac::Hmac<sha2::Sha384>>(&key, pw),
            _ => mac::<hmac::Hmac<sha2::Sha512>>(&key, pw),
        };
        let hash = format!(
            "$hmac-{name}${}${}",
            STANDARD.encode(hex::encode(mac)),
            STANDARD.encode(&key)
        );
        round_trip(HashFamily::Hmac, &hash, &password, &other)?;
    }
}

/// Replaces the NUL placeholder left for the salt by the salt's bytes.
fn splice(input: &[u8], salt: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + salt.len());
    for &byte in input {
        if byte == 0 {
            out.extend_from_slice(salt)
        } else {
            out.push(byte)
        }
    }
    out
}

fn mac<M: hmac::Mac + hmac::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <M as hmac::KeyInit>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}
