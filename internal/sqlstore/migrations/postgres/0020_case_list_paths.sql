-- One index per access path of the case lists (docs/storage.md, "Case lists"):
-- each is ordered by id after its key, so that `ORDER BY id DESC LIMIT n`
-- walks the index backwards and stops at the page instead of sorting every
-- case of the station, body, town or status.
CREATE INDEX cases_station_id ON cases (station_id, id);
CREATE INDEX cases_org_id ON cases (org_id, id);
CREATE INDEX cases_region_id ON cases (region_code, id);
-- A region subtree of a town (9 digits) or a district (6) is one key here:
-- the lists write `substr(c.region_code, 1, 9) = ?` (caseRegion), the very
-- expression indexed, instead of a range over the subtree's codes, which
-- would need a sort.
CREATE INDEX cases_town_id ON cases ((substr(region_code, 1, 9)), id);
CREATE INDEX cases_district_id ON cases ((substr(region_code, 1, 6)), id);
CREATE INDEX cases_category_id ON cases (category, id);
-- A deputy's and a unit's cases, in case order.
CREATE INDEX case_deputies_deputy_case ON case_deputies (deputy_id, case_id);
CREATE INDEX case_units_org_case ON case_units (org_id, case_id);
-- Statistics for the expressions just indexed: without them the planner
-- guesses a town holds 0.5 % of the cases (it may hold a fifth) and picks
-- a bitmap of the whole town over walking the index. Autovacuum would
-- gather them only after a tenth of the table changed.
ANALYZE cases;
