package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A 1×1 PNG.
var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

func TestCasesAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		ctx := storetest.SystemContext()
		unitA := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
		if err := db.CreateOrg(ctx, unitA); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*lianluo.User{
			{Username: "leadera", DisplayName: "主任", Password: storetest.Password, Roles: []lianluo.Grant{{Role: "npc_leader", OrgID: &e.w.TownA.ID}}},
			{Username: "unita", DisplayName: "经办人", Password: storetest.Password, Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &unitA.ID}}},
		} {
			storetest.MustCreateUser(t, db, ctx, u)
		}
		liaison, leader, unit := e.as(t, "liaisona"), e.as(t, "leadera"), e.as(t, "unita")

		r := liaison.do("POST", "/api/v1/cases", map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": "小区路灯不亮",
			"content": "庐山西路小区3号楼前路灯坏了一个月。", "category": "道路照明", "region_code": "330206004",
			"submitter":   map[string]any{"name": "张三", "phone": "13912340000"},
			"received_by": []int64{e.w.DeputyA1.ID}, "urgent": true,
		})
		if r.Status != 201 || r.Body["status"] != "registered" || r.num("version") != 1 || r.Body["tracking_code"] == "" {
			t.Fatalf("register: %d %s", r.Status, r.Raw)
		}
		id := itoa(r.num("id"))
		sub := r.Body["submitter"].(map[string]any)
		if sub["phone"] != "139****0000" || sub["masked"] != true {
			t.Errorf("submitter in the answer = %v; want masked", sub)
		}
		act := func(c *client, action string, body map[string]any) response {
			t.Helper()
			cur := c.do("GET", "/api/v1/cases/"+id, nil)
			body["version"] = cur.num("version")
			return c.do("POST", "/api/v1/cases/"+id+"/actions/"+action, body)
		}
		if r := act(liaison, "triage", map[string]any{"outcome": "not_accepted"}); r.Status != 400 || r.errField() != "reason_code" {
			t.Errorf("not_accepted without a reason: %d %s", r.Status, r.Raw)
		}
		if r := act(liaison, "triage", map[string]any{"outcome": "forward"}); r.Status != 200 || r.Body["status"] != "pending_approval" {
			t.Fatalf("forward: %d %s", r.Status, r.Raw)
		}
		if r := act(liaison, "approve", map[string]any{"lead_unit_id": unitA.ID}); r.Status != 403 {
			t.Errorf("liaison approves: %d", r.Status)
		}
		if r := act(leader, "approve", map[string]any{"lead_unit_id": unitA.ID, "due_date": "2020-01-01"}); r.Status != 400 || r.errField() != "due_date" {
			t.Errorf("due date in the past: %d %s", r.Status, r.Raw)
		}
		r = act(leader, "approve", map[string]any{"lead_unit_id": unitA.ID})
		if r.Status != 200 || r.Body["status"] != "assigned" || r.Body["due_date"] == nil {
			t.Fatalf("approve: %d %s", r.Status, r.Raw)
		}
		if r := act(unit, "evaluate", map[string]any{"by": "deputy", "rating": "satisfied"}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("evaluation before a reply: %d %s", r.Status, r.Raw)
		}
		if r := unit.do("POST", "/api/v1/cases/"+id+"/actions/sign", map[string]any{"version": 1}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale sign: %d %s", r.Status, r.Raw)
		}
		if r := act(unit, "explode", map[string]any{}); r.Status != 400 || r.errField() != "action" {
			t.Errorf("unknown action: %d %s", r.Status, r.Raw)
		}
		if r := act(unit, "sign", map[string]any{}); r.Status != 200 || r.Body["status"] != "handling" {
			t.Fatalf("sign: %d %s", r.Status, r.Raw)
		}
		// The unit sees the submitter's name masked too.
		if r := unit.do("GET", "/api/v1/cases/"+id, nil); r.Body["submitter"].(map[string]any)["name"] != "张*" {
			t.Errorf("unit sees submitter %v", r.Body["submitter"])
		}
		// Another town's office cannot see it.
		if r := e.as(t, "unit").do("GET", "/api/v1/cases/"+id, nil); r.Status != 404 {
			t.Errorf("unassigned unit GET: %d", r.Status)
		}
		// Lists, filters and full text.
		if r := liaison.do("GET", "/api/v1/cases?q=路灯", nil); r.num("total") != 1 {
			t.Errorf("q=路灯: %s", r.Raw)
		}
		// A list is not counted page by page: has_more while a page follows,
		// the total once the page reaches the end.
		if r := liaison.do("POST", "/api/v1/cases", map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": "垃圾清运不及时",
			"content": "小区垃圾三天没人清运。", "category": "环境卫生", "region_code": "330206004",
		}); r.Status != 201 {
			t.Fatalf("register a second case: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases?per_page=1", nil); r.Body["has_more"] != true || r.Body["total"] != nil || len(r.items()) != 1 {
			t.Errorf("first page of two: %s; want has_more and no total", r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases?per_page=1&page=2", nil); r.Body["has_more"] != false || r.num("total") != 2 || len(r.items()) != 1 {
			t.Errorf("last page of two: %s; want total 2", r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases?q=积水", nil); r.num("total") != 0 {
			t.Errorf("q=积水: %s", r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases?status=handling,replied", nil); r.num("total") != 1 {
			t.Errorf("status filter: %s", r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases?status=lost", nil); r.Status != 400 || r.errField() != "status" {
			t.Errorf("unknown status: %d %s", r.Status, r.Raw)
		}
		if r := unit.do("GET", "/api/v1/cases/todo", nil); r.Status != 200 || r.num("reply") != 1 {
			t.Errorf("unit todo: %s", r.Raw)
		}
		// Reveal needs a reason.
		if r := liaison.do("POST", "/api/v1/cases/"+id+"/reveal", map[string]any{"purpose": "callback", "reason": "回访"}); r.Status != 400 {
			t.Errorf("reveal without reason: %d", r.Status)
		}
		if r := liaison.do("POST", "/api/v1/cases/"+id+"/reveal", map[string]any{"purpose": "callback", "reason": "约定上门时间"}); r.Status != 200 || r.Body["phone"] != "13912340000" {
			t.Errorf("reveal: %d %s", r.Status, r.Raw)
		}
		// Attachments: images and PDFs only, sniffed.
		up := func(c *client, name string, data []byte) response {
			req, _ := http.NewRequest("POST", e.url+"/api/v1/cases/"+id+"/attachments?name="+name, bytes.NewReader(data))
			req.Header.Set("Authorization", "Bearer "+c.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			out := response{Status: res.StatusCode, Raw: raw}
			json.Unmarshal(raw, &out.Body)
			return out
		}
		if r := up(liaison, "photo.png", tinyPNG); r.Status != 201 || r.Body["content_type"] != "image/png" {
			t.Errorf("upload PNG: %d %s", r.Status, r.Raw)
		}
		if r := up(liaison, "evil.png", []byte("<script>alert(1)</script>")); r.Status != 400 || r.errField() != "file" {
			t.Errorf("upload HTML named .png: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/cases/"+id+"/attachments", nil); r.num("total") != 1 {
			t.Errorf("attachments: %s", r.Raw)
		}
		// Settings: anyone reads the policy and the calendar; only admins change them.
		if r := liaison.do("GET", "/api/v1/settings/policy", nil); r.num("reply_workdays") != 15 {
			t.Errorf("policy: %s", r.Raw)
		}
		if r := liaison.do("PUT", "/api/v1/settings/policy", map[string]any{"reply_workdays": 10, "approval_days": 10, "max_rounds": 3, "extension_months": 1, "remind_before_days": 3, "retention_years": 10}); r.Status != 403 {
			t.Errorf("liaison changes policy: %d", r.Status)
		}
		admin := e.as(t, "admin")
		if r := admin.do("PUT", "/api/v1/settings/policy", map[string]any{"reply_workdays": 0, "approval_days": 10, "max_rounds": 3, "extension_months": 1, "remind_before_days": 3, "retention_years": 10}); r.Status != 400 || r.errField() != "reply_workdays" {
			t.Errorf("bad policy: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/calendar/2025", nil); r.num("total") < 20 || !strings.Contains(string(r.Raw), "国庆节") {
			t.Errorf("calendar 2025: %s", r.Raw)
		}
		if r := admin.do("PUT", "/api/v1/calendar/2027", map[string]any{"days": []map[string]any{{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, {"date": "2027-01-04", "kind": "workday", "name": "元旦"}}}); r.Status != 400 || r.errField() != "date" {
			t.Errorf("a weekday make-up working day: %d %s", r.Status, r.Raw)
		}
		set := admin.do("PUT", "/api/v1/calendar/2027", map[string]any{"days": []map[string]any{{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}}})
		if set.Status != 200 || set.num("total") != 1 {
			t.Errorf("set 2027: %d %s", set.Status, set.Raw)
		}
		// The version read back guards the next PUT: a stale one is refused.
		got := admin.do("GET", "/api/v1/calendar/2027", nil)
		version, _ := got.Body["version"].(string)
		if version == "" || version != set.Body["version"] {
			t.Errorf("calendar 2027 version = %q; want the PUT's %v", version, set.Body["version"])
		}
		two := []map[string]any{{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, {"date": "2027-01-02", "kind": "holiday", "name": "元旦"}}
		if r := admin.do("PUT", "/api/v1/calendar/2027", map[string]any{"days": two, "version": version}); r.Status != 200 {
			t.Errorf("PUT with the current version: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("PUT", "/api/v1/calendar/2027", map[string]any{"days": two, "version": version}); r.Status != 409 {
			t.Errorf("PUT with a stale version: %d %s; want 409", r.Status, r.Raw)
		}
		// The unit handler was told of the assignment in the inbox.
		r = unit.do("GET", "/api/v1/inbox?unread=true", nil)
		if r.Status != 200 || r.num("total") < 1 || !strings.Contains(string(r.Raw), "新交办意见") {
			t.Errorf("unit inbox: %d %s", r.Status, r.Raw)
		}
		first := itoa(int64(r.Body["items"].([]any)[0].(map[string]any)["id"].(float64)))
		if r := liaison.do("POST", "/api/v1/inbox/"+first+"/read", nil); r.Status != 404 {
			t.Errorf("reading another user's message: %d", r.Status)
		}
		if r := unit.do("POST", "/api/v1/inbox/"+first+"/read", nil); r.Status != 204 {
			t.Errorf("mark read: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("GET", "/api/v1/categories", nil); r.num("total") < 10 {
			t.Errorf("categories: %s", r.Raw)
		}
	})
}
