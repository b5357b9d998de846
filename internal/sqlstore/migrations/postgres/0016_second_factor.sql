-- The staff's second factor (README: Security): a time-based one-time
-- password (RFC 6238) from an authenticator app, and one-time recovery codes.
-- user_mfa: the user's secret; confirmed_at is NULL while enrolling (the
-- first code not yet given); last_step is the last code's step, so a code
-- is never accepted twice.
CREATE TABLE user_mfa (
	user_id      BIGINT PRIMARY KEY REFERENCES users (id),
	secret       TEXT NOT NULL,
	last_step    BIGINT NOT NULL DEFAULT 0,
	confirmed_at TIMESTAMPTZ,
	created_at   TIMESTAMPTZ NOT NULL
);

-- Recovery codes: their argon2id hashes, each used once.
CREATE TABLE mfa_recovery (
	id        BIGSERIAL PRIMARY KEY,
	user_id   BIGINT NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at   TIMESTAMPTZ
);
CREATE INDEX mfa_recovery_user ON mfa_recovery (user_id);

-- A login whose password was right and whose second step is due: the
-- token's hash, for five minutes and five codes.
CREATE TABLE mfa_challenges (
	token_hash  TEXT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id),
	client_addr TEXT NOT NULL DEFAULT '',
	tries       INTEGER NOT NULL DEFAULT 0,
	expires_at  TIMESTAMPTZ NOT NULL
);
