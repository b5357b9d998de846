-- Statistics rollups (docs/statistics.md, "Rollups"): the figures of every
-- case kept per month so that a year of a province is summed from a few
-- thousand rows instead of counted from millions of cases.

-- The cases whose figures may have changed since they were last counted.
-- Triggers on the case tables add a row for every change, in the
-- transaction of the change, so no store method can forget to; the
-- statistics catch up (SyncStats) before answering and in a job.
CREATE TABLE stats_dirty (
	seq     INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL
);

-- One row per counted case (linked duplicates have none): its figures
-- (each 0 or 1) and the values it is grouped and filtered on, as last
-- counted. The rollups are the sums of these rows; the days at the ends of
-- a period that is not whole months are summed from here.
CREATE TABLE case_facts (
	case_id           INTEGER PRIMARY KEY,
	day               INTEGER NOT NULL, -- the Beijing date of registration, yyyymmdd
	month             INTEGER NOT NULL, -- yyyymm
	region_code       TEXT NOT NULL,
	station_id        INTEGER NOT NULL,  -- 0: none
	category          TEXT NOT NULL,
	channel           TEXT NOT NULL,
	unit_id           INTEGER NOT NULL,  -- the lead unit of the latest round that had one; 0: none
	status            TEXT NOT NULL,
	due_at            TIMESTAMP,      -- the running deadline, for overdue_open
	received          SMALLINT NOT NULL,
	answered_directly SMALLINT NOT NULL,
	not_accepted      SMALLINT NOT NULL,
	assigned          SMALLINT NOT NULL,
	replied           SMALLINT NOT NULL,
	replied_on_time   SMALLINT NOT NULL,
	responded         SMALLINT NOT NULL,
	closed            SMALLINT NOT NULL,
	rated             SMALLINT NOT NULL,
	satisfied         SMALLINT NOT NULL,
	voter_rated       SMALLINT NOT NULL,
	voter_satisfied   SMALLINT NOT NULL
);
-- The days at the ends of a period, for a province or a city.
CREATE INDEX case_facts_day ON case_facts (day);
-- A town's or a district's cases (a town by village, or the ends of a period).
CREATE INDEX case_facts_region ON case_facts (region_code, day);
-- A station's cases (station staff's statistics by category, unit…).
CREATE INDEX case_facts_station ON case_facts (station_id, day);
-- overdue_open counts the open cases past their deadline: a few percent of
-- the cases, counted from this index alone (it holds every column the
-- count filters and groups on).
CREATE INDEX case_facts_overdue ON case_facts (due_at, day, month, region_code, station_id, category, channel, unit_id, status)
	WHERE status IN ('pending_approval', 'assigned', 'handling');

-- The sums of case_facts per month and grouping set (gset): sets 0–4 keep
-- the region down to the town, sets 10–14 down to the district; 0 keeps the
-- station (town level only), 1 the category, 2 the channel, 3 the lead
-- unit, 4 the status. A dimension a set does not keep is '' or 0. Sets
-- 20–24 and 30–34 are sets 0–4 and 10–14 per year (month yyyy00).
CREATE TABLE case_rollups (
	gset              SMALLINT NOT NULL,
	month             INTEGER NOT NULL,
	region_code       TEXT NOT NULL,
	station_id        INTEGER NOT NULL,
	category          TEXT NOT NULL,
	channel           TEXT NOT NULL,
	unit_id           INTEGER NOT NULL,
	status            TEXT NOT NULL,
	received          INTEGER NOT NULL,
	answered_directly INTEGER NOT NULL,
	not_accepted      INTEGER NOT NULL,
	assigned          INTEGER NOT NULL,
	replied           INTEGER NOT NULL,
	replied_on_time   INTEGER NOT NULL,
	responded         INTEGER NOT NULL,
	closed            INTEGER NOT NULL,
	rated             INTEGER NOT NULL,
	satisfied         INTEGER NOT NULL,
	voter_rated       INTEGER NOT NULL,
	voter_satisfied   INTEGER NOT NULL,
	PRIMARY KEY (gset, month, region_code, station_id, category, channel, unit_id, status)
) WITHOUT ROWID; -- stored in key order: a year of a set is one range read in order

-- Every change of a case or of its parts marks it.
CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.id); END;
CREATE TRIGGER cases_stats_update AFTER UPDATE ON cases BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.id); END;
CREATE TRIGGER case_events_stats_insert AFTER INSERT ON case_events BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_events_stats_update AFTER UPDATE ON case_events BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_events_stats_delete AFTER DELETE ON case_events BEGIN INSERT INTO stats_dirty (case_id) VALUES (OLD.case_id); END;
CREATE TRIGGER case_replies_stats_insert AFTER INSERT ON case_replies BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_replies_stats_update AFTER UPDATE ON case_replies BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_replies_stats_delete AFTER DELETE ON case_replies BEGIN INSERT INTO stats_dirty (case_id) VALUES (OLD.case_id); END;
CREATE TRIGGER case_ratings_stats_insert AFTER INSERT ON case_ratings BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_ratings_stats_update AFTER UPDATE ON case_ratings BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_ratings_stats_delete AFTER DELETE ON case_ratings BEGIN INSERT INTO stats_dirty (case_id) VALUES (OLD.case_id); END;
CREATE TRIGGER case_units_stats_insert AFTER INSERT ON case_units BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_units_stats_update AFTER UPDATE ON case_units BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_units_stats_delete AFTER DELETE ON case_units BEGIN INSERT INTO stats_dirty (case_id) VALUES (OLD.case_id); END;
CREATE TRIGGER case_deputies_stats_insert AFTER INSERT ON case_deputies BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_deputies_stats_update AFTER UPDATE ON case_deputies BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_deputies_stats_delete AFTER DELETE ON case_deputies BEGIN INSERT INTO stats_dirty (case_id) VALUES (OLD.case_id); END;

-- The cases already there are counted by the first catch-up.
INSERT INTO stats_dirty (case_id) SELECT id FROM cases ORDER BY id;
