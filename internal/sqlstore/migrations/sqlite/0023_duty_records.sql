-- Duty records (履职登记, docs/duty-records.md): what a deputy did that no
-- other record holds (实事好事, 帮扶困难户, 民情调查, 持证视察, 书面履职报告,
-- 外出培训), confirmed or returned by staff; only confirmed ones count.

CREATE TABLE duty_records (
	id          INTEGER PRIMARY KEY,
	deputy_id   INTEGER NOT NULL REFERENCES deputies (id),
	region_code TEXT NOT NULL, -- the deputy's, for scoping
	kind        TEXT NOT NULL,
	done_on     TEXT NOT NULL, -- the day, Beijing, 2006-01-02: compared as text by year and half
	description TEXT NOT NULL,
	status      TEXT NOT NULL, -- pending, confirmed, returned
	reason      TEXT NOT NULL DEFAULT '', -- why it was returned
	decided_by  INTEGER REFERENCES users (id),
	decided_at  TIMESTAMP,
	created_by  INTEGER REFERENCES users (id),
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
-- A deputy's records of a year (the list, 六个一).
CREATE INDEX duty_records_deputy ON duty_records (deputy_id, done_on);
-- The office's list of its region, pending first.
CREATE INDEX duty_records_region ON duty_records (region_code, status, done_on);

-- Photos of a duty record (the deputy's evidence), added while it waits
-- for confirmation.
CREATE TABLE duty_record_photos (
	id           INTEGER PRIMARY KEY,
	record_id    INTEGER NOT NULL REFERENCES duty_records (id),
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_by   INTEGER REFERENCES users (id),
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX duty_record_photos_record ON duty_record_photos (record_id, id);
