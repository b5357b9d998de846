package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A year with too few sessions for every deputy: the rota page says so and
// lets the office add sessions or accept; publishing keeps two per session.
func TestRotaShortYearPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, clk := clockedFixture(t, db)
		clk.set("2026-12-01 09:00")
		sys := storetest.SystemContext()
		// A station of five deputies with a session on the 15th of each month:
		// in December one session, two seats.
		newStation := func(name string) *lianluo.Station {
			t.Helper()
			var ids []int64
			for i := range 5 {
				d := &lianluo.Deputy{Name: fmt.Sprintf("%s代表%d", name[:3], i+1), Gender: "male", RegionCode: "330206004",
					Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
				if err := db.CreateDeputy(sys, d); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, d.ID)
			}
			st := &lianluo.Station{Kind: "village", Name: name, RegionCode: "330206004", OrgID: f.dq.ID, Address: name, DeputyIDs: ids}
			if err := db.CreateStation(sys, st); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateReceptionRule(f.as(t, "dqclerk"), &lianluo.ReceptionRule{StationID: st.ID, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Start: "09:00", End: "11:00"}); err != nil {
				t.Fatal(err)
			}
			return st
		}
		clerk := f.loggedIn(t, "dqclerk")
		year := url.Values{"year": {"2026"}}
		short := "本年度只有1场接待，每场2名代表，无法让全部5名代表每年至少进站一次（还差3名）。"
		everyTwo := func(st *lianluo.Station) {
			t.Helper()
			for _, r := range f.sessions(t, st.ID) {
				if len(r.DeputyIDs) != 2 {
					t.Errorf("%s: session %s has %d deputies; want 2", st.Name, r.StartsAt.Format("01-02"), len(r.DeputyIDs))
				}
			}
		}

		t.Run("增加场次", func(t *testing.T) {
			st := newStation("新碶社区联络站")
			rota := fmt.Sprintf("/console/stations/%d/receptions", st.ID)
			wantStatus(t, "generate", clerk.post(fmt.Sprintf("/console/stations/%d/rota", st.ID), year), 303)
			res := clerk.get(rota + "?year=2026")
			wantBody(t, "short year", res, short, "增加场次", "接受并发布", `id="rota-choice"`)
			wantNoBody(t, "short year", res, `id="rota-publish"`)
			everyTwo(st)
			res = clerk.post(fmt.Sprintf("/console/stations/%d/rota/publish", st.ID), year)
			wantStatus(t, "publish without a choice", res, 409)
			wantBody(t, "publish without a choice", res, short, "请先增加场次，或确认接受后再发布")

			wantStatus(t, "a liaison adds sessions", f.loggedIn(t, "dqliaison").post(fmt.Sprintf("/console/stations/%d/rota/sessions", st.ID), year), 404)
			res = clerk.post(fmt.Sprintf("/console/stations/%d/rota/sessions", st.ID), year)
			wantStatus(t, "add sessions", res, 303)
			if got, want := res.Header.Get("Location"), rota+"?year=2026&ok=sessions_added"; got != want {
				t.Errorf("add sessions: Location = %q; want %q", got, want)
			}
			res = clerk.get(res.Header.Get("Location"))
			wantBody(t, "after adding", res, "已增加接待场次", "（3次）", `id="rota-publish"`, "增加的场次")
			wantNoBody(t, "after adding", res, short)
			wantStatus(t, "publish", clerk.post(fmt.Sprintf("/console/stations/%d/rota/publish", st.ID), year), 303)
			everyTwo(st)
		})

		t.Run("接受并发布", func(t *testing.T) {
			st := newStation("灵岩社区联络站")
			wantStatus(t, "generate", clerk.post(fmt.Sprintf("/console/stations/%d/rota", st.ID), year), 303)
			res := clerk.post(fmt.Sprintf("/console/stations/%d/rota/publish", st.ID), url.Values{"year": {"2026"}, "accept": {"1"}})
			wantStatus(t, "accept", res, 303)
			if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/stations/%d/receptions?year=2026&ok=published_accepted", st.ID); got != want {
				t.Errorf("accept: Location = %q; want %q", got, want)
			}
			wantBody(t, "accepted", clerk.get(res.Header.Get("Location")), "已确认接受本年度部分代表不轮值", short)
			everyTwo(st)
			list := f.sessions(t, st.ID)
			if len(list) != 1 || list[0].Status != lianluo.ReceptionPublished {
				t.Errorf("after accepting: %d sessions; want 1 published", len(list))
			}
		})
	})
}

// 001: a rule that leaves two months without a session is saved with a
// warning; the same rule twice is refused at the pattern.
func TestRulePageChecks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		clerk := f.loggedIn(t, "dqclerk")
		rules := fmt.Sprintf("/console/stations/%d/reception-rules", f.dqStation.ID)
		// Skipped when the 1st is not a working day: only 1 July and 1 September remain.
		newYearSkipped := with(oddMonths, "day", "1", "on_holiday", "skip")
		res := clerk.post(rules, newYearSkipped)
		wantStatus(t, "a sparse rule", res, 303)
		if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/stations/%d/receptions?year=2026&ok=rule_warn", f.dqStation.ID); got != want {
			t.Errorf("a sparse rule: Location = %q; want %q", got, want)
		}
		wantBody(t, "the warning", clerk.get(res.Header.Get("Location")), "接待规则已保存，但", "2026年按接待规则只有2次接待，1–2月、2–3月", "每两个月至少开展一次代表接待活动")
		res = clerk.post(rules, newYearSkipped)
		wantStatus(t, "the same rule again", res, 400)
		if msg := fieldErrors(res.Body)["pattern"]; msg == "" {
			t.Errorf("the same rule again: no error at the pattern: %v", fieldErrors(res.Body))
		}
		wantBody(t, "the same rule again", res, "本站已有相同的接待规则")
	})
}
