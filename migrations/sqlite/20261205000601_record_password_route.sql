-- Which way each user's password goes to the target, so that a migration can say how many
-- users keep their hash, how many sign in through the password migration hook and why, and
-- how many arrive without a password and why. Written by intake with the user's mapping;
-- null for users that intake stopped before their password was decided, and for rows from
-- before this migration until their next intake.
--
-- password_route: `hash` (the legacy hash, imported as Kratos reads it), `hook` (imported
-- with use_password_migration_hook, checked against the legacy system at the next sign-in)
-- or `none` (imported without a password).
-- password_detail: for `hash` the hash family, for `hook` and `none` the reason in words;
-- never the hash itself.
alter table users add column password_route text
    check (password_route in ('hash', 'hook', 'none'));

alter table users add column password_detail text
    check ((password_route is null) = (password_detail is null));

create index users_by_password_route on users (run_id, password_route, password_detail);
