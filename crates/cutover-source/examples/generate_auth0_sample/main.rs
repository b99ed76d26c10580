//! Generates the sample Auth0 export that the example plans migrate: a bulk user export and
//! the password-hash export, with the awkward cases a real tenant has (duplicates that
//! differ in case, social and blocked users, a user without email, hashes Kratos rejects,
//! one broken line). It is deterministic, so the committed files can be regenerated
//! byte for byte and reviewed as a diff:
//!
//! ```text
//! cargo run -p cutover-source --example generate_auth0_sample -- plans/exports
//! ```

mod names;
mod people;
mod records;
mod rng;
mod users;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::{env, fs};

use people::{Addresses, capitalised};
use rng::Rng;
use users::Generated;

/// The seed of the whole sample; changing it changes every byte.
const SEED: u64 = 0x0041_4331_4d45;

/// How many readable users the export has.
const USERS: usize = 2_100;

/// The 1-based line of `users.ndjson` that holds the one broken record.
const BROKEN_LINE: usize = 1_234;

/// What kind of account a user has; decides which export fields and rows they get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A database user at the company's own domain.
    Staff,
    /// A database user with a password, at a customer domain.
    Customer,
    /// A database user with no row in the password-hash export.
    WithoutHash,
    /// A database user whose hash row holds something that is not a usable hash.
    InvalidHash(&'static str),
    /// A database user with a username and no email.
    WithoutEmail,
    /// A database user created with a caller-chosen id (`alt_id` in the hash export).
    Imported,
    /// A database user who also linked a Google login.
    LinkedGoogle,
    /// A database user whose email is another customer's, in different case.
    CaseTwin,
    /// A user who only ever signed in through this social connection.
    Social(&'static str),
}

/// How many users of each kind there are; customers fill up the rest to [`USERS`].
const POPULATION: &[(Kind, usize)] = &[
    (Kind::Staff, 100),
    (Kind::Social("google-oauth2"), 100),
    (Kind::Social("github"), 65),
    (Kind::Social("facebook"), 3),
    (Kind::WithoutHash, 105),
    (Kind::InvalidHash("$2a$04$tooShort"), 1),
    (Kind::InvalidHash("md5:abcd"), 1),
    (Kind::InvalidHash("$argon2id$broken"), 1),
    (Kind::WithoutEmail, 1),
    (Kind::Imported, 5),
    (Kind::LinkedGoogle, 12),
    (Kind::CaseTwin, 5),
];

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(env::args().nth(1).unwrap_or_else(|| "plans/exports".into()));
    let mut rng = Rng::new(SEED);
    let mut kinds = population();
    rng.shuffle(&mut kinds);

    let mut addresses = Addresses::default();
    let mut users: Vec<Generated> = kinds
        .iter()
        .map(|&kind| users::generate(&mut rng, kind, &mut addresses))
        .collect();
    pair_case_twins(&kinds, &mut users);
    block(&kinds, &mut users);
    let broken = users::generate(&mut rng, Kind::Customer, &mut addresses);

    fs::create_dir_all(&dir)?;
    write_users(&dir.join("users.ndjson"), &users, &broken)?;
    let rows = write_hashes(
        &dir.join("password-hashes.ndjson"),
        &mut rng,
        &users,
        &broken,
    )?;

    println!(
        "wrote {} users and {rows} password-hash rows to {}",
        users.len(),
        dir.display()
    );
    for (kind, count) in POPULATION {
        println!("  {kind:?}: {count}");
    }
    Ok(())
}

/// The kinds of all users, customers last, before shuffling.
fn population() -> Vec<Kind> {
    let mut kinds: Vec<Kind> = POPULATION
        .iter()
        .flat_map(|&(kind, count)| std::iter::repeat_n(kind, count))
        .collect();
    let customers = USERS
        .checked_sub(kinds.len())
        .expect("POPULATION fits in USERS");
    kinds.extend(std::iter::repeat_n(Kind::Customer, customers));
    kinds
}

/// Gives each case twin the name and address of one customer, the address in other case.
fn pair_case_twins(kinds: &[Kind], users: &mut [Generated]) {
    let customers = kinds.iter().positions(Kind::Customer);
    let twins = kinds.iter().positions(Kind::CaseTwin);

    for (twin, customer) in twins.into_iter().zip(customers) {
        let original = users[customer]
            .record
            .email
            .clone()
            .expect("customers have an email");
        let other_case = if original.chars().any(char::is_uppercase) {
            original.to_lowercase()
        } else {
            capitalised(&original)
        };
        let source = &users[customer].record;
        let (name, given, family) = (
            source.name.clone(),
            source.given_name.clone(),
            source.family_name.clone(),
        );

        let twin = &mut users[twin];
        twin.record.nickname = other_case
            .split('@')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        (
            twin.record.name,
            twin.record.given_name,
            twin.record.family_name,
        ) = (name, given, family);
        twin.record.email = Some(other_case.clone());
        if let Some(hash) = &mut twin.hash {
            hash.email = Some(other_case);
        }
    }
}

/// Blocks one customer and one Google user, as an admin would have.
fn block(kinds: &[Kind], users: &mut [Generated]) {
    // Skip the first customers: they are the case twins' originals.
    let customer = kinds.iter().positions(Kind::Customer).into_iter().nth(10);
    let google = kinds
        .iter()
        .positions(Kind::Social("google-oauth2"))
        .into_iter()
        .next();
    for index in [customer, google].into_iter().flatten() {
        users[index].record.blocked = true;
    }
}

/// Writes the users as NDJSON with the broken record, cut short, at [`BROKEN_LINE`].
fn write_users(path: &Path, users: &[Generated], broken: &Generated) -> Result<(), Box<dyn Error>> {
    let mut lines: Vec<String> = users
        .iter()
        .map(|user| serde_json::to_string(&user.record))
        .collect::<Result<_, _>>()?;

    // As if the export had been cut off while this record was written.
    let whole = serde_json::to_string(&broken.record)?;
    let cut = whole
        .find(",\"identities\"")
        .expect("every record has identities");
    lines.insert(BROKEN_LINE - 1, whole[..cut].to_string());

    fs::write(path, lines.join("\n") + "\n")?;
    Ok(())
}

/// Writes the hash rows of all users, the broken one's included, in shuffled order (the
/// join must not depend on the two files being in the same order); returns how many.
fn write_hashes(
    path: &Path,
    rng: &mut Rng,
    users: &[Generated],
    broken: &Generated,
) -> Result<usize, Box<dyn Error>> {
    let mut rows: Vec<_> = users
        .iter()
        .chain([broken])
        .filter_map(|u| u.hash.as_ref())
        .collect();
    rng.shuffle(&mut rows);

    let lines: Vec<String> = rows
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    fs::write(path, lines.join("\n") + "\n")?;
    Ok(rows.len())
}

/// The indices of the items equal to a kind, in order.
trait Positions {
    fn positions(self, kind: Kind) -> Vec<usize>;
}

impl<'a, I: Iterator<Item = &'a Kind>> Positions for I {
    fn positions(self, kind: Kind) -> Vec<usize> {
        self.enumerate()
            .filter(|(_, k)| **k == kind)
            .map(|(i, _)| i)
            .collect()
    }
}
