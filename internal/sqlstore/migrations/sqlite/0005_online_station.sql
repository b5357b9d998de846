-- The online station (网上代表联络站, docs/design.md): what a station publishes on
-- its wall, deputies' portraits, published results, and what the public
-- endpoints need to limit abuse without keeping voters' addresses.

ALTER TABLE stations ADD COLUMN board TEXT NOT NULL DEFAULT ''; -- JSON of lianluo.StationBoard

CREATE TABLE deputy_photos (
	deputy_id    INTEGER PRIMARY KEY REFERENCES deputies (id),
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);

-- A case the office published for 办理结果公开, with the answer as worded for the public.
ALTER TABLE cases ADD COLUMN published_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN public_answer TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_published ON cases (published_at);

-- One row per opinion submitted online. The client address and the phone
-- are kept only as keyed hashes (HMAC with a per-deployment key): enough to
-- rate-limit and to recognise a repeated submission, not to identify anyone.
CREATE TABLE public_submissions (
	case_id      INTEGER PRIMARY KEY REFERENCES cases (id),
	addr_hash    TEXT NOT NULL,
	phone_hash   TEXT NOT NULL DEFAULT '',
	content_hash TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX public_submissions_addr ON public_submissions (addr_hash, created_at);
CREATE INDEX public_submissions_phone ON public_submissions (phone_hash, created_at);
CREATE INDEX public_submissions_content ON public_submissions (content_hash, created_at);

-- SMS verification codes for voters' phones (when the deployment asks for them).
CREATE TABLE phone_codes (
	id         INTEGER PRIMARY KEY,
	phone_hash TEXT NOT NULL,
	addr_hash  TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	used       BOOLEAN NOT NULL DEFAULT FALSE,
	expires_at TIMESTAMP NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX phone_codes_phone ON phone_codes (phone_hash, created_at);
CREATE INDEX phone_codes_addr ON phone_codes (addr_hash, created_at);
