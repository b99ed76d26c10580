-- A run is one plan being carried out against one target. The plan's digest and canonical
-- form are kept so that a changed plan file can be detected and explained on the next start.
create table runs (
    id text primary key not null,
    plan_name text not null unique,
    plan_digest text not null,
    plan_json text not null,
    created_at text not null,
    updated_at text not null
);
