package api_test

import (
	"bytes"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The stations' standards (九有) over HTTP: the office over a station
// ticks them, station staff read them, another town's office does not
// find the station; bad input names its field; the list is the district's.
func TestStationChecklistAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-06-01 09:00")
		a := "/api/v1/stations/" + itoa(e.w.StationA.ID) + "/checklist"

		r := e.as(t, "liaisona").do("GET", a, nil)
		if r.Status != 200 || r.num("total") != 9 || r.num("done") != 0 || r.Body["can_tick"] != false ||
			!strings.Contains(string(r.Raw), `{"key":"sign","name":"有牌子","done":false,"date":"","photos":0,"version":1}`) {
			t.Fatalf("GET checklist by the liaison: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", a, nil); r.Body["can_tick"] != true {
			t.Errorf("the town office may tick: %s", r.Raw)
		}
		for _, tc := range []struct {
			who, path string
			body      map[string]any
			status    int
			field     string
		}{
			{"liaisona", a + "/sign", map[string]any{"done": true, "date": "2026-05-01", "version": 1}, 403, ""},
			{"heada", a + "/sign", map[string]any{"done": true, "date": "2026-05-01", "version": 1}, 403, ""},
			{"officea", "/api/v1/stations/" + itoa(e.w.StationB.ID) + "/checklist/sign", map[string]any{"done": true, "date": "2026-05-01", "version": 1}, 404, ""},
			{"officea", a + "/party", map[string]any{"done": true, "date": "2026-05-01", "version": 1}, 404, ""},
			{"officea", a + "/sign", map[string]any{"done": true, "version": 1}, 400, "date"},
			{"officea", a + "/sign", map[string]any{"done": true, "date": "2026-5-1", "version": 1}, 400, "date"},
			{"officea", a + "/sign", map[string]any{"done": true, "date": "2026-06-02", "version": 1}, 400, "date"},
			{"officea", a + "/sign", map[string]any{"done": true, "date": "2026-05-01"}, 400, "version"},
			{"officea", a + "/sign", map[string]any{"done": "是", "date": "2026-05-01", "version": 1}, 400, ""},
			{"officea", a + "/sign", map[string]any{"done": true, "date": "2026-05-01", "version": 1}, 200, ""},
			{"office", a + "/sign", map[string]any{"done": false, "version": 1}, 409, ""},
			{"office", a + "/place", map[string]any{"done": true, "date": "2026-05-02", "version": 1}, 200, ""},
		} {
			r := e.as(t, tc.who).do("PUT", tc.path, tc.body)
			if r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("PUT %s %v by %s: %d %s; want %d %s", tc.path, tc.body, tc.who, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		r = e.as(t, "heada").do("GET", a, nil)
		if r.num("done") != 2 || !strings.Contains(string(r.Raw), `{"key":"sign","name":"有牌子","done":true,"date":"2026-05-01","photos":0,"version":2}`) {
			t.Errorf("after the ticks: %s", r.Raw)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/stations/"+itoa(e.w.StationB.ID)+"/checklist", nil); r.Status != 404 {
			t.Errorf("another town's station: %d", r.Status)
		}

		// A photo of the sign: by the office; read by the station's staff.
		if r := e.as(t, "officea").upload(a+"/sign/photos", "photo", pngBytes(t)); r.Status != 201 ||
			!strings.Contains(string(r.Raw), `{"key":"sign","name":"有牌子","done":true,"date":"2026-05-01","photos":1,"version":2}`) {
			t.Errorf("upload photo: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").upload(a+"/sign/photos", "photo", []byte("not a photo")); r.Status != 400 || !strings.Contains(string(r.Raw), `"field":"photo"`) {
			t.Errorf("upload a text file: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").upload(a+"/sign/photos", "photo", pngBytes(t)); r.Status != 403 {
			t.Errorf("the liaison uploads: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").upload("/api/v1/stations/"+itoa(e.w.StationB.ID)+"/checklist/sign/photos", "photo", pngBytes(t)); r.Status != 404 {
			t.Errorf("another town's station: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("GET", a+"/sign/photos/1", nil); r.Status != 200 || !bytes.HasPrefix(r.Raw, []byte("\x89PNG")) {
			t.Errorf("get photo: %d", r.Status)
		}
		if r := e.as(t, "liaisona").do("GET", a+"/sign/photos/2", nil); r.Status != 404 {
			t.Errorf("a photo not there: %d", r.Status)
		}

		// The list: the district office's, with its version.
		l := e.as(t, "office").do("GET", "/api/v1/settings/station-checklist", nil)
		if l.Status != 200 || l.num("version") != 1 {
			t.Fatalf("GET list: %d %s", l.Status, l.Raw)
		}
		short := []any{map[string]any{"key": "sign", "name": "有牌子"}, map[string]any{"key": "room", "name": "有活动室"}}
		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			field  string
		}{
			{"officea", map[string]any{"version": 1, "items": short}, 403, ""},
			{"office", map[string]any{"version": 1, "items": []any{}}, 400, "items"},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "Sign", "name": "有牌子"}}}, 400, "items"},
			{"office", map[string]any{"version": 1, "items": []any{map[string]any{"key": "sign", "name": ""}}}, 400, "items"},
			{"office", map[string]any{"items": short}, 400, "version"},
			{"office", map[string]any{"version": 1, "items": short}, 200, ""},
			{"office", map[string]any{"version": 1, "items": short}, 409, ""},
		} {
			r := e.as(t, tc.who).do("PUT", "/api/v1/settings/station-checklist", tc.body)
			if r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("PUT list %v by %s: %d %s; want %d %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		if r := e.as(t, "liaisona").do("GET", a, nil); r.num("total") != 2 || r.num("done") != 1 ||
			!strings.Contains(string(r.Raw), `{"key":"room","name":"有活动室","done":false,"date":"","photos":0,"version":1}`) {
			t.Errorf("the station under the new list: %s", r.Raw)
		}
	})
}
