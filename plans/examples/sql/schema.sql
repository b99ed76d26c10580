-- The user table of a made-up application, as its own code created it: several
-- generations of password hashes side by side (hash_algo names each row's scheme), a salt
-- and an iteration count for the schemes that need them, and a Google login id. The same
-- statements work in PostgreSQL, MySQL/MariaDB and SQLite.
CREATE TABLE app_users (
    id INTEGER NOT NULL PRIMARY KEY,
    email VARCHAR(320) NULL,
    email_confirmed BOOLEAN NULL,
    phone VARCHAR(32) NULL,
    username VARCHAR(64) NULL,
    first_name VARCHAR(100) NULL,
    last_name VARCHAR(100) NULL,
    display_name VARCHAR(200) NULL,
    signup_at TIMESTAMP NULL,
    updated_at TIMESTAMP NULL,
    last_seen_at TIMESTAMP NULL,
    is_banned BOOLEAN NOT NULL,
    workspace VARCHAR(64) NULL,
    plan VARCHAR(16) NULL,
    hash_algo VARCHAR(16) NULL,
    password_hash VARCHAR(255) NULL,
    password_salt VARCHAR(64) NULL,
    hash_iterations INTEGER NULL,
    google_sub VARCHAR(64) NULL
);
