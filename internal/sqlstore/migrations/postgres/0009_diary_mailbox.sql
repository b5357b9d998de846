-- Deputies' diaries (民情日记 — 003) and the deputy mailboxes (代表信箱 — 004).

-- One visit by a deputy, confirmed by the visited voter (003: 须经被走访选民本人签名方为有效).
CREATE TABLE diary_entries (
	id             BIGSERIAL PRIMARY KEY,
	deputy_id      BIGINT NOT NULL REFERENCES deputies (id),
	region_code    TEXT NOT NULL, -- the deputy's, for scoping
	visited_at     TIMESTAMPTZ NOT NULL,
	place          TEXT NOT NULL,
	voter_name     TEXT NOT NULL,
	voter_phone    TEXT NOT NULL DEFAULT '',
	voter_address  TEXT NOT NULL DEFAULT '',
	content        TEXT NOT NULL,
	handling       TEXT NOT NULL DEFAULT '',
	category       TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL, -- draft, confirmed
	confirmed_by   TEXT NOT NULL DEFAULT '', -- signature, sms
	confirmed_at   TIMESTAMPTZ,
	signature      BYTEA,         -- the voter's signature (PNG)
	case_id        BIGINT REFERENCES cases (id),
	created_by     BIGINT REFERENCES users (id),
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX diary_entries_deputy ON diary_entries (deputy_id, visited_at);
CREATE INDEX diary_entries_region ON diary_entries (region_code, visited_at);
CREATE UNIQUE INDEX diary_entries_case ON diary_entries (case_id);

-- One logged opening of a station's box (004: 每周开启一次).
CREATE TABLE mailbox_openings (
	id          BIGSERIAL PRIMARY KEY,
	station_id  BIGINT NOT NULL REFERENCES stations (id),
	opened_at   TIMESTAMPTZ NOT NULL,
	opened_by   TEXT NOT NULL, -- the openers' names, one per line
	note        TEXT NOT NULL DEFAULT '',
	created_by  BIGINT REFERENCES users (id),
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX mailbox_openings_station ON mailbox_openings (station_id, opened_at);

-- The letters found at an opening.
CREATE TABLE mailbox_letters (
	id             BIGSERIAL PRIMARY KEY,
	opening_id     BIGINT NOT NULL REFERENCES mailbox_openings (id),
	station_id     BIGINT NOT NULL REFERENCES stations (id),
	writer_name    TEXT NOT NULL DEFAULT '',
	writer_phone   TEXT NOT NULL DEFAULT '',
	writer_address TEXT NOT NULL DEFAULT '',
	anonymous      BOOLEAN NOT NULL DEFAULT FALSE,
	content        TEXT NOT NULL,
	category       TEXT NOT NULL DEFAULT '',
	case_id        BIGINT REFERENCES cases (id),
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX mailbox_letters_opening ON mailbox_letters (opening_id);
CREATE INDEX mailbox_letters_station ON mailbox_letters (station_id);
CREATE UNIQUE INDEX mailbox_letters_case ON mailbox_letters (case_id);
