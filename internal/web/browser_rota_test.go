package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserRotaShortYear is the township office in December: a station of
// five deputies has one session left in the year. Generating keeps two
// deputies on it and says the year is short; the clerk taps 增加场次, and
// every deputy gets a turn with two per session. The attendance page lists
// the station's own deputies. Looked at on a phone and a desktop
// ($LIANLUO_SCREENSHOTS).
func TestBrowserRotaShortYear(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, clk := clockedFixture(t, db)
	clk.set("2026-12-01 09:00")
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look

	sys := storetest.SystemContext()
	var ids []int64
	for _, name := range []string{"虞国良", "胡静", "邬海军", "贺丽萍", "林建华"} {
		d := &lianluo.Deputy{Name: name, Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	st := &lianluo.Station{Kind: "village", Name: "灵岩社区联络站", RegionCode: "330206004", OrgID: f.dq.ID, Address: "灵岩社区", DeputyIDs: ids}
	if err := db.CreateStation(sys, st); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReceptionRule(f.as(t, "dqclerk"), &lianluo.ReceptionRule{StationID: st.ID, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Start: "09:00", End: "11:00"}); err != nil {
		t.Fatal(err)
	}
	shots := func(name string) {
		t.Helper()
		for _, v := range []viewport{phone, desktop} {
			step("viewport", use(v))
			look(name, v)
		}
	}
	rota := fmt.Sprintf("%s/console/stations/%d/receptions?year=2026", base, st.ID)
	step("open the rota", use(desktop), chromedp.Navigate(rota), chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), "dqclerk"), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
	if got := submit("log in", `form[action="/console/login"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("log in: status %d", got)
	}
	step("the rota page", chromedp.WaitVisible(chromedp.CSS("#rota-generate")))
	if got := submit("generate", "#rota-generate"); got != http.StatusOK {
		t.Fatalf("generate: status %d", got)
	}
	if got := evalIn[string](b, `location.search`); !strings.Contains(got, "ok=generated") {
		t.Errorf("after generating: at %q; want the rota page (GET) with ok=generated", got)
	}
	if got := text("#rota-choice"); !strings.Contains(got, "增加场次") || !strings.Contains(got, "接受并发布") {
		t.Errorf("the choice = %q", got)
	}
	if got := text(".rota-problems"); !strings.Contains(got, "本年度只有1场接待，每场2名代表，无法让全部5名代表每年至少进站一次（还差3名）") {
		t.Errorf("problems = %q", got)
	}
	if n := evalIn[int](b, `document.querySelectorAll("#rota-publish").length`); n != 0 {
		t.Errorf("the plain publish button is shown for a short year")
	}
	shots("rota-short-year")

	step("accept the confirmation", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	if got := submit("add sessions", "#rota-add-sessions"); got != http.StatusOK {
		t.Fatalf("add sessions: status %d", got)
	}
	if got := evalIn[string](b, `location.search`); !strings.Contains(got, "ok=sessions_added") {
		t.Errorf("after adding: at %q; want ok=sessions_added", got)
	}
	step("accept the confirmation", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	if got := submit("publish", "#rota-publish"); got != http.StatusOK {
		t.Fatalf("publish: status %d", got)
	}
	shots("rota-sessions-added")
	for _, r := range f.sessions(t, st.ID) {
		if len(r.DeputyIDs) != 2 || r.Status != lianluo.ReceptionPublished {
			t.Errorf("session %s: %d deputies, %s; want 2, published", r.StartsAt.Format("01-02"), len(r.DeputyIDs), r.Status)
		}
	}
	if n := len(f.sessions(t, st.ID)); n != 3 {
		t.Errorf("sessions = %d; want 3", n)
	}

	step("attendance", chromedp.Navigate(fmt.Sprintf("%s/console/attendance?year=2026&station_id=%d", base, st.ID)),
		chromedp.WaitVisible(chromedp.CSS("#notice-send-all")))
	if got := text(".att-table"); !strings.Contains(got, "虞国良") || strings.Contains(got, "王秀英") {
		t.Errorf("灵岩社区联络站's attendance = %q; want its own deputies only", got)
	}
	step("all stations", chromedp.Navigate(base+"/console/attendance?year=2026"), chromedp.WaitVisible(chromedp.CSS("#perst-h")))
	shots("attendance")
	b.finish()
}
