package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// suggestionSetup adds a congress session of 大碶 (10–12 March 2026, after
// the fixture's clock) and accounts for 李建国 (lijg) and 小港's 陈海波
// (chenhb); it returns the session.
func suggestionSetup(t *testing.T, f *fixture) *lianluo.CongressSession {
	t.Helper()
	ctx := storetest.SystemContext()
	s, err := f.db.CreateSession(ctx, lianluo.SessionInput{OrgID: f.dq.ID, Name: "第十九届人民代表大会第二次会议", StartsOn: "2026-03-10", EndsOn: "2026-03-12"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name, display string
		dep           *lianluo.Deputy
	}{{"lijg", "李建国", f.dep2}, {"chenhb", "陈海波", f.dep3}} {
		storetest.MustCreateUser(t, f.db, ctx, &lianluo.User{Username: u.name, DisplayName: u.display, Password: password,
			Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &u.dep.ID}}})
	}
	return s
}

// storeAs is a store context acting as the user, through the real login.
func storeAs(t *testing.T, f *fixture, username string) context.Context {
	t.Helper()
	s, err := f.db.Login(context.Background(), username, password, "127.0.0.1")
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	a, err := f.db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return lianluo.NewContextWithActor(context.Background(), a)
}

// storeAct takes a step through the store as the user, at the case's
// current version.
func storeAct(t *testing.T, f *fixture, username string, id int64, action lianluo.WorkflowAction, in lianluo.CaseAction) {
	t.Helper()
	in.Version = systemCase(t, f, id).Version
	if _, err := f.db.Act(storeAs(t, f, username), id, action, in); err != nil {
		t.Fatalf("%s as %s: %v", action, username, err)
	}
}

// The deputy's phone: a draft with a co-signer chosen by name, the
// invitation on the co-signer's home answered in one tap, 提出 (第1号),
// and after the unit's 面商 and answer, the lead deputy's evaluation.
func TestSuggestionPhonePages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		session := suggestionSetup(t, f)
		dep, dep2, dep3 := f.loggedIn(t, "wangxy"), f.loggedIn(t, "lijg"), f.loggedIn(t, "chenhb")

		// The home's entry, the empty list, and where to raise one.
		res := dep.get("/console/")
		wantBody(t, "home", res, `id="my-suggestions"`, `href="/console/my-suggestions/new"`)
		wantNoBody(t, "home", res, `id="cosign-invites"`)
		wantBody(t, "empty list", dep.get("/console/my-suggestions"), "您还没有领衔或附议的建议、议案")
		res = dep.get("/console/my-suggestions/new")
		wantStatus(t, "places", res, http.StatusOK)
		wantBody(t, "places", res, fmt.Sprintf(`href="/console/my-suggestions/new?session_id=%d"`, session.ID),
			"在大碶街道人大工委第十九届人民代表大会第二次会议上提出", "闭会期间向大碶街道人大工委提出", "闭会期间向北仑区人大常委会提出")
		wantNoBody(t, "places", res, "小港")

		// The form: the session's body's deputies by name, not the deputy
		// herself, not another town's.
		form := fmt.Sprintf("/console/my-suggestions/new?session_id=%d", session.ID)
		res = dep.get(form)
		wantStatus(t, "form", res, http.StatusOK)
		wantBody(t, "form", res, "提出于：<strong>大碶街道人大工委 第十九届人民代表大会第二次会议</strong>", `name="kind" value="bill"`,
			"须由代表5人以上联名", fmt.Sprintf(`name="cosigner_ids" value="%d"`, f.dep2.ID), "李建国", "案由和理由", "建议和办法", `name="category"`)
		wantNoBody(t, "form", res, fmt.Sprintf(`value="%d" id="signer-%d"`, f.dep1.ID, f.dep1.ID), "陈海波")
		res = dep.get(fmt.Sprintf("/console/my-suggestions/new?org_id=%d", f.dq.ID))
		wantBody(t, "interim form", res, "闭会期间向大碶街道人大工委书面提出", `name="org_id"`)
		wantNoBody(t, "interim form", res, `value="bill"`)
		wantStatus(t, "another town's body", dep.get(fmt.Sprintf("/console/my-suggestions/new?org_id=%d", f.xg.ID)), http.StatusNotFound)

		// Bad input: the field's error, nothing saved.
		sid := strconv.FormatInt(session.ID, 10)
		good := url.Values{"session_id": {sid}, "kind": {"suggestion"}, "title": {"关于增设新碶菜场公交站的建议"},
			"content": {"新碶菜场周边居民出行不便。"}, "reasons": {"菜场附近无公交站，老人买菜需步行二十分钟。"},
			"proposals": {"建议区交通局在菜场东门增设公交站。"}, "cosigner_ids": {strconv.FormatInt(f.dep2.ID, 10)}}
		for _, tc := range []struct {
			field string
			form  url.Values
		}{
			{"title", with(good, "title", "")},
			{"title", with(good, "title", strings.Repeat("路", 101))},
			{"content", with(good, "content", " ")},
			{"cosigner_ids", with(good, "cosigner_ids", strconv.FormatInt(f.dep3.ID, 10))},
			{"cosigner_ids", with(good, "cosigner_ids", "abc")},
			{"kind", with(good, "kind", "motion")},
		} {
			res := dep.post("/console/my-suggestions/new", tc.form)
			wantStatus(t, "bad "+tc.field, res, http.StatusBadRequest)
			if msg := fieldErrors(res.Body)[tc.field]; msg == "" {
				t.Errorf("bad %s: no error next to the field (%v)", tc.field, fieldErrors(res.Body))
			}
			wantBody(t, "bad "+tc.field, res, "提交未成功")
		}
		// A bill between sessions: the message on top.
		res = dep.post("/console/my-suggestions/new", url.Values{"org_id": {strconv.FormatInt(f.dq.ID, 10)}, "kind": {"bill"}, "title": {"议案"}, "content": {"内容"}})
		wantStatus(t, "interim bill", res, http.StatusBadRequest)
		wantBody(t, "interim bill", res, "议案只能在人民代表大会会议期间提出")
		wantBody(t, "nothing saved", dep.get("/console/my-suggestions"), "您还没有领衔或附议的建议、议案")

		// The draft.
		res = dep.post("/console/my-suggestions/new", good)
		wantStatus(t, "draft", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/my-suggestions/")
		path := fmt.Sprintf("/console/my-suggestions/%d", id)
		res = dep.get(path + "?ok=draft")
		wantBody(t, "draft", res, "草稿已保存", "草稿（待附议）", `id="sugg-number">草稿`, "关于增设新碶菜场公交站的建议", "菜场附近无公交站",
			"建议区交通局在菜场东门增设公交站", "李建国", "待确认", "还有1位代表未答复", `action="`+path+`/actions/submit"`)
		wantNoBody(t, "draft: no invitation to the lead", res, `id="sugg-cosign"`)
		wantBody(t, "list", dep.get("/console/my-suggestions"), "草稿：还有1位代表未答复附议邀请", path)

		// The lead corrects the draft: a bad title changes nothing, a good one saves.
		edit := url.Values{"version": {"1"}, "title": {""}, "content": {"新碶菜场周边居民出行不便。"}, "reasons": {"菜场附近无公交站。"},
			"proposals": {"在菜场东门增设公交站，设遮雨棚。"}, "category": {"交通出行"}}
		res = dep.post(path+"/actions/edit", edit)
		wantStatus(t, "edit without a title", res, http.StatusBadRequest)
		if msg := fieldErrors(res.Body)["title"]; msg == "" {
			t.Errorf("edit without a title: no error next to the field (%v)", fieldErrors(res.Body))
		}
		wantBody(t, "edit without a title", res, `id="sugg-edit" open`, "在菜场东门增设公交站，设遮雨棚。")
		edit.Set("title", "关于在新碶菜场东门增设公交站的建议")
		res = dep.post(path+"/actions/edit", edit)
		wantStatus(t, "edit", res, http.StatusSeeOther)
		wantBody(t, "edited", dep.get(path+"?ok=edit"), "草稿已修改", "关于在新碶菜场东门增设公交站的建议", "在菜场东门增设公交站，设遮雨棚。")
		wantStatus(t, "co-signer edits", dep2.post(path+"/actions/edit", with(edit, "version", "2")), http.StatusForbidden)

		// Others: another town's deputy does not find it, staff and units are refused the phone's pages.
		wantStatus(t, "another deputy", dep3.get(path), http.StatusNotFound)
		wantNoBody(t, "another deputy's list", dep3.get("/console/my-suggestions"), "新碶菜场")
		clerk, unit := f.loggedIn(t, "dqclerk"), f.loggedIn(t, "dqunit")
		for _, p := range []string{"/console/my-suggestions", "/console/my-suggestions/new", path} {
			wantStatus(t, "clerk "+p, clerk.get(p), http.StatusForbidden)
			wantStatus(t, "unit "+p, unit.get(p), http.StatusForbidden)
		}
		wantStatus(t, "clerk posts", clerk.post("/console/my-suggestions/new", good), http.StatusForbidden)
		wantStatus(t, "unknown step", dep.post(path+"/actions/transfer", url.Values{"version": {"1"}}), http.StatusNotFound)

		// The co-signer's home: the invitation, answered in one tap.
		res = dep2.get("/console/")
		wantBody(t, "invitation", res, `id="sugg-waiting" href="/console/my-suggestions" class="count-alert"><span class="count-n">1</span>`, `id="cosign-invites"`, "<strong>王秀英</strong>代表邀请您附议建议", fmt.Sprintf(`id="cosign-yes-%d"`, id), "谢绝")
		wantStatus(t, "lead co-signs", dep.post(path+"/actions/cosign", url.Values{"version": {"2"}, "approve": {"yes"}}), http.StatusForbidden)
		res = dep2.post(path+"/actions/cosign", url.Values{"version": {"9"}, "approve": {"yes"}, "back": {"home"}})
		wantStatus(t, "stale cosign", res, http.StatusConflict)
		wantBody(t, "stale cosign", res, "重新载入最新内容")
		res = dep2.post(path+"/actions/cosign", url.Values{"version": {"2"}, "approve": {"yes"}, "back": {"home"}})
		wantStatus(t, "cosign", res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != "/console/?ok=cosign" {
			t.Errorf("cosign: Location = %q", got)
		}
		res = dep2.get("/console/?ok=cosign")
		wantBody(t, "after cosign", res, "您已确认附议")
		wantNoBody(t, "after cosign", res, `id="cosign-invites"`)

		// 提出: a stale version changes nothing; then 第1号, fifteen days after the session to transfer.
		res = dep.get(path)
		wantBody(t, "confirmed", res, "已确认 2026-03-02")
		wantNoBody(t, "confirmed", res, "未答复")
		res = dep.post(path+"/actions/submit", url.Values{"version": {"1"}})
		wantStatus(t, "stale submit", res, http.StatusConflict)
		wantBody(t, "stale submit", res, "重新载入最新内容", "草稿（待附议）")
		res = dep.post(path+"/actions/submit", url.Values{"version": {formVersionIn(t, dep.get(path).Body, path+"/actions/submit")}})
		wantStatus(t, "submit", res, http.StatusSeeOther)
		res = dep.get(path)
		wantBody(t, "submitted", res, "已提出待交办", `id="sugg-number">第1号`, "交办期限", "2026-03-27")
		wantNoBody(t, "submitted", res, `/actions/submit"`)
		wantBody(t, "co-signer's list", dep2.get("/console/my-suggestions"), "已提出待交办", "第1号", "领衔：王秀英")

		// Transferred, 面商, answered: the lead deputy evaluates on the phone.
		storeAct(t, f, "dqclerk", id, lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &f.dqUnit.ID})
		storeAct(t, f, "dqunit", id, lianluo.ActSign, lianluo.CaseAction{})
		storeAct(t, f, "dqunit", id, lianluo.ActConsult, lianluo.CaseAction{HeldOn: "2026-03-02", Form: "in_person", Deputies: "王秀英、李建国", Notes: "到菜场东门现场查看，商定站点位置。"})
		storeAct(t, f, "dqunit", id, lianluo.ActReply, lianluo.CaseAction{Result: "B", Content: "已列入2026年下半年公交线网优化计划。"})
		res = dep.get("/console/")
		wantBody(t, "home: to evaluate", res, `id="sugg-waiting" href="/console/my-suggestions" class="count-alert"><span class="count-n">1</span><span class="count-label">等您答复`)
		res = dep.get(path)
		wantBody(t, "answered", res, "大碶街道办事处（主办）", "2026-03-02 当面面商", "到菜场东门现场查看", "B 正在解决或列入计划",
			"已列入2026年下半年公交线网优化计划", `action="`+path+`/actions/evaluate"`, `name="by" value="deputy"`, "基本满意")
		wantNoBody(t, "co-signer does not evaluate", dep2.get(path), `/actions/evaluate"`)
		v := formVersionIn(t, res.Body, path+"/actions/evaluate")
		res = dep.post(path+"/actions/evaluate", url.Values{"version": {v}, "by": {"deputy"}, "comment": {"站点位置仍未确定"}})
		wantStatus(t, "evaluate without a rating", res, http.StatusBadRequest)
		if msg := fieldErrors(res.Body)["rating"]; !strings.Contains(msg, "满意") {
			t.Errorf("rating error = %q", msg)
		}
		wantBody(t, "evaluate without a rating", res, "站点位置仍未确定")
		res = dep.post(path+"/actions/evaluate", url.Values{"version": {v}, "by": {"deputy"}, "rating": {"basically_satisfied"}, "comment": {"希望尽快落实"}})
		wantStatus(t, "evaluate", res, http.StatusSeeOther)
		res = dep.get(path + "?ok=evaluate")
		wantBody(t, "evaluated", res, "评价已提交", "已办结", "领衔代表的评价", "基本满意", "希望尽快落实")
		wantNoBody(t, "evaluated", res, `/actions/evaluate"`)
	})
}

// A bill needs five signers at town level: 提出 says how many have
// confirmed, and the refusal comes back on the page; a declined invitation
// shows as 已谢绝.
func TestSuggestionPhoneBill(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		session := suggestionSetup(t, f)
		dep, dep2 := f.loggedIn(t, "wangxy"), f.loggedIn(t, "lijg")
		res := dep.post("/console/my-suggestions/new", url.Values{"session_id": {strconv.FormatInt(session.ID, 10)}, "kind": {"bill"},
			"title": {"关于制定河道保洁长效管理办法的议案"}, "content": {"议案内容。"}, "cosigner_ids": {strconv.FormatInt(f.dep2.ID, 10)}})
		wantStatus(t, "bill draft", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/my-suggestions/")
		path := fmt.Sprintf("/console/my-suggestions/%d", id)
		wantBody(t, "bill invitation", dep2.get("/console/"), "代表邀请您联名提出议案", "确认联名")
		res = dep2.get(path)
		wantBody(t, "bill for the co-signer", res, `id="sugg-cosign"`, "王秀英代表邀请您联名")
		res = dep2.post(path+"/actions/cosign", url.Values{"version": {formVersionIn(t, res.Body, path+"/actions/cosign")}, "approve": {"no"}})
		wantStatus(t, "decline", res, http.StatusSeeOther)
		wantBody(t, "declined", dep2.get(path+"?ok=declined"), "您已谢绝附议", "已谢绝")
		res = dep.get(path)
		wantBody(t, "bill", res, "议案须由代表5人以上联名提出。目前已确认联名1人（含领衔代表），还差4人。")
		res = dep.post(path+"/actions/submit", url.Values{"version": {formVersionIn(t, res.Body, path+"/actions/submit")}})
		wantStatus(t, "submit with one signer", res, http.StatusConflict)
		wantBody(t, "submit with one signer", res, "只有1人", "草稿（待附议）")

		// A draft of her own, inviting no one: the town's other deputy does not find it.
		res = dep.post("/console/my-suggestions/new", url.Values{"org_id": {strconv.FormatInt(f.dq.ID, 10)}, "kind": {"suggestion"},
			"title": {"关于河道保洁的建议"}, "content": {"建议内容。"}})
		wantStatus(t, "interim draft", res, http.StatusSeeOther)
		own := fmt.Sprintf("/console/my-suggestions/%d", idFromLocation(t, res, "/console/my-suggestions/"))
		wantBody(t, "interim draft", dep.get(own), "闭会期间书面提出（大碶街道人大工委）", "草稿：等您提出")
		wantStatus(t, "the same town's deputy", dep2.get(own), http.StatusNotFound)
		wantStatus(t, "the same town's deputy acts", dep2.post(own+"/actions/cosign", url.Values{"version": {"1"}}), http.StatusNotFound)
	})
}

// 据此提出: a receiving deputy raises a suggestion from an opinion; the
// opinion's page links the suggestion, and the suggestion carries it.
func TestSuggestionFromOpinionPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		suggestionSetup(t, f)
		op, err := f.db.CreateCase(storetest.SystemContext(), lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID,
			Title: "菜场周边没有公交站", Content: "老人买菜要走二十分钟。", RegionCode: f.dqStation.RegionCode, ReceivedBy: []int64{f.dep1.ID}})
		if err != nil {
			t.Fatal(err)
		}
		dep, dep3 := f.loggedIn(t, "wangxy"), f.loggedIn(t, "chenhb")
		page := caseURLOf(op.ID)
		wantBody(t, "opinion page", dep.get(page), fmt.Sprintf(`href="/console/my-suggestions/new?evidence=%d" id="raise-suggestion"`, op.ID))
		res := dep.get(fmt.Sprintf("/console/my-suggestions/new?evidence=%d", op.ID))
		wantBody(t, "places carry the opinion", res, fmt.Sprintf("org_id=%d&amp;evidence=%d", f.dq.ID, op.ID))
		res = dep.get(fmt.Sprintf("/console/my-suggestions/new?org_id=%d&evidence=%d", f.dq.ID, op.ID))
		wantBody(t, "form", res, `id="sugg-evidence"`, fmt.Sprintf(`name="evidence_case_ids" value="%d"`, op.ID), "群众反映：菜场周边没有公交站。老人买菜要走二十分钟。")
		wantStatus(t, "someone else's opinion", dep3.get(fmt.Sprintf("/console/my-suggestions/new?org_id=%d&evidence=%d", f.dq.ID, op.ID)), http.StatusNotFound)
		res = dep.post("/console/my-suggestions/new", url.Values{"org_id": {strconv.FormatInt(f.dq.ID, 10)}, "kind": {"suggestion"},
			"title": {"关于增设菜场公交站的建议"}, "content": {"群众反映菜场周边没有公交站。"}, "evidence_case_ids": {strconv.FormatInt(op.ID, 10)}})
		wantStatus(t, "raise", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/my-suggestions/")
		wantBody(t, "opinion links the suggestion", dep.get(page), "已据此提出代表建议", fmt.Sprintf(`href="/console/cases/%d"`, id))
	})
}
