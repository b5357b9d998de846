package api_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestDutyRecordsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		e.addUser(t, "deputya2", lianluo.Grant{Role: "deputy", DeputyID: &e.w.DeputyA2.ID})
		e.addUser(t, "officeb", lianluo.Grant{Role: "npc_office", OrgID: &e.w.TownB.ID})
		dep, liaison, officea, officeb := e.as(t, "deputya"), e.as(t, "liaisona"), e.as(t, "officea"), e.as(t, "officeb")
		body := map[string]any{"kind": "good_deed", "date": "2026-02-10", "description": "为灵峰社区修好路灯。"}

		// Bad input: 400 naming the field; nothing written.
		for _, tc := range []struct {
			who    *client
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{dep, map[string]any{"date": "2026-02-10", "description": "有事"}, 400, "invalid", "kind"},
			{dep, map[string]any{"kind": "dinner", "date": "2026-02-10", "description": "有事"}, 400, "invalid", "kind"},
			{dep, map[string]any{"kind": "aid", "description": "有事"}, 400, "invalid", "date"},
			{dep, map[string]any{"kind": "aid", "date": "2026-02-10"}, 400, "invalid", "description"},
			{dep, map[string]any{"kind": "aid", "date": "2026-02-10", "description": "有事", "photo": "x"}, 400, "invalid", "photo"},
			{liaison, body, 400, "invalid", "deputy_id"},
			{officeb, map[string]any{"deputy_id": e.w.DeputyA1.ID, "kind": "aid", "date": "2026-02-10", "description": "有事"}, 400, "invalid", "deputy_id"},
		} {
			r := tc.who.do("POST", "/api/v1/duty-records", tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || r.errField() != tc.field {
				t.Errorf("create %v: %d %s; want %d %s %s", tc.body, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := officea.do("GET", "/api/v1/duty-records", nil); r.Status != 200 || r.num("total") != 0 {
			t.Fatalf("after bad input: %d %s; want none", r.Status, r.Raw)
		}

		r := dep.do("POST", "/api/v1/duty-records", body)
		if r.Status != 201 || r.Body["status"] != "pending" || r.num("deputy_id") != e.w.DeputyA1.ID || r.num("version") != 1 || r.Body["date"] != "2026-02-10" {
			t.Fatalf("create own: %d %s", r.Status, r.Raw)
		}
		own := r.num("id")
		r = liaison.do("POST", "/api/v1/duty-records", map[string]any{"deputy_id": e.w.DeputyA1.ID, "kind": "survey", "date": "2026-01-20", "description": "菜场民情调查。"})
		if r.Status != 201 {
			t.Fatalf("liaison for A1: %d %s", r.Status, r.Raw)
		}
		survey := r.num("id")

		// Reading: own, staff; another deputy and another town: 404.
		path := fmt.Sprintf("/api/v1/duty-records/%d", own)
		for _, c := range []*client{dep, liaison, officea} {
			if r := c.do("GET", path, nil); r.Status != 200 || r.num("id") != own {
				t.Errorf("GET %s: %d %s", path, r.Status, r.Raw)
			}
		}
		for _, c := range []*client{e.as(t, "deputya2"), officeb} {
			if r := c.do("GET", path, nil); r.Status != 404 {
				t.Errorf("GET %s from outside: %d %s; want 404", path, r.Status, r.Raw)
			}
		}
		for _, tc := range []struct {
			query string
			want  int64
		}{
			{"", 2}, {"?kind=survey", 1}, {"?status=pending", 2}, {"?year=2025", 0}, {fmt.Sprintf("?deputy_id=%d", e.w.DeputyA2.ID), 0},
		} {
			if r := officea.do("GET", "/api/v1/duty-records"+tc.query, nil); r.Status != 200 || r.num("total") != tc.want {
				t.Errorf("list%s: %d %s; want %d", tc.query, r.Status, r.Raw, tc.want)
			}
		}
		if r := officea.do("GET", "/api/v1/duty-records?status=done", nil); r.Status != 400 || r.errField() != "status" {
			t.Errorf("list by a wrong status: %d %s", r.Status, r.Raw)
		}

		// A photo of the pending record, then read back.
		upload := func(c *client, data []byte) response {
			r := c.upload(path+"/photos", "photo", data)
			json.Unmarshal(r.Raw, &r.Body)
			return r
		}
		if r := upload(dep, []byte("not an image")); r.Status != 400 || r.errField() != "photo" {
			t.Errorf("upload text: %d %s; want 400 at photo", r.Status, r.Raw)
		}
		if r := upload(dep, tinyPNG); r.Status != 201 || r.num("photos") != 1 {
			t.Errorf("upload photo: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("GET", path+"/photos/1", nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("GET photo 1: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if r := officeb.do("GET", path+"/photos/1", nil); r.Status != 404 {
			t.Errorf("GET photo from town B: %d; want 404", r.Status)
		}

		// Deciding.
		confirm := path + "/confirm"
		for _, tc := range []struct {
			who    *client
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{dep, map[string]any{"decision": "confirm", "version": 1}, 403, "forbidden", ""},
			{officeb, map[string]any{"decision": "confirm", "version": 1}, 404, "not_found", ""},
			{liaison, map[string]any{"decision": "maybe", "version": 1}, 400, "invalid", "decision"},
			{liaison, map[string]any{"decision": "return", "version": 1}, 400, "invalid", "reason"},
			{liaison, map[string]any{"decision": "confirm"}, 400, "invalid", "version"},
			{liaison, map[string]any{"decision": "confirm", "version": 9}, 409, "stale_version", ""},
		} {
			r := tc.who.do("POST", confirm, tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || r.errField() != tc.field {
				t.Errorf("confirm %v: %d %s; want %d %s %s", tc.body, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := liaison.do("POST", confirm, map[string]any{"decision": "confirm", "version": 1}); r.Status != 200 || r.Body["status"] != "confirmed" || r.num("version") != 2 {
			t.Errorf("confirm: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", confirm, map[string]any{"decision": "confirm", "version": 2}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("confirm twice: %d %s; want 409 invalid_state", r.Status, r.Raw)
		}
		// The survey is returned: it does not count.
		if r := officea.do("POST", fmt.Sprintf("/api/v1/duty-records/%d/confirm", survey), map[string]any{"decision": "return", "reason": "请写明调查对象", "version": 1}); r.Status != 200 || r.Body["status"] != "returned" || r.Body["reason"] != "请写明调查对象" {
			t.Errorf("return: %d %s", r.Status, r.Raw)
		}

		// The returned survey, corrected, waits again; then it could be confirmed.
		spath := fmt.Sprintf("/api/v1/duty-records/%d", survey)
		if r := liaison.do("PATCH", spath, map[string]any{"description": "菜场民情调查，走访20户。"}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("PATCH without version: %d %s", r.Status, r.Raw)
		}
		if r := officeb.do("PATCH", spath, map[string]any{"description": "x", "version": 2}); r.Status != 404 {
			t.Errorf("PATCH from town B: %d %s; want 404", r.Status, r.Raw)
		}
		if r := liaison.do("PATCH", spath, map[string]any{"kind": "dinner", "version": 2}); r.Status != 400 || r.errField() != "kind" {
			t.Errorf("PATCH a wrong kind: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("PATCH", spath, map[string]any{"description": "菜场民情调查，走访20户。", "version": 2}); r.Status != 200 || r.Body["status"] != "pending" || r.num("version") != 3 {
			t.Errorf("PATCH the returned survey: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("PATCH", path, map[string]any{"description": "x", "version": 2}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("PATCH a confirmed record: %d %s; want 409 invalid_state", r.Status, r.Raw)
		}

		// 六个一: the confirmed good deed counts, the returned survey not.
		six := fmt.Sprintf("/api/v1/deputies/%d/six-ones?year=2026", e.w.DeputyA1.ID)
		r = dep.do("GET", six, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", six, r.Status, r.Raw)
		}
		items, _ := r.Body["items"].([]any)
		if len(items) != 6 {
			t.Fatalf("six-ones items = %d; want 6: %s", len(items), r.Raw)
		}
		got := map[string]map[string]any{}
		for _, x := range items {
			it := x.(map[string]any)
			got[it["key"].(string)] = it
		}
		gd := got["good_deed"]
		ev, _ := gd["evidence"].([]any)
		if gd["met"] != true || gd["done"].(float64) != 1 || gd["required"].(float64) != 1 || gd["name"] != "每年为本选区选民办一件实事好事" || len(ev) != 1 {
			t.Errorf("good_deed = %v", gd)
		} else if x := ev[0].(map[string]any); x["kind"] != "duty_record" || int64(x["id"].(float64)) != own || x["date"] != "2026-02-10" {
			t.Errorf("good_deed evidence = %v", x)
		}
		if s := got["survey"]; s["met"] != false || s["done"].(float64) != 0 || s["required"].(float64) != 2 {
			t.Errorf("survey (pending) = %v; want 0 of 2, not met", s)
		}
		// The year defaults to this year (2026 on the test clock).
		if r := officea.do("GET", fmt.Sprintf("/api/v1/deputies/%d/six-ones", e.w.DeputyA1.ID), nil); r.Status != 200 || r.num("year") != 2026 {
			t.Errorf("six-ones without year: %d %.200s", r.Status, r.Raw)
		}
		if r := officea.do("GET", fmt.Sprintf("/api/v1/deputies/%d/six-ones?year=abc", e.w.DeputyA1.ID), nil); r.Status != 400 || r.errField() != "year" {
			t.Errorf("six-ones year=abc: %d %s", r.Status, r.Raw)
		}
		// Another town's office, another deputy: 404.
		for _, c := range []*client{officeb, e.as(t, "deputya2")} {
			if r := c.do("GET", six, nil); r.Status != 404 {
				t.Errorf("six-ones from outside: %d %s; want 404", r.Status, r.Raw)
			}
		}

		// A group's six ones: office A reads, office B does not find it.
		g := &lianluo.DeputyGroup{Name: "大碶第一代表小组", OrgID: e.w.TownA.ID, RegionCode: "330206004", StationID: &e.w.StationA.ID}
		if err := db.CreateGroup(storetest.SystemContext(), g); err != nil {
			t.Fatal(err)
		}
		gpath := fmt.Sprintf("/api/v1/groups/%d/six-ones?year=2026", g.ID)
		r = officea.do("GET", gpath, nil)
		if items, _ := r.Body["items"].([]any); r.Status != 200 || len(items) != 6 || r.Body["whose"] != "group" {
			t.Errorf("GET %s: %d %s", gpath, r.Status, r.Raw)
		}
		if r := officeb.do("GET", gpath, nil); r.Status != 404 {
			t.Errorf("group six-ones from town B: %d %s; want 404", r.Status, r.Raw)
		}
	})
}
