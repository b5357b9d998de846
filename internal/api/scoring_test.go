package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 履职积分 over HTTP: the table read by anyone, changed by the district
// office with its version; the ranking and its workbook; the bad paths.
func TestScoringAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-06-01 09:00")
		office, deputy := e.as(t, "office"), e.as(t, "deputya")

		r := deputy.do("GET", "/api/v1/settings/scoring", nil)
		if r.Status != 200 || r.num("version") != 1 || !strings.Contains(string(r.Raw), `"key":"report","name":"向选民述职","unit":"每次","points":5`) {
			t.Fatalf("GET scoring: %d %s", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"officea", map[string]any{"version": 1, "items": []any{map[string]any{"key": "report", "points": 8}}}, 403, "forbidden", ""},
			{"office", map[string]any{"items": []any{map[string]any{"key": "report", "points": 8}}}, 400, "invalid", "version"},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "report", "points": "八"}}}, 400, "invalid", ""},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "report", "points": 80}}}, 400, "invalid", "points_report"},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "report", "points": 8}}}, 200, "", ""},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "report", "points": 9}}}, 409, "stale_version", ""},
		} {
			r := e.as(t, tc.who).do("PUT", "/api/v1/settings/scoring", tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("PUT scoring %v by %s: %d %s; want %d %s %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := deputy.do("GET", "/api/v1/settings/scoring", nil); r.num("version") != 2 || !strings.Contains(string(r.Raw), `"key":"report","name":"向选民述职","unit":"每次","points":8`) {
			t.Errorf("after the change: %s", r.Raw)
		}

		r = office.do("GET", "/api/v1/stats/deputies?year=2026", nil)
		if r.Status != 200 || r.num("total") != 3 || !strings.Contains(string(r.Raw), `"rank":1`) || !strings.Contains(string(r.Raw), `"breakdown":[{"key":"reception"`) {
			t.Errorf("GET stats/deputies: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/stats/deputies?station_id="+itoa(e.w.StationA.ID), nil); r.Status != 200 || r.num("total") != 2 {
			t.Errorf("one station: %d %s", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			who, path string
			status    int
		}{
			{"deputya", "/api/v1/stats/deputies", 403},
			{"unit", "/api/v1/stats/deputies", 403},
			{"office", "/api/v1/stats/deputies?year=1999", 400},
			{"office", "/api/v1/stats/deputies?station_id=abc", 400},
			{"deputya", "/api/v1/stats/deputies.xlsx", 403},
		} {
			if r := e.as(t, tc.who).do("GET", tc.path, nil); r.Status != tc.status {
				t.Errorf("GET %s by %s: %d %s; want %d", tc.path, tc.who, r.Status, r.Raw, tc.status)
			}
		}
		x := office.do("GET", "/api/v1/stats/deputies.xlsx?year=2026", nil)
		book, err := excelize.OpenReader(bytes.NewReader(x.Raw))
		if err != nil {
			t.Fatalf("deputies.xlsx: %d %v", x.Status, err)
		}
		defer book.Close()
		rows, err := book.GetRows("代表履职积分")
		if err != nil || len(rows) != 5 || rows[0][0] != "2026年代表履职积分" || rows[1][1] != "代表" || rows[1][17] != "积分" {
			t.Errorf("deputies.xlsx rows = %q, %v", rows, err)
		}
		// The performance record: the deputy's own, staff in scope; others 404.
		rec := deputy.do("GET", "/api/v1/deputies/"+itoa(e.w.DeputyA1.ID)+"/record?year=2026", nil)
		if rec.Status != 200 || rec.num("year") != 2026 || rec.Body["partial"] != true || !strings.Contains(string(rec.Raw), `"seats":"`) ||
			!strings.Contains(string(rec.Raw), `"diary_months":[0,0,0,0,0,0,0,0,0,0,0,0]`) {
			t.Errorf("GET record: %d %s", rec.Status, rec.Raw)
		}
		for _, tc := range []struct {
			who, path string
			status    int
		}{
			{"deputya", "/api/v1/deputies/" + itoa(e.w.DeputyA2.ID) + "/record", 404},
			{"officea", "/api/v1/deputies/" + itoa(e.w.DeputyB.ID) + "/record", 404},
			{"unit", "/api/v1/deputies/" + itoa(e.w.DeputyA1.ID) + "/record", 404},
			{"heada", "/api/v1/deputies/" + itoa(e.w.DeputyA2.ID) + "/record", 200},
			{"deputya", "/api/v1/deputies/" + itoa(e.w.DeputyA1.ID) + "/record?year=20x6", 400},
			{"deputya", "/api/v1/deputies/" + itoa(e.w.DeputyA2.ID) + "/record.xlsx", 404},
		} {
			if r := e.as(t, tc.who).do("GET", tc.path, nil); r.Status != tc.status {
				t.Errorf("GET %s by %s: %d %s; want %d", tc.path, tc.who, r.Status, r.Raw, tc.status)
			}
		}
		rx := deputy.do("GET", "/api/v1/deputies/"+itoa(e.w.DeputyA1.ID)+"/record.xlsx?year=2026", nil)
		rb, err := excelize.OpenReader(bytes.NewReader(rx.Raw))
		if err != nil {
			t.Fatalf("record.xlsx: %d %v", rx.Status, err)
		}
		defer rb.Close()
		if rr, err := rb.GetRows("履职档案"); err != nil || len(rr) < 30 || rr[0][0] != e.w.DeputyA1.Name+"代表2026年度履职档案（截至目前）" {
			t.Errorf("record.xlsx = %q, %v", rr, err)
		}

		rules, err := book.GetRows("积分标准")
		if err != nil || len(rules) != 9 || rules[3][0] != "向选民述职" || rules[3][2] != "8" {
			t.Errorf("deputies.xlsx's table = %q, %v", rules, err)
		}
	})
}
