-- Migration 0036: each case's status beside the deputies who received it
-- and the departments assigned to it, so that a deputy's to-do lists
-- (待反馈, 待测评) and a department's (待签收, 待答复, 已超期), and their
-- counts, start from the deputy's or department's own cases in those
-- statuses, an index range, instead of checking every case of the district
-- in those statuses against them: at a million cases, a deputy's 8,000–
-- 10,000 cases a status against the list of the 13,000 it ever received
-- (6 ms a list; with the copy, 0.2 ms), a small department's 20,000 cases
-- in handling each probed for its assignment (17 ms; BENCHMARKS.md).
--
-- A copy of cases.status: written with the row by every insert (CreateCase,
-- the workflow's assignments, the bulk load), checked there by the triggers
-- below, and kept equal by the trigger on cases whenever the status changes.
ALTER TABLE case_deputies ADD COLUMN case_status TEXT NOT NULL DEFAULT '';
ALTER TABLE case_units ADD COLUMN case_status TEXT NOT NULL DEFAULT '';
-- Filling the copies changes no figure: without the statistics triggers
-- (0010) for the while, and after them the triggers mark a case for the
-- rollups only when a row's own columns change, not the copy (the change of
-- status on cases marks the case already).
DROP TRIGGER case_deputies_stats_update;
DROP TRIGGER case_units_stats_update;
UPDATE case_deputies SET case_status = (SELECT c.status FROM cases c WHERE c.id = case_deputies.case_id);
UPDATE case_units SET case_status = (SELECT c.status FROM cases c WHERE c.id = case_units.case_id);
CREATE TRIGGER case_deputies_stats_update AFTER UPDATE OF case_id, deputy_id, created_at ON case_deputies
BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER case_units_stats_update AFTER UPDATE OF case_id, org_id, round, lead, active, signed_at ON case_units
BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
-- An insert must bring the case's status (SQLite adds a column NOT NULL
-- only with a default, which would hide an insert that forgot it).
CREATE TRIGGER case_deputies_case_status BEFORE INSERT ON case_deputies
WHEN NEW.case_status IS NOT (SELECT status FROM cases WHERE id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'case_deputies.case_status must be the status of its case'); END;
CREATE TRIGGER case_units_case_status BEFORE INSERT ON case_units
WHEN NEW.case_status IS NOT (SELECT status FROM cases WHERE id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'case_units.case_status must be the status of its case'); END;
CREATE TRIGGER cases_status_copies AFTER UPDATE OF status ON cases WHEN NEW.status IS NOT OLD.status
BEGIN
	UPDATE case_deputies SET case_status = NEW.status WHERE case_id = NEW.id;
	UPDATE case_units SET case_status = NEW.status WHERE case_id = NEW.id;
END;
-- case_id last: the list is read from the index alone. The units' index
-- holds the lead assignments in force alone, the only ones a department
-- acts on: an index of every assignment by (org_id, …) would serve the
-- other probes of case_units (the office's unit filter, a unit's scope)
-- as a walk of all the unit's rows, which SQLite, without statistics,
-- preferred to their (case_id, org_id) look-up.
CREATE INDEX IF NOT EXISTS case_deputies_deputy_status ON case_deputies (deputy_id, case_status, case_id);
CREATE INDEX IF NOT EXISTS case_units_org_status ON case_units (org_id, case_status, case_id) WHERE active = TRUE AND lead = TRUE;
