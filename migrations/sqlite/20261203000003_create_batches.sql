-- A batch is written before its request is sent (intent) and completed with its outcome in
-- the same transaction that records the per-user results, so a crash in between is visible.
create table batches (
    id text primary key not null,
    run_id text not null references runs (id),
    phase text not null,
    size integer not null check (size > 0),
    state text not null check (state in ('sent', 'recorded', 'abandoned')),
    sent_at text not null,
    finished_at text,
    note text
);

create index batches_by_run on batches (run_id, phase);
