-- The statuses in flight (the overdue list: awaiting approval, assigned,
-- handling) page along these indexes in id order: cases_status_id for a
-- town's or district's cases, cases_org for a body's queue, cases_station
-- for a station's (equality on the key, then id: a status's cases of the
-- body or station in id order). With the deadline in the index, a case not
-- yet due is passed over on its index entry alone, without reading its
-- row: the overdue list's page at a million cases went from ~30 ms to
-- ~3 ms a status on SQLite (BENCHMARKS.md). Replaces migration 0002's
-- (org_id, status) and (station_id, status) and 0004's (status, id).
DROP INDEX cases_status_id;
CREATE INDEX cases_status_id ON cases (status, id, due_at);
DROP INDEX cases_org;
CREATE INDEX cases_org ON cases (org_id, status, id, due_at);
DROP INDEX cases_station;
CREATE INDEX cases_station ON cases (station_id, status, id, due_at);
-- The extension requests awaiting a decision (待审批延期), a handful at any
-- time: the to-do list and its count look them up here instead of reading
-- every case in handling of the body's queue (todoClause).
CREATE INDEX cases_extension_pending ON cases (id) WHERE ext_until IS NOT NULL AND ext_decided = FALSE;
-- The search words' statistics: the ten most common thousand (not the
-- thousand) with their shares, so that both the planner and the store
-- (frequentSearch, search_plan.go) tell a rare word — read from the GIN
-- index and sorted — from a frequent one, found by walking the newest
-- cases. With the default, every word in fewer than ~1.5 % of the cases
-- looked alike, and a word in 426 cases of a million took seconds a page.
ALTER TABLE cases ALTER COLUMN search_tsv SET STATISTICS 1000;
ANALYZE cases;
