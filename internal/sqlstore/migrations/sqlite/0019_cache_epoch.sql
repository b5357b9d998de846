-- The caches' epoch (cache.go): every instance keeps the actors it resolved
-- from session tokens, the deadline policy and the working-day calendar,
-- and reuses them while this number is the one they were read under. A
-- committed change to what they are made of — an account, its roles or
-- second factor, an NPC body, a station's deputies, the security or
-- deadline settings, the calendar — adds one (Tx.Commit), so every
-- instance drops them at once; a cached read costs this one row, read with
-- the session in Authenticate's one query.
CREATE TABLE cache_epoch (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO cache_epoch (id, n) VALUES (1, 0);
