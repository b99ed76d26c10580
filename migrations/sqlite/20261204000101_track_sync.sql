-- Delta sync: a migration lasts weeks and users change in the old system meanwhile. The
-- combined fingerprint of earlier versions cannot tell a changed password from a changed
-- name, and nothing recorded what the target was last sent or which export saw a user.
--
-- profile_fingerprint and credentials_fingerprint describe the user as the latest intake
-- read the export; synced_profile and synced_credentials describe what the target was last
-- sent. Both synced columns are null until the first intake after the user's import, which
-- fills them (see the ledger's sync module). Rows from before this migration have neither
-- pair; their first intake compares the old combined fingerprint instead.
alter table users add column profile_fingerprint text;

alter table users add column credentials_fingerprint text;

alter table users add column synced_profile text;

alter table users add column synced_credentials text;

-- The intake generation that last saw the user in the export. A user whose generation is
-- older than the run's has disappeared from the export.
alter table users add column seen_in integer not null default 0 check (seen_in >= 0);

-- The number of intakes of the whole export that completed for the run.
alter table runs add column intake_generation integer not null default 0
    check (intake_generation >= 0);

create index users_by_seen_in on users (run_id, seen_in);
