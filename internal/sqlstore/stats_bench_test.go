package sqlstore

// BenchmarkCaseStats measures CaseStats — what the statistics page, the API
// and the dashboard ask — for a whole province (浙江省) and for one district
// (北仑区) over a year, totals and every breakdown, on the per-case facts of
// LIANLUO_BENCH_STATS_CASES cases spread over three years and the rollups
// summed from them. Statistics read only case_facts and case_rollups (and
// the names of regions, stations and units), never the cases table, so the
// generator writes the facts of each case directly, as RebuildStats would,
// with realistic distributions: towns of the whole province, three
// stations a town, villages, categories, channels, lead units and
// statuses by age. With LIANLUO_BENCH_DIR the data set is kept (SQLite in
// <dir>/stats-<N>, PostgreSQL as lianluo_bench_stats_<N>) and reused.
// Figures and commands: BENCHMARKS.md, "Statistics".

import (
	"cmp"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/pgtest"
	"lianluo/internal/regiondata"
)

const benchStatsVersion = "stats-v5"

func BenchmarkCaseStats(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("LIANLUO_BENCH_STATS_CASES"))
	if n <= 0 {
		b.Skip("set LIANLUO_BENCH_STATS_CASES (e.g. 2000000) to benchmark the statistics")
	}
	benchDialects(b, func(b *testing.B, dialect string) {
		db := benchStatsData(b, dialect, n)
		admin := lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
		office := lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{
			User:  &lianluo.User{Username: "office", Roles: []lianluo.Grant{{Role: lianluo.RoleNPCOffice}}, Active: true},
			Scope: lianluo.Scope{Regions: []string{"330206"}}})
		year, err := lianluo.ParsePeriod("2025")
		if err != nil {
			b.Fatal(err)
		}
		ragged, err := lianluo.ParseDateRange("2025-01-15", "2025-12-20")
		if err != nil {
			b.Fatal(err)
		}
		benchStatsPlans(b, db, year)
		scopes := []struct {
			name string
			ctx  context.Context
			f    lianluo.StatsFilter
		}{
			{"province", admin, lianluo.StatsFilter{Region: "33", Period: year}},
			{"district", office, lianluo.StatsFilter{Period: year}},
		}
		for _, sc := range scopes {
			for _, g := range append([]string{""}, lianluo.GroupBys...) {
				name := sc.name + "/" + g
				if g == "" {
					name = sc.name + "/totals"
				}
				f := sc.f
				f.GroupBy = g
				benchStatsRun(b, db, name, sc.ctx, f)
			}
		}
		// Days at both ends: the first and last months from case_facts.
		benchStatsRun(b, db, "province/totals-0115-1220", admin, lianluo.StatsFilter{Region: "33", Period: ragged})
		benchStatsRun(b, db, "district/totals-0115-1220", office, lianluo.StatsFilter{Period: ragged})
		// A liaison's station by category and by unit: two dimensions at once, from case_facts.
		var station int64
		if err := db.read.QueryRow(`SELECT MIN(id) FROM stations WHERE region_code = '330206004'`).Scan(&station); err != nil {
			b.Fatal(err)
		}
		liaison := lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{
			User:  &lianluo.User{Username: "liaison", Roles: []lianluo.Grant{{Role: lianluo.RoleLiaison, StationID: &station}}, Active: true},
			Scope: lianluo.Scope{Stations: []int64{station}}})
		for _, g := range []string{"", lianluo.GroupByCategory, lianluo.GroupByUnit} {
			benchStatsRun(b, db, "station/"+cmp.Or(g, "totals"), liaison, lianluo.StatsFilter{Period: year, GroupBy: g})
		}
		// A town broken down by village: below the rollups, from case_facts.
		benchStatsRun(b, db, "town-by-village", admin, lianluo.StatsFilter{Region: "330206004", Period: year, GroupBy: lianluo.GroupByRegion})
	})
}

func benchStatsRun(b *testing.B, db *DB, name string, ctx context.Context, f lianluo.StatsFilter) {
	b.Run(name, func(b *testing.B) {
		var res *lianluo.CaseStatsResult
		for b.Loop() {
			var err error
			if res, err = db.CaseStats(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(res.Totals.Received), "cases")
		b.ReportMetric(float64(len(res.Rows)), "rows")
	})
}

// benchStatsPlans logs the planner's plans of what the province's year by
// category reads: the district-level year rows, and the overdue cases
// (run with -v to read them).
func benchStatsPlans(b *testing.B, db *DB, year lianluo.Period) {
	explain := "EXPLAIN QUERY PLAN "
	if db.Dialect == Postgres {
		explain = "EXPLAIN ANALYZE "
	}
	from, fromDay := beijingMonthDay(year.From)
	_, toDay := beijingMonthDay(year.To)
	for _, q := range []string{
		fmt.Sprintf(`SELECT category, SUM(received), SUM(closed) FROM case_rollups WHERE gset = %d AND month >= %d AND month < %d
			AND region_code >= '33' AND region_code < '34' GROUP BY category`, gsetCategory+districtSets+yearSets, from/100*100, from/100*100+100),
		fmt.Sprintf(`SELECT category, COUNT(*) FROM case_facts WHERE status IN (%s) AND due_at < '2026-03-02' AND %s >= %d AND %s < %d
			AND region_code >= '33' AND region_code < '34' GROUP BY category`, quoteList(lianluo.OverdueStatuses), db.notIndexed("day"), fromDay, db.notIndexed("day"), toDay),
	} {
		b.Logf("plan: %s", strings.Join(benchExplain(b, db, explain+q), " | "))
	}
}

// benchStatsData opens (or generates) the statistics data set of n cases.
func benchStatsData(b *testing.B, dialect string, n int) *DB {
	b.Helper()
	dir := os.Getenv("LIANLUO_BENCH_DIR")
	cfg := Config{Now: func() time.Time { return benchNow }}
	switch {
	case dialect == SQLite && dir != "":
		cfg.DataDir = filepath.Join(dir, fmt.Sprintf("stats-%d", n))
	case dialect == SQLite:
		cfg.DataDir = b.TempDir()
	case dir != "":
		cfg.DatabaseURL = benchKeptPostgres(b, fmt.Sprintf("lianluo_bench_stats_%d", n))
	default:
		cfg.DatabaseURL = pgtest.NewDatabase(b)
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open %s: %v", dialect, err)
	}
	b.Cleanup(func() { db.Close() })
	var version string
	var rows int
	if err := db.read.QueryRow(`SELECT version, n FROM bench_dataset`).Scan(&version, &rows); err == nil && version == benchStatsVersion && rows == n {
		fmt.Fprintf(os.Stderr, "%s: statistics of %d cases reused; %s\n", dialect, n, benchStatsSize(b, db))
		return db
	}
	for _, q := range []string{`DROP TABLE IF EXISTS bench_dataset`, `DELETE FROM case_rollups`, `DELETE FROM case_facts`} {
		if _, err := db.write.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	benchStatsGenerate(b, db, n)
	if _, err := db.write.Exec(`CREATE TABLE bench_dataset (version TEXT NOT NULL, n INTEGER NOT NULL, seconds REAL NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.write.Exec(db.rebind(`INSERT INTO bench_dataset (version, n, seconds) VALUES ($1, $2, $3)`),
		benchStatsVersion, n, time.Since(start).Seconds()); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%s: statistics of %d cases generated in %s; %s\n", dialect, n, time.Since(start).Round(time.Second), benchStatsSize(b, db))
	return db
}

// benchStatsSize tells the rows of the statistics tables.
func benchStatsSize(b *testing.B, db *DB) string {
	var facts, rollups int
	if err := db.read.QueryRow(`SELECT (SELECT COUNT(*) FROM case_facts), (SELECT COUNT(*) FROM case_rollups)`).Scan(&facts, &rollups); err != nil {
		b.Fatal(err)
	}
	var per []string
	rows, err := db.read.Query(`SELECT gset, COUNT(*) FROM case_rollups WHERE month >= 202501 AND month < 202601 GROUP BY gset ORDER BY gset`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var g, c int
		if err := rows.Scan(&g, &c); err != nil {
			b.Fatal(err)
		}
		per = append(per, fmt.Sprintf("set %d: %d", g, c))
	}
	return fmt.Sprintf("case_facts %d rows, case_rollups %d rows (2025 by grouping set: %s)", facts, rollups, strings.Join(per, ", "))
}

type benchStatsTown struct {
	code     string
	org      int64
	stations []int64
	units    []int64 // the district's departments
	villages []string
}

// benchStatsGenerate writes the province's regions, NPC bodies, units and
// stations, then the facts of n cases, then sums the rollups.
func benchStatsGenerate(b *testing.B, db *DB, n int) {
	b.Helper()
	ctx := context.Background()
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	var rs []lianluo.Region
	var towns []*benchStatsTown
	byCode := map[string]*benchStatsTown{}
	must(regiondata.Walk("33", func(r regiondata.Record) error {
		rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
		switch r.Level {
		case regiondata.LevelTown:
			t := &benchStatsTown{code: r.Code}
			towns = append(towns, t)
			byCode[r.Code] = t
		case regiondata.LevelVillage:
			if t := byCode[r.ParentCode]; t != nil {
				t.villages = append(t.villages, r.Code)
			}
		}
		return nil
	}))
	if _, err := db.ImportRegions(lianluo.NewContextWithActor(ctx, lianluo.SystemActor()), rs); err != nil {
		b.Fatal(err)
	}
	// Orgs and stations by plain INSERTs: thousands of them.
	now := benchNow
	var id int64 = 1000
	units := map[string][]int64{}
	err := db.transact(ctx, func(tx *Tx) error {
		for _, t := range towns {
			district := t.code[:6]
			if units[district] == nil {
				for k := range 30 {
					id++
					if _, err := tx.Exec(ctx, `INSERT INTO orgs (id, kind, name, region_code, created_at, updated_at) VALUES ($1, 'unit', $2, $3, $4, $4)`,
						id, fmt.Sprintf("%s第%d承办单位", district, k+1), district, now); err != nil {
						return err
					}
					units[district] = append(units[district], id)
				}
			}
			t.units = units[district]
			id++
			t.org = id
			if _, err := tx.Exec(ctx, `INSERT INTO orgs (id, kind, name, region_code, created_at, updated_at) VALUES ($1, 'npc', $2, $3, $4, $4)`,
				id, t.code+"人大", t.code, now); err != nil {
				return err
			}
			for k := range 3 {
				id++
				if _, err := tx.Exec(ctx, `INSERT INTO stations (id, kind, name, region_code, org_id, created_at, updated_at) VALUES ($1, 'center', $2, $3, $4, $5, $5)`,
					id, fmt.Sprintf("%s第%d联络站", t.code, k+1), t.code, t.org, now); err != nil {
					return err
				}
				t.stations = append(t.stations, id)
			}
		}
		return nil
	})
	must(err)
	fmt.Fprintf(os.Stderr, "%s: %d regions, %d towns, %d stations\n", db.Dialect, len(rs), len(towns), 3*len(towns))

	batches := make(chan []*factRow, 4)
	go func() {
		defer close(batches)
		r := mrand.New(mrand.NewPCG(20251231, 2))
		const batch = 1000
		for start := 0; start < n; start += batch {
			rows := make([]*factRow, 0, batch)
			for i := start; i < min(start+batch, n); i++ {
				rows = append(rows, benchStatsRow(r, towns, i, n))
			}
			batches <- rows
		}
	}()
	per := 1000
	if db.Dialect == SQLite {
		per = 20 // modernc binds parameters by a linear search (case_bench_test.go)
	}
	start, done := time.Now(), 0
	for more := true; more; {
		err := db.transact(ctx, func(tx *Tx) error {
			for k := 0; k < 100; k++ {
				rows, ok := <-batches
				if !ok {
					more = false
					return nil
				}
				if err := tx.insertFactRowsBy(ctx, rows, per); err != nil {
					return err
				}
				done += len(rows)
			}
			return nil
		})
		if err != nil {
			for range batches {
			}
			b.Fatalf("load facts: %v", err)
		}
		fmt.Fprintf(os.Stderr, "%s: %d/%d case facts in %s\n", db.Dialect, done, n, time.Since(start).Round(time.Second))
	}
	sumStart := time.Now()
	must(db.transact(ctx, func(tx *Tx) error { return tx.sumRollups(ctx) }))
	fmt.Fprintf(os.Stderr, "%s: rollups summed in %s\n", db.Dialect, time.Since(sumStart).Round(time.Second))
	analyze := `ANALYZE`
	if db.Dialect == Postgres {
		analyze = `VACUUM ANALYZE`
	}
	if _, err := db.write.Exec(analyze); err != nil {
		b.Fatal(err)
	}
}

var benchStatsStatusFlags = map[string][]int{ // indexes into factCols besides received
	"answered": {1, 6}, "explained": {1, 6}, "not_accepted": {2, 6},
	"assigned": {3}, "handling": {3}, "replied": {3, 4}, "awaiting_evaluation": {3, 4, 6},
	"supervising": {3, 4, 6, 8}, "closed": {3, 4, 6, 7, 8}, "archived": {3, 4, 6, 7, 8},
}

// benchStatsRow is the facts of the i-th of n cases.
func benchStatsRow(r *mrand.Rand, towns []*benchStatsTown, i, n int) *factRow {
	const span = 3 * 365 * 24 * time.Hour
	created := benchNow.Add(-span + time.Duration(float64(span)*(float64(i)+r.Float64())/float64(n)))
	age := benchNow.Sub(created).Hours() / 24
	// Towns with more villages hear more; a case is from a village four times in five.
	t := towns[r.IntN(len(towns))]
	if len(t.villages) > 20 && r.IntN(2) == 0 {
		t = towns[r.IntN(len(towns))]
	}
	row := &factRow{caseID: int64(i + 1)}
	row.region = t.code
	if r.IntN(5) > 0 && len(t.villages) > 0 {
		row.region = t.villages[r.IntN(len(t.villages))]
	}
	if k := r.IntN(10); k < 8 {
		row.station = t.stations[min(k/4, 2)]
	}
	row.month, row.day = beijingMonthDay(created)
	row.category = benchPickTopic(r).category
	row.channel = benchChannels.Pick(r)
	switch {
	case age < 3:
		row.status = benchNew.Pick(r)
	case age < 30:
		row.status = benchMonth.Pick(r)
	case age < 365:
		row.status = benchYear.Pick(r)
	default:
		row.status = benchOld.Pick(r)
	}
	row.figs[0] = 1
	flags := benchStatsStatusFlags[row.status]
	if row.status == "archived" && r.IntN(10) < 3 {
		flags = benchStatsStatusFlags["answered"] // archived after an answer at triage
	}
	for _, k := range flags {
		row.figs[k] = 1
	}
	if row.figs[3] == 1 {
		row.unit = t.units[r.IntN(len(t.units))]
	}
	if row.figs[4] == 1 && r.IntN(10) > 0 {
		row.figs[5] = 1 // replied on time
	}
	if row.figs[8] == 1 {
		row.figs[9] = b2i(row.status != "supervising" && r.IntN(20) > 0)
		row.figs[10] = b2i(r.IntN(5) < 3)
		row.figs[11] = row.figs[10] * b2i(r.IntN(10) > 0)
	}
	day := 24 * time.Hour
	switch row.status {
	case "pending_approval":
		d := created.Add(10 * day)
		row.due = &d
	case "assigned", "handling":
		d := created.Add(21 * day)
		row.due = &d
	}
	return row
}

func b2i(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// BenchmarkStatsRebuild measures `lianluo stats rebuild` (RebuildStats) on
// the LIANLUO_BENCH_CASES data set of the case lists (case_bench_test.go):
// every case's facts through the direct count's loader, then the rollups
// summed. Reports cases/s.
func BenchmarkStatsRebuild(b *testing.B) {
	n := benchCaseCount(b)
	benchDialects(b, func(b *testing.B, dialect string) {
		ds := benchCases(b, dialect, n)
		for b.Loop() {
			if err := ds.db.RebuildStats(benchSystem(), nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	})
}
