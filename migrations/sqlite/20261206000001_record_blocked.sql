-- Whether the legacy system blocked the user, as the latest export that had the user said.
-- A go-live leaves the identities of blocked users inactive; keeping the flag here means it
-- need not read the export again, and a user whose record later becomes unreadable or goes
-- missing stays blocked.
alter table users add column blocked integer not null default 0;
