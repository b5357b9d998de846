package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// buildSugSession builds a session of 大碶 with three suggestions of dep1
// through the store, each step by the user whose work it is:
//
//   - 第1号: transferred on 3-26 (on time: the fifteen days end 3-27), 面商
//     in person, answered A on 6-01 (due 6-26: on time), rated 满意.
//   - 第2号: transferred on 3-30 (late), due 6-30; the deputy waived the
//     面商 in writing; answered C on 7-03 (late), rated 不满意.
//   - 第3号: never transferred.
//
// The clock is left at 2026-07-06 10:00.
func buildSugSession(t *testing.T, f *fixture) (int64, []int64) {
	t.Helper()
	db := f.db
	bg := context.Background()
	as := func(username string) context.Context {
		t.Helper()
		s, err := db.Login(bg, username, password, "127.0.0.1")
		if err != nil {
			t.Fatalf("login %s: %v", username, err)
		}
		a, err := db.Authenticate(bg, s.Token, "127.0.0.1")
		if err != nil {
			t.Fatalf("authenticate %s: %v", username, err)
		}
		return lianluo.NewContextWithActor(bg, a)
	}
	var clerk, deputy, unit context.Context
	clock := func(beijing string) {
		tm, err := time.ParseInLocation("2006-01-02 15:04", beijing, lianluo.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		storetest.ClockOf(db).Set(func() time.Time { return tm })
		clerk, deputy, unit = as("dqclerk"), as("wangxy"), as("dqunit")
	}
	act := func(ctx context.Context, id int64, action lianluo.WorkflowAction, in lianluo.CaseAction) {
		t.Helper()
		c, err := db.FindCaseByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		in.Version = c.Version
		if _, err := db.Act(ctx, id, action, in); err != nil {
			t.Fatalf("%s #%d: %v", action, id, err)
		}
	}
	clock("2026-03-09 09:00")
	s, err := db.CreateSession(clerk, lianluo.SessionInput{OrgID: f.dq.ID, Name: "大碶街道第一次代表会议", StartsOn: "2026-03-10", EndsOn: "2026-03-12"})
	if err != nil {
		t.Fatal(err)
	}
	clock("2026-03-11 10:00")
	var ids []int64
	for _, title := range []string{"关于增设新碶菜场公交站的建议", "关于整治太河路积水的建议", "关于增加社区养老床位的建议"} {
		c, err := db.CreateCase(deputy, lianluo.CaseInput{Kind: lianluo.KindSuggestion, SessionID: &s.ID, LeadDeputyID: &f.dep1.ID,
			CosignerIDs: []int64{f.dep2.ID}, Title: title, Content: title + "。周边居民反映强烈，请研究办理。", Proposals: "建议街道会同有关部门研究解决。", Category: "城乡建设"})
		if err != nil {
			t.Fatal(err)
		}
		act(deputy, c.ID, lianluo.ActSubmit, lianluo.CaseAction{})
		ids = append(ids, c.ID)
	}
	unitID := f.dqUnit.ID
	clock("2026-03-26 10:00")
	act(clerk, ids[0], lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &unitID})
	act(unit, ids[0], lianluo.ActSign, lianluo.CaseAction{})
	clock("2026-03-30 10:00")
	act(clerk, ids[1], lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &unitID})
	act(unit, ids[1], lianluo.ActSign, lianluo.CaseAction{})
	clock("2026-05-30 10:00")
	act(unit, ids[0], lianluo.ActConsult, lianluo.CaseAction{HeldOn: "2026-05-29", Form: "in_person", Deputies: "王秀英", Notes: "现场查看站点位置。"})
	clock("2026-06-01 10:00")
	act(unit, ids[0], lianluo.ActReply, lianluo.CaseAction{Result: "A", Content: "公交站已启用。"})
	act(deputy, ids[0], lianluo.ActEvaluate, lianluo.CaseAction{By: "deputy", Rating: "satisfied"})
	clock("2026-07-03 10:00")
	act(unit, ids[1], lianluo.ActConsult, lianluo.CaseAction{HeldOn: "2026-07-02", Waived: true, Notes: "王秀英代表书面表示无需面商。"})
	act(unit, ids[1], lianluo.ActReply, lianluo.CaseAction{Result: "C", Content: "因管网改造须列入明年计划，暂不能解决。"})
	act(deputy, ids[1], lianluo.ActEvaluate, lianluo.CaseAction{By: "deputy", Rating: "unsatisfied"})
	clock("2026-07-06 10:00")
	return s.ID, ids
}

// The 办理情况报告 of a session: the figures by unit as worked out by hand
// for buildSugSession, the list, the chart, its Excel; and the 建议交办单.
func TestSuggestionReport(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		sid, ids := buildSugSession(t, f)
		clerk, leader, unit, deputy := f.loggedIn(t, "dqclerk"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit"), f.loggedIn(t, "wangxy")
		storetest.MustCreateUser(t, f.db, storetest.SystemContext(), &lianluo.User{Username: "xgclerk", DisplayName: "小港文员", Password: password,
			Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &f.xg.ID}}})
		xg := f.loggedIn(t, "xgclerk")
		path := fmt.Sprintf("/console/sessions/%d/report", sid)

		for _, c := range []*client{clerk, leader} {
			res := c.get(path)
			wantStatus(t, "report", res, http.StatusOK)
			wantBody(t, "report", res,
				"<h1 class=\"doc-title\">关于大碶街道第一次代表会议代表建议办理情况的报告</h1>",
				// 大碶街道办事处: 2 suggestions, both answered, A 1, C 1; 面商 2 of 2;
				// transferred on time 1 of 2, answered on time 1 of 2, satisfied 1 of 2.
				`<tr><th scope="row">大碶街道办事处</th><td>2</td><td>2</td><td>1</td><td>0</td><td>1</td><td>100%</td><td>50%</td><td>50%</td><td>50%</td></tr>`,
				`<tr><th scope="row">尚未交办</th><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>`,
				`<tfoot><tr><th scope="row">合计</th><td>3</td><td>2</td><td>1</td><td>0</td><td>1</td><td>100%</td><td>50%</td><td>50%</td><td>50%</td></tr></tfoot>`,
				"提出建议、批评和意见共3件。已交办2件，其中在规定的十五日内交办1件，按时交办率50%",
				"面商（含代表书面表示无需面商1件）2件，面商率100%",
				"截至2026年7月6日，逾期未交办1件",
				`<td class="nowrap">第1号</td>`, `<a href="/console/cases/`+fmt.Sprint(ids[0])+`">关于增设新碶菜场公交站的建议</a>`,
				"<td>王秀英</td><td>大碶街道办事处</td><td>A类</td><td>满意</td>",
				"<td>C类</td><td>不满意</td>",
				"<td>尚未交办</td><td>已提出待交办</td>",
				`id="report-chart"`, `<rect class="a" x="170.0" y="34" width="200.0" height="20">`,
				`href="`+path+`.xlsx"`)
		}

		// The workbook.
		res := clerk.get(path + ".xlsx")
		wantStatus(t, "report.xlsx", res, http.StatusOK)
		book, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows("建议办理情况")
		if len(rows) < 5 || rows[2][0] != "大碶街道办事处" || rows[4][0] != "合计" || rows[4][1] != "3" {
			t.Errorf("workbook rows: %q", rows)
		}
		list, _ := book.GetRows("建议清单")
		if len(list) != 4 || list[3][0] != "第3号" {
			t.Errorf("workbook list: %q", list)
		}

		// The unit sees its own row; another town's office nothing; a
		// deputy may not.
		res = unit.get(path)
		wantStatus(t, "unit", res, http.StatusOK)
		wantBody(t, "unit", res, `<th scope="row">大碶街道办事处</th><td>2</td>`, "本报告只含本单位主办的建议。")
		wantNoBody(t, "unit", res, "尚未交办</th>", "关于增加社区养老床位的建议")
		wantStatus(t, "another town's office", xg.get(path), http.StatusNotFound)
		wantStatus(t, "another town's office, Excel", xg.get(path+".xlsx"), http.StatusNotFound)
		wantStatus(t, "deputy", deputy.get(path), http.StatusForbidden)
		wantStatus(t, "deputy, Excel", deputy.get(path+".xlsx"), http.StatusForbidden)
		wantStatus(t, "no such session", clerk.get("/console/sessions/999999/report"), http.StatusNotFound)

		// The 建议交办单.
		form := fmt.Sprintf("/console/cases/%d/transfer-form", ids[0])
		for _, c := range []*client{clerk, unit} {
			res = c.get(form)
			wantStatus(t, "transfer form", res, http.StatusOK)
			wantBody(t, "transfer form", res, "<h1 class=\"doc-title\">代表建议交办单</h1>", "<strong>第1号</strong>", "大碶街道第一次代表会议",
				"<td>王秀英</td><th scope=\"row\">附议代表</th><td>—</td>",
				"<td>大碶街道办事处</td>", "<td>2026年3月26日</td><th scope=\"row\">答复期限</th><td>2026年6月26日前</td>",
				"面商率达到100%", "三个月内办理完毕，并书面答复代表", "经主席团（人大办事机构）批准，延长期限不超过一个月",
				`签收人：<span class="doc-line">街道办经办人（大碶街道办事处）</span>`)
		}
		wantStatus(t, "transfer form before transfer", clerk.get(fmt.Sprintf("/console/cases/%d/transfer-form", ids[2])), http.StatusConflict)
		wantStatus(t, "transfer form, another town", xg.get(form), http.StatusNotFound)
	})
}

// TestBrowserSuggestionReport looks at the report and the 建议交办单 as
// printed on A4, on a desk and on a phone ($LIANLUO_SCREENSHOTS keeps the
// pictures).
func TestBrowserSuggestionReport(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	sid, ids := buildSugSession(t, f)
	base := f.srv.URL
	b.login(base, desktop, "dqclerk", password)
	// The printable area of A4 portrait at 96 dpi: 180 × 267 mm.
	a4 := viewport{"a4", 680, 1009, false}
	for _, v := range []viewport{desktop, phone, a4} {
		b.step("the report", use(v), chromedp.Navigate(fmt.Sprintf("%s/console/sessions/%d/report", base, sid)), chromedp.WaitVisible(chromedp.CSS("#report-chart")))
		if v == a4 {
			b.step("print", media("print"))
		}
		b.look("suggestion-report", v)
	}
	if got := evalIn[int](b, `document.querySelectorAll("#report-chart g.row rect.a, #report-chart g.row rect.c").length`); got != 2 {
		t.Errorf("%d bars in the chart; want 2 (A and C of one unit)", got)
	}
	if got := evalIn[string](b, `getComputedStyle(document.querySelector(".print-bar")).display`); got != "none" {
		t.Errorf("the print bar in print: display %q; want none", got)
	}
	for _, v := range []viewport{desktop, phone, a4} {
		b.step("the form", use(v), media("screen"), chromedp.Navigate(fmt.Sprintf("%s/console/cases/%d/transfer-form", base, ids[0])), chromedp.WaitVisible(chromedp.CSS(".doc-table")))
		if v == a4 {
			b.step("print", media("print"))
		}
		b.look("suggestion-transfer-form", v)
	}
}
