-- Migration 0035: the overdue list's own index. Its cases are those
-- awaiting approval, signing or a reply (lianluo.OverdueStatuses) whose
-- deadline has passed; walking the status index in id order for each of
-- those statuses and each part of the scope passed over every case in them
-- not yet due, reading its row to check the scope (at a million cases
-- 11,500 entries and 3 ms a page for the district office, p99 84 ms at 16
-- clients). This index holds the open cases alone, in id order, with the
-- deadline and every column a scope checks: a page is one walk down it that
-- reads no row (case_list.go, overdueIndex). The statuses must stay those
-- of lianluo.OverdueStatuses, in that order (TestOverdueIndexStatuses).
CREATE INDEX cases_open_id ON cases (id, due_at, status, region_code, org_id, station_id)
	WHERE status IN ('pending_approval', 'assigned', 'handling');
