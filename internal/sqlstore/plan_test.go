package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestCaseListPlans asks each database's planner how it would find a case
// list's page — for every filter the console's list and the API offer, as
// each kind of user — and fails when the plan reads all of cases or sorts
// them for ORDER BY id DESC: each access path must walk an index in id
// order and stop at the page (docs/storage.md, "Case lists").
//
//   - SQLite is asked as production runs it: without ANALYZE statistics
//     (the store does not gather them), so the plan is what the query's
//     shape and the indexes give. A row "SCAN c" (the table, or a whole
//     index of it) or "USE TEMP B-TREE FOR ORDER BY" fails.
//   - PostgreSQL on a test database of a dozen rows prefers a sequential
//     scan and a sort whatever the indexes. Rather than switch plan types
//     off (enable_seqscan = off also hides a missing index behind a full
//     index scan), the test fills the database with 30,000 cases spread
//     like a district's and runs ANALYZE, so that the planner costs the
//     real shapes with realistic statistics. A "Seq Scan" on cases, or a
//     "Sort"/"Incremental Sort" above a scan of cases, fails.
//
// Accepted and listed in allowed: what cannot walk one index in id order
// and is bounded otherwise (see there).
func TestCaseListPlans(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := storetest.SystemContext()
		// The deputy sits at both stations, as many do: a scope of two
		// stations (their cases were sorted together for a first page).
		both := []int64{w.DeputyB.ID, w.DeputyA1.ID}
		if _, err := db.UpdateStation(ctx, w.StationB.ID, lianluo.StationUpdate{DeputyIDs: &both, Version: w.StationB.Version}); err != nil {
			t.Fatal(err)
		}
		if db.Dialect == sqlstore.Postgres {
			planFill(t, db)
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
		to := from.AddDate(0, 1, 0)
		handling := []lianluo.CaseStatus{lianluo.StatusHandling}
		filters := []struct {
			name string
			f    lianluo.CaseFilter
		}{
			{"none", lianluo.CaseFilter{}},
			{"page 50", lianluo.CaseFilter{Page: lianluo.Page{Page: 50}}},
			{"status", lianluo.CaseFilter{Status: handling}},
			{"statuses", lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusHandling, lianluo.StatusReplied}}},
			{"station", lianluo.CaseFilter{StationID: w.StationA.ID}},
			{"station+status", lianluo.CaseFilter{StationID: w.StationA.ID, Status: handling}},
			{"org", lianluo.CaseFilter{OrgID: w.TownA.ID}},
			{"unit", lianluo.CaseFilter{UnitID: w.Unit.ID}},
			{"category", lianluo.CaseFilter{Category: "城乡建设"}},
			{"region town", lianluo.CaseFilter{Region: "330206004"}},
			{"region village", lianluo.CaseFilter{Region: "330206004002"}},
			{"region+status", lianluo.CaseFilter{Region: "330206004", Status: handling}},
			{"overdue", lianluo.CaseFilter{Overdue: true}},
			{"overdue+status", lianluo.CaseFilter{Overdue: true, Status: handling}},
			{"dates", lianluo.CaseFilter{From: &from, To: &to}},
			{"q", lianluo.CaseFilter{Q: "路灯"}},
			{"q+status", lianluo.CaseFilter{Q: "路灯", Status: handling}},
			{"q rare", lianluo.CaseFilter{Q: "璎珞"}},
			{"unit+q", lianluo.CaseFilter{UnitID: w.Unit.ID, Q: "路灯"}},
		}
		for _, l := range lianluo.TodoLists {
			filters = append(filters, struct {
				name string
				f    lianluo.CaseFilter
			}{"todo " + l.Key, lianluo.CaseFilter{Todo: l.Key}})
		}
		for _, user := range []string{"admin", "office", "officea", "heada", "deputya", "unit"} {
			as := w.As(t, user)
			for _, fc := range filters {
				if fc.f.Todo != "" && user == "admin" {
					continue // the system administrator has no to-do lists of cases
				}
				q, args, err := db.CaseListPageSQL(as, fc.f)
				if err != nil {
					t.Fatalf("%s, %s: %v", user, fc.name, err)
				}
				var settings []string
				plan, err := db.ExplainForTest(ctx, settings, q, args)
				if err != nil {
					t.Fatalf("%s, %s: explain: %v\n%s", user, fc.name, err, q)
				}
				bad := planProblems(t, db.Dialect, plan)
				why, ok := allowedPlan(db.Dialect, user, fc.name)
				switch {
				case bad != "" && !ok:
					t.Errorf("%s, %s: %s\n%s\nplan:\n%s", user, fc.name, bad, q, strings.Join(plan, "\n"))
				case testing.Verbose() && os.Getenv("PLAN_DUMP") != "":
					t.Logf("%s, %s:\n%s", user, fc.name, strings.Join(plan, "\n"))
				case bad != "" && testing.Verbose():
					t.Logf("%s, %s: accepted (%s): %s", user, fc.name, why, bad)
				}
				if todo, ok := strings.CutPrefix(fc.name, "todo "); ok {
					// A to-do list none of whose actions is the user's is
					// a constant false term, evaluated once before any row
					// (a deputy's walk of every open case past its deadline
					// to find nothing took 47 ms at a million cases); one
					// the user has a part in is not.
					none := slices.Contains(noPartIn[user], todo)
					if got := constantFalse.MatchString(q); got != none {
						t.Errorf("%s, %s: a constant false term %v, want %v\n%s", user, fc.name, got, none, q)
					}
					// The scope's deputy and unit arms repeat what a
					// deputy's or a department's part in the list already
					// says: each is another list of the deputy's received
					// cases, another probe of the department's per case.
					for _, table := range []string{"case_deputies", "case_units"} {
						if n := strings.Count(q, "FROM "+table); n > 1 {
							t.Errorf("%s, %s: %s read %d times\n%s", user, fc.name, table, n, q)
						}
					}
				}
				if db.Dialect == sqlstore.SQLite {
					if p := ownerWalk(plan); p != "" {
						// A probe per case that walks every row of the unit or
						// deputy (196,890 for a large department) instead of
						// looking the case up: SQLite, without statistics,
						// chose a covering index with the owner alone over
						// (org_id, case_id).
						t.Errorf("%s, %s: a probe walks the owner's rows: %s\n%s", user, fc.name, p, q)
					}
					if p := unitCasesListed(plan); p != "" {
						// A unit's scope is probed per case (EXISTS): a list of
						// its cases is built whole before the first row, a fifth
						// of a district's cases for a large department. (Its
						// cases in a to-do list's statuses are a few thousand
						// at most, read along case_units_org_status.)
						t.Errorf("%s, %s: the unit's cases built as a list: %s\n%s\nplan:\n%s", user, fc.name, p, q, strings.Join(plan, "\n"))
					}
					if search := strings.HasPrefix(fc.name, "q") || fc.name == "unit+q"; search && (user == "unit" || fc.name == "unit+q") &&
						!strings.Contains(q, "case_id = cases_fts.rowid") {
						// The unit is probed on the full-text index's rowid,
						// before the case's row is read: a word the unit's
						// cases lack walks every match.
						t.Errorf("%s, %s: the unit not probed on the full-text rowid\n%s", user, fc.name, q)
					}
					if strings.HasPrefix(fc.name, "todo ") && (user == "deputya" || user == "unit") && !constantFalse.MatchString(q) {
						// A deputy's or a department's part in a to-do
						// list's count is its own cases in the list's
						// statuses (migration 0036), not a check on each case
						// of the district in them: 17 ms for a small
						// department's 待答复 at a million cases. So is a
						// deputy's page; a department's page probes per case
						// (caseRolesSQL.handler).
						cq, cargs, err := db.CaseCountSQL(as, fc.f)
						if err != nil {
							t.Fatal(err)
						}
						cplan, err := db.ExplainForTest(ctx, nil, cq, cargs)
						if err != nil {
							t.Fatalf("%s, %s: explain the count: %v\n%s", user, fc.name, err, cq)
						}
						for what, p := range map[string][]string{"count": cplan, "page": plan} {
							if (what == "count" || user == "deputya") && !strings.Contains(strings.Join(p, "\n"), "case_status=?") {
								t.Errorf("%s, %s: the caller's part in the %s not read by the copy of the status\nplan:\n%s", user, fc.name, what, strings.Join(p, "\n"))
							}
						}
					}
					if p := allReceived.FindString(strings.Join(plan, "\n")); !constantFalse.MatchString(q) && p != "" {
						// Every case the deputy ever received read into a
						// list (19,050 at a million cases): a to-do list
						// reads its cases in the list's statuses (migration
						// 0036), other lists probe it per case or walk it in
						// case order. (A list known empty reads nothing.)
						t.Errorf("%s, %s: all the deputy's received cases read: %s\n%s\nplan:\n%s", user, fc.name, p, q, strings.Join(plan, "\n"))
					}
					if fc.name == "todo overdue" && !strings.Contains(strings.Join(plan, "\n"), "cases_open_id") {
						t.Errorf("%s, %s: not along the open cases' index (cases_open_id)\n%s\nplan:\n%s", user, fc.name, q, strings.Join(plan, "\n"))
					}
				}
				if db.Dialect == sqlstore.Postgres && strings.HasPrefix(fc.name, "q") {
					// frequentSearch: the rare word is sorted from its matches,
					// the frequent one walks the newest cases.
					rare := fc.name == "q rare"
					if strings.Contains(q, "(c.id + 0)") != rare || rare && !strings.Contains(plan[0], `"Index Name": "cases_search"`) {
						t.Errorf("%s, %s: rare %v, but:\n%s\nplan:\n%s", user, fc.name, rare, q, plan[0])
					}
				}
			}
		}
		if db.Dialect == sqlstore.Postgres {
			// A rare word's matches, found through the GIN index and sorted
			// (search_plan.go), page newest first like any list.
			want := mustQuery(t, db, `SELECT id FROM cases WHERE tracking_code LIKE 'PLAN%' AND id % 1000 = 0 ORDER BY id DESC`)
			var got []string
			for p := 1; ; p++ {
				items, _, err := db.FindCases(ctx, lianluo.CaseFilter{Q: "璎珞", Page: lianluo.Page{Page: p, PerPage: 7}})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range items {
					got = append(got, fmt.Sprintf("[%d]", c.ID))
				}
				if len(items) < 7 {
					break
				}
			}
			if len(want) == 0 || strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("pages of 璎珞 = %v; want %v", got, want)
			}
		}
	})
}

// noPartIn are the to-do lists none of whose actions the world's user may
// take, whatever the case (lianluo.AllowedActions): only a department
// signs and replies; a station's staff neither approve (the body's
// leaders), decide on more time (the body's queue) nor supervise (the NPC
// office); a deputy gives feedback and evaluates, nothing on a case still
// in handling; a department handler signs, replies and asks for more time.
var noPartIn = map[string][]string{
	"office":  {"sign", "reply"},
	"officea": {"sign", "reply"},
	"heada":   {"approve", "sign", "reply", "extension", "supervise"},
	"deputya": {"triage", "approve", "sign", "reply", "overdue", "extension", "supervise"},
	"unit":    {"triage", "approve", "extension", "feedback", "evaluate", "supervise"},
}

// ownerWalk returns the row of a SQLite plan that probes case_units or
// case_deputies per case (EXISTS, a correlated subquery) by the unit or the
// deputy alone, or "".
func ownerWalk(plan []string) string {
	return planRow(plan, func(d, parent string) bool {
		perCase := strings.Contains(d, " EXISTS USING ") || strings.HasPrefix(parent, "CORRELATED")
		return perCase && ownerOnly.MatchString(d)
	})
}

// planRow returns the first row of a SQLite plan (as ExplainForTest gives
// it: "id<parent detail") whose detail and its parent's match, as "parent →
// detail", or "".
func planRow(plan []string, match func(detail, parent string) bool) string {
	detail := map[string]string{}
	for _, row := range plan {
		id, rest, _ := strings.Cut(row, "<")
		parent, d, _ := strings.Cut(rest, " ")
		detail[id] = d
		if match(d, detail[parent]) {
			return detail[parent] + " → " + d
		}
	}
	return ""
}

var ownerOnly = regexp.MustCompile(`^SEARCH \w+ (EXISTS )?USING (COVERING )?INDEX \w+ \((org_id|deputy_id)=\?\)$`)

// allReceived matches a SQLite plan row that reads a deputy's received
// cases by the deputy alone, whatever their status.
var allReceived = regexp.MustCompile(`SEARCH case_deputies USING (COVERING )?INDEX \S+ \(deputy_id=\?\)`)

// constantFalse matches a WHERE with a term that is false whatever the row.
var constantFalse = regexp.MustCompile(`( WHERE | AND )1 = 0( AND | ORDER BY |$)`)

// unitCasesListed returns the row of a SQLite plan that reads case_units
// into a LIST SUBQUERY (an IN list built whole) other than a to-do list's
// cases of the unit in the list's statuses, or "".
func unitCasesListed(plan []string) string {
	return planRow(plan, func(d, parent string) bool {
		return strings.Contains(d, " case_units ") && strings.HasPrefix(parent, "LIST SUBQUERY") && !strings.Contains(d, "case_status=?")
	})
}

var (
	sqliteScan = regexp.MustCompile(`^\d+<\d+ SCAN c(\s|$)`)
	sqliteSort = regexp.MustCompile(`USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY`)
)

// planProblems describes what in the plan reads or sorts all of cases.
func planProblems(t *testing.T, dialect string, plan []string) string {
	t.Helper()
	var out []string
	if dialect == sqlstore.SQLite {
		for _, row := range plan {
			switch {
			case strings.HasSuffix(row, "SCAN c USING COVERING INDEX cases_open_id"):
				// The overdue list's walk down the open cases alone, in
				// id order (migration 0035): bounded by the work in
				// flight, not by cases, and sorting nothing.
			case sqliteScan.MatchString(row):
				out = append(out, "full scan: "+row)
			case sqliteSort.MatchString(row):
				out = append(out, "sort: "+row)
			}
		}
		return strings.Join(out, "; ")
	}
	var doc []struct {
		Plan pgNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan[0]), &doc); err != nil {
		t.Fatalf("EXPLAIN JSON: %v", err)
	}
	var walk func(n pgNode, sorted bool)
	walk = func(n pgNode, sorted bool) {
		switch n.NodeType {
		case "Sort", "Incremental Sort":
			sorted = true
		case "Limit":
			// A sort of what limited arms return (pageIDs on
			// PostgreSQL) is bounded by the page, not by cases.
			sorted = false
		}
		if n.Relation == "cases" {
			if n.NodeType == "Seq Scan" {
				out = append(out, "Seq Scan on cases")
			}
			if sorted {
				out = append(out, fmt.Sprintf("Sort above %s on cases", n.NodeType))
			}
		}
		for _, c := range n.Plans {
			walk(c, sorted)
		}
	}
	walk(doc[0].Plan, false)
	return strings.Join(out, "; ")
}

type pgNode struct {
	NodeType string   `json:"Node Type"`
	Relation string   `json:"Relation Name"`
	Plans    []pgNode `json:"Plans"`
}

// allowedPlan lists what may read or sort more than the page, and why.
func allowedPlan(dialect, user, filter string) (string, bool) {
	switch {
	case user == "admin" && (filter == "none" || filter == "page 50"):
		// Every case, newest first: walking the table by its primary key is
		// the index in id order.
		return "every case by the primary key", true
	case user == "admin" && filter == "dates":
		// A period alone, for the administrator: the cases registered in
		// it are found along cases_created and sorted — a sort bounded by
		// the period, not by the table. Within a scope, the scope's index
		// is walked in id order and the period checked per row.
		return "the period's cases, sorted", true
	case dialect == sqlstore.Postgres && (user == "deputya" || user == "unit"):
		// A deputy's received cases and a unit's assignments come from
		// case_deputies / case_units (indexes in case order, migration
		// 0020); at the test's scale PostgreSQL prefers to join and sort
		// them, a sort bounded by that deputy's or unit's cases.
		return "the deputy's or unit's own cases, sorted", true
	case dialect == sqlstore.Postgres && filter == "q rare":
		// A word in a few cases: its matches from the GIN index, sorted —
		// a sort bounded by the word's cases (search_plan.go).
		return "a rare word's matches, sorted", true
	case strings.HasPrefix(filter, "todo "):
		// A to-do list is a few statuses of the scope, most with few cases
		// (work waiting): found along the status index and sorted, which
		// beats walking the whole scope in id order to find a handful.
		return "a to-do list's cases, sorted", true
	}
	return "", false
}

// planFill gives the PostgreSQL planner a district's worth of statistics:
// 30,000 cases over the world's stations, bodies, regions and statuses,
// some received by a deputy or assigned to the unit, then ANALYZE.
func planFill(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := storetest.SystemContext()
	for _, q := range []string{
		`INSERT INTO cases (tracking_code, kind, channel, station_id, org_id, title, content, category, region_code,
			status, round, version, due_at, created_at, updated_at)
		SELECT 'PLAN' || g, 'opinion', 'visit', s.id, s.org_id, '路灯不亮', '小区路灯坏了', 
			(ARRAY['城乡建设', '交通出行', '环境保护', '社会保障', '教育', '其他'])[1 + g % 6],
			r.codes[1 + g % array_length(r.codes, 1)],
			(ARRAY['registered', 'pending_approval', 'assigned', 'handling', 'replied', 'awaiting_evaluation', 'supervising',
				'answered', 'explained', 'not_accepted', 'closed', 'closed', 'closed', 'archived', 'archived', 'archived', 'archived'])[1 + g % 17],
			1, 1, TIMESTAMP '2026-01-01' - (g % 400) * INTERVAL '1 day', TIMESTAMP '2026-03-01' - g * INTERVAL '40 minutes', TIMESTAMP '2026-03-01'
		FROM generate_series(1, 30000) g
		CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE code LIKE '330206%') r
		CROSS JOIN LATERAL (SELECT id, org_id FROM stations ORDER BY id OFFSET g % (SELECT COUNT(*) FROM stations) LIMIT 1) s`,
		// A frequent word (6,000 cases: walked along the newest) and a
		// rare one (30: from the GIN index and sorted), frequentSearch.
		`UPDATE cases SET search = '路灯 灯不 不亮', search_tsv = to_tsvector('simple', '路灯 灯不 不亮') WHERE tracking_code LIKE 'PLAN%' AND id % 5 = 0`,
		`UPDATE cases SET search = '璎珞', search_tsv = to_tsvector('simple', '璎珞') WHERE tracking_code LIKE 'PLAN%' AND id % 1000 = 0`,
		`INSERT INTO case_deputies (case_id, deputy_id, created_at, case_status)
		SELECT id, (SELECT MIN(id) FROM deputies), created_at, status FROM cases WHERE id % 50 = 0`,
		`INSERT INTO case_units (case_id, org_id, round, lead, active, case_status)
			SELECT id, (SELECT MIN(id) FROM orgs WHERE kind = 'unit'), 1, TRUE, TRUE, status FROM cases WHERE id % 20 = 0`,
		`ANALYZE`,
	} {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestCaseListPaging: the pages of a list, found without counting, hold
// every case of the scope once, newest first, whatever the ways into it
// overlap (a town's region and its body's queue; a deputy's station and
// the cases they received); the total is TotalUnknown while more follow,
// exact on the last page and with Count.
func TestCaseListPaging(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		for i := range 5 {
			w.register(t, fmt.Sprintf("路灯不亮%d", i))
		}
		two := []lianluo.CaseStatus{lianluo.StatusRegistered, lianluo.StatusHandling}
		for _, user := range []string{"admin", "office", "officea", "heada", "deputya"} {
			for _, f := range []lianluo.CaseFilter{{}, {Status: two}, {Q: "路灯"}, {Region: "330206004"}} {
				ctx := w.As(t, user)
				all, n, err := db.FindCases(ctx, lianluo.CaseFilter{Status: f.Status, Q: f.Q, Region: f.Region, Page: lianluo.AllRows()})
				if err != nil || n != 5 || len(all) != 5 {
					t.Fatalf("%s %+v: all rows = %d, %d, %v; want 5", user, f, len(all), n, err)
				}
				f.Count = true
				if _, n, err := db.FindCases(ctx, f); err != nil || n != 5 {
					t.Errorf("%s %+v: counted %d, %v; want 5", user, f, n, err)
				}
				f.Count = false
				var got []int64
				for p := 1; p <= 3; p++ {
					f.Page = lianluo.Page{Page: p, PerPage: 2}
					items, total, err := db.FindCases(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want := lianluo.TotalUnknown
					if p == 3 {
						want = 5
					}
					if total != want {
						t.Errorf("%s %+v: total = %d; want %d", user, f, total, want)
					}
					for _, c := range items {
						got = append(got, c.ID)
					}
				}
				for i, c := range all {
					if i >= len(got) || got[i] != c.ID {
						t.Fatalf("%s %+v: pages hold %v; want the ids of %d cases newest first", user, f, got, len(all))
					}
				}
				if len(got) != 5 {
					t.Errorf("%s %+v: pages hold %v; want 5 ids", user, f, got)
				}
				// A page past the end counts what there is.
				f.Page = lianluo.Page{Page: 9, PerPage: 2}
				if items, total, err := db.FindCases(ctx, f); err != nil || len(items) != 0 || total != 5 {
					t.Errorf("%s %+v: page 9 = %d rows, total %d, %v; want 0, 5", user, f, len(items), total, err)
				}
			}
		}
	})
}

// TestDeputyYearPlans asks the planner how it finds the cases of a year a
// deputy received — the ranking's count over the deputies (履职积分), the
// record's (履职档案), 六个一's and the handbook's (代表履职手册) — and the
// opinions' book of a group, and fails unless the year is a range of
// case_deputies_deputy_created, which holds the registration date beside
// the deputy, or the plan scans cases or case_deputies. Without the range
// every case the deputy ever received is looked up in cases for its date
// (BENCHMARKS.md, "Ledgers"), a plan no scan check sees: it searches
// case_deputies by the deputy alone.
//
// PostgreSQL is asked on planFill's 30,000 cases (TestCaseListPlans) with
// 80 more deputies, most cases received by one of them as in a district,
// analysed: on a dozen rows it would rightly read whole tables. At that
// scale it still joins the few hundred cases of a deputy's year by hashing
// a sequential scan of the small test cases table (a nested loop of
// primary-key look-ups at a district's size), so there only case_deputies
// must not be scanned.
func TestDeputyYearPlans(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := storetest.SystemContext()
		if db.Dialect == sqlstore.Postgres {
			planFill(t, db)
			for _, q := range []string{
				`INSERT INTO deputies (name, gender, region_code, created_at, updated_at)
				SELECT '代表' || g, 'male', '330206004', TIMESTAMP '2023-01-01', TIMESTAMP '2023-01-01' FROM generate_series(1, 80) g`,
				`INSERT INTO case_deputies (case_id, deputy_id, created_at, case_status)
				SELECT c.id, d.id, c.created_at, c.status FROM cases c
				CROSS JOIN LATERAL (SELECT id FROM deputies ORDER BY id OFFSET c.id % (SELECT COUNT(*) FROM deputies) LIMIT 1) d
				WHERE c.id % 50 <> 0 AND c.id % 7 <> 0`,
				`ANALYZE`,
			} {
				if err := db.ExecForTest(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
		}
		deputies := []int64{w.DeputyA1.ID, w.DeputyA2.ID, w.DeputyB.ID}
		for _, q := range db.DeputyYearSQLForTest(deputies, 1, 2025) {
			plan, err := db.ExplainForTest(ctx, nil, q.SQL, q.Args)
			if err != nil {
				t.Fatalf("%s: explain: %v\n%s", q.Name, err, q.SQL)
			}
			if bad := yearPlanProblems(t, db.Dialect, plan); bad != "" {
				t.Errorf("%s: %s\n%s\nplan:\n%s", q.Name, bad, q.SQL, strings.Join(plan, "\n"))
			} else if testing.Verbose() && os.Getenv("PLAN_DUMP") != "" {
				t.Logf("%s:\n%s", q.Name, strings.Join(plan, "\n"))
			}
		}
	})
}

var (
	sqliteYearScan  = regexp.MustCompile(`^\d+<\d+ SCAN (c|cd|case_deputies)(\s|$)`)
	sqliteYearRange = regexp.MustCompile(`INDEX case_deputies_deputy_created \([^)]*created_at>\? AND created_at<\?\)`)
)

// yearPlanProblems describes what in the plan does not take the year as a
// range of case_deputies_deputy_created, or scans case_deputies (or, on
// SQLite, cases).
func yearPlanProblems(t *testing.T, dialect string, plan []string) string {
	t.Helper()
	var out []string
	ranged := false
	if dialect == sqlstore.SQLite {
		// SQLite names the range: "SEARCH cd USING COVERING INDEX
		// case_deputies_deputy_created (deputy_id=? AND created_at>? AND created_at<?)".
		for _, row := range plan {
			switch {
			case sqliteYearRange.MatchString(row):
				ranged = true
			case sqliteYearScan.MatchString(row):
				out = append(out, "full scan: "+row)
			}
		}
	} else {
		var doc []struct {
			Plan pgYearNode `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan[0]), &doc); err != nil {
			t.Fatalf("EXPLAIN JSON: %v", err)
		}
		var walk func(n pgYearNode)
		walk = func(n pgYearNode) {
			if n.IndexName == "case_deputies_deputy_created" && strings.Contains(n.IndexCond, "created_at >=") &&
				strings.Contains(n.IndexCond, "created_at <") {
				ranged = true
			}
			if n.NodeType == "Seq Scan" && n.Relation == "case_deputies" {
				out = append(out, "Seq Scan on "+n.Relation)
			}
			for _, c := range n.Plans {
				walk(c)
			}
		}
		walk(doc[0].Plan)
	}
	if !ranged {
		out = append(out, "the year is not a range of case_deputies_deputy_created")
	}
	return strings.Join(out, "; ")
}

type pgYearNode struct {
	NodeType  string       `json:"Node Type"`
	Relation  string       `json:"Relation Name"`
	IndexName string       `json:"Index Name"`
	IndexCond string       `json:"Index Cond"`
	Plans     []pgYearNode `json:"Plans"`
}

// TestSweepPlans asks SQLite's planner how the case deadline sweep
// (SweepCaseDeadlines, every minute) finds its candidates, and fails
// unless each scan is a range of one status in id order. With both
// handling statuses in one IN, SQLite walked cases_master over every case
// instead (1.3–1.5 s a sweep at a million cases: BENCHMARKS.md).
// PostgreSQL weighs its statistics, and on the test's few cases rightly
// reads the table.
func TestSweepPlans(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	storetest.MustWorld(t, db)
	ctx := storetest.SystemContext()
	qs, args, err := db.SweepQueriesForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 4 {
		t.Fatalf("%d scans; want 4 (assigned, handling, approval, transfer)", len(qs))
	}
	for i, q := range qs {
		plan, err := db.ExplainForTest(ctx, nil, q, args[i])
		if err != nil {
			t.Fatalf("explain: %v\n%s", err, q)
		}
		var outer []string
		for _, row := range plan {
			if strings.Contains(row, " c ") || strings.HasSuffix(row, " c") {
				outer = append(outer, row)
			}
		}
		if len(outer) != 1 || !strings.Contains(outer[0], "SEARCH c USING INDEX cases_status_id (status=? AND id>?)") {
			t.Errorf("scan %d does not walk one status's cases in id order:\n%s\nplan:\n%s", i, q, strings.Join(plan, "\n"))
		}
	}
}
