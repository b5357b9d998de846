package api_test

import (
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestYearPlansAPI: a station's year plan written by the town office,
// read against the activities the station held (done, done late, late,
// upcoming, unplanned), edited with a version, published once to the
// deputies, and kept from other towns, deputies' writes and drafts.
func TestYearPlansAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-01-05 09:00")
		office := e.as(t, "officea")
		station := e.w.StationA.ID

		// Activities held this year: a study in February, an inspection in
		// April, a forum in March nobody planned.
		for _, a := range []struct{ kind, title, day string }{
			{"study", "学习代表法", "2026-02-10"},
			{"inspection", "视察老旧小区改造", "2026-04-20"},
			{"forum", "民生实事座谈", "2026-03-12"},
		} {
			r := office.do("POST", "/api/v1/activities", map[string]any{"kind": a.kind, "title": a.title, "station_id": station,
				"starts_at": a.day + "T09:00:00+08:00", "ends_at": a.day + "T11:00:00+08:00"})
			if r.Status != 201 {
				t.Fatalf("create activity %s: %d %s", a.title, r.Status, r.Raw)
			}
			if p := office.do("POST", "/api/v1/activities/"+itoa(r.num("id"))+"/publish", map[string]any{"version": 1}); p.Status != 200 {
				t.Fatalf("publish activity %s: %d %s", a.title, p.Status, p.Raw)
			}
		}

		items := []map[string]any{
			{"month": 2, "kind": "study", "title": "学习代表法"},
			{"month": 3, "kind": "inspection", "title": "视察老旧小区改造"},
			{"month": 5, "kind": "research", "title": "调研垃圾分类"},
			{"month": 9, "kind": "report", "title": "代表向选民述职", "note": "20%–30%的代表"},
		}
		body := func(extra map[string]any) map[string]any {
			b := map[string]any{"owner_kind": "station", "owner_id": station, "year": 2026, "items": items}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			field  string
		}{
			{"officea", body(map[string]any{"owner_kind": "town"}), 400, "owner_kind"},
			{"officea", body(map[string]any{"year": 2031}), 400, "year"},
			{"officea", body(map[string]any{"items": []map[string]any{{"month": 0, "kind": "study", "title": "学习"}}}), 400, "items[0].month"},
			{"officea", body(map[string]any{"items": []map[string]any{{"month": 1, "kind": "party", "title": "联欢"}}}), 400, "items[0].kind"},
			{"officea", body(map[string]any{"items": []map[string]any{{"month": 1, "kind": "study", "title": "学习"}, {"month": 2, "kind": "study", "title": ""}}}), 400, "items[1].title"},
			{"officea", body(map[string]any{"owner_id": e.w.StationB.ID}), 400, "owner_id"}, // another town's station
			{"liaisona", body(nil), 403, ""},
			{"deputya", body(nil), 403, ""},
		} {
			r := e.as(t, tc.who).do("POST", "/api/v1/year-plans", tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("%s creates %v: %d %s; want %d %s", tc.who, tc.body, r.Status, r.Raw, tc.status, tc.field)
			} else if tc.field != "" && !strings.ContainsAny(string(r.Raw), "月类名称年站") {
				t.Errorf("error without Chinese: %s", r.Raw)
			}
		}
		r := office.do("POST", "/api/v1/year-plans", body(nil))
		if r.Status != 201 || r.Body["status"] != "draft" || r.num("version") != 1 {
			t.Fatalf("create: %d %s", r.Status, r.Raw)
		}
		path := "/api/v1/year-plans/" + itoa(r.num("id"))
		if r := office.do("POST", "/api/v1/year-plans", body(nil)); r.Status != 409 || r.errCode() != "conflict" {
			t.Errorf("a second plan for the year: %d %s", r.Status, r.Raw)
		}

		// June: February's study done, March's inspection done in April,
		// May's research late, September's 述职 upcoming, the forum unplanned.
		setClock(db, "2026-06-10 09:00")
		office = e.as(t, "officea")
		r = office.do("GET", path, nil)
		if r.Status != 200 {
			t.Fatalf("get: %d %s", r.Status, r.Raw)
		}
		var states []string
		for _, it := range r.Body["items"].([]any) {
			states = append(states, it.(map[string]any)["state"].(string))
		}
		if got, want := strings.Join(states, ","), "done,done_late,late,upcoming"; got != want {
			t.Errorf("states %s; want %s", got, want)
		}
		prog := r.Body["progress"].(map[string]any)
		unplanned := prog["unplanned"].([]any)
		if len(unplanned) != 1 || unplanned[0].(map[string]any)["title"] != "民生实事座谈" {
			t.Errorf("unplanned %v; want the forum", unplanned)
		}
		if w := strings.Join(toStrings(r.Body["warnings"]), "|"); !strings.Contains(w, "全年计划活动4次") || r.Body["can_write"] != true {
			t.Errorf("warnings %q, can_write %v", w, r.Body["can_write"])
		}

		// Drafts are the staff's: the liaison reads, the deputy does not yet.
		if r := e.as(t, "liaisona").do("GET", path, nil); r.Status != 200 || r.Body["can_write"] != false {
			t.Errorf("the liaison reads the draft: %d %s", r.Status, r.Raw)
		}
		deputy := e.as(t, "deputya")
		if r := deputy.do("GET", path, nil); r.Status != 404 {
			t.Errorf("the deputy reads a draft: %d %s", r.Status, r.Raw)
		}

		// Edits: stale version, bad item, a deputy or liaison, fine.
		more := append(items, map[string]any{"month": 11, "kind": "appraisal", "title": "评议街道城管中队"})
		if r := office.do("PUT", path, map[string]any{"items": more, "version": 5}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale PUT: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PUT", path, map[string]any{"items": more}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("PUT without version: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PUT", path, map[string]any{"items": []map[string]any{{"month": 13, "kind": "study", "title": "学习"}}, "version": 1}); r.Status != 400 || r.errField() != "items[0].month" {
			t.Errorf("PUT a bad month: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("PUT", path, map[string]any{"items": more, "version": 1}); r.Status != 403 {
			t.Errorf("the liaison edits: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PUT", path, map[string]any{"items": more, "version": 1}); r.Status != 200 || r.num("version") != 2 || len(r.Body["items"].([]any)) != 5 {
			t.Fatalf("PUT: %d %s", r.Status, r.Raw)
		}

		// Publish once: the deputies are told once.
		if r := office.do("POST", path+"/publish", map[string]any{"version": 1}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale publish: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("POST", path+"/publish", map[string]any{"version": 2}); r.Status != 403 {
			t.Errorf("the liaison publishes: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/publish", map[string]any{"version": 2}); r.Status != 200 || r.Body["status"] != "published" || r.Body["published_at"] == nil {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}
		notices := planNotices(t, e)
		if notices == 0 {
			t.Fatal("publishing told nobody")
		}
		if r := office.do("POST", path+"/publish", map[string]any{"version": 3}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("publish twice: %d %s", r.Status, r.Raw)
		}
		// An edit after publishing is recorded and tells nobody again.
		if r := office.do("PUT", path, map[string]any{"items": items, "version": 3}); r.Status != 200 || r.Body["status"] != "published" {
			t.Errorf("edit a published plan: %d %s", r.Status, r.Raw)
		}
		if got := planNotices(t, e); got != notices {
			t.Errorf("notices %d after the edit; want %d", got, notices)
		}
		if r := deputy.do("GET", "/api/v1/inbox", nil); r.Status != 200 || strings.Count(string(r.Raw), "年度活动计划已发布") != 1 {
			t.Errorf("the deputy's inbox: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("GET", path, nil); r.Status != 200 || r.Body["can_write"] != false {
			t.Errorf("the deputy reads the published plan: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("PUT", path, map[string]any{"items": items, "version": 4}); r.Status != 403 {
			t.Errorf("the deputy edits: %d %s", r.Status, r.Raw)
		}
		events := e.as(t, "auditor").do("GET", "/api/v1/audit?entity=year_plan&per_page=50", nil)
		if !strings.Contains(string(events.Raw), "修改已发布的年度活动计划：删除1项") {
			t.Errorf("the edit of the published plan is not in the audit trail: %s", events.Raw)
		}

		// Another town: the district writes at station B; town A sees nothing of it.
		rb := e.as(t, "office").do("POST", "/api/v1/year-plans", map[string]any{"owner_kind": "station", "owner_id": e.w.StationB.ID, "year": 2026,
			"items": []map[string]any{{"month": 7, "kind": "forum", "title": "港区座谈"}}})
		if rb.Status != 201 {
			t.Fatalf("district creates at station B: %d %s", rb.Status, rb.Raw)
		}
		other := "/api/v1/year-plans/" + itoa(rb.num("id"))
		for _, who := range []string{"officea", "liaisona", "deputya", "unit"} {
			if r := e.as(t, who).do("GET", other, nil); r.Status != 404 {
				t.Errorf("%s reads another town's plan: %d %s", who, r.Status, r.Raw)
			}
		}
		if r := office.do("PUT", other, map[string]any{"items": items, "version": 1}); r.Status != 404 {
			t.Errorf("officea edits another town's plan: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/year-plans?year=2026", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("officea's list: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "office").do("GET", "/api/v1/year-plans?station_id="+itoa(e.w.StationB.ID), nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("the district's list of station B: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("GET", "/api/v1/year-plans", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("the deputy's list: %d %s", r.Status, r.Raw)
		}

		// A deputy group's plan: group meetings and the group's 六个一.
		g := office.do("POST", "/api/v1/groups", map[string]any{"name": "大碶第一代表小组", "org_id": e.w.TownA.ID, "region_code": "330206004",
			"station_id": station})
		if g.Status != 201 {
			t.Fatalf("create group: %d %s", g.Status, g.Raw)
		}
		r = office.do("POST", "/api/v1/year-plans", map[string]any{"owner_kind": "group", "owner_id": g.num("id"), "year": 2026,
			"items": []map[string]any{{"month": 3, "kind": "group_meeting", "title": "小组年初活动"}}})
		if r.Status != 201 {
			t.Fatalf("group plan: %d %s", r.Status, r.Raw)
		}
		if w := strings.Join(toStrings(r.Body["warnings"]), "|"); !strings.Contains(w, "述职") || strings.Contains(w, "代表小组活动计划") {
			t.Errorf("group warnings %q", w)
		}
	})
}

// planNotices counts the outbox rows of published year plans.
func planNotices(t *testing.T, e *env) int {
	n := 0
	for _, it := range e.as(t, "admin").do("GET", "/api/v1/notifications?per_page=100", nil).items() {
		if it["template"] == "year_plan_published" {
			n++
		}
	}
	return n
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
