-- The sandbox target keeps its own store, separate from the ledger: one row per identity with its
-- documents as JSON text, and one row per unique key (credential identifier or address) so that
-- SQLite itself enforces Kratos's uniqueness rules, also between the entries of one batch.

create table identities (
    id text primary key not null,
    schema_id text not null,
    state text not null check (state in ('active', 'inactive')),
    state_changed_at text,
    traits text not null,
    verifiable_addresses text not null,
    recovery_addresses text not null,
    metadata_public text not null,
    metadata_admin text not null,
    -- Kratos's column is varchar(64): a longer value is a database error, not a validation error.
    external_id text unique check (
        external_id is null or length(external_id) between 1 and 64
    ),
    organization_id text,
    credentials text not null,
    created_at text not null,
    updated_at text not null
);

create table identity_keys (
    kind text not null check (
        kind in ('credential', 'verifiable_address', 'recovery_address')
    ),
    -- The credential type (password, oidc, ...) or the address channel (email, sms).
    type text not null,
    value text not null,
    identity_id text not null references identities (id) on delete cascade,
    primary key (kind, type, value)
);

create index identity_keys_by_identity on identity_keys (identity_id);
