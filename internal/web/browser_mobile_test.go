package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// wide is an office screen.
var wide = viewport{"1366", 1366, 900, false}

// TestBrowserPhoneHomes is the deputy and the unit handler on a 360px
// phone: the tab bar at the bottom, the deputy's next turn with 签到 in
// the sign-in window, each tab tapped through, a message opened; then the
// unit's 待签收. Every page is looked at on the phone and at 1366px
// ($LIANLUO_SCREENSHOTS).
func TestBrowserPhoneHomes(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 150*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, clk := clockedFixture(t, db)
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look

	clk.set("2026-03-09 08:45") // the first Monday session starts at 09:00
	weeklyRota(t, f)
	x := publishActivity(t, f)
	// A case assigned to 大碶街道办事处, for the unit handler.
	liaison, leader := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader")
	caseID := f.register(t, liaison, "小区路灯不亮")
	mustAct(t, liaison, caseID, "triage", url.Values{"outcome": {"forward"}})
	mustAct(t, leader, caseID, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}, "comment": {"请街道办尽快修复"}})
	// Another, answered and fed back: it waits for the deputy's evaluation.
	unit := f.loggedIn(t, "dqunit")
	evalID := f.register(t, liaison, "雨后路面积水严重")
	mustAct(t, liaison, evalID, "triage", url.Values{"outcome": {"forward"}})
	mustAct(t, leader, evalID, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}, "comment": {"请街道办疏通"}})
	mustAct(t, unit, evalID, "sign", nil)
	mustAct(t, unit, evalID, "reply", url.Values{"result": {"A"}, "content": {"已疏通雨水管。"}, "met_deputy": {"1"}})
	mustAct(t, liaison, evalID, "feedback", url.Values{"content": {"街道已疏通雨水管。"}})

	login := func(user string) {
		t.Helper()
		b.login(base, phone, user, password)
		step("home", chromedp.WaitVisible(chromedp.CSS("nav.tabbar")))
	}
	// shots looks at the page at 1366px and back on the phone.
	shots := func(name string) {
		t.Helper()
		step("wide", use(wide))
		look(name, wide)
		step("phone", use(phone))
		look(name, phone)
	}
	// tap follows a link of the page and waits for sel on the next one.
	tap := func(what, link, sel string) {
		t.Helper()
		step(what, chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	current := func() string {
		t.Helper()
		return evalIn[string](b, `(document.querySelector('.tabbar [aria-current="page"]') || {}).id || ""`)
	}
	// The tab bar sits at the bottom of a phone's screen, and on top of the
	// page's end: the last of the page can be scrolled above it.
	atBottom := func(what string) {
		t.Helper()
		got := evalIn[string](b, `(() => { const r = document.querySelector('nav.tabbar').getBoundingClientRect();
			return getComputedStyle(document.querySelector('nav.tabbar')).position + ' ' + Math.round(r.bottom) + ' ' + window.innerHeight })()`)
		f := strings.Fields(got)
		if len(f) != 3 || f[0] != "fixed" || f[1] != f[2] {
			t.Errorf("%s: tab bar (position, bottom, screen height) = %q; want fixed at the bottom", what, got)
		}
	}

	// 1. The deputy's home: the next turn, in the window: 签到.
	login("wangxy")
	if got := evalIn[string](b, `location.pathname`); got != "/console/" {
		t.Fatalf("after login: at %s", got)
	}
	atBottom("deputy home")
	if got := current(); got != "tab-home" {
		t.Errorf("current tab = %q; want tab-home", got)
	}
	if got := text("#next-turn"); !strings.Contains(got, "3月9日") || !strings.Contains(got, "09:00–11:00") || !strings.Contains(got, "大碶街道人大代表联络站") {
		t.Errorf("next turn = %q", got)
	}
	if got := text("#tab-inbox"); !strings.Contains(got, "消息") || !strings.ContainsAny(got, "123456789") {
		t.Errorf("inbox tab = %q; want the unread count", got)
	}
	if got := evalIn[int](b, `document.querySelectorAll('nav.side, details.mnav').length`); got != 0 {
		t.Errorf("the console's menu is on the deputy's home (%d)", got)
	}
	if got := text("#evaluate"); !strings.Contains(got, "雨后路面积水严重") {
		t.Errorf("opinions to evaluate = %q", got)
	}
	// 我的履职: this year's figures and what 六个一 still misses, on the phone.
	if got := text("#my-record"); !strings.Contains(got, "我的履职（2026年）") || !strings.Contains(got, "履职积分") ||
		!strings.Contains(got, "还差 5 篇") || !strings.Contains(got, "“六个一”已完成") {
		t.Errorf("我的履职 = %q", got)
	}
	shots("deputy-home")
	tap("the opinion to evaluate", "#evaluate a.card", "#case-status")
	if got := evalIn[string](b, `location.pathname`); got != fmt.Sprintf("/console/cases/%d", evalID) || current() != "tab-todo" {
		t.Errorf("tapped the opinion: at %s, tab %q", got, current())
	}
	shots("deputy-evaluate")
	tap("home again", "#tab-home", "#home-signin")
	tap("tap 签到", "#home-signin", "#signin-button")
	if got := submit("sign in", "#signin-button"); got != http.StatusOK {
		t.Fatalf("sign in: status %d", got)
	}
	step("signed in", chromedp.WaitVisible(chromedp.CSS("#signin-state")))
	if got := text("#signin-state"); !strings.Contains(got, "已签到") {
		t.Errorf("after 签到: %q", got)
	}
	tap("back home", "#tab-home", "#next-turn")
	if got := text("#next-turn"); !strings.Contains(got, "已签到") {
		t.Errorf("next turn after signing in = %q", got)
	}
	if n := evalIn[int](b, `document.querySelectorAll('#home-signin').length`); n != 0 {
		t.Errorf("签到 still offered after signing in")
	}

	// 2. Each tab.
	tap("tab 待办", "#tab-todo", "main h1")
	if got := text("main h1"); got != "我的待办" || current() != "tab-todo" {
		t.Errorf("待办: h1 %q, tab %q", got, current())
	}
	shots("deputy-todo")
	tap("tab 记一笔", "#tab-record", "#record-diary")
	shots("deputy-record")
	tap("民情日记", "#record-diary", "main form")
	if got := evalIn[string](b, `location.pathname`); got != "/console/diary/new" || current() != "tab-record" {
		t.Errorf("民情日记: at %s, tab %q", got, current())
	}
	shots("deputy-diary-new")
	tap("tab 记一笔 again", "#tab-record", "#record-case")
	tap("登记意见", "#record-case", "main form")
	if got := evalIn[string](b, `location.pathname`); got != "/console/cases/new" {
		t.Errorf("登记意见: at %s", got)
	}
	tap("tab 消息", "#tab-inbox", "ul.msgs")
	atBottom("inbox")
	shots("deputy-inbox")
	// The activity's invitation links to the activity (newer notices, such
	// as the feedback on a case the deputy received, come before it).
	href := evalIn[string](b, `([...document.querySelectorAll('li.msg.unread a')].find(a => a.textContent.includes('代表活动')) || {}).pathname || ""`)
	if href == "" {
		t.Fatalf("no unread 代表活动 message in the inbox: %q", text("ul.msgs"))
	}
	tap("open the activity's message", `li.msg.unread a[href="`+href+`"]`, "#msg-link")
	shots("deputy-message")
	if got, want := evalIn[string](b, `document.querySelector('#msg-link').getAttribute('href')`), fmt.Sprintf("/console/activities/%d", x.ID); got != want {
		t.Errorf("message link = %q; want %q", got, want)
	}
	tap("tab 我的", "#tab-me", "#cal-url")
	if got := text("main"); !strings.Contains(got, "大碶街道人大代表联络站") || !strings.Contains(got, "通知设置") {
		t.Errorf("我的 = %q", got)
	}
	shots("deputy-me")
	step("log out", chromedp.Click(chromedp.CSS("#me-logout")), chromedp.WaitVisible(chromedp.CSS("#f-username")))

	// 3. The unit handler: 待签收.
	login("dqunit")
	atBottom("handler home")
	if got := text("#count-sign"); !strings.Contains(got, "1") {
		t.Errorf("待签收 count = %q", got)
	}
	shots("handler-home")
	tap("tab 待签收", "#tab-sign", "ul.cards")
	if got := current(); got != "tab-sign" {
		t.Errorf("current tab = %q; want tab-sign", got)
	}
	shots("handler-sign")
	tap("the case", "ul.cards a.card", "main h1")
	if got := evalIn[string](b, `location.pathname`); got != fmt.Sprintf("/console/cases/%d", caseID) {
		t.Errorf("tapped case: at %s", got)
	}
	shots("handler-case")
	tap("tab 待答复", "#tab-reply", "main h1")
	shots("handler-reply")
	tap("tab 我的", "#tab-me", "#me-logout")
	shots("handler-me")
	step("log out", chromedp.Click(chromedp.CSS("#me-logout")), chromedp.WaitVisible(chromedp.CSS("#f-username")))

	// 4. Staff keep the console; the header counts their messages too.
	step("log in dqleader", chromedp.SendKeys(chromedp.CSS("#f-username"), "dqleader"), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
	submit("log in dqleader", `form[action="/console/login"] button[type=submit]`)
	step("console", chromedp.WaitVisible(chromedp.CSS("#inbox-count")))
	if n := evalIn[int](b, `document.querySelectorAll('nav.tabbar').length`); n != 0 {
		t.Errorf("the leader got the tab bar")
	}
	step("inbox", chromedp.Navigate(base+"/console/inbox"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shots("staff-inbox")
	b.finish()
}
