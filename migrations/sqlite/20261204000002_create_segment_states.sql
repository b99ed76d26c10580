-- The go-live state of each segment of a run. A row appears when the segment's go-live or
-- rollback begins; a segment without one never went live. The in-between states
-- (activating, rolling_back) let a command killed halfway be resumed, and rollback_mode keeps
-- a resumed rollback from switching between deleting and deactivating.
create table segment_states (
    run_id text not null references runs (id),
    segment text not null,
    state text not null
        check (state in ('activating', 'live', 'rolling_back', 'rolled_back')),
    rollback_mode text check (rollback_mode in ('delete', 'deactivate')),
    live_at text,
    updated_at text not null,
    primary key (run_id, segment),
    check ((state in ('rolling_back', 'rolled_back')) = (rollback_mode is not null))
);
