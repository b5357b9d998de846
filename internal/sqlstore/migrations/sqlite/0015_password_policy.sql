-- Password policy and forced change (README: Security).
-- must_change_password: set when an administrator sets or resets a
-- password, cleared when the owner changes it; the console and the API
-- allow nothing else until then. demo: the demo district's accounts
-- (lianluo demo), exempt from both and announced by a banner.
-- password_changed_at: for the optional expiry; existing accounts start
-- from now.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;
UPDATE users SET password_changed_at = updated_at;

-- The hashes of a user's earlier passwords (argon2id, as the current one),
-- newest first, so that the last N are not used again.
CREATE TABLE password_history (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users (id),
	password_hash TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);

