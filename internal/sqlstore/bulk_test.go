package sqlstore_test

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"context"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// bulkLoad generates n cases into db and returns them as generated
// (submitters in clear) with the load's result. expected is what the load
// is told to expect (sqlstore.BulkOptions).
func bulkLoad(t *testing.T, db *sqlstore.DB, n, expected int, seed uint64) ([]*lianluo.Case, sqlstore.BulkResult) {
	t.Helper()
	ctx := storetest.SystemContext()
	gen, err := demo.NewCaseGenerator(ctx, db.Services(), db.Now(), seed)
	if err != nil {
		t.Fatal(err)
	}
	var all []*lianluo.Case
	batches := make(chan []*lianluo.Case)
	go func() {
		defer close(batches)
		for start := 0; start < n; start += 700 {
			b := gen.Cases(start, min(700, n-start), n)
			batches <- b
		}
	}()
	spy := make(chan []*lianluo.Case)
	go func() {
		defer close(spy)
		for b := range batches {
			all = append(all, b...)
			spy <- b
		}
	}()
	var progress []int
	res, err := db.BulkCreateCases(ctx, spy, sqlstore.BulkOptions{Expected: expected, Progress: func(done int) { progress = append(progress, done) }})
	if err != nil {
		t.Fatalf("BulkCreateCases: %v", err)
	}
	// A large load says when it creates the indexes again, after its rows.
	want := []int{n}
	if expected >= sqlstore.BulkDeferMin {
		want = []int{n, -1}
	}
	if res.Cases != n || res.LastID-res.FirstID+1 != int64(n) || len(progress) < len(want) || !slices.Equal(progress[len(progress)-len(want):], want) {
		t.Fatalf("BulkCreateCases = %+v, progress %v; want %d cases, progress ending %v", res, progress, n, want)
	}
	return all, res
}

// lianluo demo --cases: generated cases are written with everything the
// lists, the case page, search and the statistics read, personal data
// sealed, and one audit event.
func TestBulkCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		if _, err := demo.Load(ctx, db.Services(), storetest.ClockOf(db)); err != nil {
			t.Fatalf("demo.Load: %v", err)
		}
		if err := db.SyncStats(ctx); err != nil {
			t.Fatal(err)
		}
		const n = 3000
		indexes, err := db.BulkIndexesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		// Told to expect many more, the load defers the indexes
		// (bulk_indexes.go): every check below reads them created again.
		gen, res := bulkLoad(t, db, n, sqlstore.BulkDeferMin, 1)
		t.Logf("%d cases on %s in %v", n, db.Dialect, time.Since(start).Round(time.Millisecond))

		count := func(q string) int {
			t.Helper()
			rows, err := db.QueryForTest(ctx, q)
			if err != nil || len(rows) != 1 {
				t.Fatalf("%s: %v, %v", q, rows, err)
			}
			v, err := strconv.Atoi(strings.Trim(rows[0], "[]"))
			if err != nil {
				t.Fatalf("%s: %q", q, rows[0])
			}
			return v
		}
		between := " BETWEEN " + strconv.FormatInt(res.FirstID, 10) + " AND " + strconv.FormatInt(res.LastID, 10)
		if got := count(`SELECT COUNT(*) FROM cases WHERE id` + between); got != n {
			t.Errorf("%d cases written; want %d", got, n)
		}
		if after, err := db.BulkIndexesForTest(ctx); err != nil || !slices.Equal(after, indexes) {
			t.Errorf("indexes after the load:\n%s\nwant\n%s (%v)", strings.Join(after, "\n"), strings.Join(indexes, "\n"), err)
		}
		if got := count(`SELECT COUNT(*) FROM bulk_deferred_indexes`); got != 0 {
			t.Errorf("%d deferred indexes still recorded", got)
		}
		if db.Dialect == sqlstore.Postgres {
			// The planner's statistics of the region expressions, which
			// ANALYZE gathers only while their indexes exist.
			if got := count(`SELECT COUNT(*) FROM pg_stats WHERE tablename IN ('cases_town_id', 'cases_district_id')`); got == 0 {
				t.Error("no statistics of the region expression indexes after the load")
			}
		}
		if got := count(`SELECT COUNT(DISTINCT tracking_code) FROM cases`); got != count(`SELECT COUNT(*) FROM cases`) {
			t.Errorf("tracking codes not unique: %d distinct", got)
		}
		if got := count(`SELECT COUNT(*) FROM case_events WHERE case_id` + between); got < 2*n {
			t.Errorf("%d history steps for %d cases", got, n)
		}
		if got := count(`SELECT COUNT(*) FROM case_facts WHERE case_id` + between); got != n {
			t.Errorf("%d case_facts rows; want %d", got, n)
		}
		// Each receiving deputy's row holds its case's registration date
		// (migration 0025), from the demo's CreateCase and the bulk load alike.
		if got := count(`SELECT COUNT(*) FROM case_deputies WHERE case_id` + between); got == 0 {
			t.Error("no generated case was received by a deputy")
		}
		if got := count(`SELECT COUNT(*) FROM case_deputies WHERE case_id < ` + strconv.FormatInt(res.FirstID, 10)); got == 0 {
			t.Error("no demo case was received by a deputy")
		}
		if got := count(`SELECT COUNT(*) FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
			WHERE cd.created_at IS NULL OR cd.created_at <> c.created_at`); got != 0 {
			t.Errorf("%d case_deputies rows whose created_at is not their case's", got)
		}

		// Statuses through the whole workflow; three years of dates.
		statuses := map[lianluo.CaseStatus]int{}
		first, last := gen[0].CreatedAt, gen[0].CreatedAt
		for _, c := range gen {
			statuses[c.Status]++
			first, last = minTime(first, c.CreatedAt), maxTime(last, c.CreatedAt)
		}
		for _, s := range []lianluo.CaseStatus{lianluo.StatusRegistered, lianluo.StatusAnswered, lianluo.StatusPendingApproval,
			lianluo.StatusAssigned, lianluo.StatusHandling, lianluo.StatusReplied, lianluo.StatusClosed, lianluo.StatusArchived} {
			if statuses[s] == 0 {
				t.Errorf("no generated case is %s (%v)", s, statuses)
			}
		}
		if span := last.Sub(first); span < 2*365*24*time.Hour+300*24*time.Hour || span > 3*366*24*time.Hour || last.After(db.Now()) {
			t.Errorf("cases registered %v … %v; want about the three years before %v", first, last, db.Now())
		}

		// The lists: a station's liaison finds its station's closed cases.
		liaison := bulkLogin(t, db, "liaison")
		stationOf := map[int64]bool{}
		var station int64
		for _, c := range gen {
			stationOf[*c.StationID] = true
		}
		ss, _, err := db.FindStations(liaison, lianluo.StationFilter{Q: "大碶街道人大代表中心联络站", Page: lianluo.AllRows()})
		if err != nil || len(ss) != 1 {
			t.Fatalf("FindStations: %v, %v", ss, err)
		}
		station = ss[0].ID
		want := 0
		for _, c := range gen {
			if *c.StationID == station && c.Status == lianluo.StatusClosed {
				want++
			}
		}
		list, total, err := db.FindCases(liaison, lianluo.CaseFilter{StationID: station, Status: []lianluo.CaseStatus{lianluo.StatusClosed}, Page: lianluo.AllRows()})
		if err != nil || want == 0 || total < want || len(list) != total {
			t.Errorf("liaison's closed cases: %d (total %d), %v; generated %d", len(list), total, err, want)
		}
		if len(stationOf) < 5 {
			t.Errorf("cases at %d stations; want them spread over the district's", len(stationOf))
		}
		// A case page shows its history, units, reply and ratings.
		for _, c := range list[:1] {
			full, err := db.FindCaseByID(liaison, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Events) < 7 || full.Reply == nil || len(full.Ratings) == 0 || full.ClosedAt == nil || full.Version != len(full.Events) {
				t.Errorf("closed case %d: %d steps, reply %v, ratings %v, closed %v, version %d", c.ID, len(full.Events), full.Reply, full.Ratings, full.ClosedAt, full.Version)
			}
			if full.Submitter.Phone != "" && !strings.Contains(full.Submitter.Phone, "****") {
				t.Errorf("liaison sees the phone %q unmasked", full.Submitter.Phone)
			}
		}

		// The to-do counts stop at their cap: a list longer than it is
		// reported as cap+1, a shorter one exactly.
		office := bulkLogin(t, db, "office")
		exact, err := db.TodoCountsUpTo(office, lianluo.MaxListTotal)
		if err != nil {
			t.Fatal(err)
		}
		capped, err := db.TodoCountsUpTo(office, 5)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.TodoCounts(office)
		if err != nil {
			t.Fatal(err)
		}
		long := 0
		for _, l := range lianluo.TodoLists {
			if capped[l.Key] != min(exact[l.Key], 6) || counts[l.Key] != min(exact[l.Key], lianluo.TodoCountCap+1) {
				t.Errorf("office's %s: %d counted up to 5, %d by TodoCounts; %d in all", l.Key, capped[l.Key], counts[l.Key], exact[l.Key])
			}
			if exact[l.Key] > 5 {
				long++
			}
		}
		if long == 0 {
			t.Errorf("no to-do list of the office's holds more than 5 cases (%v): the cap is not tested", exact)
		}

		// Search with two characters finds generated content.
		found, total, err := db.FindCases(ctx, lianluo.CaseFilter{Q: "路灯"})
		if err != nil || total == 0 || len(found) == 0 {
			t.Fatalf("search 路灯: %d, %v", total, err)
		}
		for _, c := range found {
			if !strings.Contains(c.Title+c.Content, "路灯") {
				t.Errorf("search 路灯 found %q", c.Title)
			}
		}

		// The statistics: nothing left to catch up, and the rollups equal a
		// direct count of the rows.
		if backlog, err := db.StatsBacklog(ctx); err != nil || backlog != 0 {
			t.Errorf("stats backlog %d, %v; want the load's marks removed", backlog, err)
		}
		all := lianluo.Period{From: time.Date(2000, 1, 1, 0, 0, 0, 0, lianluo.Beijing), To: time.Date(2100, 1, 1, 0, 0, 0, 0, lianluo.Beijing)}
		for _, g := range append([]string{""}, lianluo.GroupBys...) {
			f := lianluo.StatsFilter{Period: all, GroupBy: g}
			direct, err := db.CaseStatsDirect(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			rolled, err := db.CaseStats(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			dj, _ := json.Marshal(direct)
			rj, _ := json.Marshal(rolled)
			if string(dj) != string(rj) {
				t.Errorf("group %q: rollups %s; direct count %s", g, rj, dj)
			}
			if g == "" && direct.Totals.Received < n {
				t.Errorf("statistics count %d cases; want at least %d", direct.Totals.Received, n)
			}
		}

		// One audit event for the load, and the chain verifies.
		check, err := db.VerifyAudit(ctx)
		if err != nil || !check.OK {
			t.Errorf("VerifyAudit = %+v, %v", check, err)
		}
		events := strings.Join(mustQuery(t, db, `SELECT summary FROM events WHERE summary LIKE '%批量生成%'`), "\n")
		if strings.Count(events, "批量生成") != 1 || !strings.Contains(events, strconv.Itoa(n)) {
			t.Errorf("audit events of the load: %q", events)
		}

		// No voter's phone, address or name-bearing address in plaintext.
		var secrets []string
		for _, c := range gen[:200] {
			secrets = append(secrets, c.Submitter.Phone, c.Submitter.Address)
		}
		var hay []byte
		if db.Dialect == sqlstore.SQLite {
			for _, p := range []string{db.URL, db.URL + "-wal"} {
				b, err := os.ReadFile(p)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				hay = append(hay, b...)
			}
		} else {
			hay = []byte(strings.Join(mustQuery(t, db, `SELECT CAST(c AS TEXT) FROM cases c`), "\n"))
		}
		if len(hay) == 0 {
			t.Fatal("nothing read to search")
		}
		for _, s := range secrets {
			if strings.Contains(string(hay), s) {
				t.Fatalf("%q is stored in plaintext", s)
			}
		}
		if got := count(`SELECT COUNT(*) FROM cases WHERE id` + between + ` AND (submitter_phone NOT LIKE 'v1:%' OR LENGTH(submitter_phone_hmac) <> 64 OR LENGTH(submitter_phone_last4) <> 4)`); got != 0 {
			t.Errorf("%d cases without a sealed phone, its last four digits and its hash", got)
		}

		// A second load adds as many again.
		_, again := bulkLoad(t, db, 500, 500, 2)
		if again.FirstID != res.LastID+1 {
			t.Errorf("second load from %d; want %d", again.FirstID, res.LastID+1)
		}
		if backlog, err := db.StatsBacklog(ctx); err != nil || backlog != 0 {
			t.Errorf("stats backlog %d after the second load, %v", backlog, err)
		}

		// The marking triggers are on again: a case registered the usual
		// way is marked for the rollups.
		if _, err := db.CreateCase(liaison, lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "visit", StationID: &station,
			Title: "小区路灯不亮", Content: "小区门口两盏路灯坏了一个月。", Category: "道路照明", RegionCode: ss[0].RegionCode,
			Submitter: lianluo.Submitter{Name: "王伟", Phone: "13800001111"}}); err != nil {
			t.Fatal(err)
		}
		if backlog, err := db.StatsBacklog(ctx); err != nil || backlog == 0 {
			t.Errorf("stats backlog %d after CreateCase, %v; want its marks", backlog, err)
		}
	})
}

func bulkLogin(t *testing.T, db *sqlstore.DB, username string) context.Context {
	t.Helper()
	s, err := db.Login(context.Background(), username, demo.Password, "127.0.0.1")
	if err != nil {
		t.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(context.Background(), a)
}

func mustQuery(t *testing.T, db *sqlstore.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryForTest(storetest.SystemContext(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rows
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// A generated case referring to a station, deputy, unit or region that does
// not exist fails its transaction, as a foreign key would (on SQLite the
// load checks them itself, with the foreign keys off for its
// transactions), and the writer enforces foreign keys again afterwards.
func TestBulkCasesRefuseMissingReferences(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		if _, err := demo.Load(ctx, db.Services(), storetest.ClockOf(db)); err != nil {
			t.Fatalf("demo.Load: %v", err)
		}
		bulkLoad(t, db, 20, 20, 7)
		gen, err := demo.NewCaseGenerator(ctx, db.Services(), db.Now(), 8)
		if err != nil {
			t.Fatal(err)
		}
		count := func() string { return query(t, db, `SELECT COUNT(*) FROM cases`)[0] }
		before := count()
		indexes, err := db.BulkIndexesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		missing := int64(999999)
		for _, tc := range []struct {
			name   string
			break_ func(c *lianluo.Case)
		}{
			{"station", func(c *lianluo.Case) { c.StationID = &missing }},
			{"body", func(c *lianluo.Case) { c.OrgID = missing }},
			{"deputy", func(c *lianluo.Case) { c.ReceivedBy = append(c.ReceivedBy, missing) }},
			{"unit", func(c *lianluo.Case) { c.Units = append(c.Units, lianluo.CaseUnit{OrgID: missing, Round: 1}) }},
			{"region", func(c *lianluo.Case) { c.RegionCode = "999999999999" }},
		} {
			b := gen.Cases(0, 5, 5)
			tc.break_(b[3])
			batches := make(chan []*lianluo.Case, 1)
			batches <- b
			close(batches)
			// A load that defers the indexes creates them again also
			// when it fails.
			if _, err := db.BulkCreateCases(ctx, batches, sqlstore.BulkOptions{Expected: sqlstore.BulkDeferMin}); err == nil || !strings.Contains(strings.ToUpper(err.Error()), "FOREIGN KEY") {
				t.Errorf("a case with a missing %s: %v; want a foreign key error", tc.name, err)
			}
			if got := count(); got != before {
				t.Errorf("cases after the refused load with a missing %s: %s; want %s", tc.name, got, before)
			}
			if after, err := db.BulkIndexesForTest(ctx); err != nil || !slices.Equal(after, indexes) {
				t.Errorf("indexes after the refused load with a missing %s: %v, %v; want %v", tc.name, after, err, indexes)
			}
		}
		// The writer's foreign keys are on again.
		if err := db.ExecForTest(ctx, `INSERT INTO case_deputies (case_id, deputy_id, created_at, case_status)
			VALUES (1, 999999, CURRENT_TIMESTAMP, (SELECT status FROM cases WHERE id = 1))`); err == nil ||
			!strings.Contains(strings.ToUpper(err.Error()), "FOREIGN KEY") {
			t.Errorf("a case_deputies row naming no deputy after the bulk load: %v; want a foreign key error", err)
		}
	})
}

// A large load interrupted after it dropped its tables' indexes (a crash,
// a kill) leaves them recorded, and the next Open creates them again: the
// lists are never left without their indexes for good.
func TestBulkIndexesCreatedAgainOnOpen(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		if _, err := demo.Load(ctx, db.Services(), storetest.ClockOf(db)); err != nil {
			t.Fatalf("demo.Load: %v", err)
		}
		indexes, err := db.BulkIndexesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeferBulkIndexesForTest(ctx); err != nil {
			t.Fatal(err)
		}
		dropped, err := db.BulkIndexesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// What stays: the keys and the unique indexes, the constraints.
		if len(dropped) >= len(indexes) || len(dropped) == 0 {
			t.Fatalf("%d of %d indexes left after deferring them; want the keys and unique ones only", len(dropped), len(indexes))
		}
		for _, x := range dropped {
			if strings.Contains(x, "CREATE INDEX") {
				t.Errorf("index left: %s", x)
			}
		}
		// The lists still answer meanwhile.
		if _, _, err := db.FindCases(bulkLogin(t, db, "office"), lianluo.CaseFilter{}); err != nil {
			t.Fatalf("FindCases without the indexes: %v", err)
		}
		storetest.OpenSecond(t, db) // as the server's next start
		if after, err := db.BulkIndexesForTest(ctx); err != nil || !slices.Equal(after, indexes) {
			t.Errorf("indexes after Open:\n%s\nwant\n%s (%v)", strings.Join(after, "\n"), strings.Join(indexes, "\n"), err)
		}
		if got := query(t, db, `SELECT COUNT(*) FROM bulk_deferred_indexes`)[0]; got != "[0]" {
			t.Errorf("deferred indexes still recorded after Open: %s", got)
		}
	})
}
