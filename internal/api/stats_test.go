package api_test

import (
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestCaseStatsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		liaison := e.as(t, "liaisona")
		for _, title := range []string{"小区路灯不亮", "公交站台破损"} {
			r := liaison.do("POST", "/api/v1/cases", map[string]any{
				"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": title,
				"content": title + "，请尽快处理。", "category": "城乡建设", "region_code": "330206004",
				"submitter": map[string]any{"name": "张三", "phone": "13912340000"}, "received_by": []int64{e.w.DeputyA1.ID},
			})
			if r.Status != 201 {
				t.Fatalf("register: %d %s", r.Status, r.Raw)
			}
		}
		office := e.as(t, "office")
		r := office.do("GET", "/api/v1/stats/cases?from=2026-01-01&to=2026-12-31&group_by=station", nil)
		if r.Status != 200 {
			t.Fatalf("stats: %d %s", r.Status, r.Raw)
		}
		totals, _ := r.Body["totals"].(map[string]any)
		rows, _ := r.Body["rows"].([]any)
		if totals["received"] != float64(2) || totals["response_rate"] != float64(0) || totals["closing_rate"] != nil {
			t.Errorf("totals = %v", totals)
		}
		if len(rows) != 1 {
			t.Fatalf("rows = %v", rows)
		}
		row := rows[0].(map[string]any)
		if row["key"] != itoa(e.w.StationA.ID) || row["name"] != e.w.StationA.Name || row["received"] != float64(2) {
			t.Errorf("row = %v", row)
		}
		// Without from and to: this year; the cases were registered on the
		// test clock's date, so only check the shape.
		if r := office.do("GET", "/api/v1/stats/cases", nil); r.Status != 200 || r.Body["totals"] == nil || r.Body["rows"] == nil {
			t.Errorf("default period: %d %s", r.Status, r.Raw)
		}
		// A period without the cases.
		if r := office.do("GET", "/api/v1/stats/cases?from=2025-01-01&to=2025-12-31", nil); r.Status != 200 ||
			r.Body["totals"].(map[string]any)["received"] != float64(0) {
			t.Errorf("2025: %d %s", r.Status, r.Raw)
		}
		// The OpenAPI document lists a row's counts as its own fields, as
		// the JSON has them.
		doc := e.anon.do("GET", "/api/v1/openapi.json", nil)
		row, _ = doc.Body["components"].(map[string]any)["schemas"].(map[string]any)["StatsRow"].(map[string]any)
		props, _ := row["properties"].(map[string]any)
		if props["received"] == nil || props["satisfaction_rate"] == nil || props["key"] == nil || props["CaseCounts"] != nil {
			t.Errorf("StatsRow in the OpenAPI document: %v", row)
		}
		for _, tt := range []struct {
			user, query string
			status      int
			field       string
		}{
			{"office", "group_by=week", 400, "group_by"},
			{"office", "from=2026-13-01&to=2026-12-31", 400, "from"},
			{"office", "from=2026-03-01", 400, "to"},
			{"office", "from=2026-03-01&to=2026-02-01", 400, "to"},
			{"office", "station_id=abc", 400, "station_id"},
			{"office", "region=999999", 400, "region"},
			{"deputya", "", 403, ""},
			{"unit", "", 403, ""},
		} {
			r := e.as(t, tt.user).do("GET", "/api/v1/stats/cases?"+tt.query, nil)
			if r.Status != tt.status || r.errField() != tt.field {
				t.Errorf("%s ?%s: %d %s, want %d field %q", tt.user, tt.query, r.Status, r.Raw, tt.status, tt.field)
			}
		}
	})
}

// Scope: a town office's totals are the sum of its stations' rows and hold
// none of another town's cases; the district sees both towns; a town
// office asking for another town is refused.
func TestCaseStatsAPIScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "office")
		for _, c := range []struct {
			station int64
			region  string
			n       int
		}{{e.w.StationA.ID, "330206004", 3}, {e.w.StationB.ID, "330206003", 2}} {
			for i := range c.n {
				r := office.do("POST", "/api/v1/cases", map[string]any{
					"kind": "opinion", "channel": "visit", "station_id": c.station, "title": "路灯不亮" + itoa(int64(i)),
					"content": "晚上很黑。", "category": "城乡建设", "region_code": c.region,
					"submitter": map[string]any{"name": "张三", "phone": "13912340000"},
				})
				if r.Status != 201 {
					t.Fatalf("register: %d %s", r.Status, r.Raw)
				}
			}
		}
		stats := func(user, query string) (float64, map[string]float64) {
			t.Helper()
			r := e.as(t, user).do("GET", "/api/v1/stats/cases?from=2026-01-01&to=2026-12-31&group_by=station"+query, nil)
			if r.Status != 200 {
				t.Fatalf("%s stats%s: %d %s", user, query, r.Status, r.Raw)
			}
			rows := map[string]float64{}
			for _, x := range r.Body["rows"].([]any) {
				row := x.(map[string]any)
				rows[row["key"].(string)] = row["received"].(float64)
			}
			return r.Body["totals"].(map[string]any)["received"].(float64), rows
		}
		a, b := itoa(e.w.StationA.ID), itoa(e.w.StationB.ID)
		total, rows := stats("officea", "")
		if total != 3 || len(rows) != 1 || rows[a] != 3 {
			t.Errorf("town A office: total %v, rows %v; want 3, only station A", total, rows)
		}
		total, rows = stats("office", "")
		if total != 5 || rows[a] != 3 || rows[b] != 2 {
			t.Errorf("district office: total %v, rows %v; want 5 = 3 + 2", total, rows)
		}
		if total, _ = stats("office", "&region=330206003"); total != 2 {
			t.Errorf("district office, town B: %v; want 2", total)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/stats/cases?region=330206003", nil); r.Status != 403 {
			t.Errorf("town A office asking for town B: %d; want 403", r.Status)
		}
	})
}
