-- The registration date of each case beside the deputies who received it,
-- so that a deputy's opinions of a year (履职积分, 履职档案, 代表履职手册,
-- 六个一) are an index range on (deputy_id, created_at) instead of every
-- case the deputy ever received, each looked up in cases for its date
-- (BENCHMARKS.md, "Ledgers"). A copy of cases.created_at, written with the
-- row by every insert (CreateCase, the bulk load); a case's registration
-- date never changes.
ALTER TABLE case_deputies ADD COLUMN created_at TIMESTAMP;
-- Filling the copy changes no figure: without its statistics trigger
-- (0010) for the while, so that every case a deputy received is not marked
-- for the rollups to count again.
DROP TRIGGER case_deputies_stats_update;
UPDATE case_deputies SET created_at = (SELECT c.created_at FROM cases c WHERE c.id = case_deputies.case_id);
CREATE TRIGGER case_deputies_stats_update AFTER UPDATE ON case_deputies BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END;
-- SQLite adds a column NOT NULL only with a default, which would hide an
-- insert that forgot the date (its case would then count in no year).
CREATE TRIGGER case_deputies_created_at BEFORE INSERT ON case_deputies WHEN NEW.created_at IS NULL
BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: case_deputies.created_at'); END;
-- case_id last: the join to cases reads it from the index.
CREATE INDEX case_deputies_deputy_created ON case_deputies (deputy_id, created_at, case_id);

