package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// appraisalOf plans and runs a town appraisal of 大碶街道办事处 by the 大碶
// office up to its rectification items: one overdue, one not yet due.
func (f *fixture) appraisalOf(t *testing.T) (*lianluo.Appraisal, []*lianluo.Rectification) {
	t.Helper()
	storetest.ClockOf(f.db).SetTime(time.Date(2026, 12, 7, 10, 0, 0, 0, lianluo.Beijing))
	clerk := f.as(t, "dqclerk")
	p, err := f.db.CreateAppraisal(clerk, lianluo.AppraisalInput{OrgID: f.dq.ID, Year: 2026, Title: "2026年度站所工作评议",
		UnitIDs: []int64{f.dqUnit.ID}, ScheduledOn: "2026-11-20"})
	if err != nil {
		t.Fatal(err)
	}
	act, err := f.db.CreateActivity(clerk, lianluo.ActivityInput{Kind: "appraisal", Title: "评议街道办工作", StationID: &f.dqStation.ID,
		StartsAt: "2026-11-20T09:00", EndsAt: "2026-11-20T11:00"})
	if err != nil {
		t.Fatal(err)
	}
	u := f.dqUnit.ID
	for _, in := range []lianluo.AppraisalStepInput{
		{Step: lianluo.StepCollect, On: "2026-11-05", Note: "收到意见9条"},
		{Step: lianluo.StepMeeting, On: "2026-11-20", ActivityID: &act.ID, Units: []lianluo.AppraisalStepUnit{{UnitID: u, Report: "街道办年度工作汇报"}}},
		{Step: lianluo.StepBallot, On: "2026-11-20", Units: []lianluo.AppraisalStepUnit{{UnitID: u, Tally: &lianluo.AppraisalTally{Satisfied: 20, Basic: 6, Unsatisfied: 4}}}},
		{Step: lianluo.StepFindings, On: "2026-11-23", Units: []lianluo.AppraisalStepUnit{{UnitID: u, Findings: "背街小巷环境整治不到位。"}}},
	} {
		in.Version = p.Version
		if p, err = f.db.RecordStep(clerk, p.ID, in); err != nil {
			t.Fatalf("RecordStep(%s): %v", in.Step, err)
		}
	}
	var items []*lianluo.Rectification
	for _, in := range []lianluo.RectificationInput{
		{UnitID: u, Text: "整治背街小巷乱堆乱放", DueOn: "2026-11-30"},
		{UnitID: u, Text: "建立环境卫生长效管理制度并公示", DueOn: "2026-12-31"},
	} {
		x, err := f.db.AddRectification(clerk, p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, x)
	}
	return p, items
}

// The pages of 工作评议: the list for the office (and refused to a
// deputy), the form's Chinese error at its field, the appraisal's page
// with its overdue mark, the unit's own items and its report.
func TestAppraisalPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		p, items := f.appraisalOf(t)
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/appraisals?year=2026")
		wantStatus(t, "list", res, http.StatusOK)
		wantBody(t, "list", res, "2026年度站所工作评议", "大碶街道办事处", "86%（30票）", "0/2", "超期1项")

		// June without a reason: refused at its field, in Chinese.
		form := url.Values{"org_id": {strconv.FormatInt(f.dq.ID, 10)}, "year": {"2026"}, "title": {"年中评议"},
			"unit_ids": {strconv.FormatInt(f.dqUnit.ID, 10)}, "scheduled_on": {"2026-06-15"}}
		res = clerk.post("/console/appraisals", form)
		wantStatus(t, "June", res, http.StatusBadRequest)
		wantBody(t, "June", res, "工作评议应安排在第四季度", `id="scheduled_on-error"`)
		form.Set("schedule_reason", "换届提前")
		wantStatus(t, "June with a reason", clerk.post("/console/appraisals", form), http.StatusSeeOther)

		page := fmt.Sprintf("/console/appraisals/%d", p.ID)
		res = clerk.get(page)
		wantStatus(t, "appraisal", res, http.StatusOK)
		wantBody(t, "appraisal", res, "记录：整改", "已超期", "整治背街小巷乱堆乱放", "背街小巷环境整治不到位。", "满意率 86%")
		xlsx := clerk.get(page + "/summary.xlsx")
		wantStatus(t, "the workbook", xlsx, http.StatusOK)
		if ct := xlsx.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("the workbook's type: %q", ct)
		}
		// Out of order: a stale form for 督办 is refused with the rule's words.
		res = clerk.post(page+"/steps", url.Values{"step": {"supervision"}, "on": {"2026-12-01"}, "version": {strconv.Itoa(p.Version)}})
		wantStatus(t, "supervision now", res, http.StatusConflict)
		wantBody(t, "supervision now", res, "评议步骤须依次进行")

		// The deputy has no appraisals; another town's office does not find it.
		wantStatus(t, "deputy", f.loggedIn(t, "wangxy").get("/console/appraisals"), http.StatusForbidden)
		wantStatus(t, "district unit", f.loggedIn(t, "zjhandler").get(page), http.StatusNotFound)

		// The unit reports on its phone page; a blank report stays on the page with its error.
		unit := f.loggedIn(t, "dqunit")
		res = unit.get("/console/rectifications")
		wantStatus(t, "unit items", res, http.StatusOK)
		wantBody(t, "unit items", res, "还有 2 项未完成", "已超期", "报告整改完成")
		// The notice of an item leads the handler to them.
		inbox := unit.get("/console/inbox")
		msg := regexp.MustCompile(`href="(/console/inbox/\d+)"`).FindStringSubmatch(inbox.Body)
		if msg == nil {
			t.Fatalf("no message link in the unit's inbox:\n%s", clip(inbox.Body))
		}
		wantBody(t, "the unit's notice", unit.get(msg[1]), `href="/console/rectifications"`, "查看本单位的整改事项")
		item := fmt.Sprintf("/console/rectifications/%d/report", items[0].ID)
		res = unit.post(item, url.Values{"version": {"1"}, "back": {"unit"}})
		wantStatus(t, "blank report", res, http.StatusBadRequest)
		wantBody(t, "blank report", res, "请填写整改情况")
		res = unit.post(item, url.Values{"version": {"1"}, "back": {"unit"}, "report": {"已清理堆物23处"}})
		wantStatus(t, "report", res, http.StatusSeeOther)
		// The office hears of it, and the notice leads to the appraisal.
		inbox = clerk.get("/console/inbox")
		msg = regexp.MustCompile(`href="(/console/inbox/\d+)"`).FindStringSubmatch(inbox.Body)
		if msg == nil {
			t.Fatalf("no message link in the office's inbox:\n%s", clip(inbox.Body))
		}
		wantBody(t, "the office's notice", clerk.get(msg[1]), "整改待验收", `href="`+page+`"`, "查看这次工作评议")
		res = clerk.post(fmt.Sprintf("/console/rectifications/%d/return", items[0].ID), url.Values{"version": {"2"}, "appraisal_id": {strconv.FormatInt(p.ID, 10)}})
		wantStatus(t, "return without reason", res, http.StatusBadRequest)
		wantBody(t, "return without reason", res, "请填写退回理由")
		res = clerk.post(fmt.Sprintf("/console/rectifications/%d/accept", items[0].ID), url.Values{"version": {"2"}, "appraisal_id": {strconv.FormatInt(p.ID, 10)}})
		wantStatus(t, "accept", res, http.StatusSeeOther)
		wantBody(t, "after", clerk.get("/console/appraisals?year=2026"), "1/2")
	})
}
