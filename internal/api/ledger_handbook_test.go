package api_test

import (
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The handbook (人大代表履职手册): one deputy's year in date order — the
// meeting they were excused from, the reception they attended, the opinion
// they received there — read by the deputy and their station's staff only.
func TestLedgerHandbookAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		lw := mustLedgerWorld(t, db)
		e := lw.e
		path := "/api/v1/ledgers/handbook?deputy_id=" + itoa(e.w.DeputyA1.ID) + "&year=2026"
		r, rows := ledgerRows(t, e.as(t, "deputya"), path)
		if r.Body["title"] != "人大代表履职手册" {
			t.Errorf("handbook: %s", r.Raw)
		}
		if len(rows) != 5 {
			t.Fatalf("handbook rows: %v", rows)
		}
		wantRow(t, "meeting", rows[0], map[string]string{"number": "1", "date": "2026-03-10", "kind": "代表活动·代表小组活动",
			"content": "研究老旧小区改造", "result": "请假", "link": "/console/activities/" + itoa(lw.meeting)})
		wantRow(t, "reception", rows[1], map[string]string{"date": "2026-03-18", "kind": "进站接待选民", "result": "已签到",
			"link": "/console/receptions/" + itoa(lw.recept)})
		wantRow(t, "opinion", rows[2], map[string]string{"date": "2026-03-18", "kind": "收集群众意见", "content": "张**（尾号0000）反映：小区路灯不亮",
			"link": "/console/cases/" + itoa(lw.lamp)})
		wantRow(t, "absent", rows[4], map[string]string{"date": "2026-09-18", "kind": "进站接待选民", "result": "缺席"})

		for _, tc := range []struct {
			who, query string
			status     int
		}{
			{"heada", path, 200},
			{"officea", path, 200},
			{"deputyl", path, 404}, // a fellow deputy of the station and group
			{"unit", path, 404},
			{"admin", path, 404},
			{"officea", "/api/v1/ledgers/handbook?deputy_id=99999&year=2026", 404},
			{"officea", "/api/v1/ledgers/handbook?station_id=" + itoa(e.w.StationA.ID) + "&year=2026", 400},
			{"officea", "/api/v1/ledgers/opinions?deputy_id=" + itoa(e.w.DeputyA1.ID) + "&year=2026", 400},
		} {
			if r := e.as(t, tc.who).do("GET", tc.query, nil); r.Status != tc.status || (tc.status == 400 && r.errField() != "deputy_id") {
				t.Errorf("GET %s by %s: %d %s; want %d", tc.query, tc.who, r.Status, r.Raw, tc.status)
			}
		}
		x := e.as(t, "deputya").do("GET", "/api/v1/ledgers/handbook.xlsx?deputy_id="+itoa(e.w.DeputyA1.ID)+"&year=2026", nil)
		if x.Status != 200 || len(x.Raw) < 1000 {
			t.Errorf("handbook.xlsx: %d", x.Status)
		}
	})
}
