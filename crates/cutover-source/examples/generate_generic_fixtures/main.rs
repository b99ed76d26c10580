//! Writes the example exports of a home-grown user table that the `csv`, `jsonl` and `sql`
//! example plans migrate, with every password known.
//!
//! ```sh
//! cargo run -p cutover-source --example generate_generic_fixtures -- plans/examples
//! ```
//!
//! writes `csv/users.csv`, `jsonl/users.jsonl`, `sql/schema.sql` and `sql/seed.sql`, and in
//! each directory `passwords.json` (legacy id to password, for login tests). Salts come from
//! the user ids, so every run writes the same bytes. The users and what each one stands for
//! are listed in the README beside each export.

// Each generator uses only part of the shared hashes.
#[allow(dead_code)]
#[path = "../common/hashes.rs"]
mod common;
mod formats;
mod hashes;
mod table;

use std::path::{Path, PathBuf};

fn main() {
    let root: PathBuf = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("plans/examples"), PathBuf::from);
    hashes::self_check();
    let users = table::users();

    write(&root, "csv/users.csv", &formats::csv(&users));
    write(
        &root,
        "csv/passwords.json",
        &formats::passwords(&users, true),
    );
    write(&root, "jsonl/users.jsonl", &formats::jsonl(&users));
    write(
        &root,
        "jsonl/passwords.json",
        &formats::passwords(&users, true),
    );
    write(&root, "sql/schema.sql", formats::SCHEMA);
    write(&root, "sql/seed.sql", &formats::seed(&users));
    write(
        &root,
        "sql/passwords.json",
        &formats::passwords(&users, false),
    );
}

fn write(root: &Path, name: &str, contents: &str) {
    let path = root.join(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the output directory");
    }
    std::fs::write(&path, contents).expect("write an export file");
    println!("wrote {}", path.display());
}
