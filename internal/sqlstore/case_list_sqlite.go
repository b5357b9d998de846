package sqlstore

import (
	"context"
	"strings"

	"lianluo"
)

// SQLite's own ways to a page of a case list, where its planner needs to be
// told: the category probe and the overdue list's partial index, each
// falling back to the scope's ways in (case_list.go) while a bulk load has
// set its index aside (indexThere).

// categoryProbeRows is how many of a category's newest cases a list
// filtered by it looks at first (categoryProbe); DB.probeRows, which a
// test may lower.
const categoryProbeRows = 1000

// categoryProbe is, on SQLite, the query of a category list's page among
// the category's newest rows cases, walked along cases_category_id in id
// order with the scope and the other filters checked on each; ok is false
// where the list does not take it (no category filter, a list paged along
// another index, PostgreSQL, whose planner weighs the category by its
// statistics). The list otherwise walks the scope's ways in (pageIDs) and
// checks the category on each case: a category that one way holds few or
// none of (the district body's queue, say) makes that way walk to its end,
// every case of it (55–125 ms a page at a million cases, seconds for a
// category with one case: BENCHMARKS.md). The probe's cost is bounded
// instead: a scope holding a tenth of the cases finds a page among 1,000
// of the category's cases with a hundred to spare. When it finds fewer
// than the page, the page is those if the probe saw the whole category
// (categoryWithin), and is otherwise looked for the usual way, as it is
// while a bulk load has set the index aside (indexThere). INDEXED BY:
// the id bound serves a station's (station_id, id) index as well, and the
// planner took that, walking the station's cases.
func (q *caseQuery) categoryProbe(p lianluo.Page, limit, rows int) (w where, ids string, ok bool) {
	if q.category == "" || q.postgres || q.single || p.Unlimited() || p.Offset()+limit > rows {
		return w, "", false
	}
	w = q.combined()
	w.add("c.id >= COALESCE((SELECT id FROM cases WHERE category = " + w.arg(q.category) + " ORDER BY id DESC LIMIT 1 OFFSET " +
		w.arg(rows-1) + "), 0)")
	return w, `SELECT c.id AS id FROM cases c INDEXED BY cases_category_id` + w.String() + ` ORDER BY c.id DESC LIMIT ` + w.arg(limit) +
		` OFFSET ` + w.arg(p.Offset()), true
}

// categoryWithin reports whether the category holds at most n cases.
func (db *DB) categoryWithin(ctx context.Context, category string, n int) (bool, error) {
	var k int
	err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM cases WHERE category = $1 LIMIT $2) t`, category, n+1).Scan(&k)
	return k <= n, err
}

// overdueIndex makes the overdue list q, on SQLite, one walk down
// cases_open_id (migration 0035): the open cases alone in id order, each
// entry with the deadline and the columns the scope checks, so that no row
// is read. The index's condition is repeated as written there, as SQLite
// takes a partial index only for a WHERE that contains it; INDEXED BY, as
// the planner otherwise sorts the statuses' cases. Where the index is not
// there — a bulk load has set it aside (bulk_indexes.go) — the list keeps
// its arms.
func (db *DB) overdueIndex(ctx context.Context, q *caseQuery) error {
	if db.Dialect != SQLite {
		return nil
	}
	if ok, err := db.indexThere(ctx, "cases_open_id"); err != nil || !ok {
		return err
	}
	q.w.add("c.status IN " + overdueStatusList())
	q.single, q.from = true, "cases c INDEXED BY cases_open_id"
	return nil
}

// indexThere reports whether the SQLite index name is there: a bulk load
// sets the indexes of the tables it fills aside (bulk_indexes.go), and a
// query naming one (INDEXED BY) would fail meanwhile.
func (db *DB) indexThere(ctx context.Context, name string) (bool, error) {
	var n int
	err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = $1`, name).Scan(&n)
	return n > 0, err
}

// overdueStatusList is lianluo.OverdueStatuses as the SQL list of migration
// 0035's partial index: ('pending_approval', 'assigned', 'handling').
func overdueStatusList() string {
	quoted := make([]string, len(lianluo.OverdueStatuses))
	for i, s := range lianluo.OverdueStatuses {
		quoted[i] = "'" + string(s) + "'"
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}
