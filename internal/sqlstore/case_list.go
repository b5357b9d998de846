package sqlstore

import (
	"context"
	"slices"
	"strings"

	"lianluo"
)

// Case lists: the page's ids found along an index in id order, one way in
// per part of the scope (docs/storage.md, "Case lists").

// FindCases lists cases inside the caller's scope, newest first. Shaped for
// a million cases (BENCHMARKS.md, docs/storage.md "Case lists"): the page's
// ids are found first, walking an index in id order (caseListQuery), and the
// columns joined for those rows only. It counts nothing unless f.Count asks:
// one row past the page tells whether more follow, and the total is exact
// when the page reaches the end of the matches, lianluo.TotalUnknown when
// more follow. With f.Count the matches are counted up to
// lianluo.MaxListTotal+1, as the to-do counts need.
func (db *DB) FindCases(ctx context.Context, f lianluo.CaseFilter) (_ []*lianluo.Case, _ int, err error) {
	defer wrap(&err, "FindCases")
	a := lianluo.ActorFromContext(ctx)
	cq, err := db.caseListQuery(ctx, a, f, false)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Page.Limit()
	windows, err := db.searchWindows(ctx, cq, f.Page)
	if err != nil {
		return nil, 0, err
	}
	page := func(w where, ids string) ([]*lianluo.Case, error) {
		q := `SELECT ` + caseColumns + strings.Replace(caseFrom, " FROM cases c", " FROM ("+ids+") p JOIN cases c ON c.id = p.id", 1) +
			` ORDER BY c.id DESC`
		out, _, err := queryList(ctx, db.reader(), q, w.args,
			func(sc interface{ Scan(...any) error }, c *lianluo.Case, _ *int) error {
				return scanCase(db.keys, sc, c)
			})
		return out, err
	}
	var out []*lianluo.Case
	probed := false
	if w, ids, ok := cq.categoryProbe(f.Page, limit+1, db.probeRows); ok {
		if ok, err = db.indexThere(ctx, "cases_category_id"); err != nil {
			return nil, 0, err
		}
		if ok {
			if out, err = page(w, ids); err != nil {
				return nil, 0, err
			}
		}
		if probed = ok && len(out) > limit; ok && !probed {
			// Fewer than the page: the answer if the probe saw the whole
			// category.
			if probed, err = db.categoryWithin(ctx, cq.category, db.probeRows); err != nil {
				return nil, 0, err
			}
		}
	}
	for _, lo := range windows {
		if probed {
			break
		}
		pw := where{clauses: slices.Clone(cq.w.clauses), args: slices.Clone(cq.w.args)}
		if lo > 0 {
			pw.add("c.id > " + pw.arg(lo))
		}
		pq := *cq
		pq.w = pw
		ids := pq.pageIDs(&pq.w, f.Page, limit+1)
		if out, err = page(pq.w, ids); err != nil {
			return nil, 0, err
		}
		if len(out) > limit {
			break // the window holds the page and one more: the newest matches
		}
	}
	more := !f.Page.Unlimited() && len(out) > limit
	if more {
		out = out[:limit]
	}
	for _, c := range out {
		c.Units, c.Ratings, c.ReceivedBy = []lianluo.CaseUnit{}, []lianluo.Rating{}, []int64{}
		lianluo.MaskSubmitterFor(a, c)
	}
	if err := loadSuggestionSummaries(ctx, db.reader(), out); err != nil {
		return nil, 0, err
	}
	total := f.Page.Offset() + len(out)
	switch {
	case f.Page.Unlimited():
		total = len(out)
	case f.Count || (len(out) == 0 && f.Page.Offset() > 0):
		// Asked for, or a page past the end: count, up to the cap.
		if total, err = db.countCases(ctx, cq, lianluo.MaxListTotal); err != nil {
			return nil, 0, err
		}
	case more:
		total = lianluo.TotalUnknown
	}
	return out, total, nil
}

// countCases counts the list's matches up to most+1.
func (db *DB) countCases(ctx context.Context, cq *caseQuery, most int) (n int, err error) {
	q, args := cq.countSQL(most)
	err = db.reader().QueryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// countSQL is the query that counts the list up to most+1, and its arguments.
func (cq *caseQuery) countSQL(most int) (string, []any) {
	w := cq.combined()
	return `SELECT COUNT(*) FROM (SELECT 1 FROM ` + cq.from + w.String() + ` LIMIT ` + w.arg(most+1) + `) t`, w.args
}

// searchWindows are the lower id bounds a search's page is tried within,
// newest cases first, ending with 0 (no bound). On PostgreSQL a search's
// GIN bitmap holds every match (93,768 for 路灯 over a million cases), and
// the page would visit and sort them all: tried first among the newest
// 20,000 cases, then 8 times as many, and so on, a frequent term's page
// is found among a few thousand rows, and a rare term costs a few GIN
// look-ups more. A window serves when it yields the page and one row more:
// those are then the newest matches. SQLite walks the FTS5 index in rowid
// order and needs none.
func (db *DB) searchWindows(ctx context.Context, q *caseQuery, p lianluo.Page) ([]int64, error) {
	if !q.postgres || !q.search || q.rare || p.Unlimited() {
		return []int64{0}, nil
	}
	var top int64
	if err := db.reader().QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&top); err != nil {
		return nil, err
	}
	var out []int64
	for w := int64(20000); w < top; w *= 8 {
		out = append(out, top-w)
	}
	return append(out, 0), nil
}

// ftsRowid is the id a search on SQLite pages along: the full-text index's rowid.
const ftsRowid = "cases_fts.rowid"

// caseQuery is a case list's conditions, kept apart so that the page can
// be found along an index in id order (pageIDs) and the rest — exports,
// counts — can use them as one WHERE (combined).
type caseQuery struct {
	w     where     // the filters (not the scope); holds every argument
	arms  []caseArm // the scope's ways in, ORed; nil: every case
	split []string  // disjoint alternatives of the filters (statuses), ORed; nil: none
	// from and order: the FROM and the id column when the list is one
	// query (a search walking the full-text index on SQLite).
	from, order string
	single      bool // page as one query, the scope and split as conditions
	postgres    bool
	search      bool   // a full-text or LIKE search
	category    string // the category filter, for categoryProbe
	rare        bool   // PostgreSQL: a search for a rare word (frequentSearch)
}

// combined is the WHERE of the whole list, the scope and the split as ORs.
func (q *caseQuery) combined() where {
	w := where{clauses: slices.Clone(q.w.clauses), args: slices.Clone(q.w.args)}
	if q.arms != nil {
		or := make([]string, len(q.arms))
		for i, a := range q.arms {
			or[i] = a.cond
		}
		addOr(&w, or)
	}
	if len(q.split) > 0 {
		w.add("(" + strings.Join(q.split, " OR ") + ")")
	}
	return w
}

// pageIDs returns the query of the page's ids (column id), newest first,
// binding its paging arguments in w. With one way in it is one query; with
// several (a town office sees its region and its body's queue; a list of
// several statuses), it is a UNION of one query per way, each walking its
// own index in id order: SQLite merges them in order, dropping an id two
// ways share as they meet (MERGE (UNION)), and stops at the page. The ways
// overlap (most of a town body's queue lies in the town): excluding from
// one way what another finds would make it walk the whole overlap to find
// nothing.
func (q *caseQuery) pageIDs(w *where, p lianluo.Page, limit int) string {
	paging := ""
	if !p.Unlimited() {
		paging = " LIMIT " + w.arg(limit) + " OFFSET " + w.arg(p.Offset())
	}
	arms := q.arms
	if q.single || max(len(arms), 1)*max(len(q.split), 1) <= 1 {
		c := q.combined()
		c.args = nil
		from, order := q.from, q.order
		if !q.single && len(arms) == 1 && arms[0].on != "" {
			from, order = arms[0].from, arms[0].id
			c = where{clauses: append([]string{arms[0].on}, q.w.clauses...)}
			if len(q.split) == 1 {
				c.add(q.split[0])
			}
		}
		return `SELECT ` + order + ` AS id FROM ` + from + c.String() + ` ORDER BY ` + order + ` DESC` + paging
	}
	if len(arms) == 0 {
		arms = []caseArm{{from: "cases c", id: "c.id"}}
	}
	splits := q.split
	if len(splits) == 0 {
		splits = []string{""}
	}
	// PostgreSQL (15) does not merge the arms in order: each arm stops at
	// the rows the page could need (the page's rows of the union are among
	// each arm's first offset+limit), and those few are sorted.
	inner, first := "", ""
	if q.postgres && !p.Unlimited() {
		first = w.arg(p.Offset() + limit)
	}
	var parts []string
	for _, a := range arms {
		cond, order := a.cond, "id DESC"
		if q.postgres && a.pgCond != "" {
			cond, order = a.pgCond, a.pgOrder
		}
		if first != "" {
			inner = " ORDER BY " + order + " LIMIT " + first
		}
		for _, s := range splits {
			var c where
			if a.on != "" {
				c.add(a.on)
			} else if cond != "" {
				c.add(cond)
			}
			if s != "" {
				c.add(s)
			}
			c.clauses = append(c.clauses, q.w.clauses...)
			part := `SELECT ` + a.id + ` AS id FROM ` + a.from + c.String()
			if inner != "" {
				part = "(" + part + inner + ")"
			}
			parts = append(parts, part)
		}
	}
	// The compound itself ordered (not a subquery of it): SQLite merges a
	// compound SELECT in its ORDER BY, and a UNION in a subquery in
	// ascending id order only.
	return strings.Join(parts, " UNION ") + ` ORDER BY id DESC` + paging
}

// noIndex is col in a form the planner does not look up in an index: a
// condition kept as a filter on rows found along another index, in id
// order. SQLite's unary + does that; PostgreSQL costs its choices from
// statistics and needs no hint.
func (db *DB) noIndex(col string) string {
	if db.Dialect == SQLite {
		return "+" + col
	}
	return col
}

// caseListWhere is the WHERE of a case list for the filter, inside the
// actor's scope, with the FROM and the id column to order by (the full-text
// index's rowid when searching on SQLite). FindCases and EachCaseForExport
// share it (through caseListQuery), so an export holds exactly what the
// list shows.
func (db *DB) caseListWhere(ctx context.Context, a *lianluo.Actor, f lianluo.CaseFilter) (w where, from, order string, err error) {
	q, err := db.caseListQuery(ctx, a, f, true)
	if err != nil {
		return w, "", "", err
	}
	return q.combined(), q.from, q.order, nil
}

// caseListQuery is the case list for the filter inside the actor's scope;
// whole when the query will read all of it (a count, an export) rather than
// a page (todoClause).
func (db *DB) caseListQuery(ctx context.Context, a *lianluo.Actor, f lianluo.CaseFilter, whole bool) (_ *caseQuery, err error) {
	q := &caseQuery{from: "cases c", order: "c.id", postgres: db.Dialect == Postgres}
	w := &q.w
	region := ""
	if f.Region != "" {
		if region = lianluo.NormalizeRegionCode(f.Region); region == "" {
			return nil, lianluo.FieldError("region", "行政区划代码格式不正确。")
		}
	}
	// The statuses: several (or the overdue ones) page as one query each,
	// along cases_status_id.
	var statuses []lianluo.CaseStatus
	for _, s := range f.Status {
		if _, ok := lianluo.StatusNames[s]; !ok {
			return nil, lianluo.FieldError("status", "状态“%s”不存在。", lianluo.Truncate(string(s), 30))
		}
		if !slices.Contains(statuses, s) {
			statuses = append(statuses, s)
		}
	}
	if f.Overdue {
		if len(f.Status) == 0 {
			statuses = slices.Clone(lianluo.OverdueStatuses)
		} else {
			statuses = slices.DeleteFunc(statuses, func(s lianluo.CaseStatus) bool { return !slices.Contains(lianluo.OverdueStatuses, s) })
		}
	}
	regionCond := caseRegion
	if len(statuses) > 0 {
		regionCond = db.statusRegion
	}
	now := db.Now().UTC()
	var pol lianluo.Policy
	todoInScope := false
	if f.Todo != "" {
		if pol, err = db.Policy(ctx); err != nil {
			return nil, err
		}
		// Asked before the scope binds its arguments, on a WHERE of its own.
		if todoInScope, err = todoClause(&where{}, a, f.Todo, pol, now, whole); err != nil {
			return nil, err
		}
	}
	switch {
	case a != nil && region != "" && slices.ContainsFunc(a.Scope.Regions, func(p string) bool { return strings.HasPrefix(region, p) }):
		// A region inside the caller's subtree: the scope adds nothing to
		// the filter, and the region's own index serves the list.
	case todoInScope:
		// A to-do list whose conditions lie inside the scope (todoClause).
	default:
		q.arms = scopeArms(w, a, "c", regionCond)
	}
	if f.Overdue {
		if len(statuses) == 0 {
			w.add("1 = 0")
		}
		// Checked on cases_status_id's entries (status, id, due_at), not
		// along cases_status (status, due_at): that would sort.
		w.add(db.noIndex("c.due_at") + " < " + w.arg(now))
	}
	for _, s := range statuses {
		q.split = append(q.split, "c.status = "+w.arg(s))
	}
	if f.StationID != 0 {
		w.add("c.station_id = " + w.arg(f.StationID))
	}
	if f.OrgID != 0 {
		w.add("c.org_id = " + w.arg(f.OrgID))
	}
	if f.Category != "" {
		w.add("c.category = " + w.arg(f.Category))
		q.category = f.Category
	}
	if f.Kind != "" {
		if _, ok := lianluo.CaseKindNames[f.Kind]; !ok {
			return nil, lianluo.FieldError("kind", "类型“%s”不存在。", lianluo.Truncate(f.Kind, 30))
		}
		w.add("c.kind = " + w.arg(f.Kind))
	}
	if f.SessionID != 0 || lianluo.IsSuggestionKind(f.Kind) {
		// Suggestions and bills are few beside the opinions: found through
		// their own table and sorted.
		sub := "SELECT case_id FROM suggestions"
		if f.SessionID != 0 {
			sub += " WHERE session_id = " + w.arg(f.SessionID)
		}
		w.add("c.id IN (" + sub + ")")
		q.single = true
	}
	if f.Tracking != "" {
		w.add("c.tracking_code = " + w.arg(lianluo.NormalizeTrackingCode(f.Tracking)))
	}
	if region != "" {
		w.add(regionCond(w, "c.region_code", region))
	}
	if f.From != nil {
		w.add("c.created_at >= " + w.arg(*f.From))
	}
	if f.To != nil {
		w.add("c.created_at < " + w.arg(*f.To))
	}
	if f.Todo != "" {
		if _, err := todoClause(w, a, f.Todo, pol, now, whole); err != nil {
			return nil, err
		}
		// A to-do list is a few statuses of the scope, most of them with
		// few cases: found along the status index and sorted, rather than
		// by walking the whole scope in id order to find them.
		q.single = true
	}
	if s := strings.TrimSpace(f.Q); s != "" {
		// A search pages along the full-text index (SQLite) or its matches
		// (PostgreSQL), the scope checked per match.
		q.single, q.search = true, true
		if searchJoin(db, w, "cases", "c", []string{"title", "content"}, s) {
			q.from, q.order = "cases_fts JOIN cases c ON c.id = cases_fts.rowid", ftsRowid
		}
		if q.postgres {
			frequent, err := db.frequentSearch(ctx, s)
			if err != nil {
				return nil, err
			}
			if !frequent {
				// A rare word: its matches from the GIN index, sorted. Ordered
				// by an expression, not along the primary key backwards.
				q.rare, q.order = true, "(c.id + 0)"
			}
		}
	}
	// The overdue to-do list too: its cases are open ones past their
	// deadline, which the planner otherwise looked for along cases_master
	// (master_id IS NULL: nearly every case, newest first) — 36 ms a page
	// at a million cases, against 2–3 ms along the open cases' index.
	if f.Overdue && !q.single && f.UnitID == 0 || f.Todo == "overdue" && !q.search {
		if err := db.overdueIndex(ctx, q); err != nil {
			return nil, err
		}
	}
	id := "c.id"
	if q.order == ftsRowid {
		// A search on SQLite: the conditions on the case's id alone are
		// checked on the full-text index's rowid, before the case's row is
		// read, and only the matches that pass them read it. A word a
		// department's cases do not hold (学校 for the housing bureau)
		// walked every match reading each row: 117–159 ms a page at a
		// million cases, 300 ms with an office's unit filter.
		id = ftsRowid
		for i, a := range q.arms {
			if a.idCond != nil {
				q.arms[i].cond = a.idCond(id)
			}
		}
	}
	switch {
	case f.UnitID != 0 && (q.search || f.Todo != ""):
		// Paged along the search or the statuses: the unit per case.
		w.add("EXISTS (SELECT 1 FROM case_units fu WHERE fu.case_id = " + id + " AND fu.org_id = " + w.arg(f.UnitID) + " AND fu.active = TRUE)")
	case f.UnitID != 0:
		// A unit's cases page along its assignments in case order
		// (case_units_org_case), the scope and the other filters checked
		// per case: a big unit's cases are many, its page a few.
		w.add("cu.org_id = " + w.arg(f.UnitID) + " AND cu.active = TRUE")
		q.single, q.from, q.order = true, "case_units cu JOIN cases c ON c.id = cu.case_id", "cu.case_id"
	}
	return q, nil
}
