package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// suggestionDesk sets the clock inside 大碶's session of 2026-03-10 to 12,
// registers that session through the sessions page and returns its id.
func (f *fixture) suggestionSession(t *testing.T, db *sqlstore.DB, clerk *client) int64 {
	t.Helper()
	res := clerk.post("/console/sessions", url.Values{"org_id": {idOf(f.dq.ID)}, "name": {"大碶街道第一次代表会议"},
		"starts_on": {"2026-03-10"}, "ends_on": {"2026-03-12"}})
	wantStatus(t, "create session", res, http.StatusSeeOther)
	return idFromLocation(t, res, "/console/sessions/")
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// deputySuggestion drafts a suggestion as dep1 (the deputy's phone does
// it through the API) and submits it: numbered, the transfer clock running.
func (f *fixture) deputySuggestion(t *testing.T, sid int64, title string) *lianluo.Case {
	t.Helper()
	ctx := f.as(t, "wangxy")
	c, err := f.db.CreateCase(ctx, lianluo.CaseInput{Kind: lianluo.KindSuggestion, SessionID: &sid, LeadDeputyID: &f.dep1.ID,
		Title: title, Content: "新碶菜场周边居民出行不便。", Reasons: "菜场附近无公交站。", Proposals: "建议增设公交站。"})
	if err != nil {
		t.Fatalf("draft %s: %v", title, err)
	}
	if c, err = f.db.Act(ctx, c.ID, lianluo.ActSubmit, lianluo.CaseAction{Version: c.Version}); err != nil {
		t.Fatalf("submit %s: %v", title, err)
	}
	return c
}

func fixClock(db *sqlstore.DB, beijing string) {
	tm, err := time.ParseInLocation("2006-01-02 15:04", beijing, lianluo.Beijing)
	if err != nil {
		panic(err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return tm })
}

// The office's session desk through the pages: a session registered (bad
// dates said next to the field), its suggestions listed with their numbers
// and the fifteen days running, two transferred at once where one changed
// meanwhile, the forms each role may use on the case page, the unit's
// list, and another town's office kept out.
func TestSuggestionDesk(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		fixClock(db, "2026-03-11 10:00")
		f := newFixture(t, db)
		xgClerk := &lianluo.User{Username: "xgclerk", DisplayName: "小港文员", Password: password,
			Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &f.xg.ID}}}
		storetest.MustCreateUser(t, db, storetest.SystemContext(), xgClerk)
		clerk := f.loggedIn(t, "dqclerk")

		// The sessions page: the menu offers it, bad dates are refused next to the field.
		res := clerk.get("/console/sessions")
		wantStatus(t, "sessions", res, http.StatusOK)
		wantBody(t, "sessions", res, `href="/console/sessions" aria-current="page"`, "登记会议", "大碶街道人大工委")
		res = clerk.post("/console/sessions", url.Values{"org_id": {idOf(f.dq.ID)}, "name": {"大碶街道第一次代表会议"},
			"starts_on": {"2026-03-12"}, "ends_on": {"2026-03-10"}})
		wantStatus(t, "session with bad dates", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["ends_on"]; !strings.Contains(got, "闭幕日期不能早于开幕日期") {
			t.Errorf("bad dates: ends_on error %q; want 闭幕日期不能早于开幕日期\n%s", got, clip(res.Body))
		}
		wantBody(t, "session form kept", res, `value="2026-03-12"`)
		sid := f.suggestionSession(t, db, clerk)
		desk := fmt.Sprintf("/console/sessions/%d", sid)

		// Two suggestions from dep1's phone, one typed in by the office from paper.
		s1 := f.deputySuggestion(t, sid, "关于增设新碶菜场公交站的建议")
		s2 := f.deputySuggestion(t, sid, "关于修缮坝头社区老年食堂的建议")
		res = clerk.post("/console/suggestions/new", url.Values{"session_id": {idOf(sid)}, "lead_deputy_id": {idOf(f.dep2.ID)},
			"title": {""}, "content": {"河道垃圾多。"}})
		wantStatus(t, "paper suggestion without a title", res, http.StatusBadRequest)
		if fieldErrors(res.Body)["title"] == "" {
			t.Errorf("paper suggestion: no title error\n%s", clip(res.Body))
		}
		res = clerk.post("/console/suggestions/new", url.Values{"session_id": {idOf(sid)}, "lead_deputy_id": {idOf(f.dep2.ID)},
			"title": {"关于清理岩河垃圾的建议"}, "content": {"河道垃圾多。"}, "reasons": {"夏天有异味。"}, "proposals": {"建议定期保洁。"}})
		wantStatus(t, "paper suggestion", res, http.StatusSeeOther)
		s3 := idFromLocation(t, res, "/console/cases/")
		page := clerk.get(caseURLOf(s3) + "?ok=drafted")
		wantBody(t, "paper draft", page, "已录入建议草稿", "李建国", "夏天有异味。", "建议定期保洁。", "草稿")
		if got := actionForms(page.Body); !slices.Contains(got, lianluo.ActSubmit) {
			t.Errorf("office on its paper draft: forms %v; want submit", got)
		}
		mustAct(t, clerk, s3, "submit", nil)

		// The desk: numbered, lead deputy, the fifteen days to transfer (to 03-27).
		res = clerk.get(desk)
		wantStatus(t, "desk", res, http.StatusOK)
		wantBody(t, "desk", res, `/report">办理情况报告</a>`, "第1号", "第2号", "第3号", s1.Title, s2.Title, "关于清理岩河垃圾的建议", "王秀英", "李建国",
			"2026-03-27", "剩16天", `name="case_id" value="`+idOf(s1.ID)+`"`, "批量交办勾选的建议", f.dqUnit.Name)
		res = clerk.get(desk + "?status=assigned")
		wantStatus(t, "desk filtered", res, http.StatusOK)
		wantNoBody(t, "desk filtered", res, s1.Title)
		wantStatus(t, "desk bad status", clerk.get(desk+"?status=nonsense"), http.StatusBadRequest)

		// A batch without a lead unit changes nothing.
		v1, v2 := idOf(int64(systemCase(t, f, s1.ID).Version)), idOf(int64(systemCase(t, f, s2.ID).Version))
		batch := url.Values{"case_id": {idOf(s1.ID), idOf(s2.ID)}, "version_" + idOf(s1.ID): {v1}, "version_" + idOf(s2.ID): {v2}}
		res = clerk.post(desk+"/transfer", batch)
		wantStatus(t, "batch without a unit", res, http.StatusBadRequest)
		if fieldErrors(res.Body)["transfer_lead_unit_id"] == "" {
			t.Errorf("batch without a unit: no lead unit error\n%s", clip(res.Body))
		}
		if c := systemCase(t, f, s1.ID); c.Status != lianluo.StatusSubmitted {
			t.Errorf("after a refused batch: %s", c.Status)
		}
		res = clerk.post(desk+"/transfer", url.Values{"lead_unit_id": {idOf(f.dqUnit.ID)}})
		wantStatus(t, "batch with nothing ticked", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["transfer_case_id"]; got != "请勾选要交办的建议。" {
			t.Errorf("batch with nothing ticked: %q\n%s", got, clip(res.Body))
		}
		// s2 changes meanwhile: the leader marks it 重点督办.
		if _, err := db.Act(f.as(t, "dqleader"), s2.ID, lianluo.ActMarkKey, lianluo.CaseAction{Version: s2.Version, Supervisor: "张主任"}); err != nil {
			t.Fatal(err)
		}
		batch.Set("lead_unit_id", idOf(f.dqUnit.ID))
		res = clerk.post(desk+"/transfer", batch)
		wantStatus(t, "batch", res, http.StatusOK)
		wantBody(t, "batch", res, "交办结果", "已交办", "未交办", "已被他人修改", "重点督办")
		if c := systemCase(t, f, s1.ID); c.Status != lianluo.StatusAssigned || c.LeadUnit() != f.dqUnit.ID {
			t.Errorf("s1 after the batch: %s, lead unit %d; want assigned to %d", c.Status, c.LeadUnit(), f.dqUnit.ID)
		}
		if c := systemCase(t, f, s2.ID); c.Status != lianluo.StatusSubmitted {
			t.Errorf("stale s2 after the batch: %s; want submitted", c.Status)
		}

		// The case page: the unit signs, must record 面商 before it may answer.
		unit := f.loggedIn(t, "dqunit")
		mustAct(t, unit, s1.ID, "sign", nil)
		page = unit.get(caseURLOf(s1.ID))
		wantBody(t, "unit before 面商", page, "第1号", "案由和理由", "菜场附近无公交站。", "建议和办法", "面商记录", "答复代表前须先与代表面商",
			`href="/console/cases/`+idOf(s1.ID)+`/transfer-form"`)
		if got := actionForms(page.Body); !slices.Contains(got, lianluo.ActConsult) || slices.Contains(got, lianluo.ActReply) {
			t.Errorf("unit before 面商: forms %v; want consult, no reply", got)
		}
		res = act(t, unit, s1.ID, "consult", url.Values{"held_on": {"2026-03-11"}, "form": {"in_person"}, "notes": {"当面沟通了选址。"}})
		wantStatus(t, "consult without deputies", res, http.StatusBadRequest)
		if fieldErrors(res.Body)["consult_deputies"] == "" {
			t.Errorf("consult: no deputies error\n%s", clip(res.Body))
		}
		mustAct(t, unit, s1.ID, "consult", url.Values{"held_on": {"2026-03-11"}, "form": {"in_person"}, "deputies": {"王秀英"}, "notes": {"当面沟通了选址。"}})
		page = unit.get(caseURLOf(s1.ID))
		wantBody(t, "unit after 面商", page, "2026-03-11 当面面商", "当面沟通了选址。")
		if got := actionForms(page.Body); !slices.Contains(got, lianluo.ActReply) || !slices.Contains(got, lianluo.ActRequestExtension) {
			t.Errorf("unit after 面商: forms %v; want reply and request_extension", got)
		}
		// The unit's desk: its suggestion with the reply deadline and 面商 recorded.
		res = unit.get("/console/suggestions")
		wantStatus(t, "unit's desk", res, http.StatusOK)
		wantBody(t, "unit's desk", res, "本单位承办的代表建议", s1.Title, "已面商", "2026-06-11")
		wantNoBody(t, "unit's desk", res, s2.Title)
		mustAct(t, unit, s1.ID, "reply", url.Values{"result": {"A"}, "content": {"已在菜场东门增设公交站。"}})

		// The deputy sees no transfer form on a submitted one; the office
		// records the deputy's paper evaluation.
		dep := f.loggedIn(t, "wangxy")
		page = dep.get(caseURLOf(s2.ID))
		wantStatus(t, "deputy's case page", page, http.StatusOK)
		if got := actionForms(page.Body); slices.Contains(got, lianluo.ActTransfer) {
			t.Errorf("deputy: forms %v; want no transfer", got)
		}
		page = clerk.get(caseURLOf(s2.ID))
		if got := actionForms(page.Body); !slices.Contains(got, lianluo.ActTransfer) {
			t.Errorf("office on a submitted suggestion: forms %v; want transfer", got)
		}
		wantBody(t, "key supervisor", page, "重点督办负责人", "张主任")
		mustAct(t, clerk, s1.ID, "evaluate", url.Values{"by": {"deputy"}, "rating": {"satisfied"}}) // by: the form's hidden field
		if c := systemCase(t, f, s1.ID); c.Status != lianluo.StatusClosed {
			t.Errorf("after the evaluation: %s; want closed", c.Status)
		}

		// Bills of the 主席团 await its decision on the desk: 列入议程 in
		// one click, 转为建议 with the reason, both back to the desk.
		bill := func(title string) *lianluo.Case {
			ctx := f.as(t, "dqclerk")
			c, err := db.CreateCase(ctx, lianluo.CaseInput{Kind: lianluo.KindBill, SessionID: &sid, Presidium: true, Title: title, Content: "议案内容。"})
			if err != nil {
				t.Fatal(err)
			}
			if c, err = db.Act(ctx, c.ID, lianluo.ActSubmit, lianluo.CaseAction{Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		b1, b2 := bill("关于制定街道垃圾分类办法的议案"), bill("关于岩河综合整治的议案")
		res = clerk.get(desk)
		wantBody(t, "desk with bills", res, "主席团决定", "列入议程", "转为建议", b1.Title, b2.Title)
		onDesk := url.Values{"version": {idOf(int64(b1.Version))}, "return_to": {desk}}
		res = clerk.post(caseURLOf(b1.ID)+"/actions/list_on_agenda", onDesk)
		wantStatus(t, "list on agenda", res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != desk {
			t.Errorf("list on agenda: back to %q; want the desk", got)
		}
		if c := systemCase(t, f, b1.ID); c.Status != lianluo.StatusOnAgenda {
			t.Errorf("b1: %s; want on_agenda", c.Status)
		}
		res = clerk.post(caseURLOf(b2.ID)+"/actions/convert_to_suggestion", url.Values{"version": {idOf(int64(b2.Version))}, "return_to": {desk}})
		wantStatus(t, "convert without a reason", res, http.StatusBadRequest)
		if fieldErrors(res.Body)["convert_to_suggestion_comment"] == "" {
			t.Errorf("convert: no reason error\n%s", clip(res.Body))
		}
		res = clerk.post(caseURLOf(b2.ID)+"/actions/convert_to_suggestion", url.Values{"version": {idOf(int64(b2.Version))},
			"return_to": {"https://example.com/"}, "comment": {"不属于本级人大职权。"}})
		wantStatus(t, "convert", res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); !strings.HasPrefix(got, caseURLOf(b2.ID)) {
			t.Errorf("convert with a foreign return_to: Location %q; want the case page", got)
		}
		if c := systemCase(t, f, b2.ID); c.Kind != lianluo.KindSuggestion || c.Status != lianluo.StatusSubmitted || c.Number != 4 {
			t.Errorf("b2: %s %s 第%d号; want a submitted suggestion 第4号", c.Kind, c.Status, c.Number)
		}
		page = clerk.get(caseURLOf(b1.ID))
		if got := actionForms(page.Body); !slices.Contains(got, lianluo.ActRecordResolution) {
			t.Errorf("bill on the agenda: forms %v; want record_resolution", got)
		}
		mustAct(t, clerk, b1.ID, "record_resolution", url.Values{"passed": {"yes"}, "content": {"通过垃圾分类办法。"}})
		wantBody(t, "resolution", clerk.get(caseURLOf(b1.ID)), "大会决议", "通过垃圾分类办法。")

		// Past the fifteen days, the untransferred ones are overdue in red.
		fixClock(db, "2026-03-30 10:00")
		res = f.loggedIn(t, "dqclerk").get(desk + "?status=submitted")
		wantStatus(t, "desk after the deadline", res, http.StatusOK)
		wantBody(t, "desk after the deadline", res, `<span class="due due-over">2026-03-27<span class="due-text">（已超期3天）</span>`)

		// Another town's office sees neither the session nor its suggestions.
		xg := f.loggedIn(t, "xgclerk")
		wantStatus(t, "other town's desk", xg.get(desk), http.StatusNotFound)
		wantStatus(t, "other town's case", xg.get(caseURLOf(s1.ID)), http.StatusNotFound)
		res = xg.post(desk+"/transfer", batch)
		wantStatus(t, "other town's batch", res, http.StatusNotFound)
	})
}

func caseURLOf(id int64) string { return fmt.Sprintf("/console/cases/%d", id) }
