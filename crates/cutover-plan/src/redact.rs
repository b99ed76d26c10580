//! Masking secrets in plan text before it is kept for error snippets.
//!
//! A plan must not hold an API key, but people paste one in anyway, and the errors of this
//! crate carry the plan text so that reports can show the offending lines. Before the text is
//! stored in an error, the values of key-like fields are overwritten with `*`, byte for byte,
//! so that spans into the text stay valid while the key itself can never reach a terminal, a
//! log or a `Debug` dump.
//!
//! The masking works on lines rather than on the parsed tree because it must also work on
//! text that is not valid YAML.

/// Field names whose value is a secret wherever they appear (the names the raw types accept
/// only to refuse them: API keys, signer keys, HMAC keys, connection strings).
const SECRET_KEYS: [&str; 13] = [
    "api_key",
    "apikey",
    "api_token",
    "access_token",
    "token",
    "signer_key",
    "base64_signer_key",
    "key",
    "hmac_key",
    "url",
    "connection_string",
    "database_url",
    "dsn",
];

/// The fields whose value should be a variable name but sometimes is the secret itself.
const ENV_KEYS: [&str; 4] = ["api_key_env", "signer_key_env", "key_env", "url_env"];

/// Ory API keys start with this prefix; a value like it is masked even under `api_key_env`.
const ORY_KEY_PREFIX: &str = "ory_";

/// Returns `text` with the values of secret fields replaced by `*`, keeping every byte offset.
pub(crate) fn redact_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The indentation of a key whose block scalar value (`|`, `>`) continues on later lines.
    let mut block_indent: Option<usize> = None;

    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(key_indent) = block_indent {
            if line.trim().is_empty() || indent > key_indent {
                out.push_str(&mask(line, 0, line.trim_end_matches(['\r', '\n']).len()));
                continue;
            }
            block_indent = None;
        }

        let mut masked = line.to_owned();
        for (start, end, block) in secret_values(line) {
            masked = mask(&masked, start, end);
            if block {
                block_indent = Some(indent);
            }
        }
        out.push_str(&masked);
    }
    out
}

/// Byte ranges of secret values on one line, and whether a value continues on later lines.
fn secret_values(line: &str) -> Vec<(usize, usize, bool)> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();

    for (at, _) in line.match_indices(|c: char| c.is_ascii_alphabetic() || c == '"' || c == '\'') {
        let starts_word = at == 0 || !is_word_byte(bytes[at - 1]);
        if !starts_word {
            continue;
        }
        let Some((name, after_key)) = key_at(line, at) else {
            continue;
        };
        let is_secret = SECRET_KEYS.contains(&name);
        if !is_secret && !ENV_KEYS.contains(&name) {
            continue;
        }

        let start = after_key + line[after_key..].len() - line[after_key..].trim_start().len();
        let end = value_end(line, start);
        let value = &line[start..end];
        if is_secret || !is_variable_name(value.trim_matches(['"', '\''])) {
            let block = is_secret && (value.is_empty() || value.starts_with(['|', '>']));
            found.push((start, end, block));
        }
    }
    found
}

/// The field name starting at byte `at` (optionally quoted) when a `:` follows it, and the
/// offset just after that colon.
fn key_at(line: &str, at: usize) -> Option<(&str, usize)> {
    let rest = &line[at..];
    let (name, after) = match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let close = rest[1..].find(quote)? + 1;
            (&rest[1..close], close + 1)
        }
        _ => {
            let len = rest.bytes().take_while(|b| is_word_byte(*b)).count();
            (&rest[..len], len)
        }
    };
    let tail = &rest[after..];
    let colon = tail.len() - tail.trim_start_matches(' ').len();
    let is_key = tail[colon..].starts_with(':')
        && tail[colon + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    is_key.then_some((name, at + after + colon + 1))
}

/// Where a value starting at `start` ends: at a closing quote, or before a comment, a flow
/// separator or the end of the line.
fn value_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    let content_len = rest.trim_end_matches(['\r', '\n']).len();
    if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
        return rest[1..content_len]
            .find(quote)
            .map_or(start + content_len, |i| start + i + 2);
    }
    let mut end = content_len;
    for (i, c) in rest[..content_len].char_indices() {
        let comment = c == '#' && rest[..i].ends_with([' ', '\t']);
        if comment || matches!(c, ',' | '}' | ']') {
            end = i;
            break;
        }
    }
    start + rest[..end].trim_end().len()
}

/// Replaces the characters in `start..end` of `text` with `*`, one per byte.
fn mask(text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.extend(std::iter::repeat_n('*', end - start));
    out.push_str(&text[end..]);
    out
}

/// Whether a value can only be a variable's name, not a key or a connection string.
fn is_variable_name(value: &str) -> bool {
    let name_like = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    name_like && !value.starts_with(ORY_KEY_PREFIX)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::redact_secrets;

    #[test]
    fn masks_a_key_value_keeping_its_length() {
        let text = "target:\n  api_key: ory_at_abc123  # pasted\n  schema_id: x\n";
        let masked = redact_secrets(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("ory_at_abc123"), "{masked}");
        assert!(
            masked.contains("api_key: *************  # pasted"),
            "{masked}"
        );
        assert!(masked.contains("schema_id: x"), "{masked}");
    }

    #[test]
    fn masks_quoted_flow_and_block_values() {
        let text = "t: { token: \"s3cr,et\", schema_id: x }\n\"apikey\": 'k1'\naccess_token: |\n  \
                    line-one\n  line-two\nname: keep\n";
        let masked = redact_secrets(text);
        for secret in ["s3cr", "k1", "line-one", "line-two"] {
            assert!(!masked.contains(secret), "{secret} left in {masked}");
        }
        assert!(
            masked.contains("schema_id: x") && masked.contains("name: keep"),
            "{masked}"
        );
    }

    #[test]
    fn masks_an_api_key_given_as_api_key_env_but_not_a_variable_name() {
        let masked = redact_secrets("api_key_env: ory_pat_xyz\n");
        assert!(!masked.contains("ory_pat_xyz"), "{masked}");
        assert_eq!(
            redact_secrets("api_key_env: ORY_API_KEY\n"),
            "api_key_env: ORY_API_KEY\n"
        );
    }

    #[test]
    fn masks_a_signer_key_given_in_place_of_its_variable_name() {
        let key = "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0Qs\
                   EmYUSDzZvpjeJ9WmXA==";
        for line in [
            format!("signer_key_env: {key}\n"),
            format!("signer_key: {key}\n"),
        ] {
            let masked = redact_secrets(&line);
            assert!(!masked.contains(key), "{masked}");
            assert_eq!(masked.len(), line.len());
        }
        let named = "signer_key_env: FIREBASE_SIGNER_KEY\n";
        assert_eq!(redact_secrets(named), named);
    }

    #[test]
    fn masks_secrets_pasted_where_a_variable_name_belongs() {
        let text = "url_env: postgres://app:hunter22@db/app\nkey_env: 'c2VjcmV0Cg=='\n\
                    key_env: LEGACY_HMAC_KEY\nurl: mysql://root:pw@x/y\nkey: 0xdeadbeef\n";
        let masked = redact_secrets(text);

        for secret in ["hunter22", "c2VjcmV0", "root:pw", "deadbeef"] {
            assert!(!masked.contains(secret), "{secret} left in {masked}");
        }
        assert!(masked.contains("key_env: LEGACY_HMAC_KEY"), "{masked}");
    }

    #[test]
    fn leaves_fields_that_only_contain_a_secret_name() {
        let text = "my_token: a\ntokens: b\nname: token\n";
        assert_eq!(redact_secrets(text), text);
    }
}
