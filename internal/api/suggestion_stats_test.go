package api_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The figures of a session's suggestions (docs/suggestions.md, "Statistics
// and the handling report") against numbers worked out by hand for a small
// session built through the API:
//
//   - 第1号: transferred on 3-26 (the fifteen days end 3-27: on time), due
//     6-26, extended to 7-10 (approved), 面商 in person, answered A on 7-03
//     (on time only by the extension), rated 满意; 重点督办.
//   - 第2号: transferred on 3-30 (late), due 6-30, the deputy waived the
//     面商 in writing, answered C on 7-03 (late), rated 不满意, redone.
//   - 第3号: never transferred, past the fifteen days.
//
// Read on 7-06: received 3, transferred 2 (1 on time), 1 overdue for
// transfer, answered 2 (1 on time), 面商 2 of 2 (1 waiver), A 1, C 1,
// evaluated 2, satisfied 1, closed 1, key 1.
func TestSuggestionStats(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		e.addUser(t, "officeb", lianluo.Grant{Role: "npc_office", OrgID: &e.w.TownB.ID})
		e.addUser(t, "leadera", lianluo.Grant{Role: "npc_leader", OrgID: &e.w.TownA.ID})
		townUnit := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
		if err := db.CreateOrg(storetest.SystemContext(), townUnit); err != nil {
			t.Fatal(err)
		}
		e.addUser(t, "townunit", lianluo.Grant{Role: "unit_handler", OrgID: &townUnit.ID})
		sid, ids := buildReportSession(t, e, db, townUnit.ID)

		at(t, db, "2026-07-06 10:00")
		officea, officeb, dep, unit, leadera := e.as(t, "officea"), e.as(t, "officeb"), e.as(t, "deputya"), e.as(t, "townunit"), e.as(t, "leadera")
		path := fmt.Sprintf("/api/v1/stats/suggestions?session_id=%d", sid)
		want := map[string]float64{"received": 3, "transferred": 2, "transferred_on_time": 1, "transfer_overdue": 1,
			"answered": 2, "answered_on_time": 1, "reply_overdue": 0, "consulted": 2, "waived": 1, "a": 1, "b": 0, "c": 1,
			"evaluated": 2, "satisfied": 1, "closed": 1, "key": 1,
			"transfer_on_time_rate": 0.5, "reply_on_time_rate": 0.5, "consult_rate": 1, "a_share": 0.5, "b_share": 0, "c_share": 0.5, "satisfaction_rate": 0.5}
		for _, c := range []*client{officea, leadera} {
			r := c.do("GET", path, nil)
			if r.Status != 200 {
				t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
			}
			totals := r.Body["totals"].(map[string]any)
			for k, v := range want {
				if totals[k] != v {
					t.Errorf("totals.%s = %v; want %v", k, totals[k], v)
				}
			}
			units := r.Body["units"].([]any)
			if len(units) != 2 {
				t.Fatalf("units: %v; want the town's unit and the untransferred", units)
			}
			u0, u1 := units[0].(map[string]any), units[1].(map[string]any)
			if u0["unit_name"] != "大碶街道办事处" || u0["received"] != 2.0 || u0["a"] != 1.0 || u0["c"] != 1.0 || u0["answered_on_time"] != 1.0 ||
				u1["unit_id"] != 0.0 || u1["unit_name"] != "尚未交办" || u1["received"] != 1.0 || u1["transfer_overdue"] != 1.0 {
				t.Errorf("units: %v", units)
			}
			list := r.Body["suggestions"].([]any)
			if len(list) != 3 {
				t.Fatalf("suggestions: %v", list)
			}
			first := list[0].(map[string]any)
			if first["number_text"] != "第1号" || first["result"] != "A" || first["rating"] != "satisfied" || first["lead_deputy"] != e.w.DeputyA1.Name ||
				first["lead_unit"] != "大碶街道办事处" || first["key"] != true || int64(first["id"].(float64)) != ids[0] {
				t.Errorf("first suggestion: %v", first)
			}
			if s := r.Body["session"].(map[string]any); s["name"] != "大碶街道第一次代表会议" {
				t.Errorf("session: %v", s)
			}
		}

		// The workbook: the unit rows, 合计, the list; the export audited.
		x := officea.do("GET", strings.Replace(path, "suggestions?", "suggestions.xlsx?", 1), nil)
		book, rows := openBook(t, x, "建议办理情况")
		if len(rows) < 5 || rows[2][0] != "大碶街道办事处" || rows[2][1] != "2" || rows[3][0] != "尚未交办" || rows[4][0] != "合计" || rows[4][1] != "3" {
			t.Errorf("sheet rows: %q", rows)
		}
		if v, _ := book.GetCellValue("建议办理情况", "T5"); v != "100.0%" {
			t.Errorf("面商率 in the 合计 row: %q; want 100.0%%", v)
		}
		list, err := book.GetRows("建议清单")
		if err != nil || len(list) != 4 || list[1][0] != "第1号" || list[2][5] != "C 因条件限制或其他原因暂时不能解决" || list[2][6] != "不满意" {
			t.Errorf("list sheet: %q %v", list, err)
		}
		if r := e.as(t, "auditor").do("GET", "/api/v1/audit?action=export&per_page=100", nil); r.Status != 200 || !strings.Contains(string(r.Raw), "代表建议办理情况统计（Excel）") {
			t.Errorf("the export is not on the audit trail: %d %.500s", r.Status, r.Raw)
		}

		// Scope: the unit sees its own row; another town's office nothing;
		// a deputy may not ask.
		r := unit.do("GET", path, nil)
		if r.Status != 200 || r.Body["units_only"] != true || len(r.Body["units"].([]any)) != 1 || len(r.Body["suggestions"].([]any)) != 2 ||
			r.Body["totals"].(map[string]any)["received"] != 2.0 {
			t.Errorf("unit: %d %s; want its own row", r.Status, r.Raw)
		}
		if r := officeb.do("GET", path, nil); r.Status != 404 {
			t.Errorf("another town's office: %d %s; want 404", r.Status, r.Raw)
		}
		if r := dep.do("GET", path, nil); r.Status != 403 {
			t.Errorf("deputy: %d %s; want 403", r.Status, r.Raw)
		}
		if r := dep.do("GET", strings.Replace(path, "suggestions?", "suggestions.xlsx?", 1), nil); r.Status != 403 {
			t.Errorf("deputy's workbook: %d; want 403", r.Status)
		}
		if r := officea.do("GET", "/api/v1/stats/suggestions", nil); r.Status != 400 || r.errField() != "session_id" {
			t.Errorf("no session: %d %s; want 400 session_id", r.Status, r.Raw)
		}
		if r := officea.do("GET", "/api/v1/stats/suggestions?session_id=x", nil); r.Status != 400 || r.errField() != "session_id" {
			t.Errorf("bad session: %d %s; want 400 session_id", r.Status, r.Raw)
		}
		// Between sessions: the town received none in 2026.
		if r := officea.do("GET", fmt.Sprintf("/api/v1/stats/suggestions?org_id=%d&year=2026", e.w.TownA.ID), nil); r.Status != 200 ||
			r.Body["totals"].(map[string]any)["received"] != 0.0 || r.Body["session"] != nil {
			t.Errorf("between sessions: %d %s", r.Status, r.Raw)
		}
	})
}

// buildReportSession builds the session of TestSuggestionStats through the
// API and returns its id and the suggestions' ids in number order.
func buildReportSession(t *testing.T, e *env, db *sqlstore.DB, unitID int64) (int64, []int64) {
	t.Helper()
	var dep, officea, unit, leadera *client
	clock := func(beijing string) {
		at(t, db, beijing)
		dep, officea, unit, leadera = e.as(t, "deputya"), e.as(t, "officea"), e.as(t, "townunit"), e.as(t, "leadera")
	}
	ok := func(what string, r response) response {
		t.Helper()
		if r.Status != 200 && r.Status != 201 {
			t.Fatalf("%s: %d %s", what, r.Status, r.Raw)
		}
		return r
	}
	clock("2026-03-09 09:00")
	sid := ok("session", officea.do("POST", "/api/v1/sessions", map[string]any{"org_id": e.w.TownA.ID, "name": "大碶街道第一次代表会议",
		"starts_on": "2026-03-10", "ends_on": "2026-03-12"})).num("id")
	clock("2026-03-11 10:00")
	var ids []int64
	for _, title := range []string{"关于增设新碶菜场公交站的建议", "关于整治太河路积水的建议", "关于增加社区养老床位的建议"} {
		id := ok("draft", dep.do("POST", "/api/v1/cases", map[string]any{"kind": "suggestion", "session_id": sid, "lead_deputy_id": e.w.DeputyA1.ID,
			"title": title, "content": title + "，请研究办理。", "category": "城乡建设"})).num("id")
		ok("submit", dep.act(id, "submit", nil))
		ids = append(ids, id)
	}
	ok("mark_key", leadera.act(ids[0], "mark_key", map[string]any{"supervisor": "张主任"}))
	clock("2026-03-26 10:00")
	ok("transfer 1", officea.act(ids[0], "transfer", map[string]any{"lead_unit_id": unitID}))
	ok("sign 1", unit.act(ids[0], "sign", nil))
	clock("2026-03-30 10:00")
	ok("transfer 2", officea.act(ids[1], "transfer", map[string]any{"lead_unit_id": unitID}))
	ok("sign 2", unit.act(ids[1], "sign", nil))
	clock("2026-06-20 09:00")
	ok("extension", unit.act(ids[0], "request_extension", map[string]any{"until": "2026-07-10", "reason": "需协调公交公司"}))
	ok("approve extension", officea.act(ids[0], "decide_extension", map[string]any{"approve": true}))
	clock("2026-07-01 09:00")
	ok("consult 1", unit.act(ids[0], "consult", map[string]any{"held_on": "2026-07-01", "form": "in_person", "deputies": e.w.DeputyA1.Name, "notes": "现场查看站点位置。"}))
	ok("waive 2", unit.act(ids[1], "consult", map[string]any{"held_on": "2026-07-01", "waived": true, "notes": "代表书面表示无需面商。"}))
	clock("2026-07-03 10:00")
	ok("reply 1", unit.act(ids[0], "reply", map[string]any{"result": "A", "content": "公交站已启用。"}))
	ok("reply 2", unit.act(ids[1], "reply", map[string]any{"result": "C", "content": "因管网改造须列入明年计划，暂不能解决。"}))
	ok("evaluate 1", dep.act(ids[0], "evaluate", map[string]any{"by": "deputy", "rating": "satisfied"}))
	ok("evaluate 2", dep.act(ids[1], "evaluate", map[string]any{"by": "deputy", "rating": "unsatisfied"}))
	ok("redo 2", officea.act(ids[1], "redo", map[string]any{"comment": "请提出临时排水措施。"}))
	return sid, ids
}

// Bills and suggestions between sessions (docs/suggestions.md): a bill put
// on the agenda and passed, one not put on it and converted — counted among
// the bills and as a suggestion whose fifteen days run from the
// conversion — and a deputy's suggestion written between sessions, counted
// under its NPC body and year.
func TestSuggestionStatsBills(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		townUnit := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
		if err := db.CreateOrg(storetest.SystemContext(), townUnit); err != nil {
			t.Fatal(err)
		}
		var officea, dep *client
		clock := func(beijing string) {
			at(t, db, beijing)
			officea, dep = e.as(t, "officea"), e.as(t, "deputya")
		}
		ok := func(what string, r response) response {
			t.Helper()
			if r.Status != 200 && r.Status != 201 {
				t.Fatalf("%s: %d %s", what, r.Status, r.Raw)
			}
			return r
		}
		clock("2026-03-09 09:00")
		sid := ok("session", officea.do("POST", "/api/v1/sessions", map[string]any{"org_id": e.w.TownA.ID, "name": "大碶街道第一次代表会议",
			"starts_on": "2026-03-10", "ends_on": "2026-03-12"})).num("id")
		clock("2026-03-11 10:00")
		var bills []int64
		for _, title := range []string{"关于设立老年食堂的议案", "关于修缮太河路的议案"} {
			id := ok("bill", officea.do("POST", "/api/v1/cases", map[string]any{"kind": "bill", "session_id": sid, "presidium": true,
				"title": title, "content": title + "。"})).num("id")
			ok("submit bill", officea.act(id, "submit", nil))
			bills = append(bills, id)
		}
		ok("agenda", officea.act(bills[0], "list_on_agenda", nil))
		ok("resolution", officea.act(bills[0], "record_resolution", map[string]any{"passed": true, "content": "大会通过关于设立老年食堂的决议。"}))
		// Converted after the session: the fifteen days run from 4-01 to
		// 4-16, so a transfer on 4-10 is on time (from the session's end it
		// would be late: 3-27).
		clock("2026-04-01 10:00")
		ok("convert", officea.act(bills[1], "convert_to_suggestion", map[string]any{"comment": "属于政府职权范围内的具体事项。"}))
		clock("2026-04-10 10:00")
		ok("transfer", officea.act(bills[1], "transfer", map[string]any{"lead_unit_id": townUnit.ID}))
		// A suggestion written between sessions.
		interim := ok("interim", dep.do("POST", "/api/v1/cases", map[string]any{"kind": "suggestion", "org_id": e.w.TownA.ID,
			"lead_deputy_id": e.w.DeputyA1.ID, "title": "关于增设路灯的建议", "content": "太河路夜间照明不足。"})).num("id")
		ok("submit interim", dep.act(interim, "submit", nil))

		r := ok("stats", officea.do("GET", fmt.Sprintf("/api/v1/stats/suggestions?session_id=%d", sid), nil))
		if b := r.Body["bills"].(map[string]any); b["proposed"] != 2.0 || b["on_agenda"] != 1.0 || b["passed"] != 1.0 || b["converted"] != 1.0 {
			t.Errorf("bills: %v; want proposed 2, on agenda 1, passed 1, converted 1", b)
		}
		if tot := r.Body["totals"].(map[string]any); tot["received"] != 1.0 || tot["transferred"] != 1.0 || tot["transferred_on_time"] != 1.0 {
			t.Errorf("totals: %v; want the converted bill received and transferred on time", tot)
		}
		if list := r.Body["suggestions"].([]any); len(list) != 1 || list[0].(map[string]any)["lead_deputy"] != "主席团" {
			t.Errorf("suggestions: %v", list)
		}
		r = ok("between sessions", officea.do("GET", fmt.Sprintf("/api/v1/stats/suggestions?org_id=%d&year=2026", e.w.TownA.ID), nil))
		if tot := r.Body["totals"].(map[string]any); tot["received"] != 1.0 || r.Body["session"] != nil || r.Body["title"] != "大碶街道人大工委2026年闭会期间" {
			t.Errorf("between sessions: %s", r.Raw)
		}
		if r := officea.do("GET", fmt.Sprintf("/api/v1/stats/suggestions?org_id=%d&year=2026", e.w.TownB.ID), nil); r.Status != 404 {
			t.Errorf("another body between sessions: %d %s; want 404", r.Status, r.Raw)
		}
	})
}
