package api_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 工作评议 over HTTP: the fourth quarter (003), the steps in order, the
// rectification items reported, returned and accepted with versions, the
// overdue chase once, and who may see what.
func TestAppraisalsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		w := e.w
		ctx := storetest.SystemContext()
		u2 := &lianluo.Org{Kind: "unit", Name: "区交通运输局", RegionCode: "330206"}
		if err := db.CreateOrg(ctx, u2); err != nil {
			t.Fatal(err)
		}
		storetest.MustCreateUser(t, db, ctx, &lianluo.User{Username: "unit2", Password: storetest.Password, DisplayName: "交通局经办人",
			Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &u2.ID}}})
		setClock(db, "2026-11-01 09:00")
		office, unit, unit2 := e.as(t, "office"), e.as(t, "unit"), e.as(t, "unit2")

		in := map[string]any{"org_id": w.District.ID, "year": 2026, "title": "2026年度部门工作评议",
			"unit_ids": []int64{w.Unit.ID, u2.ID}, "scheduled_on": "2026-06-15"}
		if r := office.do("POST", "/api/v1/appraisals", in); r.Status != 400 || r.errField() != "scheduled_on" || !strings.Contains(string(r.Raw), "第四季度") {
			t.Errorf("June without a reason: %d %s", r.Status, r.Raw)
		}
		in["schedule_reason"] = "年底换届，提前到六月"
		if r := office.do("POST", "/api/v1/appraisals", in); r.Status != 201 || r.Body["schedule_reason"] != "年底换届，提前到六月" {
			t.Errorf("June with a reason: %d %s", r.Status, r.Raw)
		}
		in["scheduled_on"], in["schedule_reason"] = "2026-11-20", ""
		for _, tc := range []struct {
			who    string
			status int
		}{{"deputya", 403}, {"unit", 403}, {"leader", 403}} {
			if r := e.as(t, tc.who).do("POST", "/api/v1/appraisals", in); r.Status != tc.status {
				t.Errorf("create by %s: %d %s", tc.who, r.Status, r.Raw)
			}
		}
		r := office.do("POST", "/api/v1/appraisals", in)
		if r.Status != 201 || r.Body["next"] != "collect" || r.num("version") != 1 {
			t.Fatalf("create: %d %s", r.Status, r.Raw)
		}
		id := itoa(r.num("id"))
		base := "/api/v1/appraisals/" + id

		act := office.do("POST", "/api/v1/activities", map[string]any{"kind": "appraisal", "title": "部门工作评议会", "station_id": w.StationA.ID,
			"starts_at": "2026-11-20T09:00:00+08:00", "ends_at": "2026-11-20T11:30:00+08:00"})
		if act.Status != 201 {
			t.Fatalf("activity: %d %s", act.Status, act.Raw)
		}
		setClock(db, "2026-11-23 09:00")
		office, unit, unit2 = e.as(t, "office"), e.as(t, "unit"), e.as(t, "unit2") // the sessions of three weeks ago have expired
		units := func(key string, v any) []map[string]any {
			return []map[string]any{{"unit_id": w.Unit.ID, key: v}, {"unit_id": u2.ID, key: v}}
		}
		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			field  string
		}{
			{"office", map[string]any{"step": "meeting", "on": "2026-11-20", "activity_id": act.num("id"), "units": units("report", "汇报"), "version": 1}, 409, ""},
			{"office", map[string]any{"step": "collect", "on": "2026-11-10", "version": 7}, 409, ""},
			{"office", map[string]any{"step": "collect", "on": "2026-11-10"}, 400, "version"},
			{"office", map[string]any{"step": "collect", "on": "2026-11-30", "version": 1}, 400, "on"},
			{"office", map[string]any{"step": "gather", "on": "2026-11-10", "version": 1}, 400, "step"},
			{"officea", map[string]any{"step": "collect", "on": "2026-11-10", "version": 1}, 404, ""},
			{"unit", map[string]any{"step": "collect", "on": "2026-11-10", "version": 1}, 403, ""},
			{"office", map[string]any{"step": "collect", "on": "2026-11-10", "note": "收到意见12条", "version": 1}, 200, ""},
			{"office", map[string]any{"step": "meeting", "on": "2026-11-20", "activity_id": act.num("id"), "version": 2}, 400, "units"},
			{"office", map[string]any{"step": "meeting", "on": "2026-11-20", "activity_id": act.num("id"), "units": units("report", "本年度工作汇报"), "version": 2}, 200, ""},
			{"office", map[string]any{"step": "ballot", "on": "2026-11-20", "units": units("tally", map[string]int{"satisfied": 30, "basically_satisfied": 8, "unsatisfied": 2}), "version": 3}, 200, ""},
			{"office", map[string]any{"step": "findings", "on": "2026-11-21", "units": units("findings", "答复群众意见不够及时。"), "version": 4}, 200, ""},
			{"office", map[string]any{"step": "rectification", "on": "2026-11-22", "version": 5}, 409, ""},
		} {
			r := e.as(t, tc.who).do("POST", base+"/steps", tc.body)
			if r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("step %v by %s: %d %s; want %d %s", tc.body["step"], tc.who, r.Status, r.Raw, tc.status, tc.field)
			}
		}

		item := func(c *client, unitID int64, text, due string) response {
			return c.do("POST", base+"/rectifications", map[string]any{"unit_id": unitID, "text": text, "due_on": due})
		}
		late := item(office, w.Unit.ID, "加快老旧小区改造进度", "2026-11-25")
		if late.Status != 201 || late.Body["status"] != "open" {
			t.Fatalf("add item: %d %s", late.Status, late.Raw)
		}
		if r := item(office, w.Unit.ID, "", "2026-11-25"); r.Status != 400 || r.errField() != "text" {
			t.Errorf("item without text: %d %s", r.Status, r.Raw)
		}
		if r := item(office, w.Unit.ID, "整改", "11月25日"); r.Status != 400 || r.errField() != "due_on" {
			t.Errorf("item with a bad date: %d %s", r.Status, r.Raw)
		}
		if r := item(unit, w.Unit.ID, "整改", "2026-11-25"); r.Status != 403 {
			t.Errorf("item by the unit: %d %s", r.Status, r.Raw)
		}
		other := item(office, u2.ID, "公交站台破损维修", "2026-12-31")
		if r := office.do("POST", base+"/steps", map[string]any{"step": "rectification", "on": "2026-11-22", "version": 5}); r.Status != 200 {
			t.Fatalf("rectification step: %d %s", r.Status, r.Raw)
		}

		// Overdue, chased once however often the job runs.
		setClock(db, "2026-11-27 09:00")
		office, unit, unit2 = e.as(t, "office"), e.as(t, "unit"), e.as(t, "unit2")
		for i := 0; i < 2; i++ {
			if _, err := db.ChaseRectifications(ctx); err != nil {
				t.Fatal(err)
			}
		}
		inbox := unit.do("GET", "/api/v1/inbox?per_page=100", nil)
		if n := strings.Count(string(inbox.Raw), `"template":"rectification_overdue"`); n != 1 {
			t.Errorf("overdue notices in the unit's inbox = %d; want 1: %s", n, inbox.Raw)
		}
		if n := strings.Count(string(unit2.do("GET", "/api/v1/inbox?per_page=100", nil).Raw), `"template":"rectification_overdue"`); n != 0 {
			t.Errorf("overdue notices to the other unit = %d; want 0", n)
		}
		list := office.do("GET", "/api/v1/appraisals?year=2026", nil)
		if list.Status != 200 || list.num("total") != 2 ||
			!strings.Contains(string(list.Raw), `"tally":{"satisfied":30,"basically_satisfied":8,"unsatisfied":2},"progress":{"done":0,"total":1,"overdue":1}`) {
			t.Errorf("list: %d %s", list.Status, list.Raw)
		}
		if r := office.do("GET", "/api/v1/appraisals?year=2025", nil); r.num("total") != 0 {
			t.Errorf("another year: %s", r.Raw)
		}
		// The workbook for reporting upwards: a row per unit, then the items.
		_, rows := openBook(t, office.do("GET", base+"/summary.xlsx", nil), "工作评议")
		if len(rows) < 3 || fmt.Sprint(rows[2][2:7]) != "[30 8 2 40 95]" || rows[2][10] != "1" {
			t.Errorf("the appraisal's sheet: %q", rows)
		}
		book, _ := openBook(t, office.do("GET", base+"/summary.xlsx", nil), "工作评议")
		if items, err := book.GetRows("整改事项"); err != nil || len(items) < 2 || !strings.Contains(fmt.Sprint(items), "超期") {
			t.Errorf("the items' sheet: %q, %v", items, err)
		}
		if r := e.as(t, "deputya").do("GET", base+"/summary.xlsx", nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("a deputy's export: %d", r.Status)
		}

		// Scope: the unit sees its own unit only; another unit's item is not found.
		mine := unit.do("GET", base, nil)
		if mine.Status != 200 || strings.Contains(string(mine.Raw), "区交通运输局") || !strings.Contains(string(mine.Raw), "加快老旧小区改造进度") {
			t.Errorf("unit's view: %d %s", mine.Status, mine.Raw)
		}
		lateID, otherID := itoa(late.num("id")), itoa(other.num("id"))
		for _, tc := range []struct {
			who, method, path string
			status            int
		}{
			{"officea", "GET", base, 404},
			{"deputya", "GET", base, 404},
			{"deputya", "GET", "/api/v1/appraisals", 403},
			{"liaisona", "GET", "/api/v1/appraisals", 403},
			{"unit2", "GET", base, 200},
			{"unit", "GET", "/api/v1/rectifications", 200},
			{"office", "GET", "/api/v1/rectifications", 403},
		} {
			if r := e.as(t, tc.who).do(tc.method, tc.path, nil); r.Status != tc.status {
				t.Errorf("%s %s by %s: %d %s; want %d", tc.method, tc.path, tc.who, r.Status, r.Raw, tc.status)
			}
		}
		for _, tc := range []struct {
			c      *client
			path   string
			body   map[string]any
			status int
			field  string
		}{
			{unit, "/api/v1/rectifications/" + otherID + "/report", map[string]any{"report": "已修", "version": 1}, 404, ""},
			{unit2, "/api/v1/rectifications/" + lateID + "/report", map[string]any{"report": "已修", "version": 1}, 404, ""},
			{e.as(t, "officea"), "/api/v1/rectifications/" + lateID + "/accept", map[string]any{"version": 1}, 404, ""},
			{unit, "/api/v1/rectifications/" + lateID + "/report", map[string]any{"version": 1}, 400, "report"},
			{unit, "/api/v1/rectifications/" + lateID + "/report", map[string]any{"report": "已完成三个小区"}, 400, "version"},
			{office, "/api/v1/rectifications/" + lateID + "/accept", map[string]any{"version": 1}, 409, ""},
			{unit, "/api/v1/rectifications/" + lateID + "/report", map[string]any{"report": "已完成三个小区", "version": 1}, 200, ""},
			{unit, "/api/v1/rectifications/" + lateID + "/accept", map[string]any{"version": 2}, 403, ""},
			{office, "/api/v1/rectifications/" + lateID + "/return", map[string]any{"version": 2}, 400, "reason"},
			{office, "/api/v1/rectifications/" + lateID + "/return", map[string]any{"reason": "还有两个小区未开工", "version": 1}, 409, ""},
			{office, "/api/v1/rectifications/" + lateID + "/return", map[string]any{"reason": "还有两个小区未开工", "version": 2}, 200, ""},
			{unit, "/api/v1/rectifications/" + lateID + "/report", map[string]any{"report": "全部开工", "version": 3}, 200, ""},
			{office, "/api/v1/rectifications/" + lateID + "/accept", map[string]any{"version": 4}, 200, ""},
		} {
			r := tc.c.do("POST", tc.path, tc.body)
			if r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("POST %s %v: %d %s; want %d %s", tc.path, tc.body, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		got := office.do("GET", base, nil)
		if !strings.Contains(string(got.Raw), `"progress":{"done":1,"total":1,"overdue":0}`) || !strings.Contains(string(got.Raw), `"return_reason":""`) {
			t.Errorf("after acceptance: %s", got.Raw)
		}
		if r := office.do("POST", base+"/steps", map[string]any{"step": "supervision", "on": "2026-11-27", "version": 6}); r.Status != 409 {
			t.Errorf("supervision with an item open: %d %s", r.Status, r.Raw)
		}
	})
}
