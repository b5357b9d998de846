package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// repliedCase registers a case at the 大碶 station received by the deputy
// and takes it to 已答复待反馈 through the store, each step by its actor.
func (f *fixture) repliedCase(t *testing.T, title string, deputy int64) *lianluo.Case {
	t.Helper()
	sys, unit := storetest.SystemContext(), f.as(t, "zjhandler")
	c, err := f.db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID, Title: title,
		Content: title + "，请尽快处理。", Category: "道路维修", RegionCode: "330206004",
		Submitter: lianluo.Submitter{Name: "赵六", Phone: "13912340001"}, ReceivedBy: []int64{deputy}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		ctx    context.Context
		action lianluo.WorkflowAction
		in     lianluo.CaseAction
	}{
		{sys, lianluo.ActTriage, lianluo.CaseAction{Outcome: "forward"}},
		{sys, lianluo.ActApprove, lianluo.CaseAction{LeadUnitID: &f.unit.ID}},
		{unit, lianluo.ActSign, lianluo.CaseAction{}},
		{unit, lianluo.ActReply, lianluo.CaseAction{Result: "A", Content: "已疏通排水管道。"}},
	}
	for _, s := range steps {
		s.in.Version = c.Version
		if c, err = f.db.Act(s.ctx, c.ID, s.action, s.in); err != nil {
			t.Fatalf("%s %s: %v", title, s.action, err)
		}
	}
	return c
}

// TestBrowserDeputyTodoIsOwnWork: a deputy's dashboard, to-do page and
// to-do list show the answers to feed back for the cases they received,
// and not those another deputy of the same station received — on whose
// page they have no action either.
func TestBrowserDeputyTodoIsOwnWork(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 120*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	base := f.srv.URL
	other := f.repliedCase(t, "雨后路面积水严重", f.dep2.ID)
	own := f.repliedCase(t, "小区路灯不亮", f.dep1.ID)

	step, text, look := b.step, b.text, b.look
	b.login(base, phone, "wangxy", password)
	for _, v := range []viewport{phone, desktop} {
		// A deputy's home is the phone home: its 反馈 block holds their own case only.
		step("home", use(v), chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS("#feedback")))
		if got := text("#feedback"); !strings.Contains(got, own.Title) || strings.Contains(got, other.Title) || !strings.Contains(got, "（1）") {
			t.Errorf("home's feedback block at %dpx = %q; want %q only", v.width, got, own.Title)
		}
		look("todo-deputy-dashboard", v)

		step("to-do page", chromedp.Navigate(base+"/console/todo"), chromedp.WaitVisible(chromedp.CSS("h1")))
		page := text("main")
		if !strings.Contains(page, own.Title) || strings.Contains(page, other.Title) {
			t.Errorf("to-do page at %dpx shows %q and not %q? page:\n%s", v.width, own.Title, other.Title, page)
		}
		look("todo-deputy-page", v)
	}
	step("feedback list", chromedp.Navigate(base+"/console/cases?todo=feedback"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if list := text("main"); !strings.Contains(list, own.Title) || strings.Contains(list, other.Title) {
		t.Errorf("?todo=feedback lists:\n%s\nwant %q only", list, own.Title)
	}
	for _, c := range []struct {
		c    *lianluo.Case
		want bool
	}{{own, true}, {other, false}} {
		step("case page", chromedp.Navigate(fmt.Sprintf("%s/console/cases/%d", base, c.c.ID)), chromedp.WaitVisible(chromedp.CSS("#case-status")))
		has := evalIn[bool](b, `document.querySelector("#act-feedback") !== null`)
		if has != c.want {
			t.Errorf("case %q: feedback form shown = %v; want %v", c.c.Title, has, c.want)
		}
	}
}
