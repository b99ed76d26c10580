//! Round trips for the digest layouts: plain and salted digests given as parts, the
//! strings Django, LDAP and PHP applications store, HMACs, and crypt(3)'s SHA-crypt. Each
//! random password verifies in the legacy form and then either converts into a Kratos
//! string that verifies the same passwords, or is refused as not importable.

mod common;

use argon2::PasswordHasher as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{DIGESTS, digest_of, encoded, passwords, round_trip, salts, text_salts};
use cutover_hash::{Digest, HashFamily, LegacyHash, SaltPosition};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn digests_plain_and_salted(
        (password, other) in passwords(),
        salt in salts(),
        digest in prop::sample::select(DIGESTS.to_vec()),
        salted in any::<bool>(),
        prefix in any::<bool>(),
    ) {
        let pw = password.as_bytes();
        let position = if prefix { SaltPosition::Prefix } else { SaltPosition::Suffix };
        let input = match (salted, position) {
            (false, _) => pw.to_vec(),
            (true, SaltPosition::Prefix) => [salt.as_slice(), pw].concat(),
            (true, SaltPosition::Suffix) => [pw, salt.as_slice()].concat(),
        };
        let hash = LegacyHash::Digest {
            algorithm: digest,
            digest: digest_of(digest, &input),
            salt: salted.then_some(salt),
            salt_position: position,
        };
        let expected = match digest {
            Digest::Md4 => HashFamily::Md4,
            Digest::Md5 => HashFamily::Md5,
            Digest::Sha224 => HashFamily::Sha224,
            Digest::Sha384 => HashFamily::Sha384,
            _ => HashFamily::SaltedSha,
        };
        round_trip(&hash, expected, &password, &other)?;
    }

    #[test]
    fn digest_strings_of_django_ldap_and_php(
        (password, other) in passwords(),
        salt in salts(),
        text_salt in text_salts(),
    ) {
        let pw = password.as_bytes();
        let sha1 = |input: &[u8]| digest_of(Digest::Sha1, input);
        let md5 = |input: &[u8]| digest_of(Digest::Md5, input);
        let salt_first = [text_salt.as_bytes(), pw].concat();
        let salt_last = [pw, salt.as_slice()].concat();
        let ssha = STANDARD.encode([sha1(&salt_last), salt.clone()].concat());
        let smd5 = STANDARD.encode([md5(&salt_last), salt.clone()].concat());
        let cases = [
            (format!("sha1${text_salt}${}", hex::encode(sha1(&salt_first))), HashFamily::SaltedSha),
            (format!("md5${text_salt}${}", hex::encode(md5(&salt_first))), HashFamily::Md5),
            (format!("sha1$${}", hex::encode(sha1(pw))), HashFamily::SaltedSha),
            (hex::encode(md5(pw)), HashFamily::Md5),
            (format!("{{SHA}}{}", STANDARD.encode(sha1(pw))), HashFamily::SaltedSha),
            (format!("{{MD5}}{}", STANDARD.encode(md5(pw))), HashFamily::Md5),
            (format!("{{SSHA}}{ssha}"), HashFamily::Ssha),
            (format!("{{SMD5}}{smd5}"), HashFamily::Md5),
        ];
        for (hash, expected) in cases {
            round_trip(&encoded(hash), expected, &password, &other)?;
        }
    }

    #[test]
    fn hmac_parts_with_every_digest(
        (password, other) in passwords(),
        key in proptest::collection::vec(any::<u8>(), 0..40),
        digest in prop::sample::select(DIGESTS.to_vec()),
    ) {
        fn run<M: hmac::Mac + hmac::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
            let mut mac = <M as hmac::KeyInit>::new_from_slice(key).unwrap();
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        let pw = password.as_bytes();
        let mac = match digest {
            Digest::Md4 => run::<hmac::Hmac<md4::Md4>>(&key, pw),
            Digest::Md5 => run::<hmac::Hmac<md5::Md5>>(&key, pw),
            Digest::Sha1 => run::<hmac::Hmac<sha1::Sha1>>(&key, pw),
            Digest::Sha224 => run::<hmac::Hmac<sha2::Sha224>>(&key, pw),
            Digest::Sha256 => run::<hmac::Hmac<sha2::Sha256>>(&key, pw),
            Digest::Sha384 => run::<hmac::Hmac<sha2::Sha384>>(&key, pw),
            Digest::Sha512 => run::<hmac::Hmac<sha2::Sha512>>(&key, pw),
        };
        let hash = LegacyHash::Hmac { algorithm: digest, mac, key };
        round_trip(&hash, HashFamily::Hmac, &password, &other)?;
    }

    #[test]
    fn sha_crypt_with_standard_prefixes(
        (password, other) in passwords(),
        salt in salts(),
        wide in any::<bool>(),
    ) {
        let algorithm = if wide {
            sha_crypt::Algorithm::Sha512Crypt
        } else {
            sha_crypt::Algorithm::Sha256Crypt
        };
        let hasher = sha_crypt::ShaCrypt::new(algorithm, sha_crypt::Params::new(1000).unwrap());
        let mcf = hasher.hash_password_with_salt(password.as_bytes(), &salt[..8]).unwrap();
        let text = mcf.to_string();
        let prefix = if wide { "$6$" } else { "$5$" };
        prop_assert!(text.starts_with(prefix), "{}", text);
        round_trip(&encoded(text.clone()), HashFamily::ShaCrypt, &password, &other)?;
        round_trip(&encoded(format!("{{CRYPT}}{text}")), HashFamily::ShaCrypt, &password, &other)?;
    }
}
