//! The example fixtures under `plans/examples/`: where they are, and reading them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cutover_source::{FirebaseOptions, FormatOptions, SourceConfig, SourceItem};

/// The base64 signer key of the Firebase fixture's project (Firebase's published sample).
pub const FIREBASE_SIGNER_KEY: &str =
    "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==";

/// The variable the Firebase example plan names for the signer key.
pub const FIREBASE_KEY_ENV: &str = "FIREBASE_SIGNER_KEY";

/// A file of the example fixture of `format`.
pub fn example(format: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../plans/examples")
        .join(format)
        .join(file)
}

/// The text of a file of an example fixture.
pub fn example_text(format: &str, file: &str) -> String {
    std::fs::read_to_string(example(format, file)).expect("the example fixture exists")
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> u64 {
    let index = text
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}"));
    u64::try_from(index + 1).expect("a line number")
}

/// The known passwords of a fixture, by legacy id.
pub fn passwords(format: &str) -> BTreeMap<String, String> {
    serde_json::from_str(&example_text(format, "passwords.json")).expect("passwords.json")
}

/// The Firebase fixture project's parameters, the signer key named by variable.
pub fn firebase_options() -> FirebaseOptions {
    FirebaseOptions {
        signer_key_env: FIREBASE_KEY_ENV.into(),
        salt_separator: "Bw==".into(),
        rounds: 8,
        mem_cost: 14,
    }
}

/// A configuration for `users` in `format`; Firebase gets the fixture's parameters.
pub fn config_for(format: &str, users: PathBuf) -> SourceConfig {
    let mut options = FormatOptions::default();
    if format == "firebase" {
        options.firebase = Some(firebase_options());
    }
    SourceConfig {
        format: format.into(),
        users,
        options,
        ..SourceConfig::default()
    }
}

/// Looks up the Firebase fixture's signer key under its variable, and nothing else.
pub fn fixture_secrets(name: &str) -> Option<String> {
    (name == FIREBASE_KEY_ENV).then(|| FIREBASE_SIGNER_KEY.to_string())
}

/// Reads a file of `format` completely, with the fixture's secrets.
pub fn read_with_secrets(format: &str, users: PathBuf) -> Vec<SourceItem> {
    cutover_source::open_with_env(&config_for(format, users), &fixture_secrets)
        .expect("the export opens")
        .collect()
}

/// Reads a file of an example fixture completely.
pub fn read_example(format: &str, file: &str) -> Vec<SourceItem> {
    read_with_secrets(format, example(format, file))
}
