package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The rollups equal the direct count after a random sequence of cases and
// actions in both towns, with the clock moving on: for every breakdown,
// filter and kind of period (a year, a quarter, days across month ends),
// and again after a rebuild from scratch.
func TestCaseStatsRollupsEqualDirectCount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 7))
		clock := storetest.Now
		storetest.ClockOf(db).Set(func() time.Time { return clock })

		users := []string{"officea", "office", "leadera", "liaisona", "heada", "unita", "deputya", "admin"}
		categories := []string{"城乡建设", "交通出行", "教育", ""}
		channels := []string{"visit", "phone", "online", "letter"}
		var ids []int64
		create := func() {
			station, region, user := &w.StationA.ID, "330206004", "liaisona"
			if rng.IntN(2) == 0 {
				region = "330206004002" // a village of the town: below the rollups' towns
			}
			if rng.IntN(3) == 0 {
				station, region, user = &w.StationB.ID, "330206003", "office"
			}
			if rng.IntN(6) == 0 {
				station, user = nil, "office"
			}
			in := lianluo.CaseInput{Channel: channels[rng.IntN(len(channels))], StationID: station, Title: "小区路灯不亮",
				Content: "路灯坏了很久，请尽快处理。", Category: categories[rng.IntN(len(categories))], RegionCode: region,
				Submitter: lianluo.Submitter{Name: "张三", Phone: "13912340000"}}
			if rng.IntN(2) == 0 {
				in.ReceivedBy = []int64{w.DeputyA1.ID}
			}
			c, err := db.CreateCase(w.As(t, user), in)
			if err != nil {
				t.Fatalf("CreateCase: %v", err)
			}
			ids = append(ids, c.ID)
		}
		act := func() {
			id := ids[rng.IntN(len(ids))]
			type choice struct {
				user   string
				action lianluo.WorkflowAction
			}
			var choices []choice
			var c *lianluo.Case
			for _, u := range users {
				got, err := db.FindCaseByID(w.As(t, u), id)
				if err != nil {
					continue
				}
				c = got
				for _, a := range got.Allowed {
					// Mostly forward, so that cases reach every state.
					switch a {
					case lianluo.ActLink, lianluo.ActUrge, lianluo.ActEscalate, lianluo.ActSendBack, lianluo.ActReturn:
						if rng.IntN(5) > 0 {
							continue
						}
					}
					choices = append(choices, choice{u, a})
				}
			}
			if len(choices) == 0 {
				return
			}
			ch := choices[rng.IntN(len(choices))]
			in := randomAction(rng, w, c, ch.action, ids)
			in.Version = c.Version
			_, err := db.Act(w.As(t, ch.user), id, ch.action, in)
			// A random input may be refused (a rating by the wrong
			// evaluator, a link to itself…); that changes nothing.
			if code := lianluo.ErrorCode(err); code != "" && code != lianluo.EINVALID && code != lianluo.ESTATE && code != lianluo.EFORBIDDEN {
				t.Fatalf("%s %s on %d (%s): %v", ch.user, ch.action, id, c.Status, err)
			}
		}
		for step := range 240 {
			switch r := rng.IntN(20); {
			case r < 3 || len(ids) == 0:
				create()
			case r < 19:
				act()
			default:
				clock = clock.Add(time.Duration(rng.IntN(20*24)) * time.Hour)
			}
			if step%60 == 59 {
				compareRollups(t, db, w, clock)
			}
		}
		if err := db.RebuildStats(storetest.SystemContext(), nil); err != nil {
			t.Fatal(err)
		}
		compareRollups(t, db, w, clock)
		all, _ := db.CaseStats(w.As(t, "office"), lianluo.StatsFilter{Period: lianluo.Period{From: storetest.Now.AddDate(-1, 0, 0), To: clock.AddDate(1, 0, 0)}, GroupBy: lianluo.GroupByStatus})
		for _, r := range all.Rows {
			t.Logf("reached %s: %d", r.Key, r.Received)
		}
	})
}

// randomAction is a valid-looking input for the action, chosen at random.
func randomAction(rng *rand.Rand, w *caseWorld, c *lianluo.Case, action lianluo.WorkflowAction, ids []int64) lianluo.CaseAction {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	in := lianluo.CaseAction{Comment: "随机操作"}
	switch action {
	case lianluo.ActTriage:
		switch in.Outcome = pick("answered", "explained", "not_accepted", "forward", "forward", "forward"); in.Outcome {
		case "answered":
			in.Answer = "已当场答复。"
		case "explained":
			in.Explanation = "已解释说明。"
		case "not_accepted":
			in.ReasonCode = "litigation"
		}
	case lianluo.ActApprove:
		in.LeadUnitID = &w.UnitA.ID
		if rng.IntN(2) == 0 {
			in.LeadUnitID = &w.Unit.ID
		}
	case lianluo.ActReturn, lianluo.ActSendBack, lianluo.ActEscalate:
		in.Reason = "不属于本单位职责。"
	case lianluo.ActRequestExtension:
		in.Reason, in.Until = "需要协调。", c.CreatedAt.AddDate(0, 2, 0).In(lianluo.Beijing).Format("2006-01-02")
	case lianluo.ActDecideExtension:
		ok := rng.IntN(2) == 0
		in.Approve = &ok
	case lianluo.ActReply:
		in.Result, in.Content, in.MetDeputy = pick("A", "B", "C"), "已办理。", true
	case lianluo.ActFeedback:
		in.Content = "已告知选民。"
	case lianluo.ActEvaluate:
		in.By = pick(lianluo.ByDeputy, lianluo.ByVoter)
		in.Rating = pick("satisfied", "basically_satisfied", "unsatisfied")
	case lianluo.ActLink:
		m := ids[rng.IntN(len(ids))]
		in.MasterID = &m
	}
	return in
}

// compareRollups checks that CaseStats (the rollups) equals
// CaseStatsDirect for each user, period, breakdown and filter.
func compareRollups(t *testing.T, db *sqlstore.DB, w *caseWorld, now time.Time) {
	t.Helper()
	year, _ := lianluo.PresetPeriod(lianluo.PresetYear, now)
	quarter, _ := lianluo.PresetPeriod(lianluo.PresetQuarter, storetest.Now)
	start := storetest.Now.In(lianluo.Beijing)
	days, err := lianluo.ParseDateRange(start.AddDate(0, 0, -3).Format("2006-01-02"), start.AddDate(0, 1, 5).Format("2006-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	within, _ := lianluo.ParseDateRange(start.Format("2006-01-02"), start.AddDate(0, 0, 4).Format("2006-01-02"))
	// Days, months and a whole year: 15 Nov of the year before to 10 Feb of the year after.
	long, err := lianluo.ParseDateRange(fmt.Sprintf("%d-11-15", start.Year()-1), fmt.Sprintf("%d-02-10", start.Year()+1))
	if err != nil {
		t.Fatal(err)
	}
	groups := []string{"", lianluo.GroupByRegion, lianluo.GroupByStation, lianluo.GroupByCategory, lianluo.GroupByChannel,
		lianluo.GroupByUnit, lianluo.GroupByMonth, lianluo.GroupByStatus}
	filters := []lianluo.StatsFilter{{}, {Category: "城乡建设"}, {UnitID: w.UnitA.ID}, {StationID: w.StationA.ID},
		{Region: "330206003"}, {Region: "330206004"}, {Region: "330206004002"}, {Category: "交通出行", UnitID: w.Unit.ID}}
	for _, user := range []string{"office", "officea", "heada"} {
		for _, p := range []lianluo.Period{year, quarter, days, within, long} {
			for _, g := range groups {
				for _, f := range filters {
					if user != "office" && f.Region != "" {
						continue
					}
					f.Period, f.GroupBy = p, g
					ctx := w.As(t, user)
					want, err := db.CaseStatsDirect(ctx, f)
					if err != nil {
						t.Fatalf("CaseStatsDirect(%s, %+v): %v", user, f, err)
					}
					got, err := db.CaseStats(ctx, f)
					if err != nil {
						t.Fatalf("CaseStats(%s, %+v): %v", user, f, err)
					}
					gj, _ := json.Marshal(got)
					wj, _ := json.Marshal(want)
					if string(gj) != string(wj) {
						t.Fatalf("CaseStats(%s, %+v)\n got %s\nwant %s", user, f, gj, wj)
					}
				}
			}
		}
	}
}
