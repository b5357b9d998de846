-- Activities (代表活动, docs/design.md): study, training, inspection, research, law
-- enforcement checks, forums, department appraisals, reports to voters and
-- deputy group meetings (003 活动制度, 代表小组活动制度), organised by a
-- station or a deputy group, with the invited deputies' attendance and leave,
-- the record, photos and the cases raised there.

CREATE TABLE activities (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	content      TEXT NOT NULL DEFAULT '',
	place        TEXT NOT NULL DEFAULT '',
	station_id   INTEGER REFERENCES stations (id),      -- organiser, or the place of a group meeting
	group_id     INTEGER REFERENCES deputy_groups (id), -- organiser of a group meeting
	region_code  TEXT NOT NULL,                         -- the organiser's, for scoping
	starts_at    TIMESTAMP NOT NULL,
	ends_at      TIMESTAMP NOT NULL,
	status       TEXT NOT NULL, -- draft, published, cancelled, done
	minutes      TEXT NOT NULL DEFAULT '',
	outcomes     TEXT NOT NULL DEFAULT '',
	recorded_at  TIMESTAMP,
	published_at TIMESTAMP,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX activities_station ON activities (station_id, starts_at);
CREATE INDEX activities_group ON activities (group_id, starts_at);
CREATE INDEX activities_region ON activities (region_code, starts_at);
CREATE INDEX activities_starts ON activities (status, starts_at);

CREATE TABLE activity_deputies (
	activity_id  INTEGER NOT NULL REFERENCES activities (id),
	deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
	position     INTEGER NOT NULL DEFAULT 0,
	attendance   TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, present, absent, leave
	signed_in_at TIMESTAMP,
	signed_by    TEXT NOT NULL DEFAULT '', -- self, staff
	leave_reason TEXT NOT NULL DEFAULT '',
	leave_status TEXT NOT NULL DEFAULT '', -- pending, approved, rejected
	leave_at     TIMESTAMP,
	reminded_at  TIMESTAMP, -- the day-before reminder, given once
	PRIMARY KEY (activity_id, deputy_id)
);
CREATE INDEX activity_deputies_deputy ON activity_deputies (deputy_id);

CREATE TABLE activity_photos (
	id           INTEGER PRIMARY KEY,
	activity_id  INTEGER NOT NULL REFERENCES activities (id),
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_by   INTEGER,
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX activity_photos_activity ON activity_photos (activity_id);

-- Cases raised at an activity (视察、调研中提出的意见).
CREATE TABLE activity_cases (
	activity_id INTEGER NOT NULL REFERENCES activities (id),
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	created_at  TIMESTAMP NOT NULL,
	PRIMARY KEY (activity_id, case_id)
);
CREATE INDEX activity_cases_case ON activity_cases (case_id);
