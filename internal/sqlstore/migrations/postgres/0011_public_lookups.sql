-- Failed look-ups of a tracking code on the online station, one row per
-- wrong code or wrong phone tail, so that the limit (20 per client address
-- in 15 minutes, sqlstore/public_lookup.go) is shared by every instance and
-- survives a restart. The address is kept only as a keyed hash (HMAC with
-- the deployment key, like public_submissions): an IP address is personal data.
CREATE TABLE public_lookups (
	id        BIGSERIAL PRIMARY KEY,
	addr_hash TEXT NOT NULL,
	failed_at TIMESTAMPTZ NOT NULL
);
-- "How many from this address since T".
CREATE INDEX public_lookups_addr ON public_lookups (addr_hash, failed_at);
-- Pruning the rows older than the window.
CREATE INDEX public_lookups_failed ON public_lookups (failed_at);
