-- The state cutover last put a user's identity in on the target (go-live activates, a
-- deactivating rollback deactivates), recorded after each change so that a go-live or
-- rollback killed halfway continues where it stopped. Null: cutover never changed it.
alter table users add column activation text check (activation in ('active', 'inactive'));
