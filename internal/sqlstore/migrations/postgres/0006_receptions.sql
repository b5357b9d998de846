-- Receptions (docs/design.md): each station's standing rules, the dated sessions
-- of its rota with the deputies on them (attendance, leave), the record of
-- each session, deputies' declared unavailability, and secret calendar
-- feed tokens.

-- 新任代表: paired with experienced deputies on the rota (001).
ALTER TABLE deputies ADD COLUMN first_term BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE reception_rules (
	id          BIGSERIAL PRIMARY KEY,
	station_id  BIGINT NOT NULL REFERENCES stations (id),
	rrule       TEXT NOT NULL,
	start_time  TEXT NOT NULL,
	end_time    TEXT NOT NULL,
	on_holiday  TEXT NOT NULL,
	form        TEXT NOT NULL,
	theme       TEXT NOT NULL DEFAULT '',
	anchor      TEXT NOT NULL, -- YYYY-MM-DD
	per_session INTEGER NOT NULL DEFAULT 2,
	active      BOOLEAN NOT NULL DEFAULT TRUE,
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX reception_rules_station ON reception_rules (station_id);

CREATE TABLE receptions (
	id                  BIGSERIAL PRIMARY KEY,
	station_id          BIGINT NOT NULL REFERENCES stations (id),
	rule_id             BIGINT REFERENCES reception_rules (id),
	starts_at           TIMESTAMPTZ NOT NULL,
	ends_at             TIMESTAMPTZ NOT NULL,
	form                TEXT NOT NULL,
	theme               TEXT NOT NULL DEFAULT '',
	status              TEXT NOT NULL, -- draft, published, cancelled
	moved_from          TEXT NOT NULL DEFAULT '',
	visitors            INTEGER NOT NULL DEFAULT 0,
	minutes             TEXT NOT NULL DEFAULT '',
	satisfied           INTEGER NOT NULL DEFAULT 0,
	basically_satisfied INTEGER NOT NULL DEFAULT 0,
	unsatisfied         INTEGER NOT NULL DEFAULT 0,
	recorded_at         TIMESTAMPTZ,
	version             INTEGER NOT NULL DEFAULT 1,
	created_at          TIMESTAMPTZ NOT NULL,
	updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX receptions_station ON receptions (station_id, starts_at);
CREATE INDEX receptions_starts ON receptions (status, starts_at);

CREATE TABLE reception_deputies (
	reception_id BIGINT NOT NULL REFERENCES receptions (id),
	deputy_id    BIGINT NOT NULL REFERENCES deputies (id),
	position     INTEGER NOT NULL DEFAULT 0,
	attendance   TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, present, absent, leave
	signed_in_at TIMESTAMPTZ,
	signed_by    TEXT NOT NULL DEFAULT '', -- self, staff
	leave_reason TEXT NOT NULL DEFAULT '',
	leave_status TEXT NOT NULL DEFAULT '', -- pending, approved, rejected
	leave_at     TIMESTAMPTZ,
	PRIMARY KEY (reception_id, deputy_id)
);
CREATE INDEX reception_deputies_deputy ON reception_deputies (deputy_id);

CREATE TABLE reception_photos (
	id           BIGSERIAL PRIMARY KEY,
	reception_id BIGINT NOT NULL REFERENCES receptions (id),
	content_type TEXT NOT NULL,
	data         BYTEA NOT NULL,
	created_by   BIGINT,
	created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX reception_photos_reception ON reception_photos (reception_id);

-- Cases registered during a session (接待中登记的意见).
ALTER TABLE cases ADD COLUMN reception_id BIGINT REFERENCES receptions (id);
CREATE INDEX cases_reception ON cases (reception_id);

CREATE TABLE deputy_unavailability (
	id         BIGSERIAL PRIMARY KEY,
	deputy_id  BIGINT NOT NULL REFERENCES deputies (id),
	from_date  TEXT NOT NULL, -- YYYY-MM-DD, Beijing
	to_date    TEXT NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX deputy_unavailability_deputy ON deputy_unavailability (deputy_id, from_date);

-- Calendar feeds behind a secret link: only a hash of the token is kept.
CREATE TABLE calendar_feeds (
	token_hash TEXT PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('deputy', 'station')),
	owner_id   BIGINT NOT NULL,
	token      TEXT NOT NULL, -- shown again to its owner; the hash serves lookups
	created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_owner ON calendar_feeds (kind, owner_id);
