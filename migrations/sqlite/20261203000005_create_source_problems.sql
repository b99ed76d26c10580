-- Records of the export that could not be read, kept per run so `status` can show them after
-- the fact. Replaced whole on every intake of the export.
create table source_problems (
    run_id text not null references runs (id),
    file text not null,
    line integer,
    kind text not null check (kind in ('unreadable', 'warning')),
    message text not null
);

create index source_problems_by_run on source_problems (run_id);
