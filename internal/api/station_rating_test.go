package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 星级联络站 over HTTP: the weights read by anyone, changed by the
// district office with their version; the ranking and its workbook; the
// bad paths.
func TestStationRatingAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-06-01 09:00")
		office := e.as(t, "office")

		r := e.as(t, "liaisona").do("GET", "/api/v1/settings/station-rating", nil)
		if r.Status != 200 || r.num("version") != 1 || r.num("green") != 85 || !strings.Contains(string(r.Raw), `"key":"receptions","name":"接待活动按计划举行","weight":20`) {
			t.Fatalf("GET station-rating: %d %s", r.Status, r.Raw)
		}
		item := func(key string, w any) []any { return []any{map[string]any{"key": key, "weight": w}} }
		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"officea", map[string]any{"version": 1, "items": item("mailbox", 5)}, 403, "forbidden", ""},
			{"liaisona", map[string]any{"version": 1, "items": item("mailbox", 5)}, 403, "forbidden", ""},
			{"office", map[string]any{"items": item("mailbox", 5)}, 400, "invalid", "version"},
			{"office", map[string]any{"version": 1, "items": item("mailbox", "五")}, 400, "invalid", ""},
			{"office", map[string]any{"version": 1, "items": item("mailbox", 500)}, 400, "invalid", "weight_mailbox"},
			{"office", map[string]any{"version": 1, "items": item("party", 5)}, 400, "invalid", "items"},
			{"office", map[string]any{"version": 1, "green": 50, "yellow": 70}, 400, "invalid", "green"},
			{"office", map[string]any{"version": 1, "items": item("mailbox", 5), "green": 90}, 200, "", ""},
			{"office", map[string]any{"version": 1, "items": item("mailbox", 6)}, 409, "stale_version", ""},
		} {
			r := e.as(t, tc.who).do("PUT", "/api/v1/settings/station-rating", tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("PUT station-rating %v by %s: %d %s; want %d %s %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := office.do("GET", "/api/v1/settings/station-rating", nil); r.num("version") != 2 || r.num("green") != 90 || !strings.Contains(string(r.Raw), `"key":"mailbox","name":"意见箱每周开箱","weight":5`) {
			t.Errorf("after the change: %s", r.Raw)
		}

		r = office.do("GET", "/api/v1/stats/stations?year=2026", nil)
		if r.Status != 200 || r.num("total") != 2 || !strings.Contains(string(r.Raw), `"rank":1`) ||
			!strings.Contains(string(r.Raw), `"breakdown":[{"key":"receptions"`) || !strings.Contains(string(r.Raw), `"grade":"red"`) {
			t.Errorf("GET stats/stations: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/stats/stations", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("town A: %d %s", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			who, path string
			status    int
			field     string
		}{
			{"deputya", "/api/v1/stats/stations", 403, ""},
			{"unit", "/api/v1/stats/stations", 403, ""},
			{"office", "/api/v1/stats/stations?year=1999", 400, "year"},
			{"office", "/api/v1/stats/stations?station_id=abc", 400, "station_id"},
			{"deputya", "/api/v1/stats/stations.xlsx", 403, ""},
		} {
			if r := e.as(t, tc.who).do("GET", tc.path, nil); r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("GET %s by %s: %d %s; want %d %s", tc.path, tc.who, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		x := office.do("GET", "/api/v1/stats/stations.xlsx?year=2026", nil)
		book, err := excelize.OpenReader(bytes.NewReader(x.Raw))
		if err != nil {
			t.Fatalf("stations.xlsx: %d %v", x.Status, err)
		}
		defer book.Close()
		rows, err := book.GetRows("联络站评分")
		if err != nil || len(rows) != 4 || rows[0][0] != "2026年联络站评分" || rows[1][1] != "联络站" || rows[1][17] != "得分" ||
			rows[2][0] != "1" || rows[3][18] != "红（需整改）" {
			t.Errorf("stations.xlsx rows = %q, %v", rows, err)
		}
		rules, err := book.GetRows("评分标准")
		if err != nil || len(rules) != 11 || rules[7][0] != "意见箱每周开箱" || rules[7][1] != "5" || rules[9][1] != "90" {
			t.Errorf("stations.xlsx's table = %q, %v", rules, err)
		}
	})
}
