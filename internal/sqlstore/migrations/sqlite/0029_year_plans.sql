-- Year plans (年初计划, docs/year-plans.md): a station's or a deputy group's
-- activities planned for a year, month by month; written and published by
-- the office over the owner's region, read against the activities held.

CREATE TABLE year_plans (
	id           INTEGER PRIMARY KEY,
	owner_kind   TEXT NOT NULL, -- station, group
	owner_id     INTEGER NOT NULL, -- stations.id or deputy_groups.id
	station_id   INTEGER REFERENCES stations (id), -- the station, or the group's own: for the staff's scope
	region_code  TEXT NOT NULL, -- the owner's, for scoping
	year         INTEGER NOT NULL,
	status       TEXT NOT NULL, -- draft, published
	published_at TIMESTAMP, -- the first publication, when the deputies were told
	created_by   INTEGER REFERENCES users (id),
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	-- One plan per owner and year: an edit changes it, never a second one.
	UNIQUE (owner_kind, owner_id, year)
);
CREATE INDEX year_plans_region ON year_plans (region_code, year);

-- The items, in the order written (position from 0).
CREATE TABLE year_plan_items (
	plan_id  INTEGER NOT NULL REFERENCES year_plans (id),
	position INTEGER NOT NULL,
	month    INTEGER NOT NULL,
	kind     TEXT NOT NULL, -- an activity kind
	title    TEXT NOT NULL,
	note     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (plan_id, position)
);
