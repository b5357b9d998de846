package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestActivitiesAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-05-01 09:00")
		office := e.as(t, "officea")
		liaison := e.as(t, "liaisona")
		deputy := e.as(t, "deputya")

		for _, tc := range []struct {
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{map[string]any{"kind": "party", "title": "x", "station_id": e.w.StationA.ID, "starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00"}, 400, "invalid", "kind"},
			{map[string]any{"kind": "inspection", "title": "", "station_id": e.w.StationA.ID, "starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00"}, 400, "invalid", "title"},
			{map[string]any{"kind": "inspection", "title": "视察", "station_id": e.w.StationA.ID, "starts_at": "明天", "ends_at": "2026-05-20T11:00:00+08:00"}, 400, "invalid", "starts_at"},
			{map[string]any{"kind": "inspection", "title": "视察", "station_id": e.w.StationA.ID, "starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00", "colour": "red"}, 400, "invalid", "colour"},
		} {
			if r := office.do("POST", "/api/v1/activities", tc.body); r.Status != tc.status || r.errCode() != tc.code || r.errField() != tc.field {
				t.Errorf("create %v: %d %s; want %d %s %s", tc.body, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := liaison.do("POST", "/api/v1/activities", map[string]any{"kind": "inspection", "title": "视察", "station_id": e.w.StationA.ID,
			"starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00"}); r.Status != 403 {
			t.Errorf("a liaison creates: %d %s", r.Status, r.Raw)
		}

		r := office.do("POST", "/api/v1/activities", map[string]any{"kind": "inspection", "title": "视察老旧小区改造", "station_id": e.w.StationA.ID,
			"content": "雨污分流、加装电梯", "starts_at": "2026-05-06T09:00:00+08:00", "ends_at": "2026-05-06T11:30:00+08:00"})
		if r.Status != 201 || r.num("id") == 0 || r.Body["status"] != "draft" || !strings.HasSuffix(r.Body["starts_at"].(string), "+08:00") {
			t.Fatalf("create: %d %s", r.Status, r.Raw)
		}
		path := "/api/v1/activities/" + itoa(r.num("id"))

		// Five days ahead: too late for the week's notice (003).
		if r := office.do("POST", path+"/publish", map[string]any{"version": 1}); r.Status != 400 || r.errField() != "starts_at" || !strings.Contains(string(r.Raw), "7天") {
			t.Errorf("publish too late: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"starts_at": "2026-05-10T09:00:00+08:00", "ends_at": "2026-05-10T11:30:00+08:00", "version": 5}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale PATCH: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"starts_at": "2026-05-10T09:00:00+08:00", "ends_at": "2026-05-10T11:30:00+08:00", "version": 1}); r.Status != 200 || r.num("version") != 2 {
			t.Fatalf("PATCH: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/publish", map[string]any{"version": 2}); r.Status != 200 || r.Body["status"] != "published" {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/publish", nil); r.Status != 400 || r.errField() != "version" {
			t.Errorf("publish without a version: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/publish", map[string]any{"version": 3}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("publish twice: %d %s", r.Status, r.Raw)
		}

		// Lists, filters, scope.
		if r := office.do("GET", "/api/v1/activities?kind=inspection&status=published&from=2026-05-01&to=2026-05-31&per_page=5", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("list: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/activities?kind=party", nil); r.Status != 400 || r.errField() != "kind" {
			t.Errorf("bad kind: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/activities?from=5月", nil); r.Status != 400 || r.errField() != "from" {
			t.Errorf("bad from: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("GET", "/api/v1/activities", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("the invited deputy's list: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "unit").do("GET", path, nil); r.Status != 404 {
			t.Errorf("a unit reads an activity: %d %s", r.Status, r.Raw)
		}
		other := e.as(t, "office").do("POST", "/api/v1/activities", map[string]any{"kind": "forum", "title": "港区座谈", "station_id": e.w.StationB.ID,
			"starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00"})
		if other.Status != 201 {
			t.Fatalf("district creates at town B: %d %s", other.Status, other.Raw)
		}
		if r := office.do("GET", "/api/v1/activities/"+itoa(other.num("id")), nil); r.Status != 404 {
			t.Errorf("another town's activity: %d %s", r.Status, r.Raw)
		}

		// Leave and its decision.
		if r := deputy.do("POST", path+"/leave", map[string]any{"reason": ""}); r.Status != 400 || r.errField() != "reason" {
			t.Errorf("leave without reason: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("POST", path+"/leave", map[string]any{"reason": "出差"}); r.Status != 200 {
			t.Fatalf("leave: %d %s", r.Status, r.Raw)
		}
		dep := itoa(e.w.DeputyA1.ID)
		if r := liaison.do("POST", path+"/leave/"+dep, map[string]any{"approve": true}); r.Status != 403 {
			t.Errorf("a liaison decides leave: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/leave/"+dep, map[string]any{}); r.Status != 400 || r.errField() != "approve" {
			t.Errorf("decide without approve: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "heada").do("POST", path+"/leave/"+dep, map[string]any{"approve": false}); r.Status != 200 {
			t.Errorf("the head refuses leave: %d %s", r.Status, r.Raw)
		}

		// Sign-in in the window, attendance, record, photos, cases.
		if r := deputy.do("POST", path+"/signin", nil); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("sign-in days early: %d %s", r.Status, r.Raw)
		}
		setClock(db, "2026-05-10 08:45")
		// Sessions idle out over the days the clock jumped: log in again.
		office, liaison, deputy = e.as(t, "officea"), e.as(t, "liaisona"), e.as(t, "deputya")
		if r := deputy.do("POST", path+"/signin", nil); r.Status != 200 || !strings.Contains(string(r.Raw), `"attendance":"present"`) {
			t.Errorf("sign-in: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", path+"/attendance", map[string]any{"deputy_id": e.w.DeputyA2.ID, "attendance": "absent"}); r.Status != 200 {
			t.Errorf("attendance: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", path+"/attendance", map[string]any{"attendance": "absent"}); r.Status != 400 || r.errField() != "deputy_id" {
			t.Errorf("attendance without deputy: %d %s", r.Status, r.Raw)
		}
		setClock(db, "2026-05-10 12:00")
		office, liaison = e.as(t, "officea"), e.as(t, "liaisona")
		cur := office.do("GET", path, nil)
		if r := liaison.do("POST", path+"/record", map[string]any{"minutes": "视察三个小区"}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("record without version: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", path+"/record", map[string]any{"version": cur.num("version") - 1, "minutes": "视察三个小区"}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale record: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", path+"/record", map[string]any{"version": cur.num("version"), "minutes": "视察三个小区", "outcomes": "建议加快进度"}); r.Status != 200 || r.Body["status"] != "done" {
			t.Errorf("record: %d %s", r.Status, r.Raw)
		}
		if r := liaison.upload(path+"/photos", "photo", []byte("not a photo")); r.Status != 400 || !strings.Contains(string(r.Raw), `"field":"photo"`) {
			t.Errorf("a photo that is not an image: %d %s", r.Status, r.Raw)
		}
		if r := liaison.upload(path+"/photos", "photo", pngBytes(t)); r.Status != 201 || !strings.Contains(string(r.Raw), `"photos":1`) {
			t.Errorf("photo: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", path+"/photos/1", nil); r.Status != 200 || !bytes.HasPrefix(r.Raw, []byte("\x89PNG")) {
			t.Errorf("get photo: %d", r.Status)
		}
		if r := office.do("POST", path+"/cases", map[string]any{"case_id": 9999}); r.Status != 400 || r.errField() != "case_id" {
			t.Errorf("link a missing case: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/attendance?year=2026", nil); r.Status != 200 || !strings.Contains(string(r.Raw), `"activities":1`) {
			t.Errorf("attendance counts: %d %s", r.Status, r.Raw)
		}
		xlsx := office.do("GET", "/api/v1/attendance.xlsx?year=2026", nil)
		book, err := excelize.OpenReader(bytes.NewReader(xlsx.Raw))
		if err != nil {
			t.Fatalf("attendance.xlsx: %d %v", xlsx.Status, err)
		}
		rows, _ := book.GetRows("代表活动")
		if len(rows) != 4 || strings.Join(rows[1], ",") != "代表,受邀参加代表活动,出席,请假,缺席" || strings.Join(rows[2], ",") != "王建国,1,1,0,0" {
			t.Errorf("activities sheet = %v", rows)
		}
	})
}

func TestActivityNormsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		setClock(db, "2026-05-01 09:00")
		office := e.as(t, "officea")
		r := office.do("GET", "/api/v1/activities/norms?year=2026", nil)
		items, _ := r.Body["items"].([]any)
		if r.Status != 200 || len(items) != 1 {
			t.Fatalf("norms: %d %s", r.Status, r.Raw)
		}
		row, _ := items[0].(map[string]any)
		if row["station_id"] != float64(e.w.StationA.ID) || row["held"] != float64(0) || row["rate"] != float64(0) {
			t.Errorf("norms row: %v", row)
		}
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/activities/norms?year=1999", "year"},
			{"/api/v1/activities/norms?year=2026&region=abc", "region"},
		} {
			if r := office.do("GET", tc.path, nil); r.Status != 400 || r.errField() != tc.field {
				t.Errorf("%s: %d %s; want 400 on %s", tc.path, r.Status, r.Raw, tc.field)
			}
		}
		if r := e.anon.do("GET", "/api/v1/activities/norms", nil); r.Status != 401 {
			t.Errorf("anonymous: %d", r.Status)
		}
	})
}
