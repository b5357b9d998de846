package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserCaseLoop takes one voter's complaint through the whole
// workflow in Chromium, each step by the person who does it, through the
// pages: the liaison registers it (received by the deputy) and triages it
// to the leader, who assigns it to the 街道办; the unit signs and replies
// (B); the liaison feeds back; the deputy, on a 360px phone, is not
// satisfied; the clerk supervises; the unit replies again (A); the liaison
// feeds back; the deputy is basically satisfied, which closes it; the
// clerk archives it. Screenshots of the pages met on the way go to
// $LIANLUO_SCREENSHOTS when set.
func TestBrowserCaseLoop(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 150*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixtureAPI(t, db, func(svc lianluo.Services) http.Handler {
		return api.New(api.Config{Services: svc, Logger: slog.New(slog.DiscardHandler)})
	})
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look

	current := ""
	as := func(user string, v viewport) {
		t.Helper()
		if current != "" {
			step("log out "+current, use(v), chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS(".who")))
			submit("log out "+current, `form[action="/console/logout"] button`)
		}
		b.login(base, v, user, password)
		current = user
	}
	var caseURL string
	open := func(v viewport) {
		t.Helper()
		step("open the case", use(v), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#case-status")))
	}
	// do submits an action's form and checks the status the case lands in.
	do := func(action, wantStatus string) {
		t.Helper()
		if got := submit(action, fmt.Sprintf("#act-%s button[type=submit]", action)); got != http.StatusOK {
			t.Fatalf("%s: status %d", action, got)
		}
		step(action+" done", chromedp.WaitVisible(chromedp.CSS("p.flash")))
		if got := text("#case-status"); got != wantStatus {
			t.Fatalf("after %s: status %q; want %q\n%s", action, got, wantStatus, text("main"))
		}
	}
	// shots looks at the page at both widths and goes back to desktop.
	shots := func(name string) {
		t.Helper()
		for _, v := range []viewport{desktop, phone} {
			step("viewport", use(v))
			look(name, v)
		}
		step("viewport", use(desktop))
	}
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	keys := func(sel, s string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.CSS(sel), s) }

	// 1. The liaison registers what a voter told the deputy at the station.
	as("dqliaison", desktop)
	step("dashboard", chromedp.WaitVisible(chromedp.CSS(".todo-block")))
	look("dashboard-liaison", desktop)
	for _, v := range []viewport{desktop, phone} {
		step("register form", use(v), chromedp.Navigate(base+"/console/cases/new"), chromedp.WaitVisible(chromedp.CSS("#f-title")))
		look("case-register", v)
	}
	step("fill the register form", use(desktop), chromedp.Navigate(base+"/console/cases/new"), chromedp.WaitVisible(chromedp.CSS("#f-title")),
		click(fmt.Sprintf(`input[name=received_by][value="%d"]`, f.dep1.ID)),
		keys("#f-title", "坝头社区路灯不亮"),
		keys("#f-content", "小区东门到菜场一段的路灯坏了两个月，晚上老人出门不安全。"),
		choose("#f-category", "道路照明"),
		// The station's town and its villages are in the first select.
		choose("#f-region_code", "330206004002"),
		keys("#f-location", "庐山西路东段"),
		keys("#f-submitter_name", "张三"),
		keys("#f-submitter_phone", "13912340000"))
	if got := submit("register", "form.case-form button[type=submit]"); got != http.StatusOK {
		t.Fatalf("register: status %d", got)
	}
	step("case page", chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := text("p.flash"); !strings.Contains(got, "已登记。查询码 "+text("#case-code")) {
		t.Errorf("flash after registering = %q", got)
	}
	if got := text("#case-status"); got != "待梳理" {
		t.Errorf("new case status = %q; want 待梳理", got)
	}
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseURL, _, _ = strings.Cut(loc, "?")
	shots("case-registered")

	// Triage: with app.js only the chosen outcome's fields show.
	open(desktop)
	step("choose forward", click("#act-triage input[name=outcome][value=forward]"))
	if hidden := evalIn[bool](b, `getComputedStyle(document.querySelector("#f-triage-answer").closest("[data-outcome]")).display === "none"`); !hidden {
		t.Errorf("triage: the answer field shows for 报送审核交办")
	}
	step("triage note", keys("#f-triage-comment", "需街道协调修复"))
	do("triage", "待审核交办")

	// 2. The leader assigns it to the 街道办 with the default deadline.
	as("dqleader", desktop)
	for _, v := range []viewport{desktop, phone} {
		step("todo", use(v), chromedp.Navigate(base+"/console/todo"), chromedp.WaitVisible(chromedp.CSS("#todo-approve")))
		look("todo", v)
	}
	open(desktop)
	shots("case-pending")
	step("approve", choose("#f-approve-lead_unit_id", fmt.Sprint(f.dqUnit.ID)), keys("#f-approve-comment", "请街道办尽快修复，按期答复。"))
	do("approve", "已交办待签收")

	// 3. The unit signs and replies B.
	as("dqunit", desktop)
	open(desktop)
	do("sign", "办理中")
	shots("case-handling")
	open(desktop)
	step("reply B", click("#act-reply input[name=result][value=B]"), keys("#f-reply-content", "已列入本月路灯维修计划。"), click("#f-reply-met_deputy"))
	do("reply", "已答复待反馈")

	// 4. The liaison feeds the reply back.
	as("dqliaison", desktop)
	open(desktop)
	if got, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#f-feedback-content"))); err != nil || got != "已列入本月路灯维修计划。" {
		t.Errorf("feedback form = %q (%v); want the reply to start from", got, err)
	}
	do("feedback", "待满意度测评")

	// 5. The deputy, on a phone, is not satisfied.
	as("wangxy", phone)
	open(phone)
	look("case-evaluate", phone)
	step("evaluate 不满意", click("#act-evaluate input[name=rating][value=unsatisfied]"), keys("#f-evaluate-comment", "两个月了还没修好。"))
	do("evaluate", "督办中")

	// 6. The clerk supervises.
	as("dqclerk", desktop)
	for _, v := range []viewport{desktop, phone} {
		step("list", use(v), chromedp.Navigate(base+"/console/cases"), chromedp.WaitVisible(chromedp.CSS("table.list")))
		look("cases", v)
	}
	step("list search", use(desktop), chromedp.Navigate(base+"/console/cases?q=路灯"), chromedp.WaitVisible(chromedp.CSS("table.list")))
	if got := text("table.list"); !strings.Contains(got, "坝头社区路灯不亮") || !strings.Contains(got, "督办中") {
		t.Errorf("list search for 路灯:\n%s", got)
	}
	open(desktop)
	shots("case-supervising")
	step("supervise", keys("#f-supervise-comment", "请一周内修复。"))
	do("supervise", "办理中")

	// 7. The unit replies A.
	as("dqunit", desktop)
	open(desktop)
	step("reply A", click("#act-reply input[name=result][value=A]"), keys("#f-reply-content", "路灯已全部修复。"))
	do("reply", "已答复待反馈")

	// 8. The liaison feeds back again.
	as("dqliaison", desktop)
	open(desktop)
	do("feedback", "待满意度测评")

	// 9. The deputy is basically satisfied: the case is closed.
	as("wangxy", phone)
	open(phone)
	step("evaluate 基本满意", click("#act-evaluate input[name=rating][value=basically_satisfied]"))
	do("evaluate", "已办结")

	// 10. The clerk archives it; the print forms.
	as("dqclerk", desktop)
	open(desktop)
	do("archive", "已归档")
	if n := evalIn[int](b, `document.querySelectorAll("ol.timeline li").length`); n != 12 {
		t.Errorf("timeline has %d steps; want 12", n)
	}
	shots("case-archived")
	for _, v := range []viewport{desktop, phone} {
		step("register sheet", use(v), chromedp.Navigate(caseURL+"/print/register"), chromedp.WaitVisible(chromedp.CSS(".doc")),
			chromedp.WaitVisible(chromedp.CSS("[data-print]")))
		look("print-register", v)
		step("assign sheet", chromedp.Navigate(caseURL+"/print/assign"), chromedp.WaitVisible(chromedp.CSS(".doc")))
		look("print-assign", v)
	}
	if got := text(".doc"); !strings.Contains(got, "请街道办尽快修复，按期答复。") || !strings.Contains(got, "大碶街道办事处") {
		t.Errorf("assign sheet:\n%s", got)
	}
	b.finish()
}
