package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// BenchmarkLedgers generates each book (五簿) of 2026 for every station and
// every deputy group of the demo district: the demo registry and its
// published rota, 30,000 generated cases over three years (about 10,000
// of them in 2026), eight activities a station (two of them its groups'
// meetings, every deputy of the station invited) and 60 diary entries a
// deputy (003's yearly norm). One op is the whole district's book: every
// scope in turn, as an office printing them all would ask; the handbook
// every deputy's. The data takes
// about half a minute a database to make: set LIANLUO_BENCH_LEDGERS=1 to run
// it. Figures: BENCHMARKS.md, "Ledgers".
func BenchmarkLedgers(b *testing.B) {
	if os.Getenv("LIANLUO_BENCH_LEDGERS") == "" {
		b.Skip("set LIANLUO_BENCH_LEDGERS=1 to benchmark the ledgers")
	}
	dialects := []string{sqlstore.SQLite}
	if storetest.PostgresURL() != "" {
		dialects = append(dialects, sqlstore.Postgres)
	}
	for _, dialect := range dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.MustOpen(b, dialect)
			start := time.Now()
			scopes := benchLedgerData(b, db)
			b.Logf("%s: data in %v, %d scopes", dialect, time.Since(start).Round(time.Second), len(scopes))
			office := lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{
				User:  &lianluo.User{ID: 1, Username: "office", Roles: []lianluo.Grant{{Role: lianluo.RoleNPCOffice}}, Active: true},
				Scope: lianluo.Scope{Regions: []string{"330206"}}})
			// The handbook is each deputy's.
			deputies, _, err := db.FindDeputies(office, lianluo.DeputyFilter{Page: lianluo.AllRows()})
			if err != nil {
				b.Fatal(err)
			}
			var handbooks []lianluo.LedgerQuery
			for _, d := range deputies {
				handbooks = append(handbooks, lianluo.LedgerQuery{DeputyID: d.ID, Year: 2026})
			}
			for _, book := range lianluo.LedgerBooks {
				b.Run(string(book.Book), func(b *testing.B) {
					qs := scopes
					if book.Book == lianluo.LedgerHandbook {
						qs = handbooks
					}
					rows := 0
					for b.Loop() {
						rows = 0
						for _, q := range qs {
							q.Book = book.Book
							l, err := db.Ledger(office, q)
							if err != nil {
								b.Fatal(err)
							}
							rows += len(l.Rows)
						}
					}
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}

// benchLedgerData loads the year's records and returns the scopes: every
// station and every group, for 2026.
func benchLedgerData(b testing.TB, db *sqlstore.DB) []lianluo.LedgerQuery {
	b.Helper()
	ctx := storetest.SystemContext()
	clock := storetest.ClockOf(db)
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	// The demo's rota is this year's from the day it is loaded.
	clock.SetTime(at("2026-01-02 09:00"))
	_, err := demo.Load(ctx, db.Services(), clock)
	must(err)
	const n = 30000
	gen, err := demo.NewCaseGenerator(ctx, db.Services(), at("2026-12-31 12:00"), 1)
	must(err)
	batches := make(chan []*lianluo.Case)
	go func() {
		defer close(batches)
		for start := 0; start < n; start += 700 {
			batches <- gen.Cases(start, min(700, n-start), n)
		}
	}()
	_, err = db.BulkCreateCases(ctx, batches, sqlstore.BulkOptions{})
	must(err)

	stations, _, err := db.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
	must(err)
	groups, _, err := db.FindGroups(ctx, lianluo.GroupFilter{Page: lianluo.AllRows()})
	must(err)
	var scopes []lianluo.LedgerQuery
	for _, s := range stations {
		scopes = append(scopes, lianluo.LedgerQuery{StationID: s.ID, Year: 2026})
	}
	for _, g := range groups {
		scopes = append(scopes, lianluo.LedgerQuery{GroupID: g.ID, Year: 2026})
	}

	// Activities: created and published in January, recorded at the year's end.
	var activities []*lianluo.Activity
	kinds := []string{lianluo.ActivityStudy, lianluo.ActivityInspection, lianluo.ActivityResearch, lianluo.ActivityLawCheck,
		lianluo.ActivityTraining, lianluo.ActivityAppraisal}
	for i, s := range stations {
		sid := s.ID
		for m := range 8 {
			in := lianluo.ActivityInput{Kind: kinds[m%len(kinds)], Title: fmt.Sprintf("第%d次活动", m+1), Content: "活动内容", Place: s.Name,
				StationID: &sid, StartsAt: fmt.Sprintf("2026-%02d-15T09:00", m+2), EndsAt: fmt.Sprintf("2026-%02d-15T11:00", m+2)}
			if m >= 6 && len(groups) > 0 {
				g := groups[(i*2+m)%len(groups)].ID
				in.Kind, in.GroupID = lianluo.ActivityGroupMeeting, &g
			}
			x, err := db.CreateActivity(ctx, in)
			must(err)
			x, err = db.PublishActivity(ctx, x.ID, x.Version)
			must(err)
			activities = append(activities, x)
		}
	}
	clock.SetTime(at("2026-12-31 12:00"))
	for _, x := range activities {
		_, err := db.RecordActivity(ctx, x.ID, x.Version, lianluo.ActivityRecord{Minutes: "活动记录", Outcomes: "提出的意见建议"})
		must(err)
	}

	// Diaries: 60 entries a deputy, through the year.
	deputies, _, err := db.FindDeputies(ctx, lianluo.DeputyFilter{Page: lianluo.AllRows()})
	must(err)
	ids := make([]int64, len(deputies))
	for i, d := range deputies {
		ids[i] = d.ID
	}
	dctx := lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{
		User:  &lianluo.User{Username: "deputies", Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy}}, Active: true},
		Scope: lianluo.Scope{Deputies: ids}})
	for _, d := range deputies {
		for k := range 60 {
			day := time.Date(2026, 1, 3, 10, 0, 0, 0, lianluo.Beijing).AddDate(0, 0, k*6)
			_, err := db.CreateDiaryEntry(dctx, lianluo.DiaryInput{DeputyID: d.ID, VisitedAt: day.Format("2006-01-02T15:04"),
				Place: "社区", VoterName: "张三", VoterPhone: "13912345678", Content: "反映的情况", Handling: "处理意见"})
			must(err)
		}
	}
	return scopes
}
