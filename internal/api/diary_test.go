package api_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func signatureDataURL(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 3; x < w-3; x++ {
		img.Set(x, h/2, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// addUser creates an account with one grant.
func (e *env) addUser(t *testing.T, username string, g lianluo.Grant) {
	t.Helper()
	u := &lianluo.User{Username: username, Password: storetest.Password, DisplayName: username, Roles: []lianluo.Grant{g}}
	storetest.MustCreateUser(t, e.db, storetest.SystemContext(), u)
}

// lastSMSCode reads the six digits of the newest text message, through the
// administrators' outbox list.
func (e *env) lastSMSCode(t *testing.T) string {
	t.Helper()
	r := e.as(t, "admin").do("GET", "/api/v1/notifications?channel=sms&per_page=1", nil)
	items := r.items()
	if r.Status != 200 || len(items) == 0 {
		t.Fatalf("outbox: %d %s", r.Status, r.Raw)
	}
	code := regexp.MustCompile(`[0-9]{6}`).FindString(items[0]["body"].(string))
	if code == "" {
		t.Fatalf("no code in %v", items[0]["body"])
	}
	return code
}

func TestDiaryAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		e.addUser(t, "deputya2", lianluo.Grant{Role: "deputy", DeputyID: &e.w.DeputyA2.ID})
		e.addUser(t, "officeb", lianluo.Grant{Role: "npc_office", OrgID: &e.w.TownB.ID})
		dep := e.as(t, "deputya")
		body := map[string]any{"visited_at": "2026-03-01T15:00", "place": "灵峰社区", "voter_name": "张桂芳", "voter_phone": "13905741234",
			"content": "楼道灯坏了一个月。", "handling": "请物业修复。", "category": "小区物业"}

		for _, tc := range []struct {
			who    string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"deputya", map[string]any{"visited_at": "2026-03-01T15:00", "place": "灵峰社区", "content": "有事"}, 400, "invalid", "voter_name"},
			{"deputya", map[string]any{"visited_at": "2026-03-01T15:00", "place": "灵峰社区", "voter_name": "张", "content": "有事", "voter_phone": "abc"}, 400, "invalid", "voter_phone"},
			{"deputya", map[string]any{"visited_at": "2026-03-01T15:00", "colour": "red"}, 400, "invalid", "colour"},
			{"officea", body, 403, "forbidden", ""},
		} {
			r := e.as(t, tc.who).do("POST", "/api/v1/diary", tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || r.errField() != tc.field {
				t.Errorf("create %v by %s: %d %s; want %d %s %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.code, tc.field)
			}
		}
		r := dep.do("POST", "/api/v1/diary", body)
		if r.Status != 201 || r.Body["status"] != "draft" || r.num("version") != 1 {
			t.Fatalf("create: %d %s", r.Status, r.Raw)
		}
		path := "/api/v1/diary/" + itoa(r.num("id"))

		// Scope: another deputy and another town do not find it; the office reads it masked.
		for _, who := range []string{"deputya2", "officeb"} {
			if r := e.as(t, who).do("GET", path, nil); r.Status != 404 || r.errCode() != "not_found" {
				t.Errorf("%s reads: %d %s", who, r.Status, r.Raw)
			}
		}
		if r := e.as(t, "officea").do("GET", path, nil); r.Status != 200 || r.Body["voter"].(map[string]any)["phone"] != "139****1234" {
			t.Errorf("office reads: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("GET", "/api/v1/diary?from=2026-03-01&to=2026-03-01", nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("list: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("GET", "/api/v1/diary?from=yesterday", nil); r.Status != 400 || r.errField() != "from" {
			t.Errorf("bad from: %d %s", r.Status, r.Raw)
		}

		// Versioned edits.
		if r := dep.do("PATCH", path, map[string]any{"place": "别处"}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("edit without version: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("PATCH", path, map[string]any{"place": "别处", "version": 7}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale edit: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("PATCH", path, map[string]any{"place": "别处", "version": 1}); r.Status != 200 || r.num("version") != 2 {
			t.Errorf("edit: %d %s", r.Status, r.Raw)
		}

		// SMS confirmation.
		if r := dep.do("POST", path+"/confirm", map[string]any{}); r.Status != 400 || r.errField() != "code" {
			t.Errorf("confirm with nothing: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/confirm-code", nil); r.Status != 204 {
			t.Fatalf("send code: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/confirm-code", nil); r.Status != 429 {
			t.Errorf("second code within a minute: %d %s", r.Status, r.Raw)
		}
		code := e.lastSMSCode(t)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if r := dep.do("POST", path+"/confirm", map[string]any{"code": wrong}); r.Status != 400 || r.errField() != "code" {
			t.Errorf("wrong code: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/confirm", map[string]any{"signature": "data:image/gif;base64,R0lGODlh"}); r.Status != 400 || r.errField() != "signature" {
			t.Errorf("signature not a PNG: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/confirm", map[string]any{"code": code}); r.Status != 200 || r.Body["status"] != "confirmed" || r.Body["confirmed_by"] != "sms" {
			t.Fatalf("confirm: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("PATCH", path, map[string]any{"place": "又改", "version": 3}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("edit confirmed: %d %s", r.Status, r.Raw)
		}

		// Signature confirmation of a second entry.
		body["visited_at"] = "2026-03-02T08:00"
		r = dep.do("POST", "/api/v1/diary", body)
		path2 := "/api/v1/diary/" + itoa(r.num("id"))
		if r := dep.do("POST", path2+"/confirm", map[string]any{"signature": signatureDataURL(t, 240, 100)}); r.Status != 200 || r.Body["confirmed_by"] != "signature" {
			t.Fatalf("confirm by signature: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", path2+"/signature", nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("signature image: %d %s", r.Status, r.Header)
		}

		// To a case, once.
		r = dep.do("POST", path+"/case", nil)
		if r.Status != 201 || r.Body["channel"] != "diary" {
			t.Fatalf("to case: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("POST", path+"/case", nil); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("to case twice: %d %s", r.Status, r.Raw)
		}
		if r := dep.do("GET", path, nil); r.num("case_id") == 0 || r.Body["case_tracking_code"] == "" {
			t.Errorf("entry does not show its case: %s", r.Raw)
		}

		// Counts against the norm.
		r = e.as(t, "officea").do("GET", "/api/v1/diary/counts?year=2026&month=3", nil)
		if r.Status != 200 {
			t.Fatalf("counts: %d %s", r.Status, r.Raw)
		}
		for _, it := range r.items() {
			if int64(it["deputy_id"].(float64)) == e.w.DeputyA1.ID && (it["month"] != 2.0 || it["month_norm"] != 5.0 || it["month_met"] != false || it["year_due"] != 15.0) {
				t.Errorf("DeputyA1 counts = %v", it)
			}
		}
		if r := dep.do("GET", "/api/v1/diary/counts?month=14", nil); r.Status != 400 || r.errField() != "month" {
			t.Errorf("month 14: %d %s", r.Status, r.Raw)
		}
	})
}

func TestMailboxAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		liaison := e.as(t, "liaisona")
		stationA := "/api/v1/stations/" + itoa(e.w.StationA.ID) + "/mailbox/openings"
		stationB := "/api/v1/stations/" + itoa(e.w.StationB.ID) + "/mailbox/openings"
		opening := map[string]any{"opened_at": "2026-03-02T09:00", "opened_by": []string{"周敏"}, "letters": []map[string]any{
			{"writer_name": "赵大海", "writer_phone": "13805745678", "content": "夜间货车噪声大。", "category": "噪声扰民"},
			{"anonymous": true, "content": "人行道被占用停车。"},
		}}
		for _, tc := range []struct {
			who, path string
			body      map[string]any
			status    int
			field     string
		}{
			{"liaisona", stationA, map[string]any{"opened_at": "2026-03-02T09:00", "opened_by": []string{}}, 400, "opened_by"},
			{"liaisona", stationA, map[string]any{"opened_at": "2026-03-02T09:00", "opened_by": []string{"周敏"}, "letters": []map[string]any{{"content": ""}}}, 400, "letters[0].content"},
			{"officea", stationB, opening, 404, ""},
		} {
			r := e.as(t, tc.who).do("POST", tc.path, tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("opening %v by %s: %d %s; want %d %s", tc.body, tc.who, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		r := liaison.do("POST", stationA, opening)
		if r.Status != 201 {
			t.Fatalf("record opening: %d %s", r.Status, r.Raw)
		}
		letters := r.Body["letters"].([]any)
		if len(letters) != 2 || letters[0].(map[string]any)["writer_phone"] != "138****5678" {
			t.Errorf("letters = %v", letters)
		}
		letter := "/api/v1/mailbox/letters/" + itoa(int64(letters[0].(map[string]any)["id"].(float64))) + "/case"
		if r := e.as(t, "officea").do("GET", "/api/v1/mailbox/openings?station_id="+itoa(e.w.StationB.ID), nil); r.Status != 404 {
			t.Errorf("another region's mailbox: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/mailbox/openings?station_id="+itoa(e.w.StationA.ID), nil); r.Status != 200 || r.num("total") != 1 {
			t.Errorf("openings: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", letter, nil); r.Status != 201 || r.Body["channel"] != "mailbox" {
			t.Fatalf("letter to case: %d %s", r.Status, r.Raw)
		}
		if r := liaison.do("POST", letter, nil); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("letter to case twice: %d %s", r.Status, r.Raw)
		}
		r = e.as(t, "officea").do("GET", "/api/v1/mailbox/summary?station_id="+itoa(e.w.StationA.ID)+"&quarter=2026Q1", nil)
		if r.Status != 200 {
			t.Fatalf("summary: %d %s", r.Status, r.Raw)
		}
		if tot := r.Body["totals"].(map[string]any); tot["letters"] != 2.0 || tot["cases"] != 1.0 || tot["answered"] != 0.0 {
			t.Errorf("summary totals = %v", tot)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/mailbox/summary?station_id="+itoa(e.w.StationA.ID)+"&quarter=Q1", nil); r.Status != 400 || r.errField() != "quarter" {
			t.Errorf("bad quarter: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "officea").do("GET", "/api/v1/mailbox/summary?region=330206003&quarter=2026Q1", nil); r.Status != 404 {
			t.Errorf("another region's summary: %d %s", r.Status, r.Raw)
		}
		setClock(db, "2026-03-10 10:00")
		r = e.as(t, "heada").do("GET", "/api/v1/mailbox/status", nil)
		if items := r.items(); r.Status != 200 || len(items) != 1 || items[0]["overdue"] != true {
			t.Errorf("status: %d %s", r.Status, r.Raw)
		}
	})
}
