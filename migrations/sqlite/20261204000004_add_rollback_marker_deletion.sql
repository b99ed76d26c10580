-- When a rollback deleted the identity a marker names. The marker is kept, so the trail of
-- what cutover created and deleted stays complete; only markers without it are deleted again.
alter table rollback_markers add column deleted_at text;

create index rollback_markers_by_segment on rollback_markers (run_id, segment, identity_id);
