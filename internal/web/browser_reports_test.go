package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserReports: the office makes a group's 述职 plan (too many
// deputies: the warning shows with the reason box, a reason saves it),
// links the 述职 with 40 voters (flagged), and a voter votes on a 360-pixel
// phone — the thank-you page — and is refused a second time from the same
// number; the closed ballot says so. Pages at 1280 and 360 px, nothing
// wider than the screen; screenshots to $LIANLUO_SCREENSHOTS.
func TestBrowserReports(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 120*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	ctx := storetest.SystemContext()
	for _, d := range []*lianluo.Deputy{f.dep1, f.dep2} {
		if _, err := db.UpdateDeputy(ctx, d.ID, lianluo.DeputyUpdate{GroupID: &f.group.ID, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
	}
	act, err := db.CreateActivity(ctx, lianluo.ActivityInput{Kind: lianluo.ActivityReport, Title: "王秀英代表向选民述职", StationID: &f.dqStation.ID,
		StartsAt: "2026-03-02T08:00", EndsAt: "2026-03-02T09:00", DeputyIDs: []int64{f.dep1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	page := base + "/console/groups/" + strconv.FormatInt(f.group.ID, 10) + "/reports?year=2026"
	dep1 := strconv.FormatInt(f.dep1.ID, 10)

	b.login(base, desktop, "dqclerk", password)
	b.step("the group's page", chromedp.Navigate(base+"/console/groups/"+strconv.FormatInt(f.group.ID, 10)), chromedp.WaitVisible(chromedp.CSS("#group-reports")))
	b.step("the plan form", chromedp.Click(chromedp.CSS("#group-reports")), chromedp.WaitVisible(chromedp.CSS(`input[name="deputy_ids"]`)))
	b.look("report-plan-new", desktop)
	b.step("both deputies", chromedp.Click(chromedp.CSS(`input[name="deputy_ids"][value="`+dep1+`"]`)),
		chromedp.Click(chromedp.CSS(`input[name="deputy_ids"][value="`+strconv.FormatInt(f.dep2.ID, 10)+`"]`)))
	if got := b.submit("save without a reason", `#plan-form button[type=submit]`); got != 400 {
		t.Errorf("a plan of 100 %% without a reason: status %d; want 400", got)
	}
	if s := b.text("#plan-warnings"); !strings.Contains(s, "多于每年20%至30%（1至1名）") {
		t.Errorf("the warnings: %q", s)
	}
	b.look("report-plan-warnings", desktop)
	b.step("a reason", chromedp.SendKeys(chromedp.CSS("#f-reason"), "两名代表均为本届新任，选民要求当面述职。"))
	if got := b.submit("save with a reason", `#plan-form button[type=submit]`); got != 200 {
		t.Fatalf("a plan with a reason: status %d", got)
	}
	if s := b.text("#plan-reason"); !strings.Contains(s, "选民要求当面述职") {
		t.Errorf("the reason kept: %q", s)
	}
	b.step("link the 述职", choose("#act-"+dep1, strconv.FormatInt(act.ID, 10)), chromedp.SendKeys(chromedp.CSS("#voters-"+dep1), "40"))
	if got := b.submit("link", `#report-`+dep1+` form.link-form button[type=submit]`); got != 200 {
		t.Fatalf("link: status %d", got)
	}
	if s := b.text("#few-" + dep1); !strings.Contains(s, "少于50人") {
		t.Errorf("40 voters not flagged: %q", s)
	}
	for _, v := range []viewport{desktop, phone} {
		b.step("the plan", use(v), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#report-"+dep1+" .ballot-box")))
		b.look("report-plan", v)
		b.step("the groups' 述职", chromedp.Navigate(base+"/console/report-plans?year=2026"), chromedp.WaitVisible(chromedp.CSS("#report-overview")))
		b.look("report-overview", v)
	}

	plans, _, err := db.FindReportPlans(ctx, lianluo.ReportPlanFilter{GroupID: f.group.ID, Year: 2026})
	if err != nil || len(plans) != 1 || plans[0].Deputies[0].Ballot == nil {
		t.Fatalf("the plan: %v, %v", plans, err)
	}
	ballot := plans[0].Deputies[0].Ballot
	vote := base + "/ballot/" + ballot.Token

	// The voter, on a phone.
	b.step("the ballot", use(phone), chromedp.Navigate(vote), chromedp.WaitVisible(chromedp.CSS(`input[name="choice_d`+dep1+`"]`)))
	b.look("ballot", phone)
	if w := evalIn[int](b, `Math.round(document.querySelector("label.choice").getBoundingClientRect().height)`); w < 44 {
		t.Errorf("a choice is %dpx high; want a big target", w)
	}
	b.step("mark", chromedp.Click(chromedp.CSS(`input[name="choice_d`+dep1+`"][value="satisfied"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-comment"), "讲得实在，希望多来社区。"), chromedp.SendKeys(chromedp.CSS("#f-phone"), "13905741234"))
	if got := b.submit("vote", `form.ballot-form button[type=submit]`); got != 200 {
		t.Fatalf("vote: status %d", got)
	}
	if s := b.text("#ballot-thanks"); !strings.Contains(s, "投票成功") {
		t.Errorf("the thank-you page: %q", s)
	}
	b.look("ballot-thanks", phone)
	b.step("again", chromedp.Navigate(vote), chromedp.WaitVisible(chromedp.CSS(`input[name="choice_d`+dep1+`"]`)),
		chromedp.Click(chromedp.CSS(`input[name="choice_d`+dep1+`"][value="basic"]`)), chromedp.SendKeys(chromedp.CSS("#f-phone"), "13905741234"))
	if got := b.submit("vote again", `form.ballot-form button[type=submit]`); got != 409 {
		t.Errorf("a second vote: status %d; want 409", got)
	}
	if s := b.text("#ballot-error"); !strings.Contains(s, "已经投过票") {
		t.Errorf("the second vote's message: %q", s)
	}
	b.look("ballot-again", phone)
	got, err := db.FindBallotByID(ctx, ballot.ID)
	if err != nil || got.Tally.Voters != 1 {
		t.Errorf("votes counted: %+v, %v; want 1", got, err)
	}
	if _, err := db.CloseBallot(ctx, ballot.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	b.step("closed", chromedp.Navigate(vote), chromedp.WaitVisible(chromedp.CSS("#ballot-closed")))
	b.look("ballot-closed", phone)
	b.step("the poster", use(desktop), chromedp.Navigate(base+"/console/report-plans/"+strconv.FormatInt(plans[0].ID, 10)+"/print"),
		chromedp.WaitVisible(chromedp.CSS("table.ledger-table")))
	b.look("report-plan-print", desktop)
	b.finish()
}
