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

// TestBrowserSuggestionPhone is 我的建议 on a 360px phone: 王秀英 writes a
// suggestion for the session and invites 李建国, found by name; 李建国
// opens his home, sees the invitation and confirms it in one tap; 王秀英
// puts it forward: 已提出待交办, 第1号. Every page is looked at on the
// phone and at 1366px ($LIANLUO_SCREENSHOTS), and none scrolls sideways.
func TestBrowserSuggestionPhone(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 150*time.Second)
	defer b.finish()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	session := suggestionSetup(t, f)
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	keys := func(sel, s string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.CSS(sel), s) }
	shots := func(name string) {
		t.Helper()
		step("wide", use(wide))
		look(name, wide)
		step("phone", use(phone))
		look(name, phone)
	}
	login := func(user string) {
		t.Helper()
		b.login(base, phone, user, password)
		step("home", chromedp.WaitVisible(chromedp.CSS("nav.tabbar")))
	}
	logout := func() {
		t.Helper()
		step("log out", chromedp.Navigate(base+"/console/me"), chromedp.WaitVisible(chromedp.CSS("#me-logout")),
			click("#me-logout"), chromedp.WaitVisible(chromedp.CSS("#f-username")))
	}
	path := func() string {
		t.Helper()
		return evalIn[string](b, `location.pathname`)
	}

	// 1. 王秀英: 我的建议 on her home, then where and what.
	login("wangxy")
	if got := text("#my-suggestions"); !strings.Contains(got, "我的建议") || !strings.Contains(got, "草稿") {
		t.Errorf("我的建议 on the home = %q", got)
	}
	step("写建议", click("#sugg-new"), chromedp.WaitVisible(chromedp.CSS("#place-0")))
	shots("suggestion-places")
	if got := text("#place-0"); !strings.Contains(got, session.Name) {
		t.Errorf("first place = %q; want the session", got)
	}
	step("the session", click("#place-0"), chromedp.WaitVisible(chromedp.CSS("#f-title")))
	// Saving empty: the errors next to the fields, on the phone.
	if got := submit("save empty", "#sugg-save"); got != http.StatusBadRequest {
		t.Fatalf("save empty: status %d; want 400", got)
	}
	step("errors", chromedp.WaitVisible(chromedp.CSS("#title-error")))
	if got := text("#title-error"); !strings.Contains(got, "标题") {
		t.Errorf("title error = %q", got)
	}
	shots("suggestion-form-errors")
	// The co-signer found by name in the search box.
	step("search", chromedp.WaitVisible(chromedp.CSS("#signer-q")), keys("#signer-q", "李建国"))
	if n := evalIn[int](b, `[...document.querySelectorAll('.signer-list li')].filter(li => !li.hidden).length`); n != 1 {
		t.Errorf("deputies shown for 李建国: %d; want 1", n)
	}
	step("fill", keys("#f-title", "关于增设新碶菜场公交站的建议"),
		keys("#f-content", "新碶菜场周边居民出行不便，老人买菜要步行二十分钟。"),
		keys("#f-reasons", "菜场附近没有公交站。"),
		keys("#f-proposals", "建议区交通局在菜场东门增设公交站。"),
		click(fmt.Sprintf("#signer-%d", f.dep2.ID)))
	if got := text(".signer-count"); !strings.Contains(got, "已选1位") {
		t.Errorf("signer count = %q", got)
	}
	shots("suggestion-form")
	if got := submit("save the draft", "#sugg-save"); got != http.StatusOK {
		t.Fatalf("save: status %d", got)
	}
	step("draft", chromedp.WaitVisible(chromedp.CSS("#sugg-status")))
	draft := path()
	if !strings.HasPrefix(draft, "/console/my-suggestions/") {
		t.Fatalf("after saving: at %s", draft)
	}
	if got := text("#sugg-signers"); !strings.Contains(got, "李建国") || !strings.Contains(got, "待确认") {
		t.Errorf("signers = %q", got)
	}
	shots("suggestion-draft")
	logout()

	// 2. 李建国: the invitation on his home, confirmed in one tap.
	login("lijg")
	step("invitation", chromedp.WaitVisible(chromedp.CSS("#cosign-invites")))
	if got := text("#cosign-invites"); !strings.Contains(got, "王秀英代表邀请您附议建议") || !strings.Contains(got, "新碶菜场公交站") {
		t.Errorf("invitation = %q", got)
	}
	shots("suggestion-invite-home")
	// The buttons are big enough to tap.
	if h := evalIn[float64](b, `document.querySelector('#cosign-invites button').getBoundingClientRect().height`); h < 48 {
		t.Errorf("确认附议 is %.0fpx high; want ≥ 48", h)
	}
	if got := submit("确认附议", "#cosign-invites button.btn-primary"); got != http.StatusOK {
		t.Fatalf("cosign: status %d", got)
	}
	step("home again", chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := text("p.flash"); !strings.Contains(got, "您已确认附议") {
		t.Errorf("flash = %q", got)
	}
	if n := evalIn[int](b, `document.querySelectorAll('#cosign-invites').length`); n != 0 {
		t.Errorf("the invitation is still on the home")
	}
	logout()

	// 3. 王秀英 puts it forward.
	login("wangxy")
	step("我的建议", chromedp.Navigate(base+"/console/my-suggestions"), chromedp.WaitVisible(chromedp.CSS("ul.sugg-cards")))
	shots("suggestion-list")
	step("open", click("ul.sugg-cards a.card"), chromedp.WaitVisible(chromedp.CSS("#sugg-submit-btn")))
	if got := text("#sugg-signers"); !strings.Contains(got, "已确认") {
		t.Errorf("signers after the confirmation = %q", got)
	}
	if got := submit("提出", "#sugg-submit-btn"); got != http.StatusOK {
		t.Fatalf("submit: status %d", got)
	}
	step("submitted", chromedp.WaitVisible(chromedp.CSS("#sugg-status")))
	if got := text("#sugg-status"); got != "已提出待交办" {
		t.Errorf("status = %q; want 已提出待交办", got)
	}
	if got := text("#sugg-number"); got != "第1号" {
		t.Errorf("number = %q; want 第1号", got)
	}
	if got := text("#sugg-due"); !strings.Contains(got, "2026-03-27") {
		t.Errorf("transfer due = %q", got)
	}
	shots("suggestion-submitted")

	// 4. Transferred, 面商 and answered at the desks: she evaluates.
	id := f.lastSuggestion(t)
	storeAct(t, f, "dqclerk", id, lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &f.dqUnit.ID})
	storeAct(t, f, "dqunit", id, lianluo.ActSign, lianluo.CaseAction{})
	storeAct(t, f, "dqunit", id, lianluo.ActConsult, lianluo.CaseAction{HeldOn: "2026-03-02", Form: "phone", Deputies: "王秀英", Notes: "电话商定在菜场东门设站。"})
	storeAct(t, f, "dqunit", id, lianluo.ActReply, lianluo.CaseAction{Result: "A", Content: "菜场东门公交站已列入本年度建设计划，6月底前建成。"})
	step("answered", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#sugg-evaluate")))
	if got := text("#sugg-reply"); !strings.Contains(got, "A 已解决或采纳") {
		t.Errorf("reply = %q", got)
	}
	shots("suggestion-evaluate")
	step("rate", click("#f-rating-satisfied"))
	if got := submit("evaluate", "#sugg-evaluate-btn"); got != http.StatusOK {
		t.Fatalf("evaluate: status %d", got)
	}
	step("evaluated", chromedp.WaitVisible(chromedp.CSS("#sugg-evals")))
	if got := text("#sugg-status"); got != "已办结" {
		t.Errorf("status after the evaluation = %q; want 已办结", got)
	}
	shots("suggestion-evaluated")
}

// lastSuggestion is the newest suggestion's id.
func (f *fixture) lastSuggestion(t *testing.T) int64 {
	t.Helper()
	cs, _, err := f.db.FindCases(storetest.SystemContext(), lianluo.CaseFilter{Kind: lianluo.KindSuggestion, Page: lianluo.Page{PerPage: 1}})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no suggestion: %v", err)
	}
	return cs[0].ID
}
