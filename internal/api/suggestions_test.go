package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// at fixes the test database's clock at a Beijing time "2026-03-11 10:00".
func at(t *testing.T, db *sqlstore.DB, beijing string) {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", beijing, lianluo.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return tm })
}

// act posts a workflow action with the case's current version, read first.
func (c *client) act(id int64, action string, body map[string]any) response {
	c.t.Helper()
	r := c.do("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
	b := map[string]any{"version": r.num("version")}
	for k, v := range body {
		b[k] = v
	}
	return c.do("POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", id, action), b)
}

// history is the case's history notes, one per line.
func (r response) history() string {
	var b strings.Builder
	evs, _ := r.Body["events"].([]any)
	for _, e := range evs {
		m := e.(map[string]any)
		fmt.Fprintf(&b, "%s %s\n", m["action"], m["comment"])
	}
	return b.String()
}

func dueOf(r response) string {
	s, _ := r.Body["due_date"].(string)
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return tm.In(lianluo.Beijing).Format("2006-01-02")
}

// A suggestion's whole path (docs/suggestions.md): drafted by the lead
// deputy, co-signed, submitted and numbered with the fifteen days to
// transfer, transferred with three months to answer, 面商 before the
// answer, one unsatisfied round, one extension, satisfied, archived;
// with the refusals on the way.
func TestSuggestionPath(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		e.addUser(t, "deputya2", lianluo.Grant{Role: "deputy", DeputyID: &e.w.DeputyA2.ID})
		e.addUser(t, "deputyb", lianluo.Grant{Role: "deputy", DeputyID: &e.w.DeputyB.ID})
		e.addUser(t, "officeb", lianluo.Grant{Role: "npc_office", OrgID: &e.w.TownB.ID})
		e.addUser(t, "leadera", lianluo.Grant{Role: "npc_leader", OrgID: &e.w.TownA.ID})
		// 003: the town's suggestions go to the town's government.
		townUnit := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
		if err := db.CreateOrg(storetest.SystemContext(), townUnit); err != nil {
			t.Fatal(err)
		}
		e.addUser(t, "townunit", lianluo.Grant{Role: "unit_handler", OrgID: &townUnit.ID})
		var dep, dep2, depB, officea, officeb, unit, leadera *client
		// at moves the clock and signs everyone in again (sessions idle out).
		at := func(t *testing.T, db *sqlstore.DB, beijing string) {
			t.Helper()
			at(t, db, beijing)
			dep, dep2, depB = e.as(t, "deputya"), e.as(t, "deputya2"), e.as(t, "deputyb")
			officea, officeb, unit, leadera = e.as(t, "officea"), e.as(t, "officeb"), e.as(t, "townunit"), e.as(t, "leadera")
		}

		// The session: the town office registers it; bad dates and another
		// body's session are refused naming the field.
		at(t, db, "2026-03-09 09:00")
		session := map[string]any{"org_id": e.w.TownA.ID, "name": "大碶街道第一次代表会议", "starts_on": "2026-03-10", "ends_on": "2026-03-12"}
		for _, tc := range []struct {
			who   *client
			body  map[string]any
			code  int
			field string
		}{
			{officea, map[string]any{"org_id": e.w.TownA.ID, "name": "会", "starts_on": "2026-03-12", "ends_on": "2026-03-10"}, 400, "ends_on"},
			{officea, map[string]any{"org_id": e.w.TownA.ID, "name": "", "starts_on": "2026-03-10", "ends_on": "2026-03-12"}, 400, "name"},
			{officea, map[string]any{"org_id": e.w.TownB.ID, "name": "会", "starts_on": "2026-03-10", "ends_on": "2026-03-12"}, 400, "org_id"},
			{dep, session, 403, ""},
		} {
			if r := tc.who.do("POST", "/api/v1/sessions", tc.body); r.Status != tc.code || r.errField() != tc.field {
				t.Errorf("POST session %v: %d %s; want %d %s", tc.body, r.Status, r.Raw, tc.code, tc.field)
			}
		}
		r := officea.do("POST", "/api/v1/sessions", session)
		if r.Status != 201 {
			t.Fatalf("POST session: %d %s", r.Status, r.Raw)
		}
		sid := r.num("id")
		if r := officea.do("POST", "/api/v1/sessions", session); r.Status != 400 || r.errField() != "starts_on" {
			t.Errorf("overlapping session: %d %s; want 400 starts_on", r.Status, r.Raw)
		}
		if r := dep.do("GET", "/api/v1/sessions", nil); r.Status != 200 || len(r.items()) != 1 {
			t.Errorf("deputy's sessions: %d %s; want the town's one", r.Status, r.Raw)
		}
		if r := officeb.do("GET", fmt.Sprintf("/api/v1/sessions/%d", sid), nil); r.Status != 404 {
			t.Errorf("another town's session: %d; want 404", r.Status)
		}

		// The draft, on the deputy's phone.
		at(t, db, "2026-03-11 10:00")
		draft := map[string]any{"kind": "suggestion", "session_id": sid, "lead_deputy_id": e.w.DeputyA1.ID,
			"cosigner_ids": []int64{e.w.DeputyA2.ID}, "title": "关于增设新碶菜场公交站的建议", "content": "新碶菜场周边居民出行不便。",
			"reasons": "菜场附近无公交站，老人买菜需步行二十分钟。", "proposals": "建议区交通局在菜场东门增设公交站。", "category": "交通出行"}
		for _, tc := range []struct {
			who   *client
			patch map[string]any
			code  int
			field string
		}{
			{dep, map[string]any{"title": ""}, 400, "title"},
			{dep, map[string]any{"lead_deputy_id": e.w.DeputyA2.ID, "cosigner_ids": nil}, 400, "lead_deputy_id"},
			{dep, map[string]any{"cosigner_ids": []int64{e.w.DeputyB.ID}}, 400, "cosigner_ids"},
			{dep, map[string]any{"cosigner_ids": []int64{e.w.DeputyA1.ID}}, 400, "cosigner_ids"},
			{dep, map[string]any{"session_id": nil, "channel": "session"}, 400, "session_id"},
			{dep, map[string]any{"submitter": map[string]any{"name": "张三"}}, 400, "kind"},
			{depB, map[string]any{"lead_deputy_id": e.w.DeputyB.ID, "cosigner_ids": nil}, 400, "session_id"},
			{unit, map[string]any{}, 403, ""},
		} {
			body := map[string]any{}
			for k, v := range draft {
				body[k] = v
			}
			for k, v := range tc.patch {
				body[k] = v
			}
			if r := tc.who.do("POST", "/api/v1/cases", body); r.Status != tc.code || r.errField() != tc.field {
				t.Errorf("draft %v: %d %s; want %d %s", tc.patch, r.Status, r.Raw, tc.code, tc.field)
			}
		}
		r = dep.do("POST", "/api/v1/cases", draft)
		if r.Status != 201 || r.Body["status"] != "draft" || r.Body["kind"] != "suggestion" || r.Body["session_name"] != session["name"] {
			t.Fatalf("draft: %d %s", r.Status, r.Raw)
		}
		id := r.num("id")
		path := fmt.Sprintf("/api/v1/cases/%d", id)

		// The co-signer confirms on their phone, once.
		if r := dep2.do("GET", path, nil); r.Status != 200 || !strings.Contains(string(r.Raw), `"cosign"`) {
			t.Fatalf("co-signer reads: %d %s; want cosign offered", r.Status, r.Raw)
		}
		if r := dep.act(id, "cosign", nil); r.Status != 403 {
			t.Errorf("lead co-signs: %d %s; want 403", r.Status, r.Raw)
		}
		if r := dep2.act(id, "cosign", map[string]any{"approve": true}); r.Status != 200 {
			t.Fatalf("cosign: %d %s", r.Status, r.Raw)
		}
		if r := dep2.act(id, "cosign", nil); r.Status != 409 {
			t.Errorf("cosign twice: %d %s; want 409", r.Status, r.Raw)
		}
		// The lead deputy corrects the draft; a co-signer may not.
		if r := dep.act(id, "edit", map[string]any{"title": "", "content": "x"}); r.Status != 400 || r.errField() != "title" {
			t.Errorf("edit without a title: %d %s; want 400 title", r.Status, r.Raw)
		}
		if r := dep2.act(id, "edit", map[string]any{"title": "改", "content": "改"}); r.Status != 403 {
			t.Errorf("co-signer edits: %d; want 403", r.Status)
		}
		edit := map[string]any{"title": "关于在新碶菜场东门增设公交站的建议", "content": draft["content"], "reasons": draft["reasons"],
			"proposals": "建议区交通局在菜场东门增设公交站，并设遮雨棚。", "category": "交通出行"}
		if r := dep.act(id, "edit", edit); r.Status != 200 || r.Body["title"] != edit["title"] || r.Body["proposals"] != edit["proposals"] {
			t.Fatalf("edit: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("GET", "/api/v1/cases?q=东门增设", nil); r.Status != 200 || len(r.items()) != 1 {
			t.Errorf("search for the corrected title: %d %s", r.Status, r.Raw)
		}
		// Outside: another town's deputy and office do not see it.
		for _, c := range []*client{depB, officeb} {
			if r := c.do("GET", path, nil); r.Status != 404 {
				t.Errorf("outside reads: %d; want 404", r.Status)
			}
		}

		// Submitted: 第1号, transfer due fifteen days after the session ends.
		if r := officea.act(id, "transfer", map[string]any{"lead_unit_id": townUnit.ID}); r.Status != 409 {
			t.Errorf("transfer a draft: %d %s; want 409", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/actions/submit", map[string]any{"version": 1}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale submit: %d %s; want 409 stale_version", r.Status, r.Raw)
		}
		r = dep.act(id, "submit", nil)
		if r.Status != 200 || r.Body["status"] != "submitted" || r.num("number") != 1 || dueOf(r) != "2026-03-27" {
			t.Fatalf("submit: %d %s; want submitted, 第1号, due 2026-03-27", r.Status, r.Raw)
		}
		if r := dep.act(id, "edit", edit); r.Status != 409 {
			t.Errorf("edit after submission: %d; want 409", r.Status)
		}

		// The lead deputy and the confirmed co-signer: a suggestion each in
		// their year's figures (履职积分, 六个一).
		r = officea.do("GET", "/api/v1/stats/deputies?year=2026", nil)
		for _, row := range r.items() {
			if row["name"] == e.w.DeputyA1.Name || row["name"] == e.w.DeputyA2.Name {
				if row["suggestions"] != float64(1) {
					t.Errorf("stats/deputies row %s: suggestions = %v; want 1", row["name"], row["suggestions"])
				}
			}
		}
		r = officea.do("GET", fmt.Sprintf("/api/v1/deputies/%d/six-ones?year=2026", e.w.DeputyA2.ID), nil)
		if !strings.Contains(string(r.Raw), `"kind":"suggestion"`) {
			t.Errorf("six-ones of the co-signer lacks the suggestion: %s", r.Raw)
		}

		// The sweep reminds the office three days before the transfer deadline.
		at(t, db, "2026-03-25 09:00")
		if _, err := db.SweepCaseDeadlines(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if r := officea.do("GET", path, nil); !strings.Contains(r.history(), "请于 2026-03-27 前交办（还有2天）") {
			t.Errorf("transfer reminder missing:\n%s", r.history())
		}

		// Transferred: three calendar months to answer.
		at(t, db, "2026-03-26 10:00")
		if r := unit.act(id, "transfer", map[string]any{"version": 3, "lead_unit_id": townUnit.ID}); r.Status != 404 {
			t.Errorf("unit transfers a suggestion it cannot see: %d; want 404", r.Status)
		}
		if r := officea.act(id, "transfer", map[string]any{}); r.Status != 400 || r.errField() != "lead_unit_id" {
			t.Errorf("transfer without unit: %d %s; want 400 lead_unit_id", r.Status, r.Raw)
		}
		r = officea.act(id, "transfer", map[string]any{"lead_unit_id": townUnit.ID})
		if r.Status != 200 || r.Body["status"] != "assigned" || dueOf(r) != "2026-06-26" {
			t.Fatalf("transfer: %d %s; want assigned, due 2026-06-26", r.Status, r.Raw)
		}
		if r := leadera.act(id, "mark_key", map[string]any{"supervisor": "张主任"}); r.Status != 200 || r.Body["key_supervisor"] != "张主任" {
			t.Errorf("mark_key: %d %s", r.Status, r.Raw)
		}
		if r := officea.act(id, "mark_key", map[string]any{"supervisor": "张主任"}); r.Status != 403 {
			t.Errorf("office marks key: %d; want 403 (the leader decides)", r.Status)
		}
		if r := unit.act(id, "sign", nil); r.Status != 200 || r.Body["status"] != "handling" {
			t.Fatalf("sign: %d %s", r.Status, r.Raw)
		}
		// A key suggestion's progress, reported by the unit.
		if r := unit.act(id, "progress", nil); r.Status != 400 || r.errField() != "comment" {
			t.Errorf("progress without a word: %d %s; want 400 comment", r.Status, r.Raw)
		}
		if r := unit.act(id, "progress", map[string]any{"comment": "已与公交公司对接，正在选址。"}); r.Status != 200 || !strings.Contains(r.history(), "督办进展：已与公交公司对接") {
			t.Errorf("progress: %d %s", r.Status, r.Raw)
		}

		// The sweep urges the unit before the three months are up.
		at(t, db, "2026-06-23 09:00")
		if _, err := db.SweepCaseDeadlines(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if r := unit.do("GET", path, nil); !strings.Contains(r.history(), "距办理期限 2026-06-26 还有3个工作日") {
			t.Errorf("reply reminder missing:\n%s", r.history())
		}

		// No answer without 面商.
		reply := map[string]any{"result": "B", "content": "已列入2026年下半年公交线网优化计划。"}
		if r := unit.act(id, "reply", reply); r.Status != 409 || !strings.Contains(string(r.Raw), "面商") {
			t.Errorf("reply before 面商: %d %s; want 409", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"form": "in_person", "deputies": "王建国", "notes": "现场查看"}, "held_on"},
			{map[string]any{"held_on": "2026-06-22", "form": "letter", "deputies": "王建国", "notes": "现场查看"}, "form"},
			{map[string]any{"held_on": "2026-06-22", "form": "in_person", "notes": "现场查看"}, "deputies"},
			{map[string]any{"held_on": "2026-06-30", "form": "in_person", "deputies": "王建国", "notes": "现场查看"}, "held_on"},
		} {
			if r := unit.act(id, "consult", tc.body); r.Status != 400 || r.errField() != tc.field {
				t.Errorf("consult %v: %d %s; want 400 %s", tc.body, r.Status, r.Raw, tc.field)
			}
		}
		if r := unit.act(id, "consult", map[string]any{"held_on": "2026-06-22", "form": "in_person", "deputies": "王建国、李秀英", "notes": "到菜场东门现场查看，商定站点位置。"}); r.Status != 200 {
			t.Fatalf("consult: %d %s", r.Status, r.Raw)
		}
		r = unit.act(id, "reply", reply)
		if r.Status != 200 || r.Body["status"] != "awaiting_evaluation" {
			t.Fatalf("reply: %d %s", r.Status, r.Raw)
		}

		// Unsatisfied: the office orders a redo, the unit asks for more time.
		if r := dep2.act(id, "evaluate", map[string]any{"by": "deputy", "rating": "unsatisfied"}); r.Status != 403 {
			t.Errorf("co-signer evaluates: %d; want 403 (the lead deputy does)", r.Status)
		}
		if r := dep.act(id, "evaluate", map[string]any{"by": "deputy", "rating": "unsatisfied", "comment": "站点位置仍未确定"}); r.Status != 200 || r.Body["status"] != "supervising" {
			t.Fatalf("evaluate unsatisfied: %d %s", r.Status, r.Raw)
		}
		if r := officea.act(id, "redo", map[string]any{}); r.Status != 400 || r.errField() != "comment" {
			t.Errorf("redo without a word: %d %s; want 400 comment", r.Status, r.Raw)
		}
		r = officea.act(id, "redo", map[string]any{"comment": "请明确站点位置和时间。"})
		if r.Status != 200 || r.Body["status"] != "handling" || r.num("round") != 2 || dueOf(r) != "2026-07-23" {
			t.Fatalf("redo: %d %s; want handling, round 2, due 2026-07-23", r.Status, r.Raw)
		}
		at(t, db, "2026-07-24 09:00")
		if r := unit.act(id, "request_extension", map[string]any{"until": "2026-08-14", "reason": "需与公交公司协调"}); r.Status != 409 {
			t.Errorf("extension after the deadline: %d %s; want 409", r.Status, r.Raw)
		}
		at(t, db, "2026-06-23 10:00")
		if r := unit.act(id, "request_extension", map[string]any{"until": "2026-08-25", "reason": "需与公交公司协调"}); r.Status != 400 || r.errField() != "until" {
			t.Errorf("extension beyond a month: %d %s; want 400 until", r.Status, r.Raw)
		}
		if r := unit.act(id, "request_extension", map[string]any{"until": "2026-08-14", "reason": "需与公交公司协调"}); r.Status != 200 {
			t.Fatalf("request_extension: %d %s", r.Status, r.Raw)
		}
		if r := officea.act(id, "decide_extension", map[string]any{"approve": true}); r.Status != 200 || dueOf(r) != "2026-08-14" {
			t.Fatalf("decide_extension: %d %s", r.Status, r.Raw)
		}
		// A new round needs its own 面商 — here the deputy waived it in writing.
		if r := unit.act(id, "reply", reply); r.Status != 409 {
			t.Errorf("round 2 reply before 面商: %d; want 409", r.Status)
		}
		if r := unit.act(id, "consult", map[string]any{"held_on": "2026-06-23", "waived": true, "notes": "王建国代表书面表示站点已商定，无需再次面商。"}); r.Status != 200 {
			t.Fatalf("waiver: %d %s", r.Status, r.Raw)
		}
		if r := unit.act(id, "reply", map[string]any{"result": "A", "content": "公交站已于7月1日启用。"}); r.Status != 200 {
			t.Fatalf("reply round 2: %d %s", r.Status, r.Raw)
		}
		r = dep.act(id, "evaluate", map[string]any{"by": "deputy", "rating": "satisfied"})
		if r.Status != 200 || r.Body["status"] != "closed" {
			t.Fatalf("evaluate satisfied: %d %s", r.Status, r.Raw)
		}
		r = officea.act(id, "archive", nil)
		if r.Status != 200 || r.Body["status"] != "archived" {
			t.Fatalf("archive: %d %s", r.Status, r.Raw)
		}
		h := r.history()
		for _, want := range []string{"编为第1号", "李秀英确认附议", "交办：主办 大碶街道办事处", "面商（当面）", "领衔代表评价：不满意", "责成重新办理，第2轮", "代表书面表示无需面商"} {
			if !strings.Contains(h, want) {
				t.Errorf("history lacks %q:\n%s", want, h)
			}
		}
		cons, _ := r.Body["consultations"].([]any)
		if len(cons) != 2 {
			t.Errorf("consultations = %v; want 2", r.Body["consultations"])
		}
		// Suggestions are not opinions: the opinion statistics do not count them.
		if r := officea.do("GET", "/api/v1/cases?kind=suggestion", nil); r.Status != 200 || len(r.items()) != 1 {
			t.Errorf("list kind=suggestion: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("GET", fmt.Sprintf("/api/v1/cases?session_id=%d", sid), nil); r.Status != 200 || len(r.items()) != 1 ||
			r.items()[0]["number"] != float64(1) || len(r.items()[0]["signers"].([]any)) != 2 {
			t.Errorf("list session: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("GET", "/api/v1/cases?kind=motion", nil); r.Status != 400 || r.errField() != "kind" {
			t.Errorf("list kind=motion: %d %s; want 400 kind", r.Status, r.Raw)
		}
	})
}

// Bills: five deputies jointly, the lead counted (乡镇); not on the agenda
// it becomes a suggestion keeping its history; on it, the resolution.
func TestBills(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		ctx := storetest.SystemContext()
		signers := []int64{e.w.DeputyA2.ID}
		e.addUser(t, "deputya2", lianluo.Grant{Role: "deputy", DeputyID: &e.w.DeputyA2.ID})
		names := []string{"赵一", "钱二", "孙三", "周四"}
		for i, n := range names {
			d := &lianluo.Deputy{Name: n, Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: lianluo.DeputyTownship, Term: 19}}}
			if err := db.CreateDeputy(ctx, d); err != nil {
				t.Fatal(err)
			}
			signers = append(signers, d.ID)
			e.addUser(t, fmt.Sprintf("signer%d", i), lianluo.Grant{Role: "deputy", DeputyID: &d.ID})
		}
		at(t, db, "2026-03-09 09:00")
		dep, officea := e.as(t, "deputya"), e.as(t, "officea")
		r := officea.do("POST", "/api/v1/sessions", map[string]any{"org_id": e.w.TownA.ID, "name": "第二次代表会议", "starts_on": "2026-03-10", "ends_on": "2026-03-12"})
		if r.Status != 201 {
			t.Fatalf("session: %d %s", r.Status, r.Raw)
		}
		sid := r.num("id")
		bill := func(title string) int64 {
			r := dep.do("POST", "/api/v1/cases", map[string]any{"kind": "bill", "session_id": sid, "lead_deputy_id": e.w.DeputyA1.ID,
				"cosigner_ids": signers, "title": title, "content": "议案内容。"})
			if r.Status != 201 {
				t.Fatalf("bill: %d %s", r.Status, r.Raw)
			}
			return r.num("id")
		}
		cosigners := []*client{e.as(t, "deputya2"), e.as(t, "signer0"), e.as(t, "signer1"), e.as(t, "signer2")}
		first := bill("关于制定河道保洁长效管理办法的议案")
		for _, c := range cosigners[:3] {
			if r := c.act(first, "cosign", nil); r.Status != 200 {
				t.Fatalf("cosign: %d %s", r.Status, r.Raw)
			}
		}
		// Four confirmed (the lead and three): not yet a bill.
		if r := dep.act(first, "submit", nil); r.Status != 409 || !strings.Contains(string(r.Raw), "5人以上") {
			t.Errorf("submit with 4 signers: %d %s; want 409", r.Status, r.Raw)
		}
		if r := cosigners[3].act(first, "cosign", nil); r.Status != 200 {
			t.Fatalf("fifth cosign: %d %s", r.Status, r.Raw)
		}
		r = dep.act(first, "submit", nil)
		if r.Status != 200 || r.Body["status"] != "proposed" || r.num("number") != 1 {
			t.Fatalf("submit with 5: %d %s; want proposed 第1号", r.Status, r.Raw)
		}
		if r := dep.act(first, "convert_to_suggestion", map[string]any{"comment": "x"}); r.Status != 403 {
			t.Errorf("deputy converts: %d; want 403", r.Status)
		}
		if r := officea.act(first, "convert_to_suggestion", nil); r.Status != 400 || r.errField() != "comment" {
			t.Errorf("convert without reason: %d %s; want 400 comment", r.Status, r.Raw)
		}
		r = officea.act(first, "convert_to_suggestion", map[string]any{"comment": "属于政府职权范围内的具体事项。"})
		if r.Status != 200 || r.Body["kind"] != "suggestion" || r.Body["status"] != "submitted" || r.num("number") != 1 || dueOf(r) != "2026-03-27" {
			t.Fatalf("convert: %d %s; want suggestion 第1号 due 2026-03-27", r.Status, r.Raw)
		}
		if h := r.history(); !strings.Contains(h, "确认联名") || !strings.Contains(h, "转为建议办理") {
			t.Errorf("converted bill's history:\n%s", h)
		}

		second := bill("关于设立老年食堂的议案")
		for _, c := range cosigners {
			c.act(second, "cosign", nil)
		}
		if r := dep.act(second, "submit", nil); r.Status != 200 || r.num("number") != 2 {
			t.Fatalf("second bill: %d %s; want 第2号", r.Status, r.Raw)
		}
		if r := officea.act(second, "record_resolution", map[string]any{"passed": true, "content": "决议"}); r.Status != 409 {
			t.Errorf("resolution before the agenda: %d; want 409", r.Status)
		}
		if r := officea.act(second, "list_on_agenda", nil); r.Status != 200 || r.Body["status"] != "on_agenda" {
			t.Fatalf("list_on_agenda: %d %s", r.Status, r.Raw)
		}
		if r := officea.act(second, "record_resolution", map[string]any{"content": "决议"}); r.Status != 400 || r.errField() != "passed" {
			t.Errorf("resolution without the vote: %d %s; want 400 passed", r.Status, r.Raw)
		}
		r = officea.act(second, "record_resolution", map[string]any{"passed": true, "content": "大会通过关于设立老年食堂的决议，交街道办事处贯彻落实。"})
		if r.Status != 200 || r.Body["status"] != "closed" {
			t.Fatalf("record_resolution: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("GET", fmt.Sprintf("/api/v1/sessions/%d", sid), nil); r.num("suggestions") != 1 || r.num("bills") != 1 {
			t.Errorf("session counts: %s; want 1 suggestion, 1 bill", r.Raw)
		}
	})
}

// A suggestion raised from opinions keeps the links both ways, and the
// voters of those opinions are told of its answer.
func TestSuggestionFromOpinions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		ctx := storetest.SystemContext()
		townUnit := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
		if err := db.CreateOrg(ctx, townUnit); err != nil {
			t.Fatal(err)
		}
		e.addUser(t, "townunit", lianluo.Grant{Role: "unit_handler", OrgID: &townUnit.ID})
		at(t, db, "2026-04-01 09:00")
		liaison, dep, officea, unit, admin := e.as(t, "liaisona"), e.as(t, "deputya"), e.as(t, "officea"), e.as(t, "townunit"), e.as(t, "admin")
		r := liaison.do("POST", "/api/v1/cases", map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": "菜场周边没有公交站",
			"content": "老人买菜要走二十分钟。", "region_code": "330206004",
			"submitter": map[string]any{"name": "张三", "phone": "13912340000"}, "received_by": []int64{e.w.DeputyA1.ID}})
		if r.Status != 201 {
			t.Fatalf("opinion: %d %s", r.Status, r.Raw)
		}
		op := r.num("id")
		body := map[string]any{"kind": "suggestion", "org_id": e.w.TownA.ID, "lead_deputy_id": e.w.DeputyA1.ID,
			"title": "关于增设菜场公交站的建议", "content": "建议增设公交站。", "evidence_case_ids": []int64{op}}
		if r := dep.do("POST", "/api/v1/cases", map[string]any{"kind": "suggestion", "org_id": e.w.TownA.ID, "lead_deputy_id": e.w.DeputyA1.ID,
			"title": "x", "content": "x", "evidence_case_ids": []int64{op + 1000}}); r.Status != 400 || r.errField() != "evidence_case_ids" {
			t.Errorf("unknown evidence: %d %s; want 400 evidence_case_ids", r.Status, r.Raw)
		}
		r = dep.do("POST", "/api/v1/cases", body)
		if r.Status != 201 || r.Body["channel"] != "interim" {
			t.Fatalf("suggestion: %d %s", r.Status, r.Raw)
		}
		id := r.num("id")
		if ev, _ := r.Body["evidence_case_ids"].([]any); len(ev) != 1 {
			t.Errorf("evidence_case_ids = %v", r.Body["evidence_case_ids"])
		}
		r = liaison.do("GET", fmt.Sprintf("/api/v1/cases/%d", op), nil)
		if ids, _ := r.Body["suggestion_ids"].([]any); len(ids) != 1 || !strings.Contains(r.history(), "代表据此提出建议") {
			t.Errorf("opinion's suggestion_ids = %v; history:\n%s", r.Body["suggestion_ids"], r.history())
		}
		// Between sessions: no number, fifteen days from submission.
		if r := dep.act(id, "submit", nil); r.Status != 200 || r.num("number") != 0 || dueOf(r) != "2026-04-16" {
			t.Fatalf("submit: %d %s; want no number, due 2026-04-16", r.Status, r.Raw)
		}
		for _, step := range []struct {
			who    *client
			action string
			body   map[string]any
		}{
			{officea, "transfer", map[string]any{"lead_unit_id": townUnit.ID}},
			{unit, "sign", nil},
			{unit, "progress", nil}, // not a key suggestion: refused below
			{unit, "consult", map[string]any{"held_on": "2026-04-01", "form": "phone", "deputies": "王建国", "notes": "电话沟通站点位置。"}},
			{unit, "reply", map[string]any{"result": "A", "content": "已在菜场东门增设公交站。"}},
		} {
			r := step.who.act(id, step.action, step.body)
			if step.action == "progress" {
				if r.Status != 409 {
					t.Errorf("progress on a suggestion not under key supervision: %d %s; want 409", r.Status, r.Raw)
				}
				continue
			}
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", step.action, r.Status, r.Raw)
			}
		}
		r = admin.do("GET", "/api/v1/notifications?channel=sms&per_page=20", nil)
		found := false
		for _, it := range r.items() {
			found = found || (it["template"] == "suggestion_answered_voter" && strings.Contains(it["body"].(string), "已在菜场东门增设公交站"))
		}
		if !found {
			t.Errorf("no text message to the opinion's voter: %s", r.Raw)
		}
	})
}
