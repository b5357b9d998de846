package api_test

import (
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The yearly attendance notice through the API: to every deputy in scope at
// once, one deputy's notice, and the bad paths.
func TestAttendanceNoticesAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-12-20 09:00")
		office := e.as(t, "officea")
		for _, tc := range []struct {
			name   string
			who    string
			body   map[string]any
			status int
			sent   int64
			code   string
		}{
			{"街道全部联络站", "officea", map[string]any{"year": 2026}, 200, 2, ""},
			{"一个联络站", "officea", map[string]any{"year": 2026, "station_id": e.w.StationA.ID}, 200, 2, ""},
			{"站长", "heada", map[string]any{"year": 2026}, 200, 2, ""},
			{"区代表工委", "office", map[string]any{"year": 2026}, 200, 3, ""},
			{"联络员", "liaisona", map[string]any{"year": 2026}, 403, 0, "forbidden"},
			{"代表", "deputya", map[string]any{"year": 2026}, 403, 0, "forbidden"},
			{"另一个街道", "officea", map[string]any{"year": 2026, "station_id": e.w.StationB.ID}, 404, 0, "not_found"},
			{"明年", "officea", map[string]any{"year": 2027}, 400, 0, "invalid"},
			{"未知字段", "officea", map[string]any{"year": 2026, "all": true}, 400, 0, "invalid"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := e.as(t, tc.who).do("POST", "/api/v1/attendance/notices", tc.body)
				if r.Status != tc.status || r.errCode() != tc.code || (tc.status == 200 && r.num("sent") != tc.sent) {
					t.Errorf("POST /api/v1/attendance/notices %v by %s: %d %s; want %d sent %v %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.sent, tc.code)
				}
			})
		}

		path := "/api/v1/attendance/deputies/" + itoa(e.w.DeputyA2.ID) + "/notice"
		r := office.do("GET", path+"?year=2026", nil)
		if r.Status != 200 || r.num("deputy_id") != e.w.DeputyA2.ID || r.Body["partial"] != true {
			t.Fatalf("GET notice: %d %s", r.Status, r.Raw)
		}
		if st, _ := r.Body["stations"].([]any); len(st) != 1 || !strings.Contains(string(r.Raw), e.w.StationA.Name) || !strings.Contains(string(r.Raw), e.w.DeputyA1.Name) {
			t.Errorf("GET notice: the station's table with every deputy missing: %s", r.Raw)
		}
		r = office.do("POST", path, map[string]any{"year": 2026})
		if r.Status != 200 || r.num("sent") != 1 || !strings.Contains(r.Body["text"].(string), e.w.DeputyA2.Name+"代表") {
			t.Errorf("POST one notice: %d %s", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			who, method, path string
			status            int
		}{
			{"officea", "GET", "/api/v1/attendance/deputies/" + itoa(e.w.DeputyB.ID) + "/notice?year=2026", 404},
			{"officea", "GET", path + "?year=1999", 400},
			{"liaisona", "POST", path, 403},
			{"officea", "POST", "/api/v1/attendance/deputies/" + itoa(e.w.DeputyB.ID) + "/notice", 404},
		} {
			var body map[string]any
			if tc.method == "POST" {
				body = map[string]any{"year": 2026}
			}
			if r := e.as(t, tc.who).do(tc.method, tc.path, body); r.Status != tc.status {
				t.Errorf("%s %s by %s: %d %s; want %d", tc.method, tc.path, tc.who, r.Status, r.Raw, tc.status)
			}
		}
	})
}

// A short year over the API: publish is refused until sessions are added or
// the office accepts; a duplicate rule is refused, a sparse one warned of.
func TestRotaShortYearAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-12-01 09:00")
		office := e.as(t, "officea")
		stationA := "/api/v1/stations/" + itoa(e.w.StationA.ID)
		rule := map[string]any{"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "start": "09:00", "end": "11:00"}
		r := office.do("POST", stationA+"/reception-rules", rule)
		if r.Status != 201 || !strings.Contains(string(r.Raw), "每两个月至少开展一次") {
			t.Errorf("sparse rule: %d %s; want 201 with a warning", r.Status, r.Raw)
		}
		if r := office.do("POST", stationA+"/reception-rules", rule); r.Status != 400 || r.errField() != "rrule" {
			t.Errorf("duplicate rule: %d %s; want 400 at rrule", r.Status, r.Raw)
		}
		// The quarterly rule leaves no session in December: the rota is empty.
		if r := office.do("POST", stationA+"/rota", map[string]any{"year": 2026}); r.Status != 200 || strings.Contains(string(r.Raw), `"status":"draft"`) {
			t.Fatalf("generate: %d %s; want no session", r.Status, r.Raw)
		}
		if r := office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026}); r.Status != 409 {
			t.Errorf("publish nothing: %d %s; want 409", r.Status, r.Raw)
		}
		// Station A has 2 deputies: one added session is enough for them.
		r = office.do("POST", stationA+"/rota/sessions", map[string]any{"year": 2026})
		if s, _ := r.Body["sessions"].([]any); r.Status != 200 || len(s) != 1 || !strings.Contains(string(r.Raw), `"deputy_ids":[1,2]`) {
			t.Errorf("add sessions: %d %s; want one session with both deputies", r.Status, r.Raw)
		}
		if r := office.do("GET", stationA+"/rota/problems?year=2026", nil); !strings.Contains(string(r.Raw), `"code":"sparse"`) {
			t.Errorf("rota problems: %s; want the sparse rule", r.Raw)
		}
		if r := office.do("POST", stationA+"/rota/sessions", map[string]any{"year": 2026}); r.Status != 409 {
			t.Errorf("add sessions when enough: %d %s; want 409", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("POST", stationA+"/rota/sessions", map[string]any{"year": 2026}); r.Status != 403 {
			t.Errorf("a liaison adds sessions: %d %s; want 403", r.Status, r.Raw)
		}
		if r := office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026, "accept": true}); r.Status != 200 || r.num("published") != 1 {
			t.Errorf("publish: %d %s", r.Status, r.Raw)
		}
	})
}
