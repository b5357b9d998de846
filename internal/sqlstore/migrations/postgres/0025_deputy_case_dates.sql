-- The registration date of each case beside the deputies who received it,
-- so that a deputy's opinions of a year (履职积分, 履职档案, 代表履职手册,
-- 六个一) are an index range on (deputy_id, created_at) instead of every
-- case the deputy ever received, each looked up in cases for its date
-- (BENCHMARKS.md, "Ledgers"). A copy of cases.created_at, written with the
-- row by every insert (CreateCase, the bulk load); a case's registration
-- date never changes.
ALTER TABLE case_deputies ADD COLUMN created_at TIMESTAMPTZ;
-- Filling the copy changes no figure: without the statistics trigger
-- (0010) for the while, so that every case a deputy received is not marked
-- for the rollups to count again. The update leaves the table's old row
-- versions to autovacuum (or VACUUM ANALYZE case_deputies after the
-- upgrade): until then the planner may scan the table rather than the
-- index below.
ALTER TABLE case_deputies DISABLE TRIGGER case_deputies_stats;
UPDATE case_deputies cd SET created_at = c.created_at FROM cases c WHERE c.id = cd.case_id;
ALTER TABLE case_deputies ENABLE TRIGGER case_deputies_stats;
ALTER TABLE case_deputies ALTER COLUMN created_at SET NOT NULL;
-- case_id last: the join to cases reads it from the index.
CREATE INDEX case_deputies_deputy_created ON case_deputies (deputy_id, created_at, case_id);
ANALYZE case_deputies;
