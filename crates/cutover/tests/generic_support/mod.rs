//! The example plans of the generic sources (`plans/examples/`) copied into a scratch
//! directory and aimed at a sandbox, a database holding the example table for the `sql`
//! plan, and what a correct run does with every user of the table.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use cutover_hash::{Digest, LegacyHash, SaltPosition};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Connection};

use crate::common::cutover_on;

/// The variable the example plans name for the HMAC key, and the example key.
pub const HMAC_KEY_ENV: (&str, &str) = ("LEGACY_HMAC_KEY", "example-pepper-not-a-secret");

/// The variable the `sql` example plan names for the connection string.
pub const URL_ENV: &str = "LEGACY_DATABASE_URL";

/// `plans/examples` of the repository.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/examples")
}

/// An example plan and its export copied into a scratch directory.
pub struct Example {
    pub dir: tempfile::TempDir,
    pub plan: PathBuf,
    /// Extra environment for every command (the connection string of the `sql` plan).
    pub env: Vec<(String, String)>,
}

impl Example {
    /// Copies `plans/examples/<format>.yaml` and its directory, aimed at `admin_url`.
    pub fn new(format: &str, admin_url: &str) -> Example {
        let dir = tempfile::tempdir().expect("tempdir");
        let from = examples().join(format);
        std::fs::create_dir(dir.path().join(format)).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                dir.path().join(format).join(entry.file_name()),
            )
            .unwrap();
        }

        let text = std::fs::read_to_string(examples().join(format!("{format}.yaml"))).unwrap();
        let sandbox = format!("  sandbox: {format}-sandbox.db\n");
        assert!(
            text.contains(&sandbox),
            "the example plan uses its own sandbox"
        );
        let aimed = text.replace(
            &sandbox,
            &format!("  admin_url: {admin_url}\n  timeout_secs: 5\n"),
        );
        let plan = dir.path().join(format!("{format}.yaml"));
        std::fs::write(&plan, aimed).unwrap();
        Example {
            dir,
            plan,
            env: Vec::new(),
        }
    }

    /// Runs `cutover <command> <plan> <args>` with the example key in the environment.
    pub fn cutover(&self, command: &str, args: &[&str]) -> Output {
        let mut process = cutover_on(command, &self.plan, args);
        process.env(HMAC_KEY_ENV.0, HMAC_KEY_ENV.1);
        for (name, value) in &self.env {
            process.env(name, value);
        }
        process.output().expect("run cutover")
    }

    /// A command's JSON output; the command must succeed.
    pub fn json(&self, command: &str, args: &[&str]) -> Value {
        let output = self.cutover(command, args);
        crate::common::assert_success(&output);
        serde_json::from_slice(&output.stdout).expect("JSON output")
    }
}

/// What a correct run does with one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An identity is created; `signs_in` says whether the known password logs in.
    Imported { active: bool, signs_in: bool },
    /// The user is recorded as failed with this reason code.
    Failed(&'static str),
}

/// One user of the example table and what should become of it.
#[derive(Debug, Clone)]
pub struct Expected {
    pub id: &'static str,
    pub email: Option<&'static str>,
    pub first: &'static str,
    pub last: &'static str,
    pub plan: &'static str,
    pub verified: bool,
    pub outcome: Outcome,
}

/// Every user of the example table (the file exports also have the broken user 1021).
pub fn expected() -> Vec<Expected> {
    let imported = Outcome::Imported {
        active: true,
        signs_in: true,
    };
    let without_password = Outcome::Imported {
        active: true,
        signs_in: false,
    };
    // Hashes that Kratos cannot import as they are import only once cutover converts them.
    let converted = |hash: LegacyHash| {
        if cutover_hash::to_kratos(&hash).is_ok() {
            imported.clone()
        } else {
            Outcome::Failed("invalid_hash")
        }
    };
    let digest = |algorithm, len, salted: Option<SaltPosition>| LegacyHash::Digest {
        algorithm,
        digest: vec![0x5a; len],
        salt: salted.map(|_| b"salt".to_vec()),
        salt_position: salted.unwrap_or_default(),
    };
    let stored = |id: &str| LegacyHash::Encoded(password_hash(id));

    let e = |id, email, (first, last), plan, verified, outcome| Expected {
        id,
        email,
        first,
        last,
        plan,
        verified,
        outcome,
    };
    vec![
        e(
            "1001",
            Some("siobhan.oconnor@example.com"),
            ("Siobhán", "O'Connor"),
            "pro",
            true,
            imported.clone(),
        ),
        e(
            "1002",
            Some("renee.damico@example.org"),
            ("Renée", "D'Amico"),
            "free",
            true,
            imported.clone(),
        ),
        e(
            "1003",
            Some("zoe.angstrom@example.net"),
            ("Zoë", "Ångström"),
            "pro",
            true,
            imported.clone(),
        ),
        e(
            "1004",
            Some("bjorn.thorsson@example.com"),
            ("Björn", "Þórsson"),
            "free",
            true,
            converted(digest(Digest::Sha256, 32, Some(SaltPosition::Prefix))),
        ),
        e(
            "1005",
            Some("aoife.nibhriain@example.com"),
            ("Aoife", "Ní Bhriain"),
            "pro",
            true,
            converted(LegacyHash::Pbkdf2 {
                algorithm: Digest::Sha256,
                iterations: 27_500,
                salt: vec![1; 16],
                key: vec![2; 32],
            }),
        ),
        e(
            "1006",
            Some("mia.keller@example.com"),
            ("Mia", "Keller"),
            "free",
            true,
            imported.clone(),
        ),
        e(
            "1007",
            Some("Mia.Keller@Example.com"),
            ("Mia", "Keller"),
            "pro",
            true,
            Outcome::Failed("duplicate_identifier"),
        ),
        e(
            "1008",
            None,
            ("Kiosk", "Seven"),
            "free",
            false,
            Outcome::Failed("missing_trait"),
        ),
        e(
            "1009",
            Some("dmitri.volkov@example.com"),
            ("Dmitri", "Volkov"),
            "free",
            true,
            Outcome::Imported {
                active: false,
                signs_in: false,
            },
        ),
        e(
            "1010",
            Some("priya.raghunathan@example.com"),
            ("Priya", "Raghunathan"),
            "pro",
            true,
            without_password.clone(),
        ),
        e(
            "1011",
            Some("jose.nunez@example.com"),
            ("José", "Núñez"),
            "free",
            true,
            Outcome::Failed("invalid_hash"),
        ),
        e(
            "1012",
            Some("hana.kobayashi@example.com"),
            ("Hana", "Kobayashi"),
            "free",
            true,
            without_password.clone(),
        ),
        e(
            "1013",
            Some("lars.overgaard@example.com"),
            ("Lars", "Øvergaard"),
            "free",
            true,
            without_password.clone(),
        ),
        e(
            "1014",
            Some("fatima.alzahra@example.com"),
            ("Fatima", "Al-Zahra"),
            "pro",
            true,
            converted(digest(Digest::Sha512, 64, Some(SaltPosition::Suffix))),
        ),
        e(
            "1015",
            Some("tomas.obriain@example.com"),
            ("Tomás", "Ó Briain"),
            "free",
            true,
            converted(LegacyHash::Hmac {
                algorithm: Digest::Sha256,
                mac: vec![3; 32],
                key: b"key".to_vec(),
            }),
        ),
        e(
            "1016",
            Some("yuki.tanaka@example.com"),
            ("Yuki", "Tanaka"),
            "pro",
            true,
            converted(LegacyHash::Scrypt {
                n: 16384,
                r: 8,
                p: 1,
                salt: vec![4; 16],
                key: vec![5; 64],
            }),
        ),
        e(
            "1017",
            Some("emma.schmidt@example.com"),
            ("Emma", "Schmidt"),
            "free",
            true,
            converted(stored("1017")),
        ),
        e(
            "1018",
            Some("olusegun.adeyemi@example.com"),
            ("Olúṣẹ́gun", "Adéyẹmí"),
            "free",
            true,
            converted(stored("1018")),
        ),
        e(
            "1019",
            Some("marie-claire.lefevre@example.com"),
            ("Marie-Claire", "Lefèvre"),
            "pro",
            true,
            imported.clone(),
        ),
        e(
            "1020",
            Some("Chloe.Dubois+news@Example.ORG"),
            ("Chloé", "Dubois"),
            "free",
            true,
            converted(digest(Digest::Md5, 16, None)),
        ),
        e(
            "1022",
            Some("ada.lovelace@example.com"),
            ("Ada", "Lovelace"),
            "pro",
            false,
            imported,
        ),
        e(
            "1023",
            Some("noah.fischer@example.com"),
            ("Noah", "Fischer"),
            "free",
            false,
            without_password,
        ),
    ]
}

/// The `password_hash` of a user as the example CSV holds it.
fn password_hash(id: &str) -> String {
    let mut reader = csv::Reader::from_path(examples().join("csv/users.csv")).expect("the CSV");
    let header = reader.headers().expect("a header").clone();
    let column = header
        .iter()
        .position(|h| h == "password_hash")
        .expect("the column");
    reader
        .records()
        .filter_map(Result::ok)
        .find(|row| row.get(0) == Some(id))
        .and_then(|row| row.get(column).map(str::to_string))
        .expect("the user's row")
}

/// The known passwords of the example users.
pub fn passwords() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(examples().join("csv/passwords.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A PostgreSQL or MariaDB database holding the example table, dropped with this value.
pub struct ExampleDatabase {
    pub url: String,
    admin_url: String,
    name: String,
    postgres: bool,
}

impl ExampleDatabase {
    /// Creates the database with a name of its own and loads `plans/examples/sql`.
    pub async fn create(postgres: bool) -> ExampleDatabase {
        let admin_url = if postgres {
            std::env::var("CUTOVER_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
        } else {
            std::env::var("CUTOVER_TEST_MYSQL_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
        };
        let name = format!("cutover_e2e_{}", uuid::Uuid::new_v4().simple());
        let charset = if postgres {
            ""
        } else {
            " character set utf8mb4"
        };
        execute(
            postgres,
            &admin_url,
            &format!("create database {name}{charset}"),
        )
        .await;

        let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
        for file in ["schema.sql", "seed.sql"] {
            let text = std::fs::read_to_string(examples().join("sql").join(file)).unwrap();
            for statement in text.split(";\n").filter(|s| s.contains("app_users")) {
                execute(postgres, &url, statement).await;
            }
        }
        ExampleDatabase {
            url,
            admin_url,
            name,
            postgres,
        }
    }

    /// Drops the database.
    pub async fn drop_database(self) {
        let drop = if self.postgres {
            format!("drop database {} with (force)", self.name)
        } else {
            format!("drop database {}", self.name)
        };
        execute(self.postgres, &self.admin_url, &drop).await;
    }
}

async fn execute(postgres: bool, url: &str, statement: &str) {
    let statement = AssertSqlSafe(statement.to_string());
    let result = if postgres {
        let mut connection = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::raw_sql(statement)
            .execute(&mut connection)
            .await
            .map(|_| ())
    } else {
        let mut connection = sqlx::MySqlConnection::connect(url).await.expect("connect");
        sqlx::raw_sql(statement)
            .execute(&mut connection)
            .await
            .map(|_| ())
    };
    result.expect("the statement runs");
}
