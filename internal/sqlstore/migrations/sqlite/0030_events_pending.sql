-- Audit events waiting to be chained: used on PostgreSQL only
-- (internal/sqlstore/audit_seal.go); SQLite chains events inside its group
-- commit. Kept here so that both dialects have one schema, and the reveal
-- limit's count reads it on both.
CREATE TABLE events_pending (
	id          INTEGER PRIMARY KEY,
	at          TIMESTAMP NOT NULL,
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL DEFAULT '',
	client_addr TEXT NOT NULL DEFAULT '',
	entity      TEXT NOT NULL,
	entity_id   INTEGER NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT ''
);
