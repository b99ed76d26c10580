-- A rollback marker names an identity that this tool created, so a phase can be undone
-- exactly: only identities with a marker are ever deleted by a rollback.
create table rollback_markers (
    run_id text not null references runs (id),
    identity_id text not null,
    legacy_id text not null,
    phase text not null,
    segment text not null,
    batch_id text not null,
    created_at text not null,
    primary key (run_id, identity_id)
);

create index rollback_markers_by_phase on rollback_markers (run_id, phase);
