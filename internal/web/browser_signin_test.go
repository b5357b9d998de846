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

// TestBrowserSignIn is the deputy at the station with a phone (360×740):
// they scan the station's sign-in code, which opens the sign-in page; not
// logged in, they are sent to the login and back; they tap 签到 and see
// 已签到. Then the office's pages met around a session — the rota, the
// session, the attendance notice — are looked at on a phone and a desktop
// ($LIANLUO_SCREENSHOTS).
func TestBrowserSignIn(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, clk := clockedFixture(t, db)
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look

	office := f.as(t, "dqclerk")
	// Every Monday morning: the first is 2026-03-09.
	rule := &lianluo.ReceptionRule{StationID: f.dqStation.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "09:00", End: "11:00", Form: "theme", Theme: "老旧小区加装电梯"}
	if err := db.CreateReceptionRule(office, rule); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReceptionRule(office, &lianluo.ReceptionRule{StationID: f.dqStation.ID, RRule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15", Start: "14:00", End: "16:00"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GenerateRota(office, f.dqStation.ID, 2026); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishRota(office, f.dqStation.ID, 2026); err != nil {
		t.Fatal(err)
	}
	first := f.sessions(t, f.dqStation.ID)[0]
	signin := fmt.Sprintf("%s/console/signin/%d", base, f.dqStation.ID)

	login := func(user string) {
		t.Helper()
		step("log in "+user, chromedp.WaitVisible(chromedp.CSS("#f-username")),
			chromedp.SendKeys(chromedp.CSS("#f-username"), user),
			chromedp.SendKeys(chromedp.CSS("#f-password"), password))
		if got := submit("log in "+user, `form[action="/console/login"] button[type=submit]`); got != http.StatusOK {
			t.Fatalf("log in %s: status %d", user, got)
		}
	}
	logout := func() {
		t.Helper()
		step("open the console", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS(".who")))
		submit("log out", `form[action="/console/logout"] button`)
	}
	shots := func(name string) {
		t.Helper()
		for _, v := range []viewport{phone, desktop} {
			step("viewport", use(v))
			look(name, v)
		}
	}

	// 1. At 08:45 on the day, the deputy scans the code: login, then back.
	clk.set("2026-03-09 08:45")
	step("scan the code", use(phone), chromedp.Navigate(signin))
	login("wangxy")
	step("the sign-in page", chromedp.WaitVisible(chromedp.CSS("#signin-button")))
	if got := evalIn[string](b, `location.pathname`); got != fmt.Sprintf("/console/signin/%d", f.dqStation.ID) {
		t.Fatalf("after login: at %s; want the sign-in page", got)
	}
	if got := text(".signin-when"); !strings.Contains(got, "3月9日") {
		t.Errorf("session shown: %q", got)
	}
	shots("signin")
	step("phone", use(phone))
	if got := submit("tap 签到", "#signin-button"); got != http.StatusOK {
		t.Fatalf("sign in: status %d", got)
	}
	step("signed in", chromedp.WaitVisible(chromedp.CSS("#signin-state")))
	if got := text("#signin-state"); !strings.Contains(got, "已签到") || !strings.Contains(got, "08:45") {
		t.Errorf("after tapping 签到: %q", got)
	}
	shots("signin-done")

	// 2. At another station's code: a plain message, no button.
	step("another station", use(phone), chromedp.Navigate(fmt.Sprintf("%s/console/signin/%d", base, f.xgStation.ID)), chromedp.WaitVisible(chromedp.CSS("#signin-state")))
	if got := text("#signin-state"); !strings.Contains(got, "没有需要签到的接待") {
		t.Errorf("another station's code: %q", got)
	}
	shots("signin-none")
	step("my receptions", chromedp.Navigate(base+"/console/my-receptions"), chromedp.WaitVisible(chromedp.CSS("#cal-url")))
	shots("my-receptions")
	logout()

	// 3. The office: the rota and the session.
	step("desktop", use(desktop), chromedp.Navigate(base+"/console/login"))
	login("dqclerk")
	step("rota", chromedp.Navigate(fmt.Sprintf("%s/console/stations/%d/receptions?year=2026", base, f.dqStation.ID)), chromedp.WaitVisible(chromedp.CSS("table.rota")))
	// The rule form shows only the fields of the chosen pattern.
	step("open the new-rule form", chromedp.Click(chromedp.CSS("details.rule-new > summary")), choose("#new-pattern", "weekly"))
	if hidden := evalIn[bool](b, `document.querySelector('#new-day').closest('.field').hidden`); !hidden {
		t.Errorf("the day of month is shown for a weekly rule")
	}
	shots("rota")
	step("session", chromedp.Navigate(fmt.Sprintf("%s/console/receptions/%d", base, first.ID)), chromedp.WaitVisible(chromedp.CSS("#reception-status")))
	shots("session")

	// 4. A week later: the notice.
	clk.set("2026-03-16 12:00")
	step("login again", chromedp.Navigate(base+"/console/login"))
	login("dqclerk")
	step("attendance", chromedp.Navigate(base+"/console/attendance?year=2026"), chromedp.WaitVisible(chromedp.CSS("table.att-table")))
	shots("attendance")
	step("notice", chromedp.Navigate(fmt.Sprintf("%s/console/attendance/deputies/%d?year=2026", base, f.dep1.ID)), chromedp.WaitVisible(chromedp.CSS(".notice-table")))
	shots("attendance-notice")
	step("poster", chromedp.Navigate(fmt.Sprintf("%s/console/stations/%d/signin-poster", base, f.dqStation.ID)), chromedp.WaitVisible(chromedp.CSS(".poster-qr")))
	shots("signin-poster")
	b.finish()
}
