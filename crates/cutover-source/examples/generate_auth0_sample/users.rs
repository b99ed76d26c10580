//! Turning a person and a kind of account into the records of both export files.

use bcrypt::Version;
use chrono::DateTime;

use crate::Kind;
use crate::names::TENANTS;
use crate::people::{Addresses, Person, person};
use crate::records::{
    AppMetadata, HashRecord, Identity, MongoDate, ObjectId, UserMetadata, UserRecord,
};
use crate::rng::Rng;

/// The database connection every password user belongs to.
const DATABASE: &str = "Username-Password-Authentication";

/// The Auth0 tenant the sample pretends to come from.
const TENANT: &str = "acme-prod";

/// bcrypt's cheapest cost: the sample is generated and verified in tests, quickly.
const COST: u32 = 4;

/// The first sign-up (2019-01-01) and the day of the export (2025-10-01), in Unix seconds;
/// fixed so that every run writes the same bytes.
const FIRST_SIGNUP: i64 = 1_546_300_800;
const EXPORTED: i64 = 1_759_276_800;

/// A user of the export and, for database users with a password, their hash-file row.
pub struct Generated {
    pub record: UserRecord,
    pub hash: Option<HashRecord>,
}

/// Generates one user of the given kind.
pub fn generate(rng: &mut Rng, kind: Kind, addresses: &mut Addresses) -> Generated {
    let person = person(rng);
    let email = match kind {
        Kind::Staff => Some(addresses.staff(rng, &person)),
        Kind::WithoutEmail => None,
        _ => Some(addresses.customer(rng, &person)),
    };
    let mut record = profile(rng, kind, &person, email);

    let Kind::Social(connection) = kind else {
        let hash = database(rng, kind, &mut record);
        return Generated { record, hash };
    };

    let digits = match connection {
        "google-oauth2" => 21,
        "github" => 8,
        _ => 17,
    };
    let subject = rng.digits(digits);
    record.user_id = format!("{connection}|{subject}");
    record.email_verified = Some(connection != "github" || rng.percent(70));
    record.identities.push(Identity {
        connection,
        provider: connection,
        user_id: subject,
        is_social: true,
    });
    Generated { record, hash: None }
}

/// The fields every user has, whatever their connection; `user_id` is filled in later.
fn profile(rng: &mut Rng, kind: Kind, person: &Person, email: Option<String>) -> UserRecord {
    let created = FIRST_SIGNUP + seconds_below(rng, EXPORTED - FIRST_SIGNUP - 86_400 * 30);
    let updated = created + seconds_below(rng, EXPORTED - created);
    let last_login = (!rng.percent(8)).then(|| created + seconds_below(rng, EXPORTED - created));

    let nickname = match &email {
        Some(email) => email.split('@').next().unwrap_or_default().to_lowercase(),
        None => person.handle.clone(),
    };
    let phone_number = rng
        .percent(25)
        .then(|| format!("+1555010{:04}", rng.below(10_000)));
    let last_ip = last_login.map(|_| {
        let network = *rng.pick(&["192.0.2", "198.51.100", "203.0.113"]);
        format!("{network}.{}", 1 + rng.below(254))
    });
    let (roles, organisation) = match kind {
        Kind::Staff => (vec!["staff"], "acme"),
        _ => (vec!["user"], *rng.pick(TENANTS)),
    };

    UserRecord {
        user_id: String::new(),
        email_verified: email
            .as_ref()
            .map(|_| kind == Kind::Staff || rng.percent(85)),
        email,
        username: None,
        phone_verified: phone_number.is_some() && rng.percent(50),
        phone_number,
        name: person.name.clone(),
        given_name: person.given.to_string(),
        family_name: person.family.to_string(),
        nickname,
        picture: format!("https://cdn.example/avatars/{}.png", rng.hex(32)),
        identities: Vec::new(),
        app_metadata: AppMetadata {
            roles,
            organisation,
        },
        user_metadata: UserMetadata {
            locale: person.locale,
            newsletter: rng.percent(40),
        },
        created_at: timestamp(rng, created),
        updated_at: timestamp(rng, updated),
        logins_count: last_login.map_or(0, |_| 1 + rng.below(300)),
        last_login: last_login.map(|at| timestamp(rng, at)),
        last_ip,
        blocked: false,
    }
}

/// Makes `record` a database user and returns its hash-file row, if it has one.
fn database(rng: &mut Rng, kind: Kind, record: &mut UserRecord) -> Option<HashRecord> {
    // Real ObjectIds begin with their creation time in seconds; the sample's do too.
    let created = DateTime::parse_from_rfc3339(&record.created_at).expect("own timestamp");
    let oid = format!("{:08x}{}", created.timestamp(), rng.hex(16));
    let alt_id = (kind == Kind::Imported).then(|| format!("imported-{:06}", rng.below(1_000_000)));
    let local_id = alt_id.clone().unwrap_or_else(|| oid.clone());

    record.user_id = format!("auth0|{local_id}");
    record.identities.push(Identity {
        connection: DATABASE,
        provider: "auth0",
        user_id: local_id.clone(),
        is_social: false,
    });
    if kind == Kind::LinkedGoogle {
        record.identities.push(Identity {
            connection: "google-oauth2",
            provider: "google-oauth2",
            user_id: rng.digits(21),
            is_social: true,
        });
    }
    if kind == Kind::WithoutEmail {
        record.username = Some(record.nickname.replace('.', "_"));
    }

    let password_hash = match kind {
        Kind::WithoutHash => return None,
        Kind::InvalidHash(hash) => hash.to_string(),
        _ => bcrypt(rng, &password_for(&local_id)),
    };
    Some(HashRecord {
        id: ObjectId { oid },
        email: record.email.clone(),
        email_verified: record.email_verified.unwrap_or(false),
        password_hash,
        password_set_date: MongoDate {
            date: record.created_at.clone(),
        },
        tenant: TENANT,
        connection: DATABASE,
        tmp_is_unique: true,
        alt_id,
    })
}

/// The sample's password rule, documented in the README: `pw-` and the id after `auth0|`.
pub fn password_for(local_id: &str) -> String {
    format!("pw-{local_id}")
}

/// A real bcrypt hash with a salt from `rng`; mostly `$2b$`, as Auth0 writes today, some
/// `$2a$` from older accounts and a few `$2y$` as if imported from a PHP system.
fn bcrypt(rng: &mut Rng, password: &str) -> String {
    let version = match rng.below(100) {
        0..70 => Version::TwoB,
        70..95 => Version::TwoA,
        _ => Version::TwoY,
    };
    let salt = rng.bytes16();
    bcrypt::hash_with_salt(password, COST, salt)
        .expect("cost 4 is a valid bcrypt cost")
        .format_for_version(version)
}

fn seconds_below(rng: &mut Rng, range: i64) -> i64 {
    let range = u64::try_from(range.max(1)).expect("a positive range");
    i64::try_from(rng.below(range)).expect("below an i64 range")
}

/// RFC 3339 with milliseconds, as Auth0 writes every date.
fn timestamp(rng: &mut Rng, seconds: i64) -> String {
    let nanos = u32::try_from(rng.below(1_000)).expect("below 1000") * 1_000_000;
    let at = DateTime::from_timestamp(seconds, nanos).expect("a date of the 2020s");
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
