-- The authentication cache's epoch (authcache.go): every instance keeps the
-- actors it resolved from session tokens and reuses one while this number
-- is the one it was resolved under. A committed change to what makes an
-- actor — an account, its roles or second factor, an NPC body, a station's
-- deputies, the security settings — adds one (Tx.Commit), so a cached actor
-- is dropped at once on every instance; the one query of Authenticate reads
-- the session and this row together.
CREATE TABLE auth_epoch (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);
