package api_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// setClock sets the store's clock (which the API uses) to a Beijing time.
func setClock(db *sqlstore.DB, s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
	if err != nil {
		panic(err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return t })
}

func (r response) items() []map[string]any {
	var out []map[string]any
	list, _ := r.Body["items"].([]any)
	for _, x := range list {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestReceptionRulesAndRotaAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "officea")
		stationA := "/api/v1/stations/" + itoa(e.w.StationA.ID)

		// 000: 每单月十五日上午 9:00–11:00.
		r := office.do("POST", stationA+"/reception-rules", map[string]any{
			"rrule": "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15", "start": "09:00", "end": "11:00",
			"on_holiday": "next_workday", "form": "fixed"})
		if r.Status != 201 || r.num("id") == 0 || !strings.Contains(r.Body["description"].(string), "15日") || r.num("per_session") != 2 {
			t.Fatalf("create rule: %d %s", r.Status, r.Raw)
		}
		ruleID := r.num("id")
		for _, tc := range []struct {
			who, path string
			body      map[string]any
			status    int
			code      string
			field     string
		}{
			// 2月30日 never comes: the rule yields no session.
			{"officea", stationA, map[string]any{"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "start": "09:00", "end": "11:00"}, 400, "invalid", "rrule"},
			{"officea", stationA, map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "11:00", "end": "09:00"}, 400, "invalid", "end"},
			{"officea", stationA, map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "09:00", "end": "11:00", "per_session": 1}, 400, "invalid", "per_session"},
			{"officea", stationA, map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "09:00", "end": "11:00", "colour": "red"}, 400, "invalid", "colour"},
			{"liaisona", stationA, map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "09:00", "end": "11:00"}, 403, "forbidden", ""},
			{"officea", "/api/v1/stations/" + itoa(e.w.StationB.ID), map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "09:00", "end": "11:00"}, 404, "not_found", ""},
		} {
			r := e.as(t, tc.who).do("POST", tc.path+"/reception-rules", tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || r.errField() != tc.field {
				t.Errorf("rule %v by %s: %d %s; want %d %s %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		if r := office.do("GET", stationA+"/reception-rules", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("list rules: %d %s", r.Status, r.Raw)
		}
		rulePath := "/api/v1/reception-rules/" + itoa(ruleID)
		if r := office.do("PATCH", rulePath, map[string]any{"theme": "民生实事", "version": 1}); r.Status != 200 || r.num("version") != 2 || r.Body["theme"] != "民生实事" {
			t.Errorf("update rule: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", rulePath, map[string]any{"theme": "又改", "version": 1}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale rule update: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", rulePath, map[string]any{"theme": "又改"}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("rule update without a version: %d %s", r.Status, r.Raw)
		}

		// The rota: five sessions from March, in Beijing time.
		r = office.do("POST", stationA+"/rota", map[string]any{"year": 2026})
		if r.Status != 200 {
			t.Fatalf("generate: %d %s", r.Status, r.Raw)
		}
		sessions := r.Body["sessions"].([]any)
		first := sessions[0].(map[string]any)
		if len(sessions) != 5 || first["starts_at"] != "2026-03-16T09:00:00+08:00" || first["moved_from"] != "2026-03-15" ||
			len(first["deputy_ids"].([]any)) != 2 || first["status"] != "draft" {
			t.Errorf("rota sessions = %s", r.Raw)
		}
		if _, ok := r.Body["problems"].([]any); !ok {
			t.Errorf("rota has no problems list: %s", r.Raw)
		}
		if r := office.do("POST", stationA+"/rota", map[string]any{"year": 2031}); r.Status != 400 || r.errField() != "year" {
			t.Errorf("a year without holidays: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "deputya").do("POST", stationA+"/rota", map[string]any{"year": 2026}); r.Status != 403 {
			t.Errorf("a deputy generates the rota: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", stationA+"/rota/problems?year=2026", nil); r.Status != 200 || r.num("total") != 0 {
			t.Errorf("problems: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", stationA+"/rota/problems?year=abc", nil); r.Status != 400 || r.errField() != "year" {
			t.Errorf("problems of a bad year: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026}); r.Status != 200 || r.num("published") != 5 {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("publish twice: %d %s", r.Status, r.Raw)
		}

		// Listing and filters.
		r = office.do("GET", "/api/v1/receptions?station_id="+itoa(e.w.StationA.ID)+"&status=published&from=2026-05-01&per_page=2", nil)
		if r.Status != 200 || r.num("total") != 4 || len(r.items()) != 2 {
			t.Fatalf("list: %d %s", r.Status, r.Raw)
		}
		it := r.items()[0]
		for _, k := range []string{"id", "station_id", "starts_at", "ends_at", "deputy_ids", "status", "version", "deputies"} {
			if _, ok := it[k]; !ok {
				t.Errorf("list item lacks %s: %v", k, it)
			}
		}
		if s, _ := it["ends_at"].(string); !strings.HasSuffix(s, "+08:00") {
			t.Errorf("ends_at = %v; want Beijing time", it["ends_at"])
		}
		if r := office.do("GET", "/api/v1/receptions?deputy_id="+itoa(e.w.DeputyA1.ID), nil); r.Status != 200 || r.num("total") != 5 {
			t.Errorf("list by deputy: %d %s", r.Status, r.Raw)
		}
		for _, q := range []string{"status=done", "from=3月", "station_id=x"} {
			if r := office.do("GET", "/api/v1/receptions?"+q, nil); r.Status != 400 {
				t.Errorf("list ?%s: %d %s", q, r.Status, r.Raw)
			}
		}
		if r := e.as(t, "unit").do("GET", "/api/v1/receptions", nil); r.Status != 200 || r.num("total") != 0 {
			t.Errorf("a unit handler lists receptions: %d %s", r.Status, r.Raw)
		}
		id, version := int64(it["id"].(float64)), int64(it["version"].(float64))
		path := "/api/v1/receptions/" + itoa(id)
		if r := office.do("GET", path, nil); r.Status != 200 || r.num("id") != id {
			t.Errorf("get: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "unit").do("GET", path, nil); r.Status != 404 {
			t.Errorf("a unit handler reads a reception: %d %s", r.Status, r.Raw)
		}

		// The office moves a session and keeps one deputy: CheckRota says it is short.
		r = office.do("PATCH", path, map[string]any{"starts_at": "2026-05-15T14:30", "deputy_ids": []int64{e.w.DeputyA2.ID}, "version": version})
		if r.Status != 200 || r.Body["starts_at"] != "2026-05-15T14:30:00+08:00" || r.Body["ends_at"] != "2026-05-15T16:30:00+08:00" {
			t.Fatalf("move: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"theme": "x", "version": version}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale session update: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"starts_at": "明天", "version": version + 1}); r.Status != 400 || r.errField() != "starts_at" {
			t.Errorf("a bad time: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("POST", path+"/cancel", map[string]any{"version": version + 1}); r.Status != 403 {
			t.Errorf("a liaison cancels: %d %s", r.Status, r.Raw)
		}
		r = office.do("GET", stationA+"/rota/problems?year=2026", nil)
		if r.Status != 200 || r.num("total") == 0 {
			t.Errorf("problems after removing a deputy: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"cancel": true, "version": version + 1}); r.Status != 400 {
			t.Errorf("cancel through PATCH (its own route now): %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/cancel", map[string]any{}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("cancel without a version: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/cancel", map[string]any{"version": version + 1}); r.Status != 200 || r.Body["status"] != "cancelled" {
			t.Errorf("cancel: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", path+"/cancel", map[string]any{"version": version + 2}); r.Status != 409 {
			t.Errorf("cancel twice: %d %s", r.Status, r.Raw)
		}
	})
}

func TestRotaOneDeputyAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "office")
		stationB := "/api/v1/stations/" + itoa(e.w.StationB.ID)
		if r := office.do("POST", stationB+"/reception-rules", map[string]any{"rrule": "FREQ=MONTHLY;BYDAY=1TU", "start": "14:00", "end": "16:00"}); r.Status != 201 {
			t.Fatalf("rule: %d %s", r.Status, r.Raw)
		}
		r := office.do("POST", stationB+"/rota", map[string]any{"year": 2026})
		if r.Status != 200 || !strings.Contains(string(r.Raw), `"code":"station_too_small"`) {
			t.Errorf("rota with one deputy: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", stationB+"/rota/publish", map[string]any{"year": 2026}); r.Status != 409 {
			t.Errorf("publish sessions of one deputy: %d %s", r.Status, r.Raw)
		}
		if r := office.do("POST", "/api/v1/stations/"+itoa(e.w.StationA.ID)+"/rota", map[string]any{"year": 2026}); r.Status != 400 || r.errField() != "rules" {
			t.Errorf("rota without rules: %d %s", r.Status, r.Raw)
		}
	})
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a multipart form with one file field.
func (c *client) upload(path, field string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, "photo.png")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Raw: raw}
}

func TestReceptionSessionAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office, deputy, head, liaison := e.as(t, "officea"), e.as(t, "deputya"), e.as(t, "heada"), e.as(t, "liaisona")
		stationA := "/api/v1/stations/" + itoa(e.w.StationA.ID)
		// Every Wednesday morning; 2026-03-04 is the first.
		if r := office.do("POST", stationA+"/reception-rules", map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=WE", "start": "09:00", "end": "11:00", "form": "theme", "theme": "老旧小区改造"}); r.Status != 201 {
			t.Fatalf("rule: %d %s", r.Status, r.Raw)
		}
		r := office.do("POST", stationA+"/rota", map[string]any{"year": 2026})
		if r.Status != 200 {
			t.Fatalf("rota: %d %s", r.Status, r.Raw)
		}
		sessions := r.Body["sessions"].([]any)
		firstID := int64(sessions[0].(map[string]any)["id"].(float64))
		secondID := int64(sessions[1].(map[string]any)["id"].(float64))
		first, second := "/api/v1/receptions/"+itoa(firstID), "/api/v1/receptions/"+itoa(secondID)
		if r := office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026}); r.Status != 200 {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}

		// Sign-in: only the deputy, only in the window, once.
		// Sessions idle out over days: log in again at each new time.
		setClock(db, "2026-03-04 08:20")
		deputy = e.as(t, "deputya")
		if r := deputy.do("POST", first+"/signin", nil); r.Status != 409 || !strings.Contains(string(r.Raw), "08:30") {
			t.Errorf("sign in too early: %d %s", r.Status, r.Raw)
		}
		setClock(db, "2026-03-04 08:45")
		office, deputy, head, liaison = e.as(t, "officea"), e.as(t, "deputya"), e.as(t, "heada"), e.as(t, "liaisona")
		if r := head.do("POST", first+"/signin", nil); r.Status != 403 {
			t.Errorf("a non-deputy signs in: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("POST", second+"/signin", nil); r.Status != 409 {
			t.Errorf("sign in to next week's session: %d %s", r.Status, r.Raw)
		}
		r = deputy.do("POST", first+"/signin", nil)
		if r.Status != 200 {
			t.Fatalf("sign in: %d %s", r.Status, r.Raw)
		}
		if d := r.Body["deputies"].([]any)[0].(map[string]any); d["attendance"] != "present" || d["signed_by"] != "self" {
			t.Errorf("after sign-in: %v", d)
		}
		if r := deputy.do("POST", first+"/signin", nil); r.Status != 409 {
			t.Errorf("sign in twice: %d %s", r.Status, r.Raw)
		}

		// Staff mark the deputy without an account.
		att := map[string]any{"deputy_id": e.w.DeputyA2.ID, "attendance": "present"}
		if r := e.as(t, "unit").do("POST", first+"/attendance", att); r.Status != 404 {
			t.Errorf("a unit handler marks attendance: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", first+"/attendance", map[string]any{"deputy_id": e.w.DeputyA2.ID, "attendance": "leave"}); r.Status != 400 || r.errField() != "attendance" {
			t.Errorf("mark leave directly: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", first+"/attendance", att); r.Status != 200 {
			t.Errorf("mark attendance: %d %s", r.Status, r.Raw)
		}

		// The record, with the version; a stale one is refused.
		setClock(db, "2026-03-04 10:30")
		office, deputy, head, liaison = e.as(t, "officea"), e.as(t, "deputya"), e.as(t, "heada"), e.as(t, "liaisona")
		r = office.do("GET", first, nil)
		v := r.num("version")
		rec := map[string]any{"version": v, "visitors": 6, "minutes": "接待群众6人，反映加装电梯等问题。", "satisfied": 5, "basically_satisfied": 1, "unsatisfied": 0}
		if r := liaison.do("POST", first+"/record", map[string]any{"version": v, "visitors": 2, "satisfied": 5}); r.Status != 400 || r.errField() != "satisfied" {
			t.Errorf("more ratings than visitors: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", first+"/record", map[string]any{"visitors": 2}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("record without a version: %d %s", r.Status, r.Raw)
		}
		r = liaison.do("POST", first+"/record", rec)
		if r.Status != 200 || r.Body["record"].(map[string]any)["visitors"].(float64) != 6 {
			t.Fatalf("record: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", first+"/record", rec); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale record: %d %s", r.Status, r.Raw)
		}

		// A case registered at the station is linked to the session.
		c, err := db.CreateCase(storetest.SystemContext(), lianluo.CaseInput{Channel: "visit", StationID: &e.w.StationA.ID, Title: "电梯加装",
			Content: "老小区想加装电梯，请帮助协调。", RegionCode: "330206004"})
		if err != nil {
			t.Fatal(err)
		}
		if r := liaison.do("POST", first+"/cases", map[string]any{"case_id": c.ID}); r.Status != 200 || len(r.Body["case_ids"].([]any)) != 1 {
			t.Errorf("link case: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", first+"/cases", map[string]any{"case_id": 99999}); r.Status != 400 || r.errField() != "case_id" {
			t.Errorf("link a missing case: %d %s", r.Status, r.Raw)
		}

		// Photos.
		if r := liaison.upload(first+"/photos", "photo", pngBytes(t)); r.Status != 201 || !strings.Contains(string(r.Raw), `"photos":1`) {
			t.Errorf("upload photo: %d %s", r.Status, r.Raw)
		}
		if r := liaison.upload(first+"/photos", "photo", []byte("not a photo")); r.Status != 400 {
			t.Errorf("upload a text file: %d %s", r.Status, r.Raw)
		}
		// Every occasion takes the multipart field "photo" or "file", as activities did.
		if r := liaison.upload(first+"/photos", "file", pngBytes(t)); r.Status != 201 || !strings.Contains(string(r.Raw), `"photos":2`) {
			t.Errorf("upload as the file field: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", first+"/photos/1", nil); r.Status != 200 || !bytes.HasPrefix(r.Raw, []byte("\x89PNG")) {
			t.Errorf("get photo: %d", r.Status)
		}
		if r := office.do("GET", first+"/photos/3", nil); r.Status != 404 {
			t.Errorf("a missing photo: %d", r.Status)
		}

		// Leave for next week: asked once, decided by the head, not a liaison.
		if r := deputy.do("POST", second+"/leave", map[string]any{"reason": " "}); r.Status != 400 || r.errField() != "reason" {
			t.Errorf("leave without a reason: %d %s", r.Status, r.Raw)
		}
		if r := head.do("POST", second+"/leave", map[string]any{"reason": "出差"}); r.Status != 403 {
			t.Errorf("leave by someone not on the session: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("POST", second+"/leave", map[string]any{"reason": "在外地参加培训"}); r.Status != 200 {
			t.Fatalf("leave: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("POST", second+"/leave", map[string]any{"reason": "再请一次"}); r.Status != 409 {
			t.Errorf("leave twice: %d %s", r.Status, r.Raw)
		}
		decide := second + "/leave/" + itoa(e.w.DeputyA1.ID) + "/decide"
		if r := liaison.do("POST", decide, map[string]any{"approve": true}); r.Status != 403 {
			t.Errorf("a liaison decides leave: %d %s", r.Status, r.Raw)
		}
		if r := head.do("POST", decide, map[string]any{}); r.Status != 400 || r.errField() != "approve" {
			t.Errorf("decide without approve: %d %s", r.Status, r.Raw)
		}
		r = head.do("POST", decide, map[string]any{"approve": true})
		if d := r.Body["deputies"].([]any)[0].(map[string]any); r.Status != 200 || d["leave_status"] != "approved" || d["attendance"] != "leave" {
			t.Errorf("approve leave: %d %s", r.Status, r.Raw)
		}

		// Attendance once the second session has passed: A1 present once, on leave once.
		setClock(db, "2026-03-11 12:00")
		office, deputy, liaison = e.as(t, "officea"), e.as(t, "deputya"), e.as(t, "liaisona")
		r = office.do("GET", "/api/v1/attendance?year=2026&station_id="+itoa(e.w.StationA.ID), nil)
		if r.Status != 200 || r.num("total") != 2 {
			t.Fatalf("attendance: %d %s", r.Status, r.Raw)
		}
		a1 := r.items()[0]
		if a1["name"] != "王建国" || a1["scheduled"].(float64) != 2 || a1["present"].(float64) != 1 || a1["leave"].(float64) != 1 || a1["rate"].(float64) != 50 {
			t.Errorf("A1 attendance = %v", a1)
		}
		if r := office.do("GET", "/api/v1/attendance?year=1999", nil); r.Status != 400 || r.errField() != "year" {
			t.Errorf("attendance of 1999: %d %s", r.Status, r.Raw)
		}
		res := office.do("GET", "/api/v1/attendance.xlsx?year=2026&station_id="+itoa(e.w.StationA.ID), nil)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("attendance.xlsx: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(res.Raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("代表出勤")
		if len(rows) != 4 || strings.Join(rows[1], ",") != "代表,进站联络站,应参加,出席,请假,缺席,出席率" || rows[2][0] != "王建国" || rows[2][6] != "50%" {
			t.Errorf("attendance sheet = %v", rows)
		}

		// Unavailability: the deputy's own; not another's.
		unav := "/api/v1/deputies/" + itoa(e.w.DeputyA1.ID) + "/unavailability"
		r = deputy.do("POST", unav, map[string]any{"from": "2026-04-01", "to": "2026-04-30", "reason": "外出学习"})
		if r.Status != 201 || r.num("id") == 0 {
			t.Fatalf("add unavailability: %d %s", r.Status, r.Raw)
		}
		uid := r.num("id")
		if r := deputy.do("POST", unav, map[string]any{"from": "2026-05-01", "to": "2026-04-01"}); r.Status != 400 || r.errField() != "to" {
			t.Errorf("to before from: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("POST", "/api/v1/deputies/"+itoa(e.w.DeputyA2.ID)+"/unavailability", map[string]any{"from": "2026-05-01", "to": "2026-05-02"}); r.Status != 403 && r.Status != 404 {
			t.Errorf("for another deputy: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", unav, nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("list unavailability: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("DELETE", "/api/v1/unavailability/"+itoa(uid), nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("a liaison deletes it: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("DELETE", "/api/v1/unavailability/"+itoa(uid), nil); r.Status != 204 {
			t.Errorf("delete unavailability: %d %s", r.Status, r.Raw)
		}
		if r := deputy.do("DELETE", "/api/v1/unavailability/"+itoa(uid), nil); r.Status != 404 {
			t.Errorf("delete it again: %d %s", r.Status, r.Raw)
		}

		// Calendar links: the feed lives at /ical/<token>.ics on the same server.
		r = deputy.do("GET", "/api/v1/deputies/"+itoa(e.w.DeputyA1.ID)+"/calendar-link", nil)
		u, _ := r.Body["url"].(string)
		if r.Status != 200 || !strings.HasPrefix(u, e.url+"/ical/") || !strings.HasSuffix(u, ".ics") {
			t.Errorf("deputy calendar link: %d %s", r.Status, r.Raw)
		}
		if again := deputy.do("GET", "/api/v1/deputies/"+itoa(e.w.DeputyA1.ID)+"/calendar-link", nil); again.Body["url"] != u {
			t.Errorf("a second link differs: %s", again.Raw)
		}
		if r := deputy.do("GET", "/api/v1/deputies/"+itoa(e.w.DeputyA2.ID)+"/calendar-link", nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("another deputy's calendar: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", stationA+"/calendar-link", nil); r.Status != 200 || !strings.Contains(r.Body["url"].(string), "/ical/") {
			t.Errorf("station calendar link: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/stations/"+itoa(e.w.StationB.ID)+"/calendar-link", nil); r.Status != 404 {
			t.Errorf("another town's station calendar: %d %s", r.Status, r.Raw)
		}
	})
}
