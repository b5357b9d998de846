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

// TestBrowserSessionDesk: the 大碶 office opens its session's desk in
// Chromium at desktop width, ticks two submitted suggestions, chooses the
// 街道办 as lead unit and transfers both at once; then reads one on the
// case page, also at 360px. Screenshots go to $LIANLUO_SCREENSHOTS.
func TestBrowserSessionDesk(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 120*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	fixClock(db, "2026-03-11 10:00")
	f := newFixture(t, db)
	base := f.srv.URL
	s, err := db.CreateSession(f.as(t, "dqclerk"), lianluo.SessionInput{OrgID: f.dq.ID, Name: "大碶街道第一次代表会议", StartsOn: "2026-03-10", EndsOn: "2026-03-12"})
	if err != nil {
		t.Fatal(err)
	}
	s1 := f.deputySuggestion(t, s.ID, "关于增设新碶菜场公交站的建议")
	s2 := f.deputySuggestion(t, s.ID, "关于修缮坝头社区老年食堂、增加助餐服务点和送餐上门服务的建议")
	f.deputySuggestion(t, s.ID, "关于清理岩河垃圾的建议")

	b.login(base, desktop, "dqclerk", password)
	b.step("sessions", chromedp.Navigate(base+"/console/sessions"), chromedp.WaitVisible(chromedp.CSS("#sessions")))
	b.look("sessions", desktop)
	b.step("desk", chromedp.Click(chromedp.CSS("#sessions a")), chromedp.WaitVisible(chromedp.CSS("#desk")))
	if got := b.text("#row-" + idOf(s1.ID)); !strings.Contains(got, "第1号") || !strings.Contains(got, "剩16天") {
		t.Errorf("desk row: %q; want 第1号 and 剩16天", got)
	}
	b.look("session-desk", desktop)
	b.step("tick two", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=case_id][value="%d"]`, s1.ID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=case_id][value="%d"]`, s2.ID))),
		choose("#f-transfer-lead_unit_id", idOf(f.dqUnit.ID)))
	if got := b.submit("transfer", `#desk-form button[type=submit]`); got != http.StatusOK {
		t.Fatalf("transfer: status %d", got)
	}
	b.step("results", chromedp.WaitVisible(chromedp.CSS("#batch-results")))
	if got := b.text("#batch-results"); strings.Count(got, "已交办") != 2 {
		t.Errorf("batch results: %q; want two 已交办", got)
	}
	b.look("session-desk-transferred", desktop)

	for _, v := range []viewport{desktop, phone} {
		b.step("case page", use(v), chromedp.Navigate(base+caseURLOf(s2.ID)), chromedp.WaitVisible(chromedp.CSS("#case-number")))
		b.look("suggestion-case", v)
	}
	if got := b.text("#case-status"); got != lianluo.StatusNames[lianluo.StatusAssigned] {
		t.Errorf("case status %q; want assigned", got)
	}

	// The unit's handler, on a phone: the suggestions of the 街道办.
	b.step("log out", use(desktop), chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS(".who")))
	b.submit("log out", `form[action="/console/logout"] button`)
	b.login(base, phone, "dqunit", password)
	b.step("unit's desk", chromedp.Navigate(base+"/console/suggestions"), chromedp.WaitVisible(chromedp.CSS("#suggestions")))
	if got := b.text("#row-" + idOf(s1.ID)); !strings.Contains(got, "未面商") || !strings.Contains(got, "2026-06-11") {
		t.Errorf("unit's row: %q; want 未面商 and the reply deadline", got)
	}
	b.look("unit-suggestions", phone)
	b.finish()
}
