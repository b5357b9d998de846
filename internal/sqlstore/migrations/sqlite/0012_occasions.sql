-- Occasions (docs/architecture.md, "Adding an occasion kind"): receptions and
-- activities share one set of tables for what every kind has — the invited
-- deputies (attendance, sign-in, leave), the photos and the linked cases —
-- keyed by the kind ('reception', 'activity') and the occasion's id in the
-- kind's own table (receptions, activities). What only one kind has stays
-- in its own table.

CREATE TABLE occasion_invitees (
	kind         TEXT NOT NULL CHECK (kind IN ('reception', 'activity')),
	occasion_id  INTEGER NOT NULL,
	deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
	position     INTEGER NOT NULL DEFAULT 0,
	attendance   TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, present, absent, leave
	signed_in_at TIMESTAMP,
	signed_by    TEXT NOT NULL DEFAULT '', -- self, staff
	leave_reason TEXT NOT NULL DEFAULT '',
	leave_status TEXT NOT NULL DEFAULT '', -- pending, approved, rejected
	leave_at     TIMESTAMP,
	reminded_at  TIMESTAMP, -- an activity's day-before reminder, given once
	PRIMARY KEY (kind, occasion_id, deputy_id)
);
-- A deputy's occasions: the rota's clashes, attendance tables, calendar feeds.
CREATE INDEX occasion_invitees_deputy ON occasion_invitees (deputy_id, kind);

CREATE TABLE occasion_photos (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('reception', 'activity')),
	occasion_id  INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_by   INTEGER,
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX occasion_photos_occasion ON occasion_photos (kind, occasion_id);

-- Cases registered at an occasion (接待中登记的意见, 视察、调研中提出的意见).
CREATE TABLE occasion_cases (
	kind        TEXT NOT NULL CHECK (kind IN ('reception', 'activity')),
	occasion_id INTEGER NOT NULL,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	created_at  TIMESTAMP NOT NULL,
	PRIMARY KEY (kind, occasion_id, case_id)
);
-- A case's occasion (the case page).
CREATE INDEX occasion_cases_case ON occasion_cases (case_id);

INSERT INTO occasion_invitees (kind, occasion_id, deputy_id, position, attendance, signed_in_at, signed_by,
	leave_reason, leave_status, leave_at, reminded_at)
SELECT 'reception', reception_id, deputy_id, position, attendance, signed_in_at, signed_by,
	leave_reason, leave_status, leave_at, NULL FROM reception_deputies;
INSERT INTO occasion_invitees (kind, occasion_id, deputy_id, position, attendance, signed_in_at, signed_by,
	leave_reason, leave_status, leave_at, reminded_at)
SELECT 'activity', activity_id, deputy_id, position, attendance, signed_in_at, signed_by,
	leave_reason, leave_status, leave_at, reminded_at FROM activity_deputies;

-- Photos keep their order (by id) within each occasion.
INSERT INTO occasion_photos (kind, occasion_id, content_type, data, created_by, created_at)
SELECT 'reception', reception_id, content_type, data, created_by, created_at FROM reception_photos ORDER BY id;
INSERT INTO occasion_photos (kind, occasion_id, content_type, data, created_by, created_at)
SELECT 'activity', activity_id, content_type, data, created_by, created_at FROM activity_photos ORDER BY id;

-- A reception's case was linked by cases.reception_id, without a date: the
-- case's registration stands for it.
INSERT INTO occasion_cases (kind, occasion_id, case_id, created_at)
SELECT 'reception', reception_id, id, created_at FROM cases WHERE reception_id IS NOT NULL;
INSERT INTO occasion_cases (kind, occasion_id, case_id, created_at)
SELECT 'activity', activity_id, case_id, created_at FROM activity_cases;

DROP TABLE reception_deputies;
DROP TABLE activity_deputies;
DROP TABLE reception_photos;
DROP TABLE activity_photos;
DROP TABLE activity_cases;
DROP INDEX cases_reception;
ALTER TABLE cases DROP COLUMN reception_id;
