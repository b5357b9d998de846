-- The audit trail is a hash chain (docs/architecture.md, "The audit chain"):
-- each event stores the hash of the event before it (prev_hash) and its own
-- hash, SHA-256 over its fields and prev_hash; audit_head holds the last
-- event's id and hash. Editing, deleting or inserting an event, even with the
-- triggers dropped, breaks a link that `lianluo audit verify` reports.
--
-- Written so that it can run again on a database that has it (the migration
-- tests roll the schema back by hand). Events written before it are chained
-- in id order by the Go step that follows this file (migrate.go).

DROP TRIGGER IF EXISTS events_no_update;
DROP TRIGGER IF EXISTS events_no_delete;

ALTER TABLE events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- anchor_*: the last event pruned (PruneAudit), whose hash the first kept
-- event links to; 0 and '' while nothing has been pruned.
CREATE TABLE IF NOT EXISTS audit_head (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	event_id    INTEGER NOT NULL DEFAULT 0,
	hash        TEXT NOT NULL DEFAULT '',
	anchor_id   INTEGER NOT NULL DEFAULT 0,
	anchor_hash TEXT NOT NULL DEFAULT '',
	anchor_at   TIMESTAMP
);
INSERT INTO audit_head (id) VALUES (1) ON CONFLICT DO NOTHING;

-- Still append-only. The one update allowed seals an unsealed event (hash
-- empty) without changing anything else: the chaining of the events written
-- before this migration. The one delete allowed is pruning's (below).
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN OLD.hash <> '' OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
	OR NEW.actor_name IS NOT OLD.actor_name OR NEW.client_addr IS NOT OLD.client_addr OR NEW.entity IS NOT OLD.entity
	OR NEW.entity_id IS NOT OLD.entity_id OR NEW.action IS NOT OLD.action OR NEW.summary IS NOT OLD.summary
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
-- Only events up to the anchor go: pruning moves the anchor first.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN OLD.id > (SELECT anchor_id FROM audit_head WHERE id = 1)
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
