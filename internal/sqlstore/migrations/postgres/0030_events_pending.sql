-- Audit events waiting to be chained (internal/sqlstore/audit_seal.go): a
-- write commits its events here, without the chain head's lock, and a
-- sealing round moves them into events with their ids and hashes right
-- after. Rows stay only between a commit and the next round.
CREATE TABLE events_pending (
	id          BIGSERIAL PRIMARY KEY,
	at          TIMESTAMPTZ NOT NULL,
	actor_id    BIGINT,
	actor_name  TEXT NOT NULL DEFAULT '',
	client_addr TEXT NOT NULL DEFAULT '',
	entity      TEXT NOT NULL,
	entity_id   BIGINT NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT ''
);
