-- The audit trail is a hash chain (docs/architecture.md, "The audit chain"):
-- each event stores the hash of the event before it (prev_hash) and its own
-- hash, SHA-256 over its fields and prev_hash; audit_head holds the last
-- event's id and hash, and its row lock serialises the writers of the chain.
-- Editing, deleting or inserting an event, even with the triggers dropped,
-- breaks a link that `lianluo audit verify` reports.
--
-- Written so that it can run again on a database that has it (the migration
-- tests roll the schema back by hand). Events written before it are chained
-- in id order by the Go step that follows this file (migrate.go).

DROP TRIGGER IF EXISTS events_no_update ON events;

ALTER TABLE events ADD COLUMN IF NOT EXISTS prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS hash TEXT NOT NULL DEFAULT '';

-- anchor_*: the last event pruned (PruneAudit), whose hash the first kept
-- event links to; 0 and '' while nothing has been pruned.
CREATE TABLE IF NOT EXISTS audit_head (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	event_id    BIGINT NOT NULL DEFAULT 0,
	hash        TEXT NOT NULL DEFAULT '',
	anchor_id   BIGINT NOT NULL DEFAULT 0,
	anchor_hash TEXT NOT NULL DEFAULT '',
	anchor_at   TIMESTAMPTZ
);
INSERT INTO audit_head (id) VALUES (1) ON CONFLICT DO NOTHING;

-- Still append-only. The one update allowed seals an unsealed event (hash
-- empty) without changing anything else: the chaining of the events written
-- before this migration. The one delete allowed is pruning's (below).
CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.hash = ''
		AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_name, NEW.client_addr, NEW.entity, NEW.entity_id, NEW.action, NEW.summary)
		IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.actor_name, OLD.client_addr, OLD.entity, OLD.entity_id, OLD.action, OLD.summary) THEN
		RETURN NEW;
	END IF;
	-- Only events up to the anchor go: pruning moves the anchor first.
	IF TG_OP = 'DELETE' AND OLD.id <= (SELECT anchor_id FROM audit_head WHERE id = 1) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE PROCEDURE events_append_only();
