//! The crypt(3) radix-64 text encoding used by md5-crypt and sha-crypt.
//!
//! crypt(3) writes digests with the alphabet `./0-9A-Za-z`, taking bytes in groups of
//! three (after an algorithm-specific reordering) and emitting six bits at a time from
//! the low end. Only the reordering differs between algorithms, so it is a parameter.

/// The crypt(3) alphabet: value 0 is `.`, value 63 is `z`.
const ALPHABET: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Encodes `digest` in crypt(3) text.
///
/// `groups` lists, for every group of output characters, the digest byte indices from the
/// most significant to the least significant, as the algorithms' specifications print
/// them; a group of one or two bytes produces two or three characters.
pub(crate) fn encode(digest: &[u8], groups: &[&[usize]]) -> String {
    let mut text = String::with_capacity(digest.len() * 4 / 3 + 2);
    for group in groups {
        let mut word = group
            .iter()
            .fold(0u32, |word, &index| word << 8 | u32::from(digest[index]));
        for _ in 0..=group.len() {
            text.push(char::from(ALPHABET[(word & 0x3f) as usize]));
            word >>= 6;
        }
    }
    text
}

/// Encodes `digest` as phpass and Drupal do: groups of three bytes, least significant
/// first, with a shorter last group.
pub(crate) fn encode_little_endian(digest: &[u8]) -> String {
    let groups: Vec<Vec<usize>> = (0..digest.len())
        .step_by(3)
        .map(|start| (start..digest.len().min(start + 3)).rev().collect())
        .collect();
    let groups: Vec<&[usize]> = groups.iter().map(Vec::as_slice).collect();
    encode(digest, &groups)
}

/// The value of one character of the crypt(3) alphabet.
pub(crate) fn value_of_char(byte: u8) -> Option<usize> {
    value_of(byte)
}

/// Whether `text` is something [`encode`] can produce for a digest of `digest_len` bytes.
///
/// Kratos compares the stored text with a freshly encoded one, so a string of the wrong
/// length, with a foreign character, or with bits set that no digest sets never matches.
pub(crate) fn is_encoding_of_len(text: &str, digest_len: usize) -> bool {
    let bits = digest_len * 8;
    let chars = bits.div_ceil(6);
    let last_bits = bits - (chars - 1) * 6;
    let values: Option<Vec<usize>> = text.bytes().map(value_of).collect();
    match values {
        Some(values) if values.len() == chars => values[chars - 1] < 1 << last_bits,
        _ => false,
    }
}

fn value_of(byte: u8) -> Option<usize> {
    ALPHABET.iter().position(|&c| c == byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_emit_low_bits_first() {
        assert_eq!(encode(&[0, 0, 1], &[&[0, 1, 2]]), "/...");
        assert_eq!(encode(&[0xff], &[&[0]]), "z1");
        assert_eq!(encode(&[0, 1], &[&[0, 1]]), "/..");
    }

    #[test]
    fn little_endian_groups_take_the_first_byte_as_lowest() {
        assert_eq!(encode_little_endian(&[1, 0, 0]), "/...");
        assert_eq!(encode_little_endian(&[0xff]), "z1");
        assert_eq!(encode_little_endian(&[1, 0, 0, 1]).len(), 6);
    }

    #[test]
    fn canonical_text_has_no_stray_bits() {
        assert!(is_encoding_of_len("whuMjZj.HMFoaTaZRRtkO0", 16));
        assert!(!is_encoding_of_len("whuMjZj.HMFoaTaZRRtkO2", 16));
        assert!(!is_encoding_of_len("whuMjZj.HMFoaTaZRRtkO", 16));
        assert!(!is_encoding_of_len("whuMjZj.HMFoaTaZRRtk+0", 16));
    }
}
