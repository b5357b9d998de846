package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"lianluo"
)

// CaseStats counts the cases of the caller's scope registered in the period
// from the rollups (docs/statistics.md): the whole months of the period from
// case_rollups, the days at its ends from case_facts, and overdue_open from
// case_facts at this moment. It catches up with every committed change
// first, so it equals CaseStatsDirect; a period that does not begin and end
// at a Beijing midnight (the API and pages never ask for one) is counted
// directly.
func (db *DB) CaseStats(ctx context.Context, f lianluo.StatsFilter) (_ *lianluo.CaseStatsResult, err error) {
	defer wrap(&err, "CaseStats")
	a, err := db.statsCheck(ctx, f.Region, f.Validate)
	if err != nil {
		return nil, err
	}
	if !beijingMidnight(f.Period.From) || !beijingMidnight(f.Period.To) {
		return db.CaseStatsDirect(ctx, f)
	}
	if err := db.SyncStats(ctx); err != nil {
		return nil, err
	}
	g, err := db.statsGrouper(ctx, a, f)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	cn := db.reader()

	// The period: whole months [wholeFrom, wholeTo) and the days around them.
	fromMonth, fromDay := beijingMonthDay(f.Period.From)
	toMonth, toDay := beijingMonthDay(f.Period.To)
	wholeFrom, wholeTo := fromMonth, toMonth
	if fromDay != fromMonth*100+1 {
		wholeFrom = nextMonth(fromMonth)
	}
	var days [][2]int // [from, to) day ranges read from case_facts
	set, ok := rollupSet(a, f, g)
	if !ok {
		wholeFrom, wholeTo = 0, 0 // below a town: every day from case_facts
	}
	if wholeFrom >= wholeTo {
		days = append(days, [2]int{fromDay, toDay})
	} else {
		if fromDay < wholeFrom*100+1 {
			days = append(days, [2]int{fromDay, wholeFrom*100 + 1})
		}
		if toDay > wholeTo*100+1 {
			days = append(days, [2]int{wholeTo*100 + 1, toDay})
		}
	}

	dims := func(w *where) {
		scopeStats(w, a, "region_code", "station_id")
		if f.Region != "" {
			w.add(regionRange(w, "region_code", f.Region))
		}
		if f.StationID > 0 {
			w.add("station_id = " + w.arg(f.StationID))
		}
		if f.Category != "" {
			w.add("category = " + w.arg(f.Category))
		}
		if f.UnitID > 0 {
			w.add("unit_id = " + w.arg(f.UnitID))
		}
	}
	sums := make([]string, len(factCols))
	for i, c := range factCols {
		sums[i] = "SUM(" + c + ")"
	}
	var totals lianluo.CaseCounts
	groups := map[string]*lianluo.CaseCounts{}
	col, dest := groupColumn(f.GroupBy)
	if f.GroupBy == lianluo.GroupByRegion && len(g.children) > 0 {
		// The children's codes are of one length: sum per child in SQL,
		// not per village in Go.
		col = fmt.Sprintf("SUBSTR(region_code, 1, %d)", len(g.children[0]))
	}
	read := func(table string, w *where, what string, n int, add func(d statsDims, figs figures)) error {
		sel, group := what, ""
		if col != "" {
			sel, group = col+", "+what, " GROUP BY "+col
		}
		return scanEach(ctx, cn, `SELECT `+sel+` FROM `+table+w.String()+group, db.customPlan(w.args), func(sc func(...any) error) error {
			var d statsDims
			var figs figures
			var out []any
			if col != "" {
				out = append(out, dest(&d))
			}
			for i := range figs[:n] {
				out = append(out, &figs[i])
			}
			if err := sc(out...); err != nil {
				return err
			}
			add(d, figs)
			return nil
		})
	}
	addFigures := func(d statsDims, figs figures) {
		c := figs.counts()
		totals = totals.Plus(c)
		if f.GroupBy != "" {
			g.add(groups, g.key(d), c)
		}
	}
	// Whole years from the year rows (not for a breakdown by month), the
	// other whole months from the month rows.
	type span struct{ set, from, to int }
	var spans []span
	if wholeFrom < wholeTo {
		y1, y2 := wholeFrom/100, wholeTo/100
		if wholeFrom%100 != 1 {
			y1++
		}
		if y1 < y2 && f.GroupBy != lianluo.GroupByMonth {
			spans = append(spans, span{set + yearSets, y1 * 100, y2 * 100},
				span{set, wholeFrom, y1*100 + 1}, span{set, y2*100 + 1, wholeTo})
		} else {
			spans = append(spans, span{set, wholeFrom, wholeTo})
		}
	}
	for _, sp := range spans {
		if sp.from >= sp.to {
			continue
		}
		var w where
		w.add("gset = " + w.arg(sp.set))
		w.add("month >= " + w.arg(sp.from))
		w.add("month < " + w.arg(sp.to))
		dims(&w)
		if err := read("case_rollups", &w, coalesced(sums), len(sums), addFigures); err != nil {
			return nil, err
		}
	}
	if len(days) > 0 {
		var w where
		var or []string
		// For a district or smaller, or some stations, the index on region
		// or station is the narrower one; SQLite must be kept from taking
		// the index on day instead (PostgreSQL picks well by itself).
		day := "day"
		if shortestRegion(a, f) >= districtCodeLen || stationBound(a, f) {
			day = db.notIndexed("day")
		}
		for _, r := range days {
			or = append(or, "("+day+" >= "+w.arg(r[0])+" AND "+day+" < "+w.arg(r[1])+")")
		}
		addOr(&w, or)
		dims(&w)
		if err := read("case_facts", &w, coalesced(sums), len(sums), addFigures); err != nil {
			return nil, err
		}
	}
	// overdue_open: the rule of OverdueAt, on the stored status and deadline.
	var w where
	w.add("status IN (" + quoteList(lianluo.OverdueStatuses) + ")")
	w.add("due_at < " + w.arg(now))
	// SQLite would otherwise pick the index on day, every case of the
	// period, over the partial index of the few open ones.
	w.add(db.notIndexed("day") + " >= " + w.arg(fromDay))
	w.add(db.notIndexed("day") + " < " + w.arg(toDay))
	dims(&w)
	if err := read("case_facts", &w, "COUNT(*)", 1, func(d statsDims, figs figures) {
		c := lianluo.CaseCounts{OverdueOpen: figs[0]}
		totals = totals.Plus(c)
		if f.GroupBy != "" {
			g.add(groups, g.key(d), c)
		}
	}); err != nil {
		return nil, err
	}
	return g.result(ctx, totals, groups)
}

// coalesced wraps each sum so that no rows give 0, not NULL.
func coalesced(sums []string) string {
	out := make([]string, len(sums))
	for i, s := range sums {
		out[i] = "COALESCE(" + s + ", 0)"
	}
	return strings.Join(out, ", ")
}

// quoteList writes constant strings as an SQL list.
func quoteList[S ~string](vals []S) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "'" + strings.ReplaceAll(string(v), "'", "''") + "'"
	}
	return strings.Join(out, ", ")
}

// groupColumn is the column of case_rollups and case_facts a breakdown
// groups on, and where its value is scanned to.
func groupColumn(groupBy string) (string, func(d *statsDims) any) {
	switch groupBy {
	case lianluo.GroupByRegion:
		return "region_code", func(d *statsDims) any { return &d.region }
	case lianluo.GroupByStation:
		return "station_id", func(d *statsDims) any { return &d.station }
	case lianluo.GroupByCategory:
		return "category", func(d *statsDims) any { return &d.category }
	case lianluo.GroupByChannel:
		return "channel", func(d *statsDims) any { return &d.channel }
	case lianluo.GroupByUnit:
		return "unit_id", func(d *statsDims) any { return &d.unit }
	case lianluo.GroupByMonth:
		return "month", func(d *statsDims) any { return &d.month }
	case lianluo.GroupByStatus:
		return "status", func(d *statsDims) any { return &d.status }
	}
	return "", nil
}

// rollupSet is the grouping set that keeps the dimension the filter groups
// or filters on (the station too when the caller's scope is stations), at
// district level when the question is about districts or larger regions;
// ok is false when the rollups cannot answer — two dimensions at once, or a
// region, scope or breakdown below a town — and case_facts must.
func rollupSet(a *lianluo.Actor, f lianluo.StatsFilter, g *statsGrouper) (set int, ok bool) {
	var need []int
	if f.Category != "" || f.GroupBy == lianluo.GroupByCategory {
		need = append(need, gsetCategory)
	}
	if f.GroupBy == lianluo.GroupByChannel {
		need = append(need, gsetChannel)
	}
	if f.UnitID > 0 || f.GroupBy == lianluo.GroupByUnit {
		need = append(need, gsetUnit)
	}
	if f.GroupBy == lianluo.GroupByStatus {
		need = append(need, gsetStatus)
	}
	station := stationBound(a, f) || f.GroupBy == lianluo.GroupByStation
	switch {
	case len(need) == 0:
		set = gsetNone
	case len(need) == 1 && !station:
		set = need[0]
	default:
		return 0, false
	}
	// The longest region code the question names.
	longest := len(f.Region)
	if !a.Scope.All {
		for _, r := range a.Scope.Regions {
			longest = max(longest, len(r))
		}
	}
	for _, c := range g.children {
		longest = max(longest, len(c))
	}
	switch {
	case longest > townCodeLen:
		return 0, false
	case longest <= districtCodeLen && !station:
		return set + districtSets, true
	}
	return set, true
}

// customPlan has PostgreSQL plan a query for its arguments each time it
// runs. pgx prepares and caches each statement, and after five runs
// PostgreSQL may switch to a generic plan that cannot see the values: for
// a province's days it then read the region index for every case, 2 s
// instead of 0.1 s (BENCHMARKS.md, "Statistics"). An unnamed statement
// (DescribeExec) is planned afresh with its values, for one more round trip.
func (db *DB) customPlan(args []any) []any {
	if db.Dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeDescribeExec}, args...)
}

// notIndexed writes col so that SQLite's planner does not consider its
// indexes (a unary +); PostgreSQL gets the column, to use in an index
// condition where that pays.
func (db *DB) notIndexed(col string) string {
	if db.Dialect == SQLite {
		return "+" + col
	}
	return col
}

// stationBound reports whether the question is about some stations: a
// station filter, or station staff's scope.
func stationBound(a *lianluo.Actor, f lianluo.StatsFilter) bool {
	return f.StationID > 0 || (!a.Scope.All && len(a.Scope.Stations) > 0)
}

// shortestRegion is the length of the widest region the question is
// limited to (0: none).
func shortestRegion(a *lianluo.Actor, f lianluo.StatsFilter) int {
	if f.Region != "" {
		return len(f.Region)
	}
	if a.Scope.All || len(a.Scope.Regions) == 0 || len(a.Scope.Stations) > 0 {
		return 0
	}
	n := len(a.Scope.Regions[0])
	for _, r := range a.Scope.Regions {
		n = min(n, len(r))
	}
	return n
}

// beijingMidnight reports whether t is the start of a Beijing day.
func beijingMidnight(t time.Time) bool {
	b := t.In(lianluo.Beijing)
	return b.Hour() == 0 && b.Minute() == 0 && b.Second() == 0 && b.Nanosecond() == 0
}

// nextMonth is the month (yyyymm) after m.
func nextMonth(m int) int {
	if m%100 == 12 {
		return (m/100+1)*100 + 1
	}
	return m + 1
}
