-- One row per legacy user of a run: where the user stands, and the identity once known.
-- The row is the unit of resume: every user not in a final state is redone on the next run.
create table users (
    run_id text not null references runs (id),
    legacy_id text not null,
    external_id text not null,
    patch_id text not null,
    segment text not null,
    phase text not null,
    state text not null
        check (state in ('pending', 'in_flight', 'imported', 'failed', 'skipped')),
    reason_code text,
    reason text,
    identity_id text,
    adopted integer not null default 0 check (adopted in (0, 1)),
    batch_id text,
    attempts integer not null default 0 check (attempts >= 0),
    fingerprint text not null,
    source_line integer,
    updated_at text not null,
    primary key (run_id, legacy_id),
    check ((state = 'imported') = (identity_id is not null)),
    check (state not in ('failed', 'skipped') or reason is not null)
);

create index users_by_phase_state on users (run_id, phase, state);

create unique index users_by_external_id on users (run_id, external_id);
