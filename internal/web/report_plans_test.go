package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// The 述职 page's forms without a browser: the paper counts and closing
// return to the plan; a stale version is refused; the liaison (who works at
// the meeting's station but does not manage it) may not close it nor print
// its poster, nor read another group's plan; the print form holds the
// tally; a closed ballot's page says so without a login.
func TestReportPlanForms(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := storetest.SystemContext()
		db := f.db
		d, err := db.UpdateDeputy(ctx, f.dep1.ID, lianluo.DeputyUpdate{GroupID: &f.group.ID, Version: f.dep1.Version})
		if err != nil {
			t.Fatal(err)
		}
		act, err := db.CreateActivity(ctx, lianluo.ActivityInput{Kind: lianluo.ActivityReport, Title: "王秀英代表向选民述职", StationID: &f.dqStation.ID,
			StartsAt: "2026-03-02T08:00", EndsAt: "2026-03-02T09:00", DeputyIDs: []int64{d.ID}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.CreateReportPlan(ctx, lianluo.ReportPlanInput{GroupID: f.group.ID, Year: 2026, DeputyIDs: []int64{d.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = db.LinkReport(ctx, p.ID, d.ID, lianluo.ReportLink{ActivityID: act.ID, VotersPresent: 55, Version: 1}); err != nil {
			t.Fatal(err)
		}
		b := p.Deputies[0].Ballot
		back := "/console/groups/" + strconv.FormatInt(f.group.ID, 10) + "/reports?year=2026"
		ballot := "/console/ballots/" + strconv.FormatInt(b.ID, 10)
		dep := "d" + strconv.FormatInt(d.ID, 10)

		clerk := f.loggedIn(t, "dqclerk")
		if r := clerk.get(back); r.Status != 200 || !strings.Contains(r.Body, `action="`+ballot+`/close"`) || strings.Contains(r.Body, `id="few-`) {
			t.Fatalf("the plan page: %d", r.Status)
		}
		// The list of deputies is changed on the same page; the one whose 述职 is linked stays.
		edit := "/console/report-plans/" + strconv.FormatInt(p.ID, 10) + "/edit"
		wantBody(t, "the edit form", clerk.get(back), `id="plan-edit-form"`, `name="deputy_ids" value="`+strconv.FormatInt(d.ID, 10)+`" checked`)
		res := clerk.post(edit, url.Values{"version": {strconv.Itoa(p.Version)}, "reason": {"调整"}})
		wantStatus(t, "the linked deputy out", res, http.StatusBadRequest)
		wantBody(t, "the linked deputy out", res, "不能移出计划", `id="plan-edit" open`)
		res = clerk.post(edit, url.Values{"version": {strconv.Itoa(p.Version + 5)}, "deputy_ids": {strconv.FormatInt(d.ID, 10)}, "reason": {"调整"}})
		wantStatus(t, "a stale edit", res, http.StatusConflict)
		res = clerk.post(edit, url.Values{"version": {strconv.Itoa(p.Version)}, "deputy_ids": {strconv.FormatInt(d.ID, 10)}, "reason": {"本组仅一名代表述职。"}})
		wantStatus(t, "the edit", res, http.StatusSeeOther)

		// The plan with a linked 述职 offers no withdrawal; a plan of another year without one does.
		wantNoBody(t, "the linked plan", clerk.get(back), `id="plan-delete"`)
		other, err := db.CreateReportPlan(ctx, lianluo.ReportPlanInput{GroupID: f.group.ID, Year: 2025, DeputyIDs: []int64{d.ID}, Reason: "测试"})
		if err != nil {
			t.Fatal(err)
		}
		back2025 := "/console/groups/" + strconv.FormatInt(f.group.ID, 10) + "/reports?year=2025"
		wantBody(t, "the 2025 plan", clerk.get(back2025), `id="plan-delete"`)
		res = clerk.post("/console/report-plans/"+strconv.FormatInt(other.ID, 10)+"/delete", url.Values{"version": {strconv.Itoa(other.Version)}})
		wantStatus(t, "withdraw", res, http.StatusSeeOther)
		wantBody(t, "withdrawn", clerk.get(back2025), `id="plan-form"`)

		// The overview of the groups in scope: this group's plan and how far it has got.
		res = clerk.get("/console/report-plans?year=2026")
		wantStatus(t, "the overview", res, http.StatusOK)
		wantBody(t, "the overview", res, `id="report-overview"`, back, f.group.Name, "1名", "1名")
		wantBody(t, "the groups' page", clerk.get("/console/groups"), `id="report-overview-link"`)
		wantBody(t, "the overview of 2024", clerk.get("/console/report-plans?year=2024"), "未制定述职计划")

		// The meeting's own page shows its ballot and the way to the poster.
		wantBody(t, "the 述职 activity", clerk.get("/console/activities/"+strconv.FormatInt(act.ID, 10)),
			`id="ballots"`, "王秀英代表向选民述职", `href="`+ballot+`/poster"`)
		r := clerk.post(ballot+"/paper", url.Values{"version": {"1"}, "back": {back}, "s_" + dep: {"20"}, "b_" + dep: {"3"}, "d_" + dep: {"1"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != back+"&ok=saved" {
			t.Errorf("paper counts: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := clerk.post(ballot+"/paper", url.Values{"version": {"1"}, "back": {back}, "s_" + dep: {"21"}}); r.Status != http.StatusConflict {
			t.Errorf("paper counts with an old version: %d", r.Status)
		}
		liaison := f.loggedIn(t, "dqliaison")
		// The group meets at no station of theirs: its plan is not theirs to read.
		if r := liaison.get(back); r.Status != http.StatusNotFound {
			t.Errorf("the liaison's plan page: %d; want 404", r.Status)
		}
		if r := liaison.post(ballot+"/close", url.Values{"version": {"1"}}); r.Status != http.StatusForbidden {
			t.Errorf("the liaison closes: %d", r.Status)
		}
		if r := liaison.get(ballot + "/poster"); r.Status != http.StatusForbidden {
			t.Errorf("the liaison's poster: %d", r.Status)
		}
		if r := clerk.get(ballot + "/poster"); r.Status != 200 || !strings.Contains(r.Body, "/ballot/"+b.Token) {
			t.Errorf("the poster: %d", r.Status)
		}
		if r := clerk.get(ballot + "/qr.png"); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("the QR code: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		r = clerk.post(ballot+"/close", url.Values{"version": {"1"}, "back": {back + "#report-" + strconv.FormatInt(d.ID, 10)}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), back+"&ok=saved#report-") {
			t.Errorf("close: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := clerk.get("/console/report-plans/" + strconv.FormatInt(p.ID, 10) + "/print"); r.Status != 200 ||
			!strings.Contains(r.Body, "满意20票、基本满意3票、不满意1票") || !strings.Contains(r.Body, "代表向选民述职情况汇总表") {
			t.Errorf("the print form: %d", r.Status)
		}
		voter := f.client(t)
		if r := voter.get("/ballot/" + b.Token); r.Status != 200 || !strings.Contains(r.Body, "本次测评已经结束") {
			t.Errorf("the closed ballot's page: %d", r.Status)
		}
		if r := voter.get("/ballot/nothing-here"); r.Status != 404 {
			t.Errorf("an unknown ballot: %d", r.Status)
		}
	})
}
