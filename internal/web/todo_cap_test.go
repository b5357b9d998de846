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

// manyToTriage registers one case more than the to-do counts count at the
// 大碶 station.
func (f *fixture) manyToTriage(t *testing.T) {
	t.Helper()
	for i := range lianluo.TodoCountCap + 1 {
		if _, err := f.db.CreateCase(storetest.SystemContext(), lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID,
			Title: fmt.Sprintf("小区路灯不亮%d", i), Content: "路灯坏了一个月。", Category: "道路维修", RegionCode: "330206004",
			Submitter: lianluo.Submitter{Name: "赵六", Phone: "13912340001"}}); err != nil {
			t.Fatal(err)
		}
	}
}

// A to-do list longer than lianluo.TodoCountCap shows "99+" on the to-do
// page and the dashboard (html/template writes the + as &#43;): the
// store stops counting there.
func TestTodoCountsCapped(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison := f.loggedIn(t, "dqliaison")
		f.manyToTriage(t)
		res := liaison.get("/console/todo")
		wantStatus(t, "todo", res, http.StatusOK)
		wantBody(t, "todo", res, `<span class="count-n">99&#43;</span><span class="count-label">待梳理</span>`, "待梳理（99&#43;）", "查看全部 99&#43; 件")
		res = liaison.get("/console/")
		wantBody(t, "dashboard", res, `<span class="todo-n">99&#43;</span><span>待梳理</span>`)
	})
}

// The capped count fits its tile on a phone and a desktop
// ($LIANLUO_SCREENSHOTS: todo-capped-*).
func TestBrowserTodoCountsCapped(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 120*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.manyToTriage(t)
	base := f.srv.URL
	b.login(base, phone, "dqliaison", password)
	for _, v := range []viewport{phone, desktop} {
		b.step("to-do page", use(v), chromedp.Navigate(base+"/console/todo"), chromedp.WaitVisible(chromedp.CSS(".todo-counts")))
		if got := b.text(".todo-counts"); !strings.Contains(got, "99+") {
			t.Errorf("to-do counts at %dpx = %q; want 99+", v.width, got)
		}
		b.look("todo-capped", v)
	}
}
