package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// as returns a context acting as the user, to ask the store what it
// allows them (the pages must show exactly that).
func (f *fixture) as(t *testing.T, username string) context.Context {
	t.Helper()
	s, err := f.db.Login(context.Background(), username, password, "127.0.0.1")
	if err != nil {
		t.Fatalf("Login(%s): %v", username, err)
	}
	a, err := f.db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(context.Background(), a)
}

// caseForm is a complete register form: a voter's complaint about street
// lights, received at the 大碶 station by dep1.
func (f *fixture) caseForm(title string) url.Values {
	return url.Values{
		"channel":           {"visit"},
		"station_id":        {strconv.FormatInt(f.dqStation.ID, 10)},
		"title":             {title},
		"content":           {"小区东门到菜场一段的路灯坏了两个月，晚上老人出门不安全，希望尽快修好。"},
		"category":          {"道路照明"},
		"region_code":       {"330206004"},
		"region_code_sub":   {"330206004002"},
		"location":          {"庐山西路东段"},
		"submitter_name":    {"张三"},
		"submitter_phone":   {"13912340000"},
		"submitter_address": {"大碶街道坝头社区5幢"},
		"received_by":       {strconv.FormatInt(f.dep1.ID, 10)},
	}
}

// register posts the register form as c and returns the new case's ID.
func (f *fixture) register(t *testing.T, c *client, title string) int64 {
	t.Helper()
	res := c.post("/console/cases/new", f.caseForm(title))
	wantStatus(t, "register "+title, res, http.StatusSeeOther)
	return idFromLocation(t, res, "/console/cases/")
}

var actionFormRe = regexp.MustCompile(`action="/console/cases/\d+/actions/([a-z_]+)"`)

// actionForms lists the action forms of a case page, in page order.
func actionForms(body string) []lianluo.WorkflowAction {
	var out []lianluo.WorkflowAction
	for _, m := range actionFormRe.FindAllStringSubmatch(body, -1) {
		out = append(out, lianluo.WorkflowAction(m[1]))
	}
	return out
}

// pageVersion reads the hidden version of an action's form on the page.
func pageVersion(t *testing.T, body, action string) string {
	t.Helper()
	re := regexp.MustCompile(`action="/console/cases/\d+/actions/` + action + `"[^>]*>\s*<input type="hidden" name="version" value="(\d+)">`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s form with a version on the page\n%s", action, clip(body))
	}
	return m[1]
}

// act submits an action's form as it is on the page, with the fields given.
func act(t *testing.T, c *client, id int64, action string, fields url.Values) response {
	t.Helper()
	page := c.get(fmt.Sprintf("/console/cases/%d", id))
	wantStatus(t, "case page before "+action, page, http.StatusOK)
	form := url.Values{"version": {pageVersion(t, page.Body, action)}}
	for k, v := range fields {
		form[k] = v
	}
	return c.post(fmt.Sprintf("/console/cases/%d/actions/%s", id, action), form)
}

func mustAct(t *testing.T, c *client, id int64, action string, fields url.Values) {
	t.Helper()
	res := act(t, c, id, action, fields)
	wantStatus(t, action, res, http.StatusSeeOther)
	if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/cases/%d?ok=%s", id, action); got != want {
		t.Errorf("%s: Location = %q; want %q", action, got, want)
	}
}

func systemCase(t *testing.T, f *fixture, id int64) *lianluo.Case {
	t.Helper()
	c, err := f.db.FindCaseByID(storetest.SystemContext(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCaseRegister(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "dqliaison")
		res := c.get("/console/cases/new")
		wantStatus(t, "register form", res, http.StatusOK)
		wantBody(t, "register form", res, "接访登记", `name="channel"`, `<option value="visit" selected>来访</option>`,
			fmt.Sprintf(`<option value="%d" selected>大碶街道人大代表联络站</option>`, f.dqStation.ID),
			`name="received_by"`, "王秀英", `<optgroup label="城乡建设">`, `<option value="道路照明">道路照明</option>`,
			`name="region_code"`, "大碶街道（乡镇/街道本级）", "为反映人保密", "更多", `name="submitter_id_number"`, "novalidate")
		wantNoBody(t, "register form", res, "陈海波") // a 小港 deputy

		// A missing title is refused next to the field; what was typed stays; nothing is created.
		form := f.caseForm("")
		res = c.post("/console/cases/new", form)
		wantStatus(t, "register without title", res, http.StatusBadRequest)
		if got, want := fieldErrors(res.Body)["title"], "请填写标题。"; got != want {
			t.Errorf("error next to title = %q; want %q (all: %v)", got, want, fieldErrors(res.Body))
		}
		wantBody(t, "register without title", res, "提交未成功", `href="#title-error"`, "路灯坏了两个月", `value="13912340000"`,
			`<option value="道路照明" selected>`, fmt.Sprintf(`name="received_by" value="%d" checked`, f.dep1.ID))
		// A bad phone is refused next to its own input.
		form = f.caseForm("路灯不亮")
		form.Set("submitter_phone", "12345")
		res = c.post("/console/cases/new", form)
		wantStatus(t, "register with a bad phone", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["submitter_phone"]; !strings.Contains(got, "反映人电话格式不正确") {
			t.Errorf("error next to the phone = %q (all: %v)", got, fieldErrors(res.Body))
		}
		if _, n, err := f.db.FindCases(storetest.SystemContext(), lianluo.CaseFilter{}); err != nil || n != 0 {
			t.Fatalf("after refused forms: %d cases (%v); want 0", n, err)
		}

		id := f.register(t, c, "小区路灯不亮")
		got := systemCase(t, f, id)
		if got.Status != lianluo.StatusRegistered || got.RegionCode != "330206004002" || got.Category != "道路照明" ||
			len(got.ReceivedBy) != 1 || got.ReceivedBy[0] != f.dep1.ID || got.StationID == nil || *got.StationID != f.dqStation.ID {
			t.Errorf("registered case = %+v", got)
		}
		res = c.get(fmt.Sprintf("/console/cases/%d?ok=registered", id))
		wantStatus(t, "case page", res, http.StatusOK)
		wantBody(t, "case page", res, "小区路灯不亮", "已登记。查询码 "+got.TrackingCode, `id="case-code">`+got.TrackingCode+"<",
			`<span class="tag st-registered" id="case-status">待梳理</span>`, "来访", "大碶街道人大代表联络站", "坝头社区",
			"庐山西路东段", "道路照明", "张三", "139****0000", "王秀英", "打印接访登记表", "办理过程（1）", "登记", "渠道：来访")
		wantNoBody(t, "case page", res, "13912340000", "打印交办单")
		// Every case page keeps to the content security policy and renders whole.
		for _, p := range []string{"/console/cases/new", "/console/cases", "/console/todo", "/console/",
			fmt.Sprintf("/console/cases/%d", id), fmt.Sprintf("/console/cases/%d/print/register", id)} {
			res := c.get(p)
			wantStatus(t, p, res, http.StatusOK)
			wantNoBody(t, p, res, "{{", "<no value>", "%!", "ZgotmplZ", "<style", "style=", "<script>", "onclick=", "onchange=", "javascript:")
		}

		// The list shows it, found by a word of its text.
		res = c.get("/console/cases?q=" + url.QueryEscape("路灯"))
		wantStatus(t, "list", res, http.StatusOK)
		wantBody(t, "list", res, "小区路灯不亮", got.TrackingCode, "待梳理", "大碶街道人大代表联络站", "2026-03-02", "共 1 条")
		res = c.get("/console/cases?q=" + url.QueryEscape("噪声"))
		wantBody(t, "list for another word", res, "没有符合条件的意见", "共 0 条")
		wantNoBody(t, "list for another word", res, "小区路灯不亮")
		res = c.get("/console/cases?status=handling")
		wantNoBody(t, "list of another status", res, "小区路灯不亮")
		res = c.get("/console/cases?from=2026-03-03")
		wantNoBody(t, "list from a later day", res, "小区路灯不亮")
		res = c.get("/console/cases?from=2026-03-02&to=2026-03-02&category=" + url.QueryEscape("道路照明"))
		wantBody(t, "list of the day", res, "小区路灯不亮")
		res = c.get("/console/cases?from=3.2")
		wantStatus(t, "list with a bad date", res, http.StatusBadRequest)
		wantBody(t, "list with a bad date", res, "起始日期格式应为")
		// A status or station that names nothing is said, not dropped; its export is refused.
		for q, msg := range map[string]string{"status=handing": "没有“handing”这个办理状态", "station=abc": "联络站的取值无效"} {
			res = c.get("/console/cases?" + q)
			wantStatus(t, "list with "+q, res, http.StatusBadRequest)
			wantBody(t, "list with "+q, res, msg)
			wantStatus(t, "export with "+q, c.get("/console/cases.xlsx?"+q), http.StatusBadRequest)
		}

		// A unit handler cannot register.
		res = f.loggedIn(t, "dqunit").get("/console/cases/new")
		wantStatus(t, "handler's register form", res, http.StatusForbidden)
	})
}

func TestCaseActionForms(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison, leader, unit := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit")
		id := f.register(t, liaison, "小区路灯不亮")
		path := fmt.Sprintf("/console/cases/%d", id)

		// sameAsStore checks the page offers exactly the actions the store allows the user.
		sameAsStore := func(who string, c *client) string {
			t.Helper()
			res := c.get(path)
			wantStatus(t, who+" case page", res, http.StatusOK)
			kase, err := f.db.FindCaseByID(f.as(t, who), id)
			if err != nil {
				t.Fatal(err)
			}
			got, want := actionForms(res.Body), slices.Clone(kase.Allowed)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s in %s: forms %v; the store allows %v", who, kase.Status, got, want)
			}
			return res.Body
		}

		body := sameAsStore("dqliaison", liaison)
		if forms := actionForms(body); !slices.Contains(forms, "triage") || slices.Contains(forms, "approve") {
			t.Errorf("liaison on a new case: forms %v; want 梳理 and not 审核交办", forms)
		}
		// Without JavaScript every triage field shows, labelled with its outcome.
		for _, want := range []string{`name="outcome" value="forward"`, "当场答复内容（选“当场答复”时填写）",
			"不予受理原因（选“不予受理”时填写）", `<option value="litigation">已进入诉讼程序</option>`, "解释说明（选“解释说明”时填写）"} {
			if !strings.Contains(body, want) {
				t.Errorf("triage form lacks %q", want)
			}
		}
		body = sameAsStore("dqleader", leader)
		if slices.Contains(actionForms(body), "approve") {
			t.Errorf("leader sees 审核交办 on a case not yet forwarded")
		}
		sameAsStore("wangxy", f.loggedIn(t, "wangxy"))
		// A unit sees a case only once it is assigned to it.
		wantStatus(t, "unit before assignment", unit.get(path), http.StatusNotFound)

		// A field error comes back next to the field of that form, with the choice kept.
		res := act(t, liaison, id, "triage", url.Values{"outcome": {"answered"}, "answer": {""}, "comment": {"已电话联系物业"}})
		wantStatus(t, "triage without the answer", res, http.StatusBadRequest)
		if got, want := fieldErrors(res.Body)["triage_answer"], "请填写答复内容。"; got != want {
			t.Errorf("error next to the answer = %q; want %q (all %v)", got, want, fieldErrors(res.Body))
		}
		wantBody(t, "triage without the answer", res, `name="outcome" value="answered" checked`, "已电话联系物业", `href="#triage_answer-error"`)
		if got := systemCase(t, f, id); got.Status != lianluo.StatusRegistered || got.Version != 1 {
			t.Errorf("after a refused triage: %s version %d", got.Status, got.Version)
		}

		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}, "comment": {"需街道协调修复"}})
		res = liaison.get(path + "?ok=triage")
		wantBody(t, "after triage", res, "已梳理。当前状态：待审核交办。", "待审核交办", "需街道协调修复", "期限")
		body = sameAsStore("dqleader", leader)
		if forms := actionForms(body); !slices.Contains(forms, "approve") || slices.Contains(forms, "triage") {
			t.Errorf("leader after forward: forms %v; want 审核交办", forms)
		}
		wantBody(t, "approve form", response{Body: body}, "大碶街道办事处", `name="co_unit_ids"`, `type="date"`, "默认15个工作日（至 2026-03-23）")
		sameAsStore("dqliaison", liaison)

		// A stale form: the case moved on since the page was read.
		old := pageVersion(t, body, "approve")
		mustAct(t, leader, id, "escalate", url.Values{"comment": {"涉及区级部门"}})
		res = leader.post(path+"/actions/approve", url.Values{"version": {old}, "lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}})
		wantStatus(t, "stale approve", res, http.StatusConflict)
		wantBody(t, "stale approve", res, "该记录已被他人修改，请刷新后重试。", `href="`+path+`"`, "重新载入最新内容")
		// A wrong state: the same message block.
		res = liaison.post(path+"/actions/triage", url.Values{"version": {strconv.Itoa(systemCase(t, f, id).Version)}, "outcome": {"forward"}})
		wantStatus(t, "triage of a forwarded case", res, http.StatusConflict)
		wantBody(t, "triage of a forwarded case", res, "该意见当前状态为“待审核交办”，不能梳理。", "重新载入最新内容")
		// Unknown actions are not found.
		res = leader.post(path+"/actions/delete", url.Values{"version": {"1"}})
		wantStatus(t, "unknown action", res, http.StatusNotFound)
	})
}

func TestCaseLoopHTTP(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison, leader, unit, clerk := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit"), f.loggedIn(t, "dqclerk")
		deputy := f.loggedIn(t, "wangxy")
		id := f.register(t, liaison, "小区路灯不亮")
		path := fmt.Sprintf("/console/cases/%d", id)

		// To-do lists: the station triages; the dashboard says so too.
		res := liaison.get("/console/todo")
		wantStatus(t, "liaison todo", res, http.StatusOK)
		wantBody(t, "liaison todo", res, `<span class="count-n">1</span><span class="count-label">待梳理</span>`, "小区路灯不亮", "待反馈", "待测评")
		wantNoBody(t, "liaison todo", res, "待签收", "待督办")
		res = liaison.get("/console/")
		wantBody(t, "liaison dashboard", res, "待办事项", `href="/console/cases?todo=triage"`, `<span class="todo-n">1</span><span>待梳理</span>`)
		res = leader.get("/console/todo")
		wantBody(t, "leader todo", res, `<span class="count-n">0</span><span class="count-label">待审核交办</span>`)

		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}})
		res = leader.get("/console/todo")
		wantBody(t, "leader todo after forward", res, `<span class="count-n">1</span><span class="count-label">待审核交办</span>`, "小区路灯不亮")
		res = leader.get("/console/cases?todo=approve")
		wantStatus(t, "approve list", res, http.StatusOK)
		wantBody(t, "approve list", res, "我的待办：待审核交办", "小区路灯不亮")
		res = liaison.get("/console/cases?todo=approve")
		wantNoBody(t, "approve list of the liaison", res, "小区路灯不亮")
		res = leader.get("/console/cases?todo=nope")
		wantStatus(t, "unknown to-do list", res, http.StatusNotFound)

		// The assignment sheet exists only once the case is assigned.
		res = leader.get(path + "/print/assign")
		wantStatus(t, "assign sheet before approval", res, http.StatusConflict)
		wantBody(t, "assign sheet before approval", res, "尚未交办")
		// Approving without a lead unit is refused next to the field.
		res = act(t, leader, id, "approve", url.Values{"lead_unit_id": {""}, "comment": {"请街道办尽快修复"}})
		wantStatus(t, "approve without a unit", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["approve_lead_unit_id"]; got != "请选择主办单位。" {
			t.Errorf("error next to the lead unit = %q (all %v)", got, fieldErrors(res.Body))
		}
		wantBody(t, "approve without a unit", res, "请街道办尽快修复")
		mustAct(t, leader, id, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}, "comment": {"请街道办尽快修复"}})
		res = unit.get("/console/todo")
		wantBody(t, "unit todo", res, `<span class="count-n">1</span><span class="count-label">待签收</span>`)
		res = unit.get(path)
		wantBody(t, "unit's case page", res, "已交办待签收", "大碶街道办事处", "未签收", "2026-03-23", "剩21天", "打印交办单")
		if forms := actionForms(res.Body); !slices.Equal(forms, []lianluo.WorkflowAction{"sign", "return"}) {
			t.Errorf("unit's forms = %v; want [sign return]", forms)
		}

		// Both print forms.
		res = clerk.get(path + "/print/register")
		wantStatus(t, "register sheet", res, http.StatusOK)
		tracking := systemCase(t, f, id).TrackingCode
		wantBody(t, "register sheet", res, "人大代表接访登记表", tracking, "大碶街道人大代表联络站", "2026年3月2日 09:30", "王秀英",
			"来访", "张三", "139****0000", "小区路灯不亮", "路灯坏了两个月", "道路照明", "坝头社区 庐山西路东段", "☑ 报送审核交办", "☐ 当场答复",
			"接待代表签名", "登记人", "联络员周敏", "data-print")
		wantNoBody(t, "register sheet", res, "13912340000", `class="side"`)
		res = clerk.get(path + "/print/assign")
		wantStatus(t, "assign sheet", res, http.StatusOK)
		wantBody(t, "assign sheet", res, "交办单", "交办单位", "大碶街道人大工委", tracking, "主办单位", "大碶街道办事处", "2026年3月23日前",
			"请街道办尽快修复", "签发人", "大碶工委主任", "签收人", "路灯坏了两个月")
		wantNoBody(t, "assign sheet", res, "交办：主办")
		if !strings.Contains(res.Body, "app.css") {
			t.Errorf("print page links no stylesheet")
		}

		mustAct(t, unit, id, "sign", nil)
		mustAct(t, unit, id, "reply", url.Values{"result": {"B"}, "content": {"已列入本月维修计划。"}, "met_deputy": {"1"}})
		mustAct(t, liaison, id, "feedback", url.Values{"content": {"街道已列入本月维修计划。"}})
		res = deputy.get(path)
		if forms := actionForms(res.Body); !slices.Equal(forms, []lianluo.WorkflowAction{"evaluate"}) {
			t.Errorf("deputy's forms = %v; want [evaluate]", forms)
		}
		wantBody(t, "deputy's evaluation form", res, `name="by" value="deputy" checked`, "代表测评", "B 正在解决或列入计划解决")
		wantNoBody(t, "deputy's evaluation form", res, `value="voter"`)
		mustAct(t, deputy, id, "evaluate", url.Values{"by": {"deputy"}, "rating": {"unsatisfied"}, "comment": {"两个月了还没修"}})
		if got := systemCase(t, f, id).Status; got != lianluo.StatusSupervising {
			t.Fatalf("after 不满意: %s; want supervising", got)
		}
		res = clerk.get("/console/")
		wantBody(t, "clerk dashboard", res, `<span class="todo-n">1</span><span>待督办</span>`)
		mustAct(t, clerk, id, "supervise", url.Values{"comment": {"请一周内修复"}})
		mustAct(t, unit, id, "reply", url.Values{"result": {"A"}, "content": {"路灯已全部修复。"}})
		mustAct(t, liaison, id, "feedback", url.Values{"content": {"路灯已修复。"}})
		mustAct(t, deputy, id, "evaluate", url.Values{"by": {"deputy"}, "rating": {"basically_satisfied"}})
		mustAct(t, clerk, id, "archive", nil)
		res = clerk.get(path + "?ok=archive")
		wantBody(t, "archived", res, "已归档。当前状态：已归档。", "2026年", "代表：不满意", "代表：基本满意", "第2轮办理", "A 已解决或基本解决")
		if got := systemCase(t, f, id); got.Status != lianluo.StatusArchived || len(got.Events) != 12 {
			t.Errorf("at the end: %s with %d events; want archived with 12", got.Status, len(got.Events))
		}
	})
}

func TestCaseScope(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		id := f.register(t, f.loggedIn(t, "dqliaison"), "小区路灯不亮")
		other := &lianluo.User{Username: "xgclerk", DisplayName: "小港文员", Password: password,
			Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &f.xg.ID}}}
		storetest.MustCreateUser(t, f.db, storetest.SystemContext(), other)
		c := f.loggedIn(t, "xgclerk")
		path := fmt.Sprintf("/console/cases/%d", id)
		for _, p := range []string{path, path + "/print/register", path + "/print/assign", path + "/attachments/1"} {
			res := c.get(p)
			wantStatus(t, "another town's "+p, res, http.StatusNotFound)
		}
		res := c.post(path+"/actions/triage", url.Values{"version": {"1"}, "outcome": {"forward"}})
		wantStatus(t, "another town's triage", res, http.StatusNotFound)
		res = c.post(path+"/reveal", url.Values{"purpose": {"callback"}, "reason": {"电话回访反映人"}})
		wantStatus(t, "another town's reveal", res, http.StatusNotFound)
		res = c.get("/console/cases")
		wantNoBody(t, "another town's list", res, "小区路灯不亮")
		if got := systemCase(t, f, id); got.Status != lianluo.StatusRegistered {
			t.Errorf("after refused actions: %s", got.Status)
		}
		// A handler of a unit the case was never assigned to does not find it either.
		res = f.loggedIn(t, "zjhandler").get(path)
		wantStatus(t, "unassigned unit", res, http.StatusNotFound)
	})
}

func TestCaseReveal(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		id := f.register(t, f.loggedIn(t, "dqliaison"), "小区路灯不亮")
		path := fmt.Sprintf("/console/cases/%d", id)
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get(path)
		wantBody(t, "case page", res, "查看联系方式", `action="`+path+`/reveal"`, "139****0000")

		res = clerk.post(path+"/reveal", url.Values{"purpose": {"callback"}, "reason": {"好奇"}})
		wantStatus(t, "reveal without a reason", res, http.StatusBadRequest)
		if got, want := fieldErrors(res.Body)["reveal_reason"], "请具体说明查看原因（至少4个字）。"; got != want {
			t.Errorf("error next to the reason = %q; want %q (all %v)", got, want, fieldErrors(res.Body))
		}
		wantNoBody(t, "reveal without a reason", res, "13912340000")

		res = clerk.post(path+"/reveal", url.Values{"purpose": {""}, "reason": {"电话回访反映人"}})
		wantStatus(t, "reveal without a purpose", res, http.StatusBadRequest)
		if got, want := fieldErrors(res.Body)["reveal_purpose"], "请选择查看联系方式的用途。"; got != want {
			t.Errorf("error next to the purpose = %q; want %q (all %v)", got, want, fieldErrors(res.Body))
		}
		res = clerk.post(path+"/reveal", url.Values{"purpose": {"callback"}, "reason": {"电话回访反映人"}})
		wantStatus(t, "reveal", res, http.StatusOK)
		wantBody(t, "reveal", res, `<dd id="revealed-phone">13912340000</dd>`, "大碶街道坝头社区5幢", "本次查看已记入操作日志")
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("revealed page Cache-Control = %q", got)
		}
		res = clerk.get(path)
		wantNoBody(t, "case page after the reveal", res, "13912340000")
		events, _, err := f.db.FindEvents(storetest.SystemContext(), lianluo.EventFilter{Entity: "case", EntityID: id, Action: "reveal"})
		if err != nil || len(events) != 1 || !strings.Contains(events[0].Summary, "电话回访反映人") {
			t.Errorf("reveal events = %v (%v); want one with the reason", events, err)
		}
		// A unit handler is not offered the form (and the store refuses anyway).
		res = f.loggedIn(t, "zjhandler").post(path+"/reveal", url.Values{"purpose": {"other"}, "reason": {"看看联系方式"}})
		if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Errorf("handler's reveal: status %d", res.Status)
		}
	})
}

// tinyPNG is a 2×2 red picture.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for x := range 2 {
		for y := range 2 {
			img.Set(x, y, color.RGBA{200, 30, 30, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type upfile struct {
	name string
	data []byte
}

func (c *client) uploadFiles(path string, files ...upfile) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestCaseAttachments(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "dqliaison")
		id := f.register(t, c, "小区路灯不亮")
		path := fmt.Sprintf("/console/cases/%d", id)
		res := c.get(path)
		wantBody(t, "case page", res, `enctype="multipart/form-data"`, `name="files" multiple`, "没有附件")

		// A text file is refused, in Chinese, and nothing is stored — not even the good file beside it.
		pic := tinyPNG(t)
		res = c.uploadFiles(path+"/attachments", upfile{"路灯.png", pic}, upfile{"说明.txt", []byte("路灯坏了")})
		wantStatus(t, "upload a text file", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["attach_files"]; got != "“说明.txt”未上传：只能上传照片（JPG、PNG、GIF、WebP）或 PDF 文件。" {
			t.Errorf("upload error = %q (all %v)", got, fieldErrors(res.Body))
		}
		wantBody(t, "upload a text file", res, "附件未上传", `href="#attach_files-error"`)
		if atts, err := f.db.FindAttachments(storetest.SystemContext(), id); err != nil || len(atts) != 0 {
			t.Fatalf("after a refused upload: %v (%v)", atts, err)
		}
		res = c.uploadFiles(path + "/attachments")
		wantStatus(t, "upload nothing", res, http.StatusBadRequest)
		wantBody(t, "upload nothing", res, "请选择要上传的照片或 PDF 文件。")

		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		res = c.uploadFiles(path+"/attachments", upfile{"路灯.png", pic}, upfile{"来信.pdf", pdf})
		wantStatus(t, "upload", res, http.StatusSeeOther)
		if got, want := res.Header.Get("Location"), path+"?ok=attached"; got != want {
			t.Errorf("upload Location = %q; want %q", got, want)
		}
		atts, err := f.db.FindAttachments(storetest.SystemContext(), id)
		if err != nil || len(atts) != 2 {
			t.Fatalf("attachments = %v (%v)", atts, err)
		}
		res = c.get(path + "?ok=attached")
		wantBody(t, "case page with attachments", res, "附件已上传", "附件（2）", "路灯.png", "来信.pdf",
			fmt.Sprintf(`<img src="%s/attachments/%d"`, path, atts[0].ID), fmt.Sprintf(`href="%s/attachments/%d"`, path, atts[1].ID))

		for _, tc := range []struct {
			at          lianluo.Attachment
			data        []byte
			ctype, disp string
		}{
			{atts[0], pic, "image/png", "inline; filename*=UTF-8''" + url.PathEscape("路灯.png")},
			{atts[1], pdf, "application/pdf", "attachment; filename*=UTF-8''" + url.PathEscape("来信.pdf")},
		} {
			res := c.get(fmt.Sprintf("%s/attachments/%d", path, tc.at.ID))
			wantStatus(t, "download "+tc.at.Name, res, http.StatusOK)
			if res.Body != string(tc.data) {
				t.Errorf("download %s: %d bytes differ from the upload", tc.at.Name, len(res.Body))
			}
			for h, want := range map[string]string{"Content-Type": tc.ctype, "Content-Disposition": tc.disp, "X-Content-Type-Options": "nosniff"} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("download %s: %s = %q; want %q", tc.at.Name, h, got, want)
				}
			}
		}
		res = c.get(fmt.Sprintf("%s/attachments/%d", path, atts[1].ID+100))
		wantStatus(t, "missing attachment", res, http.StatusNotFound)
	})
}

// TestCaseDetours covers the forms off the main path: an extension asked
// and granted, not accepting a matter and closing it, and linking (并案).
func TestCaseDetours(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison, leader, unit, clerk := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit"), f.loggedIn(t, "dqclerk")
		id := f.register(t, liaison, "小区路灯不亮")
		path := fmt.Sprintf("/console/cases/%d", id)
		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}})
		mustAct(t, leader, id, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}, "due_date": {"2026-03-20"}})
		if got := systemCase(t, f, id); got.DueDate == nil || got.DueDate.In(lianluo.Beijing).Format("2006-01-02") != "2026-03-20" {
			t.Fatalf("due date after approving with 2026-03-20: %v", got.DueDate)
		}
		mustAct(t, unit, id, "sign", nil)
		res := unit.get(path)
		wantBody(t, "handling page", res, "原期限 2026-03-20，最晚可延至 2026-04-20。")
		if forms := actionForms(res.Body); !slices.Equal(forms, []lianluo.WorkflowAction{"reply", "return", "request_extension"}) {
			t.Errorf("unit's forms while handling = %v; want reply first, then the detours", forms)
		}

		res = act(t, unit, id, "request_extension", url.Values{"until": {"下个月"}, "reason": {"需要更换电缆，材料采购中。"}})
		wantStatus(t, "extension with a bad date", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["request_extension_until"]; got != "日期格式应为 2026-03-31。" {
			t.Errorf("error next to the date = %q (all %v)", got, fieldErrors(res.Body))
		}
		wantBody(t, "extension with a bad date", res, `value="下个月"`, "需要更换电缆，材料采购中。", `<details class="act act-secondary" id="act-request_extension" open>`)
		mustAct(t, unit, id, "request_extension", url.Values{"until": {"2026-04-10"}, "reason": {"需要更换电缆，材料采购中。"}})

		res = clerk.get(path)
		wantBody(t, "extension to decide", res, "承办单位申请延期至 2026-04-10。理由：需要更换电缆，材料采购中。", "申请延期至 2026-04-10（待审批）")
		res = act(t, clerk, id, "decide_extension", url.Values{"comment": {"同意"}})
		wantStatus(t, "decide without a choice", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["decide_extension_approve"]; got != "请选择同意或不同意延期。" {
			t.Errorf("error next to the decision = %q (all %v)", got, fieldErrors(res.Body))
		}
		mustAct(t, clerk, id, "decide_extension", url.Values{"approve": {"yes"}})
		res = unit.get(path)
		wantBody(t, "extended", res, "申请延期至 2026-04-10（已同意）", "期限 <strong>2026-04-10</strong>")
		wantNoBody(t, "extended", res, "actions/request_extension")
		mustAct(t, clerk, id, "urge", url.Values{"comment": {"请抓紧"}})

		// Not accepted: the reason's signpost is the outcome; the office closes it.
		other := f.register(t, liaison, "邻居纠纷")
		mustAct(t, liaison, other, "triage", url.Values{"outcome": {"not_accepted"}, "reason_code": {"not_public_matter"}})
		res = clerk.get(fmt.Sprintf("/console/cases/%d", other))
		wantBody(t, "not accepted", res, "不予受理（已告知反映人办理途径）", "人民调解", "不予受理")
		mustAct(t, clerk, other, "close", nil)
		if got := systemCase(t, f, other).Status; got != lianluo.StatusClosed {
			t.Errorf("after close: %s", got)
		}

		// Linking a second report of the same lamps to the first.
		dup := f.register(t, liaison, "东门路灯坏了")
		res = act(t, clerk, dup, "link", url.Values{"master_id": {"#abc"}})
		wantStatus(t, "link to a bad number", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["link_master_id"]; got != "并入的意见编号的取值无效，请从列表中选择。" {
			t.Errorf("error next to the master = %q (all %v)", got, fieldErrors(res.Body))
		}
		mustAct(t, clerk, dup, "link", url.Values{"master_id": {fmt.Sprintf("#%d", id)}})
		res = clerk.get(fmt.Sprintf("/console/cases/%d", dup))
		wantBody(t, "linked", res, fmt.Sprintf(`本件已并入 <a href="/console/cases/%d">意见 #%d</a>`, id, id), fmt.Sprintf("本件随意见 #%d 一并办理。", id))
		if forms := actionForms(res.Body); len(forms) != 0 {
			t.Errorf("linked case offers %v", forms)
		}
	})
}

// TestCaseOverdue moves the clock past an approval deadline: the pages
// count the days from the store's clock, mark the date red, and the
// overdue filter and to-do list find the case.
func TestCaseOverdue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var clock atomic.Int64
		clock.Store(storetest.Now.UnixNano())
		storetest.ClockOf(db).Set(func() time.Time { return time.Unix(0, clock.Load()).UTC() })
		f := newFixture(t, db)
		id := f.register(t, f.loggedIn(t, "dqliaison"), "小区路灯不亮")
		mustAct(t, f.loggedIn(t, "dqliaison"), id, "triage", url.Values{"outcome": {"forward"}})
		c := f.loggedIn(t, "dqclerk")
		res := c.get("/console/cases")
		wantBody(t, "list in time", res, `<span class="due">2026-03-12<span class="due-text">（剩10天）</span>`)
		res = c.get("/console/cases?overdue=1")
		wantNoBody(t, "overdue list in time", res, "小区路灯不亮")

		// Ten days later, in the evening of 3月14日 (Beijing).
		clock.Store(time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC).UnixNano())
		c = f.loggedIn(t, "dqclerk") // the old session has gone idle
		res = c.get("/console/cases?overdue=1")
		wantBody(t, "overdue list", res, "小区路灯不亮", `<span class="due due-over">2026-03-12<span class="due-text">（已超期2天）</span>`)
		res = c.get(fmt.Sprintf("/console/cases/%d", id))
		wantBody(t, "overdue case", res, `<p class="case-due due-over">期限 <strong>2026-03-12</strong>（已超期2天）</p>`)
		res = c.get("/console/todo")
		wantBody(t, "overdue todo", res, `class="count-alert"><span class="count-n">1</span><span class="count-label">已超期</span>`)
	})
}
