-- The event trail becomes tamper-evident: every event stores the hash of the run's previous
-- event and its own hash over all its fields, and the run remembers its last event, so that an
-- edited, deleted or reordered event shows. Hashes are computed by cutover (SQLite has no
-- SHA-256), so events written before this migration are sealed, once, when the ledger opens.
alter table events add column prev_hash text;

alter table events add column hash text;

alter table runs add column last_event_seq integer;

alter table runs add column last_event_hash text;

-- Which events predate the chain (every seq up to legacy_until) and when they were sealed.
-- An event without a hash after that is not one cutover wrote.
create table event_sealing (
    id integer primary key not null check (id = 1),
    legacy_until integer not null check (legacy_until >= 0),
    sealed_at text
);

insert into event_sealing (id, legacy_until)
select 1, coalesce(max(seq), 0) from events;
