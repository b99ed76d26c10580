//! The files of a Keycloak export: one file, or the directory `kc.sh export --dir` writes.
//!
//! A directory export holds `<realm>-realm.json` and, with the default `--users
//! different_files`, `<realm>-users-<n>.json` files of 50 users each, so a large realm is
//! thousands of files. They are read in natural order (`users-9` before `users-10`), so
//! that the users come in the order Keycloak wrote them and a rerun sees the same order.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use crate::SourceError;

/// The files to read for `users`: the file itself, or the JSON files of the directory.
pub(crate) fn export_files(users: &Path) -> Result<Vec<PathBuf>, SourceError> {
    if !users.is_dir() {
        return Ok(vec![users.to_path_buf()]);
    }

    let io_error = |source| SourceError::Io {
        role: "users",
        path: users.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(users).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.is_file() && is_json(&path) {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(SourceError::Options {
            format: super::FORMAT,
            reason: format!(
                "the directory {} holds no .json files; give a realm export file or the \
                 directory `kc.sh export --dir` wrote",
                users.display()
            ),
        });
    }

    files.sort_by(|a, b| natural_order(&file_name(a), &file_name(b)));
    Ok(files)
}

/// Whether a file name ends in `.json` or `.json.gz`, in any case.
fn is_json(path: &Path) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name.ends_with(".json") || name.ends_with(".json.gz")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compares names with runs of digits taken as numbers: `a-9` comes before `a-10`.
pub(crate) fn natural_order(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (number_a, rest_a) = split_digits(a);
                let (number_b, rest_b) = split_digits(b);
                let order = compare_numbers(number_a, number_b);
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (rest_a, rest_b);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

/// The leading run of ASCII digits and the rest.
fn split_digits(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

/// Compares two digit runs as numbers of any length; `007` equals `7` in value, and then
/// the shorter spelling comes first so that the order stays total.
fn compare_numbers(a: &str, b: &str) -> Ordering {
    let (trimmed_a, trimmed_b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    trimmed_a
        .len()
        .cmp(&trimmed_b.len())
        .then_with(|| trimmed_a.cmp(trimmed_b))
        .then_with(|| a.len().cmp(&b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_users_files_sort_by_number() {
        let mut names = vec![
            "acme-users-10.json",
            "acme-users-9.json",
            "acme-realm.json",
            "acme-users-0.json",
            "master-users-0.json",
        ];
        names.sort_by(|a, b| natural_order(a, b));

        assert_eq!(
            names,
            vec![
                "acme-realm.json",
                "acme-users-0.json",
                "acme-users-9.json",
                "acme-users-10.json",
                "master-users-0.json",
            ]
        );
    }

    #[test]
    fn leading_zeros_keep_the_order_total() {
        assert_eq!(natural_order("a-007", "a-7"), Ordering::Greater);
        assert_eq!(natural_order("a-7", "a-7"), Ordering::Equal);
        assert_eq!(
            natural_order("a-99999999999999999999999", "a-1"),
            Ordering::Greater
        );
    }
}
