//! Query strings: decoding repeated parameters and encoding the pagination links.
//!
//! Kratos takes lists as repeated parameters (`?ids=a&ids=b`, `?include_credential=password`),
//! which a map-shaped query extractor would lose, so the sandbox reads the pairs itself.

/// The `(name, value)` pairs of a raw query string, percent-decoded, in order.
pub(crate) fn parse(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// Every value of parameter `name`.
pub(crate) fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// The first value of parameter `name`.
pub(crate) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// A query string from pairs, percent-encoding what is not unreserved.
pub(crate) fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;

    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' if index + 2 < bytes.len()
                && hex_pair(bytes[index + 1], bytes[index + 2]).is_some() =>
            {
                decoded.extend(hex_pair(bytes[index + 1], bytes[index + 2]));
                index += 2;
            }
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let high = char::from(high).to_digit(16)?;
    let low = char::from(low).to_digit(16)?;
    u8::try_from(high * 16 + low).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_all_kept_and_decoded() {
        let pairs = parse("ids=a&ids=b&credentials_identifier=Alice%40Example.org&x=1+2");

        assert_eq!(all(&pairs, "ids"), vec!["a", "b"]);
        assert_eq!(
            first(&pairs, "credentials_identifier"),
            Some("Alice@Example.org")
        );
        assert_eq!(first(&pairs, "x"), Some("1 2"));
    }

    #[test]
    fn encoding_round_trips() {
        let pairs = vec![("page_token".to_owned(), "a b@c".to_owned())];

        assert_eq!(parse(&encode(&pairs)), pairs);
    }
}
