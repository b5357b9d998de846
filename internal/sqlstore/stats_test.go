package sqlstore_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// statsWorld is the case world with one case in every state in town A (one
// of them replied late), and one case in town B; the clock is then moved
// 60 days on, so that the open cases are past their deadlines.
func statsWorld(t *testing.T, db *sqlstore.DB) *caseWorld {
	t.Helper()
	w := mustCaseWorld(t, db)
	for _, st := range []lianluo.CaseStatus{lianluo.StatusRegistered, lianluo.StatusAnswered, lianluo.StatusNotAccepted, lianluo.StatusExplained,
		lianluo.StatusPendingApproval, lianluo.StatusHandling, lianluo.StatusAwaitingEvaluation, lianluo.StatusClosed, lianluo.StatusSupervising} {
		w.path(t, st)
	}
	late := w.path(t, lianluo.StatusHandling)
	if _, err := db.CreateCase(w.As(t, "office"), lianluo.CaseInput{
		Channel: "phone", StationID: &w.StationB.ID, Title: "小港公交站台破损", Content: "站台顶棚漏雨。",
		Category: "交通出行", RegionCode: "330206003", Submitter: lianluo.Submitter{Name: "李四", Phone: "13912340001"},
	}); err != nil {
		t.Fatalf("CreateCase in town B: %v", err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return storetest.Now.AddDate(0, 0, 60) })
	w.act(t, "unita", late, "reply", lianluo.CaseAction{Result: "B", Content: "已列入计划。", MetDeputy: true})
	return w
}

func ratePtr(f float64) *float64 { return &f }

func TestCaseStatsTotals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := statsWorld(t, db)
		year, err := lianluo.PresetPeriod(lianluo.PresetYear, storetest.Now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CaseStats(w.As(t, "officea"), lianluo.StatsFilter{Period: year})
		if err != nil {
			t.Fatal(err)
		}
		// By hand: ten cases in town A (registered, answered, not accepted,
		// explained, pending approval, handling, awaiting evaluation,
		// closed satisfied, supervising after "unsatisfied", replied late).
		want := lianluo.CaseCounts{Received: 10, AnsweredDirectly: 2, NotAccepted: 1, Assigned: 5, Replied: 4, RepliedOnTime: 3,
			Responded: 6, Closed: 1, Rated: 2, Satisfied: 1, OverdueOpen: 2,
			ResponseRate: ratePtr(0.6), ClosingRate: ratePtr(0.2), OnTimeRate: ratePtr(0.75), SatisfactionRate: ratePtr(0.5)}
		if !sameCounts(got.Totals, want) {
			t.Errorf("totals\n got %s\nwant %s", countsText(got.Totals), countsText(want))
		}
		if len(got.Rows) != 0 {
			t.Errorf("rows without group_by: %+v", got.Rows)
		}
		// Another period has none of them.
		prev, _ := lianluo.ParsePeriod("2025")
		got, err = db.CaseStats(w.As(t, "officea"), lianluo.StatsFilter{Period: prev})
		if err != nil || got.Totals.Received != 0 || got.Totals.ResponseRate != nil {
			t.Errorf("2025: %+v, %v", got, err)
		}
	})
}

func sameCounts(a, b lianluo.CaseCounts) bool { return countsText(a) == countsText(b) }

func countsText(c lianluo.CaseCounts) string {
	r := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%.4f", *p)
	}
	return fmtCounts(c) + " rates " + r(c.ResponseRate) + " " + r(c.ClosingRate) + " " + r(c.OnTimeRate) + " " +
		r(c.SatisfactionRate) + " " + r(c.VoterSatisfactionRate)
}

func fmtCounts(c lianluo.CaseCounts) string {
	c.ResponseRate, c.ClosingRate, c.OnTimeRate, c.SatisfactionRate, c.VoterSatisfactionRate = nil, nil, nil, nil, nil
	return fmtAny(c)
}

// Scope and breakdowns: the rows of every group_by add up to the totals; a
// town office sees only its town; the district sees both towns.
func TestCaseStatsGroups(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := statsWorld(t, db)
		year, _ := lianluo.PresetPeriod(lianluo.PresetYear, storetest.Now)
		stationA, stationB := itoa(w.StationA.ID), itoa(w.StationB.ID)
		tests := []struct {
			user, groupBy string
			want          map[string]string // key → name of some rows
			received      map[string]int
		}{
			{"office", "station", map[string]string{stationA: w.StationA.Name, stationB: w.StationB.Name}, map[string]int{stationA: 10, stationB: 1}},
			{"officea", "station", map[string]string{stationA: w.StationA.Name}, map[string]int{stationA: 10}},
			{"office", "region", map[string]string{"330206004": "大碶街道", "330206003": "小港街道"}, map[string]int{"330206004": 10, "330206003": 1}},
			{"office", "category", map[string]string{"城乡建设": "城乡建设", "交通出行": "交通出行"}, map[string]int{"城乡建设": 10, "交通出行": 1}},
			{"office", "channel", map[string]string{"visit": lianluo.ChannelNames["visit"], "phone": lianluo.ChannelNames["phone"]}, map[string]int{"visit": 10, "phone": 1}},
			{"officea", "unit", map[string]string{itoa(w.UnitA.ID): w.UnitA.Name, "": "未交办"}, map[string]int{itoa(w.UnitA.ID): 5, "": 5}},
			{"office", "month", map[string]string{"2026-03": "2026年3月"}, map[string]int{"2026-03": 11}},
			{"officea", "status", map[string]string{"handling": "办理中", "replied": lianluo.StatusNames["replied"]}, map[string]int{"handling": 1, "replied": 1, "registered": 1}},
			{"heada", "station", map[string]string{stationA: w.StationA.Name}, map[string]int{stationA: 10}},
		}
		for _, tt := range tests {
			got, err := db.CaseStats(w.As(t, tt.user), lianluo.StatsFilter{Period: year, GroupBy: tt.groupBy})
			if err != nil {
				t.Fatalf("%s by %s: %v", tt.user, tt.groupBy, err)
			}
			var sum lianluo.CaseCounts
			keys := map[string]lianluo.StatsRow{}
			for _, r := range got.Rows {
				sum = sum.Plus(r.CaseCounts)
				keys[r.Key] = r
			}
			if !sameCounts(sum, got.Totals) {
				t.Errorf("%s by %s: rows sum to %s, totals %s", tt.user, tt.groupBy, countsText(sum), countsText(got.Totals))
			}
			for k, name := range tt.want {
				if keys[k].Name != name {
					t.Errorf("%s by %s: row %q named %q, want %q", tt.user, tt.groupBy, k, keys[k].Name, name)
				}
			}
			for k, n := range tt.received {
				if keys[k].Received != n {
					t.Errorf("%s by %s: row %q received %d, want %d", tt.user, tt.groupBy, k, keys[k].Received, n)
				}
			}
			if tt.user != "office" {
				if _, ok := keys[stationB]; ok && tt.groupBy == "station" {
					t.Errorf("%s sees town B's station", tt.user)
				}
				if got.Totals.Received != 10 {
					t.Errorf("%s by %s: received %d, want 10 (town A only)", tt.user, tt.groupBy, got.Totals.Received)
				}
			}
			for i := 1; i < len(got.Rows) && tt.groupBy != "month"; i++ {
				if got.Rows[i-1].Received < got.Rows[i].Received {
					t.Errorf("%s by %s: rows not by received descending: %+v", tt.user, tt.groupBy, got.Rows)
				}
			}
		}
		// Filters narrow the cases.
		got, err := db.CaseStats(w.As(t, "office"), lianluo.StatsFilter{Period: year, StationID: w.StationB.ID})
		if err != nil || got.Totals.Received != 1 {
			t.Errorf("station_id filter: %+v, %v", got, err)
		}
		got, err = db.CaseStats(w.As(t, "office"), lianluo.StatsFilter{Period: year, UnitID: w.UnitA.ID})
		if err != nil || got.Totals.Received != 5 {
			t.Errorf("unit_id filter: %+v, %v", got, err)
		}
		got, err = db.CaseStats(w.As(t, "office"), lianluo.StatsFilter{Period: year, Category: "交通出行", Region: "330206003"})
		if err != nil || got.Totals.Received != 1 {
			t.Errorf("category and region filter: %+v, %v", got, err)
		}
	})
}

func TestCaseStatsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		year, _ := lianluo.PresetPeriod(lianluo.PresetYear, storetest.Now)
		tests := []struct {
			user      string
			f         lianluo.StatsFilter
			code, fld string
		}{
			{"deputya", lianluo.StatsFilter{Period: year}, lianluo.EFORBIDDEN, ""},
			{"unita", lianluo.StatsFilter{Period: year}, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.StatsFilter{Period: year, Region: "330206003"}, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.StatsFilter{Period: year, GroupBy: "week"}, lianluo.EINVALID, "group_by"},
			{"officea", lianluo.StatsFilter{Period: year, Region: "999999"}, lianluo.EINVALID, "region"},
			{"heada", lianluo.StatsFilter{Period: year, Region: "330206004"}, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.StatsFilter{}, lianluo.EINVALID, "from"},
		}
		for _, tt := range tests {
			_, err := db.CaseStats(w.As(t, tt.user), tt.f)
			if lianluo.ErrorCode(err) != tt.code || lianluo.ErrorField(err) != tt.fld {
				t.Errorf("%s %+v: got %v (%s, %s), want %s %s", tt.user, tt.f, err, lianluo.ErrorCode(err), lianluo.ErrorField(err), tt.code, tt.fld)
			}
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func fmtAny(v any) string { return fmt.Sprintf("%+v", v) }

// The deadline in force at the first reply: an approved extension moves it;
// a later supervision round, which sets a new deadline, does not change
// whether the first reply was late.
func TestCaseStatsDeadlineAtFirstReply(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		// Approved now, due in fifteen working days (late March); replied
		// on 1 April.
		extended := w.path(t, lianluo.StatusHandling)
		extended = w.act(t, "unita", extended, "request_extension", lianluo.CaseAction{Until: "2026-04-10", Reason: "需招标采购"})
		extended = w.act(t, "officea", extended, "decide_extension", lianluo.CaseAction{Approve: ptrBool(true)})
		late := w.path(t, lianluo.StatusHandling)
		supervised := w.path(t, lianluo.StatusHandling)
		storetest.ClockOf(db).Set(func() time.Time { return storetest.Now.AddDate(0, 0, 30) })
		reply := lianluo.CaseAction{Result: "A", Content: "已处理。", MetDeputy: true}
		w.act(t, "unita", extended, "reply", reply)
		w.act(t, "unita", late, "reply", reply)
		supervised = w.act(t, "unita", supervised, "reply", reply)
		supervised = w.act(t, "liaisona", supervised, "feedback", lianluo.CaseAction{Content: "请查看。"})
		supervised = w.act(t, "deputya", supervised, "evaluate", lianluo.CaseAction{By: "deputy", Rating: "unsatisfied"})
		w.act(t, "officea", supervised, "supervise", lianluo.CaseAction{Comment: "请加快办理。"})

		year, _ := lianluo.PresetPeriod(lianluo.PresetYear, storetest.Now)
		got, err := db.CaseStats(w.As(t, "officea"), lianluo.StatsFilter{Period: year, GroupBy: lianluo.GroupByStatus})
		if err != nil {
			t.Fatal(err)
		}
		if got.Totals.Replied != 3 || got.Totals.RepliedOnTime != 1 {
			t.Errorf("replied %d, on time %d; want 3 and 1 (only the extended case)", got.Totals.Replied, got.Totals.RepliedOnTime)
		}
		for _, r := range got.Rows {
			if r.Key == string(lianluo.StatusHandling) && (r.Replied != 1 || r.RepliedOnTime != 0) {
				t.Errorf("the supervised case: replied %d, on time %d; want 1 and 0", r.Replied, r.RepliedOnTime)
			}
		}
	})
}
