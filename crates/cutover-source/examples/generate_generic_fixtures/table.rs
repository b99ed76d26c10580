//! The example user table: who is in it, with which known password, stored how.
//!
//! Each user stands for a case a home-grown table really has: names with apostrophes and
//! letters beyond ASCII, several generations of password hashes side by side, two accounts
//! whose addresses differ only in case, a user without an address, a blocked user, a
//! social-only user, an invited user who never set a password, and broken values.

/// How a user's password is stored in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// bcrypt `$2b$`.
    Bcrypt,
    /// bcrypt `$2y$`, as PHP writes it.
    BcryptPhp,
    /// Argon2id in PHC form.
    Argon2id,
    /// SHA-256 of `salt ‖ password`, hex, with a text salt column.
    Sha256Salted,
    /// SHA-512 of `password ‖ salt`, base64, with a hex salt column.
    Sha512Salted,
    /// PBKDF2-HMAC-SHA-256 parts: base64 key, base64 salt, iterations column.
    Pbkdf2,
    /// Unsalted MD5, hex.
    Md5,
    /// Unsalted SHA-1, hex.
    Sha1,
    /// HMAC-SHA-256 under the table's key, hex.
    Hmac,
    /// scrypt parts: hex key, hex salt.
    Scrypt,
    /// Django's PBKDF2 string.
    Django,
    /// WordPress's phpass string.
    Phpass,
    /// LDAP `{SSHA}`.
    Ssha,
    /// No password at all.
    Nothing,
    /// A bcrypt string cut short.
    BrokenBcrypt,
    /// A SHA-256 column holding text that is not hex.
    BrokenHex,
    /// A scheme name the plan does not know.
    UnknownScheme,
}

impl Stored {
    /// The value of the `hash_algo` column for this way of storing.
    pub fn algo(self) -> Option<&'static str> {
        Some(match self {
            Self::Bcrypt | Self::BcryptPhp | Self::BrokenBcrypt => "bcrypt",
            Self::Argon2id => "argon2",
            Self::Sha256Salted | Self::BrokenHex => "sha256",
            Self::Sha512Salted => "sha512",
            Self::Pbkdf2 => "pbkdf2",
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Hmac => "hmac",
            Self::Scrypt => "scrypt",
            Self::Django => "django",
            Self::Phpass => "phpass",
            Self::Ssha => "ldap",
            Self::UnknownScheme => "crc32",
            Self::Nothing => return None,
        })
    }
}

/// One user of the table.
#[derive(Debug, Clone)]
pub struct User {
    pub id: u32,
    pub email: Option<&'static str>,
    /// `true`, `false`, or a broken value.
    pub email_confirmed: &'static str,
    pub phone: Option<&'static str>,
    pub username: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub display_name: &'static str,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub signup_at: &'static str,
    /// As above, or a broken value.
    pub updated_at: &'static str,
    pub last_seen_at: Option<&'static str>,
    pub is_banned: bool,
    pub workspace: &'static str,
    pub plan: &'static str,
    pub google_sub: Option<&'static str>,
    /// The password the user signs in with, when they have one.
    pub password: Option<&'static str>,
    pub stored: Stored,
    /// Whether the row is broken in the file exports (a stray field, a cut line).
    pub broken_row: bool,
}

/// Shorthand for the common fields.
#[allow(clippy::too_many_arguments)]
fn user(
    id: u32,
    email: Option<&'static str>,
    (first_name, last_name, display_name): (&'static str, &'static str, &'static str),
    workspace: &'static str,
    plan: &'static str,
    signup_at: &'static str,
    password: Option<&'static str>,
    stored: Stored,
) -> User {
    User {
        id,
        email,
        email_confirmed: "true",
        phone: None,
        username: "",
        first_name,
        last_name,
        display_name,
        signup_at,
        updated_at: signup_at,
        last_seen_at: None,
        is_banned: false,
        workspace,
        plan,
        google_sub: None,
        password,
        stored,
        broken_row: false,
    }
}

/// Every user of the table, in id order.
pub fn users() -> Vec<User> {
    use Stored::*;
    vec![
        User {
            phone: Some("+353871234567"),
            username: "siobhan",
            last_seen_at: Some("2024-05-06 07:08:09"),
            ..user(
                1001,
                Some("siobhan.oconnor@example.com"),
                ("Siobhán", "O'Connor", "Siobhán O'Connor"),
                "beta",
                "pro",
                "2017-03-14 09:26:53",
                Some("Corrán Tuathail 1041"),
                Bcrypt,
            )
        },
        User {
            username: "renee",
            ..user(
                1002,
                Some("renee.damico@example.org"),
                ("Renée", "D'Amico", "Renée D'Amico"),
                "beta",
                "free",
                "2018-07-01 12:00:00",
                Some("crêpes-au-beurre"),
                BcryptPhp,
            )
        },
        User {
            last_seen_at: Some("2024-11-30 23:59:59"),
            ..user(
                1003,
                Some("zoe.angstrom@example.net"),
                ("Zoë", "Ångström", "Zoë Ångström"),
                "main",
                "pro",
                "2022-02-22 22:22:22",
                Some("Zoë’s ünïcode pass"),
                Argon2id,
            )
        },
        user(
            1004,
            Some("bjorn.thorsson@example.com"),
            ("Björn", "Þórsson", "Björn Þórsson"),
            "main",
            "free",
            "2014-01-05 10:00:00",
            Some("tröllaskagi-1985"),
            Sha256Salted,
        ),
        user(
            1005,
            Some("aoife.nibhriain@example.com"),
            ("Aoife", "Ní Bhriain", "Aoife Ní Bhriain"),
            "main",
            "pro",
            "2019-09-09 09:09:09",
            Some("Sliabh-na-mBan"),
            Pbkdf2,
        ),
        user(
            1006,
            Some("mia.keller@example.com"),
            ("Mia", "Keller", "Mia Keller"),
            "main",
            "free",
            "2020-04-01 08:00:00",
            Some("mia-first-account"),
            Bcrypt,
        ),
        user(
            1007,
            Some("Mia.Keller@Example.com"),
            ("Mia", "Keller", "Mia Keller (work)"),
            "main",
            "pro",
            "2023-06-15 16:45:00",
            Some("mia-second-account"),
            Bcrypt,
        ),
        User {
            username: "kiosk-terminal-7",
            email_confirmed: "false",
            ..user(
                1008,
                None,
                ("Kiosk", "Seven", "Kiosk 7"),
                "main",
                "free",
                "2016-11-11 11:11:11",
                Some("kiosk7"),
                Sha1,
            )
        },
        User {
            is_banned: true,
            ..user(
                1009,
                Some("dmitri.volkov@example.com"),
                ("Dmitri", "Volkov", "Dmitri Volkov"),
                "main",
                "free",
                "2015-05-05 05:05:05",
                Some("blocked-but-known"),
                Bcrypt,
            )
        },
        User {
            google_sub: Some("112233445566778899001"),
            ..user(
                1010,
                Some("priya.raghunathan@example.com"),
                ("Priya", "Raghunathan", "Priya Raghunathan"),
                "beta",
                "pro",
                "2021-01-20 14:30:00",
                None,
                Nothing,
            )
        },
        user(
            1011,
            Some("jose.nunez@example.com"),
            ("José", "Núñez", "José Núñez"),
            "main",
            "free",
            "2018-12-24 18:00:00",
            Some("feliz-navidad"),
            BrokenBcrypt,
        ),
        user(
            1012,
            Some("hana.kobayashi@example.com"),
            ("Hana", "Kobayashi", "小林 花"),
            "main",
            "free",
            "2019-03-03 03:03:03",
            Some("sakura-hana"),
            BrokenHex,
        ),
        user(
            1013,
            Some("lars.overgaard@example.com"),
            ("Lars", "Øvergaard", "Lars Øvergaard"),
            "main",
            "free",
            "2013-08-08 08:08:08",
            Some("fjord-and-fjell"),
            UnknownScheme,
        ),
        User {
            phone: Some("+971501234567"),
            ..user(
                1014,
                Some("fatima.alzahra@example.com"),
                ("Fatima", "Al-Zahra", "Fatima Al-Zahra"),
                "beta",
                "pro",
                "2020-10-10 10:10:10",
                Some("Ünïcödé-Pässwörd!"),
                Sha512Salted,
            )
        },
        user(
            1015,
            Some("tomas.obriain@example.com"),
            ("Tomás", "Ó Briain", "Tomás Ó Briain"),
            "main",
            "free",
            "2017-07-07 07:07:07",
            Some("pepper-me-timbers"),
            Hmac,
        ),
        user(
            1016,
            Some("yuki.tanaka@example.com"),
            ("Yuki", "Tanaka", "田中 由紀"),
            "main",
            "pro",
            "2020-02-29 12:00:00",
            Some("sakura-2020"),
            Scrypt,
        ),
        user(
            1017,
            Some("emma.schmidt@example.com"),
            ("Emma", "Schmidt", "Emma Schmidt"),
            "main",
            "free",
            "2021-05-17 10:20:30",
            Some("emma-django-2021"),
            Django,
        ),
        user(
            1018,
            Some("olusegun.adeyemi@example.com"),
            ("Olúṣẹ́gun", "Adéyẹmí", "Olúṣẹ́gun Adéyẹmí"),
            "main",
            "free",
            "2012-12-12 12:12:12",
            Some("wp-olusegun"),
            Phpass,
        ),
        user(
            1019,
            Some("marie-claire.lefevre@example.com"),
            ("Marie-Claire", "Lefèvre", "Marie-Claire Lefèvre"),
            "main",
            "pro",
            "2010-06-01 00:00:00",
            Some("ldap-marie"),
            Ssha,
        ),
        user(
            1020,
            Some("Chloe.Dubois+news@Example.ORG"),
            ("Chloé", "Dubois", "Chloé Dubois"),
            "beta",
            "free",
            "2011-11-11 11:11:11",
            Some("letmein-chloé"),
            Md5,
        ),
        User {
            broken_row: true,
            ..user(
                1021,
                Some("conor.oneill@example.com"),
                ("Conor", "O'Neill", "Conor O'Neill, Jr."),
                "main",
                "free",
                "2019-01-01 00:00:00",
                Some("never-read"),
                Bcrypt,
            )
        },
        User {
            email_confirmed: "maybe",
            updated_at: "yesterday",
            ..user(
                1022,
                Some("ada.lovelace@example.com"),
                ("Ada", "Lovelace", "Ada Lovelace"),
                "beta",
                "pro",
                "2015-12-10 09:00:00",
                Some("analytical-engine"),
                Bcrypt,
            )
        },
        User {
            email_confirmed: "false",
            ..user(
                1023,
                Some("noah.fischer@example.com"),
                ("Noah", "Fischer", "Noah Fischer"),
                "main",
                "free",
                "2024-09-01 09:00:00",
                None,
                Nothing,
            )
        },
    ]
}
