-- Migration 0036: each case's status beside the deputies who received it
-- and the departments assigned to it, so that a deputy's to-do lists
-- (待反馈, 待测评) and a department's (待签收, 待答复, 已超期), and their
-- counts, start from the deputy's or department's own cases in those
-- statuses, an index range, instead of checking every case of the district
-- in those statuses against them (BENCHMARKS.md).
--
-- A copy of cases.status: written with the row by every insert (CreateCase,
-- the workflow's assignments, the bulk load), checked there by the triggers
-- below, and kept equal by the trigger on cases whenever the status changes.
ALTER TABLE case_deputies ADD COLUMN case_status TEXT NOT NULL DEFAULT '';
ALTER TABLE case_units ADD COLUMN case_status TEXT NOT NULL DEFAULT '';
-- Filling the copies changes no figure: without the statistics triggers
-- (0010) for the while, and after them the triggers mark a case for the
-- rollups only when a row's own columns change, not the copy (the change of
-- status on cases marks the case already). The updates leave the tables'
-- old row versions to autovacuum (or VACUUM ANALYZE after the upgrade).
DROP TRIGGER case_deputies_stats ON case_deputies;
DROP TRIGGER case_units_stats ON case_units;
UPDATE case_deputies cd SET case_status = c.status FROM cases c WHERE c.id = cd.case_id;
UPDATE case_units cu SET case_status = c.status FROM cases c WHERE c.id = cu.case_id;
ALTER TABLE case_deputies ALTER COLUMN case_status DROP DEFAULT;
ALTER TABLE case_units ALTER COLUMN case_status DROP DEFAULT;
CREATE TRIGGER case_deputies_stats AFTER INSERT OR UPDATE OF case_id, deputy_id, created_at OR DELETE ON case_deputies
	FOR EACH ROW EXECUTE FUNCTION stats_mark_case_part();
CREATE TRIGGER case_units_stats AFTER INSERT OR UPDATE OF case_id, org_id, round, lead, active, signed_at OR DELETE ON case_units
	FOR EACH ROW EXECUTE FUNCTION stats_mark_case_part();

-- An insert must bring the case's status.
CREATE FUNCTION case_status_copy_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.case_status IS DISTINCT FROM (SELECT status FROM cases WHERE id = NEW.case_id) THEN
		RAISE EXCEPTION '%.case_status must be the status of its case', TG_TABLE_NAME;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER case_deputies_case_status BEFORE INSERT ON case_deputies
	FOR EACH ROW EXECUTE FUNCTION case_status_copy_check();
CREATE TRIGGER case_units_case_status BEFORE INSERT ON case_units
	FOR EACH ROW EXECUTE FUNCTION case_status_copy_check();

CREATE FUNCTION cases_status_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE case_deputies SET case_status = NEW.status WHERE case_id = NEW.id;
	UPDATE case_units SET case_status = NEW.status WHERE case_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER cases_status_copies AFTER UPDATE OF status ON cases
	FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status) EXECUTE FUNCTION cases_status_copies();

-- case_id last: the list is read from the index alone. The units' index
-- holds the lead assignments in force alone, the only ones a department
-- acts on: an index of every assignment by (org_id, …) would serve the
-- other probes of case_units (the office's unit filter, a unit's scope)
-- as a walk of all the unit's rows, which SQLite, without statistics,
-- preferred to their (case_id, org_id) look-up.
CREATE INDEX IF NOT EXISTS case_deputies_deputy_status ON case_deputies (deputy_id, case_status, case_id);
CREATE INDEX IF NOT EXISTS case_units_org_status ON case_units (org_id, case_status, case_id) WHERE active = TRUE AND lead = TRUE;
ANALYZE case_deputies, case_units;
