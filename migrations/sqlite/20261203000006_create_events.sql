-- Append-only trail of what happened to a run: started, resumed, plan changed, phase started
-- and finished, run finished. Each event carries the counts at that moment.
create table events (
    seq integer primary key autoincrement,
    run_id text not null references runs (id),
    at text not null,
    kind text not null,
    actor text not null,
    plan_digest text not null,
    phase text,
    segment text,
    counts text not null,
    note text
);

create index events_by_run on events (run_id, seq);
