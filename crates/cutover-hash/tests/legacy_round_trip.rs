//! Round trips for the key-derivation layouts the RustCrypto crates can generate: a random
//! password is hashed in the source system's layout, verifies there (and another password
//! does not), and then either converts into a Kratos string that Kratos's rules accept and
//! that verifies exactly the same two ways, or is refused as not importable.
//!
//! phpass, Drupal 7 and md5-crypt have no generator outside this crate; their known
//! vectors are in `legacy_layouts.rs` and `source_vectors.rs`. Digest layouts are in
//! `digest_round_trip.rs`. Costs are minimal and cases few so that the suite stays fast.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use common::{
    ascii_passwords, encoded, passwords, pbkdf2_key, round_trip, salts, scrypt_key, text_salts,
};
use cutover_hash::{
    Argon2Algorithm, Argon2Version, Digest, FirebaseParams, HashErrorKind, HashFamily, LegacyHash,
    to_kratos, verify,
};
use proptest::prelude::*;
use sha2::Digest as _;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn bcrypt_and_its_wrappers((password, other) in passwords(), minor in 0usize..3) {
        let hash = bcrypt::hash(&password, 4).unwrap();
        let body = &hash["$2b$".len()..];
        let prefix = ["$2a$", "$2b$", "$2y$"][minor];
        round_trip(&encoded(format!("{prefix}{body}")), HashFamily::Bcrypt, &password, &other)?;
        round_trip(&encoded(format!("bcrypt${hash}")), HashFamily::Bcrypt, &password, &other)?;
    }

    #[test]
    fn bcrypt_2x_for_ascii_passwords((password, other) in ascii_passwords()) {
        let hash = bcrypt::hash(&password, 4).unwrap().replacen("$2b$", "$2x$", 1);
        round_trip(&encoded(hash), HashFamily::Bcrypt2x, &password, &other)?;
    }

    #[test]
    fn pre_hashed_bcrypt((password, other) in passwords()) {
        let hex_sha256 = hex::encode(sha2::Sha256::digest(password.as_bytes()));
        let django = format!("bcrypt_sha256${}", bcrypt::hash(hex_sha256, 4).unwrap());
        round_trip(&encoded(django), HashFamily::DjangoBcryptSha256, &password, &other)?;

        use hmac::{KeyInit as _, Mac as _};
        let mut mac = hmac::Hmac::<sha2::Sha384>::new_from_slice(b"wp-sha384").unwrap();
        mac.update(password.as_bytes());
        let pre_hash = STANDARD.encode(mac.finalize().into_bytes());
        let wordpress = format!("$wp{}", bcrypt::hash(pre_hash, 4).unwrap());
        round_trip(&encoded(wordpress), HashFamily::WordPress, &password, &other)?;
    }

    #[test]
    fn argon2_strings_and_parts(
        (password, other) in passwords(),
        salt in salts(),
        algorithm in 0usize..3,
        version_13 in any::<bool>(),
        django in any::<bool>(),
    ) {
        let (kind, parts_kind, expected) = [
            (argon2::Algorithm::Argon2id, Argon2Algorithm::Argon2id, HashFamily::Argon2id),
            (argon2::Algorithm::Argon2i, Argon2Algorithm::Argon2i, HashFamily::Argon2i),
            (argon2::Algorithm::Argon2d, Argon2Algorithm::Argon2d, HashFamily::Argon2d),
        ][algorithm];
        let (version, parts_version) = if version_13 {
            (argon2::Version::V0x13, Argon2Version::V13)
        } else {
            (argon2::Version::V0x10, Argon2Version::V10)
        };
        let params = argon2::Params::new(16, 1, 2, Some(16)).unwrap();
        let mut tag = [0u8; 16];
        argon2::Argon2::new(kind, version, params)
            .hash_password_into(password.as_bytes(), &salt, &mut tag)
            .unwrap();

        let name = expected.as_str();
        let v = if version_13 { 19 } else { 16 };
        let phc = format!(
            "$argon2{}$v={v}$m=16,t=1,p=2${}${}",
            &name["argon2".len()..],
            STANDARD_NO_PAD.encode(&salt),
            STANDARD_NO_PAD.encode(tag)
        );
        let phc = if django { format!("argon2{phc}") } else { phc };
        let parts = LegacyHash::Argon2 {
            algorithm: parts_kind,
            version: parts_version,
            memory_kib: 16,
            iterations: 1,
            parallelism: 2,
            salt,
            hash: tag.to_vec(),
        };
        // Version 1.0 and Argon2d cannot be imported; the family stays the algorithm's.
        for hash in [encoded(phc), parts] {
            if version_13 || algorithm == 2 {
                round_trip(&hash, expected, &password, &other)?;
            } else {
                prop_assert_eq!(verify(&password, &hash), Ok(true));
                prop_assert_eq!(to_kratos(&hash).unwrap_err().kind(), HashErrorKind::NotImportable);
            }
        }
    }

    #[test]
    fn pbkdf2_in_every_layout(
        (password, other) in passwords(),
        salt in salts(),
        text_salt in text_salts(),
        iterations in 1u32..40,
        digest in prop::sample::select(vec![Digest::Sha1, Digest::Sha256, Digest::Sha512]),
    ) {
        let name = match digest {
            Digest::Sha1 => "sha1",
            Digest::Sha256 => "sha256",
            _ => "sha512",
        };
        let key = pbkdf2_key(digest, &password, &salt, iterations);
        let text_key = pbkdf2_key(digest, &password, text_salt.as_bytes(), iterations);
        let ab64 = |bytes: &[u8]| STANDARD_NO_PAD.encode(bytes).replace('+', ".");
        let passlib_name = match digest {
            Digest::Sha1 => "pbkdf2".to_string(),
            _ => format!("pbkdf2-{name}"),
        };
        let layouts = [
            encoded(format!("${passlib_name}${iterations}${}${}", ab64(&salt), ab64(&key))),
            encoded(format!("pbkdf2:{name}:{iterations}${text_salt}${}", hex::encode(&text_key))),
            LegacyHash::from_phc_pbkdf2(&format!(
                "$pbkdf2-{name}$i={iterations},l=32${}${}",
                STANDARD_NO_PAD.encode(&salt),
                STANDARD_NO_PAD.encode(&key)
            ))
            .unwrap(),
            LegacyHash::Pbkdf2 {
                algorithm: digest,
                iterations,
                salt: salt.clone(),
                key: key.clone(),
            },
        ];
        for hash in &layouts {
            round_trip(hash, HashFamily::Pbkdf2, &password, &other)?;
        }
        if digest != Digest::Sha512 {
            let django_name = if digest == Digest::Sha1 { "pbkdf2_sha1" } else { "pbkdf2_sha256" };
            let key = STANDARD.encode(&text_key);
            let django = format!("{django_name}${iterations}${text_salt}${key}");
            round_trip(&encoded(django), HashFamily::Pbkdf2, &password, &other)?;
        }

        // ASP.NET Identity v3 takes any of the three digests, with a 16-byte salt or more.
        let prf: u32 = match digest { Digest::Sha1 => 0, Digest::Sha256 => 1, _ => 2 };
        let salt16 = [salt.as_slice(), &[0u8; 16]].concat();
        let blob = [
            &[1u8][..],
            &prf.to_be_bytes(),
            &iterations.to_be_bytes(),
            &u32::try_from(salt16.len()).unwrap().to_be_bytes(),
            &salt16,
            &pbkdf2_key(digest, &password, &salt16, iterations),
        ]
        .concat();
        round_trip(&encoded(STANDARD.encode(blob)), HashFamily::Pbkdf2, &password, &other)?;
    }

    #[test]
    fn pbkdf2_with_digests_kratos_lacks(
        (password, other) in passwords(),
        salt in salts(),
        digest in prop::sample::select(
            vec![Digest::Sha224, Digest::Sha384, Digest::Md5, Digest::Md4],
        ),
    ) {
        let expected = match digest {
            Digest::Sha224 => HashFamily::Pbkdf2Sha224,
            Digest::Sha384 => HashFamily::Pbkdf2Sha384,
            Digest::Md5 => HashFamily::Pbkdf2Md5,
            _ => HashFamily::Pbkdf2Md4,
        };
        let key = pbkdf2_key(digest, &password, &salt, 3);
        let hash = LegacyHash::Pbkdf2 { algorithm: digest, iterations: 3, salt, key };
        round_trip(&hash, expected, &password, &other)?;
    }

    #[test]
    fn scrypt_in_every_layout(
        (password, other) in passwords(),
        salt in salts(),
        text_salt in text_salts(),
        log_n in 1u8..6,
    ) {
        let n = 1u64 << log_n;
        let key = scrypt_key(&password, &salt, log_n, 32);
        let text_key = scrypt_key(&password, text_salt.as_bytes(), log_n, 64);
        let layouts = [
            encoded(format!(
                "$scrypt$ln={log_n},r=8,p=1${}${}",
                STANDARD_NO_PAD.encode(&salt),
                STANDARD_NO_PAD.encode(&key)
            )),
            encoded(format!("scrypt${n}${text_salt}$8$1${}", STANDARD.encode(&text_key))),
            encoded(format!("scrypt:{n}:8:1${text_salt}${}", hex::encode(&text_key))),
            LegacyHash::Scrypt { n, r: 8, p: 1, salt, key },
        ];
        for hash in &layouts {
            round_trip(hash, HashFamily::Scrypt, &password, &other)?;
        }
    }

    #[test]
    fn firebase_scrypt_parts_and_supabase(
        (password, other) in passwords(),
        salt in salts(),
        signer_key in proptest::collection::vec(any::<u8>(), 16..64),
        mem_cost in 1u32..6,
    ) {
        use ctr::cipher::{KeyIvInit as _, StreamCipher as _};

        let separator = [0x07u8];
        let salted = [salt.as_slice(), &separator].concat();
        let key = scrypt_key(&password, &salted, u8::try_from(mem_cost).unwrap(), 32);
        let key: [u8; 32] = key.try_into().unwrap();
        let mut hash = signer_key.clone();
        ctr::Ctr128BE::<aes::Aes256>::new(&key.into(), &[0u8; 16].into())
            .apply_keystream(&mut hash);
        let supabase = format!(
            "$fbscrypt$v=1,n={mem_cost},r=8,p=1,ss={},sk={}${}${}",
            STANDARD.encode(separator),
            STANDARD.encode(&signer_key),
            STANDARD.encode(&salt),
            STANDARD.encode(&hash)
        );
        let params = FirebaseParams {
            signer_key,
            salt_separator: separator.to_vec(),
            rounds: 8,
            mem_cost,
        };
        let parts = LegacyHash::FirebaseScrypt { hash, salt, params };
        round_trip(&parts, HashFamily::Firescrypt, &password, &other)?;
        round_trip(&encoded(supabase), HashFamily::Firescrypt, &password, &other)?;
    }
}
