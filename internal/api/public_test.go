package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// call serves one request through the whole server (authentication,
// client address, API) as if it came from addr.
func (e *env) call(t *testing.T, addr, token, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = addr + ":40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	r := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	json.Unmarshal(r.Raw, &r.Body)
	return r
}

// voter is an anonymous caller from one client address: the store's
// limits count per address, so each test picks its own.
type voter struct {
	t    *testing.T
	e    *env
	addr string
}

func (e *env) voter(t *testing.T, addr string) *voter { return &voter{t: t, e: e, addr: addr} }

// do sends a JSON body (a string is sent as is).
func (v *voter) do(method, path string, body any) response {
	v.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(j), "application/json"
	}
	return v.e.call(v.t, v.addr, "", method, path, ct, rd)
}

func (v *voter) upload(path, contentType string, data []byte) response {
	v.t.Helper()
	return v.e.call(v.t, v.addr, "", "POST", path, contentType, bytes.NewReader(data))
}

// multipartForm builds a form with one file field and plain fields.
func multipartForm(t *testing.T, field, filename string, data []byte, values map[string]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range values {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

var han = regexp.MustCompile(`\p{Han}`)

func (r response) errMessage() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func opinionBody(station int64, title string) map[string]any {
	return map[string]any{"station_id": station, "title": title, "content": title + "，已经一个多月了，晚上出行很不方便。",
		"category": "道路照明", "location": "庐山西路口", "name": "张三", "phone": "13912340000", "consent": true}
}

// bigPNG is a PNG signature padded to n bytes: it sniffs as an image.
func bigPNG(n int) []byte {
	b := make([]byte, n)
	copy(b, tinyPNG)
	return b
}

// Browsing the online station needs no login and never shows a deputy's or
// a liaison's private phone number.
func TestPublicBrowse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.10")

		r := v.do("GET", "/api/v1/public/regions", nil)
		cur, _ := r.Body["current"].(map[string]any)
		if r.Status != 200 || cur["code"] != "330206" || len(r.Body["children"].([]any)) != 2 {
			t.Errorf("regions: %d %s", r.Status, r.Raw)
		}
		r = v.do("GET", "/api/v1/public/regions?code=330206004000", nil)
		if cur, _ := r.Body["current"].(map[string]any); r.Status != 200 || cur["name"] != "大碶街道" {
			t.Errorf("regions of 大碶: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", "/api/v1/public/regions?code=abc", nil); r.Status != 400 || r.errField() != "code" {
			t.Errorf("regions?code=abc: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", "/api/v1/public/regions?code=330206099", nil); r.Status != 404 {
			t.Errorf("region without stations: %d %s", r.Status, r.Raw)
		}

		for _, tc := range []struct {
			query string
			total int64
		}{
			{"", 2},
			{"?region=330206003", 1},
			{"?region=330206003000", 1},
			{"?q=大碶", 1},
			{"?per_page=1&page=2", 2},
		} {
			r := v.do("GET", "/api/v1/public/stations"+tc.query, nil)
			if r.Status != 200 || r.num("total") != tc.total {
				t.Errorf("stations%s: %d %s; want total %d", tc.query, r.Status, r.Raw, tc.total)
			}
		}
		if r := v.do("GET", "/api/v1/public/stations?region=abc", nil); r.Status != 400 || r.errField() != "region" {
			t.Errorf("stations?region=abc: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", "/api/v1/public/stations?page=x", nil); r.Status != 400 || r.errField() != "page" {
			t.Errorf("stations?page=x: %d %s", r.Status, r.Raw)
		}

		list := v.do("GET", "/api/v1/public/stations", nil)
		st := v.do("GET", "/api/v1/public/stations/"+itoa(e.w.StationA.ID), nil)
		if st.Status != 200 || len(st.Body["deputies"].([]any)) != 2 || fmt.Sprint(st.Body["liaisons"]) != "[周敏]" {
			t.Fatalf("station A: %d %s", st.Status, st.Raw)
		}
		dep := v.do("GET", "/api/v1/public/deputies/"+itoa(e.w.DeputyA1.ID), nil)
		if dep.Status != 200 || dep.Body["name"] != "王建国" || dep.Body["has_photo"] != false {
			t.Fatalf("deputy A1: %d %s", dep.Status, dep.Raw)
		}
		for name, r := range map[string]response{"list": list, "station": st, "deputy": dep} {
			for _, phone := range []string{e.w.DeputyA1.Phone, "13800001111"} {
				if bytes.Contains(r.Raw, []byte(phone)) {
					t.Errorf("public %s shows the private phone %s: %s", name, phone, r.Raw)
				}
			}
		}
		for _, p := range []string{"/api/v1/public/stations/999999", "/api/v1/public/stations/abc", "/api/v1/public/deputies/999999"} {
			if r := v.do("GET", p, nil); r.Status != 404 || r.errCode() != "not_found" {
				t.Errorf("GET %s: %d %s", p, r.Status, r.Raw)
			}
		}
		if r := v.do("GET", "/api/v1/public/settings", nil); r.Status != 200 || r.Body["verify_phone"] != false {
			t.Errorf("settings: %d %s", r.Status, r.Raw)
		}
	})
}

func TestPublicSubmit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.20")
		office := e.as(t, "officea")
		station := e.w.StationA.ID

		with := func(edit func(m map[string]any)) map[string]any {
			m := opinionBody(station, "井盖缺失")
			edit(m)
			return m
		}
		for _, tc := range []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"no consent", with(func(m map[string]any) { delete(m, "consent") }), 400, "consent"},
			{"consent false", with(func(m map[string]any) { m["consent"] = false }), 400, "consent"},
			{"bad phone", with(func(m map[string]any) { m["phone"] = "12345" }), 400, "phone"},
			{"honeypot", with(func(m map[string]any) { m["website"] = "http://spam.example" }), 400, "website"},
			{"unknown field", with(func(m map[string]any) { m["email"] = "a@b.c" }), 400, "email"},
			{"content too long", with(func(m map[string]any) { m["content"] = strings.Repeat("很", 5001) }), 400, "content"},
			{"no content", with(func(m map[string]any) { m["content"] = "  " }), 400, "content"},
			{"no target", with(func(m map[string]any) { delete(m, "station_id") }), 400, "station_id"},
			{"both targets", with(func(m map[string]any) { m["deputy_id"] = e.w.DeputyA1.ID }), 400, "station_id"},
			{"unknown station", with(func(m map[string]any) { m["station_id"] = 999999 }), 400, "station_id"},
			{"wrong type", with(func(m map[string]any) { m["confidential"] = "yes" }), 400, "confidential"},
			{"malformed", `{"title":`, 400, "body"},
			{"over the JSON limit", with(func(m map[string]any) { m["content"] = strings.Repeat("x", 1<<20) }), 413, ""},
		} {
			r := v.do("POST", "/api/v1/public/opinions", tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("%s: %d %s; want %d field %q", tc.name, r.Status, r.Raw, tc.status, tc.field)
			}
			if !han.MatchString(r.errMessage()) {
				t.Errorf("%s: message %q is not Chinese", tc.name, r.errMessage())
			}
		}
		if r := e.call(t, v.addr, "", "POST", "/api/v1/public/opinions", "text/plain", strings.NewReader("路灯坏了")); r.Status != 400 || r.errField() != "body" {
			t.Errorf("not JSON: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/cases", nil); r.num("total") != 0 {
			t.Fatalf("cases stored by bad input: %s", r.Raw)
		}

		// A new opinion: 201 and a receipt; the same again: 200 and the same code.
		r := v.do("POST", "/api/v1/public/opinions", opinionBody(station, "路灯不亮"))
		code, _ := r.Body["tracking_code"].(string)
		if r.Status != 201 || len(code) != 10 || r.Body["duplicate"] != false || r.Body["phone_given"] != true ||
			r.Body["station_name"] != e.w.StationA.Name {
			t.Fatalf("submit: %d %s", r.Status, r.Raw)
		}
		r = v.do("POST", "/api/v1/public/opinions", opinionBody(station, "路灯不亮"))
		if r.Status != 200 || r.Body["tracking_code"] != code || r.Body["duplicate"] != true {
			t.Errorf("duplicate: %d %s; want 200 with %s", r.Status, r.Raw, code)
		}
		// To a deputy, anonymously.
		r = v.do("POST", "/api/v1/public/opinions", map[string]any{"deputy_id": e.w.DeputyA1.ID, "title": "学校门口缺少红绿灯",
			"content": "上下学时车多，孩子过马路很危险。", "confidential": true, "consent": true})
		if r.Status != 201 || r.Body["deputy_name"] != "王建国" || r.Body["phone_given"] != false {
			t.Errorf("to a deputy: %d %s", r.Status, r.Raw)
		}
		r = office.do("GET", "/api/v1/cases", nil)
		if r.num("total") != 2 || !strings.Contains(string(r.Raw), `"channel":"online"`) {
			t.Errorf("station queue: %s", r.Raw)
		}
	})
}

// A wrong tracking code and a wrong phone tail answer exactly alike.
func TestPublicFollowAndPhotos(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.30")
		r := v.do("POST", "/api/v1/public/opinions", opinionBody(e.w.StationA.ID, "路灯不亮"))
		if r.Status != 201 {
			t.Fatalf("submit: %d %s", r.Status, r.Raw)
		}
		code := r.Body["tracking_code"].(string)
		path := "/api/v1/public/opinions/" + code

		// Typed loosely: lower case with a dash.
		r = v.do("GET", "/api/v1/public/opinions/"+strings.ToLower(code[:5])+"-"+code[5:]+"?phone_tail=0000", nil)
		if r.Status != 200 || r.Body["tracking_code"] != code || r.num("stage") != 1 || r.Body["can_add_photos"] != true {
			t.Fatalf("follow: %d %s", r.Status, r.Raw)
		}
		if bytes.Contains(r.Raw, []byte("13912340000")) {
			t.Errorf("the voter's view shows the phone: %s", r.Raw)
		}
		wrongTail := v.do("GET", path+"?phone_tail=0001", nil)
		wrongCode := v.do("GET", "/api/v1/public/opinions/ABCDEFGHJK?phone_tail=0000", nil)
		noTail := v.do("GET", path, nil)
		for name, r := range map[string]response{"wrong code": wrongCode, "no tail": noTail} {
			if !sameResponse(wrongTail, r) {
				t.Errorf("wrong tail and %s differ:\n%d %v %s\n%d %v %s", name,
					wrongTail.Status, wrongTail.Header, wrongTail.Raw, r.Status, r.Header, r.Raw)
			}
		}
		if wrongTail.Status != 404 || wrongTail.errCode() != "not_found" || !han.MatchString(wrongTail.errMessage()) {
			t.Errorf("wrong tail: %d %s", wrongTail.Status, wrongTail.Raw)
		}

		// Photos: raw body, multipart "photo" (tail in the form), multipart "file".
		photos := path + "/photos?phone_tail=0000"
		if r := v.upload(photos, "image/png", tinyPNG); r.Status != 201 || r.num("photos") != 1 {
			t.Errorf("raw photo: %d %s", r.Status, r.Raw)
		}
		ct, body := multipartForm(t, "photo", "a.png", tinyPNG, map[string]string{"phone_tail": "0000"})
		if r := v.upload(path+"/photos", ct, body); r.Status != 201 || r.num("photos") != 2 {
			t.Errorf("multipart photo: %d %s", r.Status, r.Raw)
		}
		ct, body = multipartForm(t, "file", "b.png", tinyPNG, nil)
		if r := v.upload(photos, ct, body); r.Status != 201 || r.num("photos") != 3 {
			t.Errorf("multipart file: %d %s", r.Status, r.Raw)
		}
		// Refused, storing nothing: not an image, empty, no file, too big, wrong tail or code.
		ct, body = multipartForm(t, "picture", "c.png", tinyPNG, nil)
		ctText, text := multipartForm(t, "photo", "evil.png", []byte("<script>alert(1)</script>"), nil)
		ctBig, big := multipartForm(t, "photo", "big.png", bigPNG(lianluo.MaxPhotoBytes+2<<20), nil)
		for _, tc := range []struct {
			name, path, ct string
			body           []byte
			status         int
			field          string
		}{
			{"text as photo", photos, "image/png", []byte("not an image at all"), 400, "photo"},
			{"text in a form", photos, ctText, text, 400, "photo"},
			{"PDF", photos, "application/pdf", []byte("%PDF-1.4 something"), 400, "photo"},
			{"empty", photos, "image/png", nil, 400, "photo"},
			{"no file field", photos, ct, body, 400, "photo"},
			{"too big", photos, "image/png", bigPNG(lianluo.MaxPhotoBytes + 2<<20), 413, ""},
			{"too big in a form", photos, ctBig, big, 413, ""},
			{"just over the photo limit", photos, "image/png", bigPNG(lianluo.MaxPhotoBytes + 1), 413, ""},
			{"wrong tail", path + "/photos?phone_tail=0001", "image/png", tinyPNG, 404, ""},
			{"wrong code", "/api/v1/public/opinions/ABCDEFGHJK/photos?phone_tail=0000", "image/png", tinyPNG, 404, ""},
		} {
			r := v.upload(tc.path, tc.ct, tc.body)
			if r.Status != tc.status || r.errField() != tc.field || !han.MatchString(r.errMessage()) {
				t.Errorf("%s: %d %s; want %d field %q", tc.name, r.Status, r.Raw, tc.status, tc.field)
			}
			if tc.status == 404 && r.errMessage() != wrongTail.errMessage() {
				t.Errorf("%s: message %q; want the one answer %q", tc.name, r.errMessage(), wrongTail.errMessage())
			}
		}
		if r := v.do("GET", path+"?phone_tail=0000", nil); r.num("photos") != 3 {
			t.Errorf("photos after refused uploads = %d; want 3", r.num("photos"))
		}
		// Up to six: the seventh is refused as a state of the opinion (409).
		for n := 4; n <= lianluo.MaxPublicPhotos; n++ {
			if r := v.upload(photos, "image/png", tinyPNG); r.Status != 201 || r.num("photos") != int64(n) {
				t.Fatalf("photo %d: %d %s", n, r.Status, r.Raw)
			}
		}
		if r := v.upload(photos, "image/png", tinyPNG); r.Status != 409 || !strings.Contains(r.errMessage(), "最多上传6张照片") {
			t.Errorf("seventh photo: %d %s; want 409", r.Status, r.Raw)
		}
	})
}

// sameResponse reports whether two responses are identical but for the date.
func sameResponse(a, b response) bool {
	ha, hb := a.Header.Clone(), b.Header.Clone()
	ha.Del("Date")
	hb.Del("Date")
	return a.Status == b.Status && bytes.Equal(a.Raw, b.Raw) && reflect.DeepEqual(ha, hb)
}

// caseStaff adds a town A leader and a town A unit with its handler, as in
// TestCasesAPI, and returns the unit.
func caseStaff(t *testing.T, e *env) *lianluo.Org {
	t.Helper()
	ctx := storetest.SystemContext()
	unitA := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
	if err := e.db.CreateOrg(ctx, unitA); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*lianluo.User{
		{Username: "leadera", DisplayName: "主任", Password: storetest.Password, Roles: []lianluo.Grant{{Role: "npc_leader", OrgID: &e.w.TownA.ID}}},
		{Username: "unita", DisplayName: "经办人", Password: storetest.Password, Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &unitA.ID}}},
	} {
		storetest.MustCreateUser(t, e.db, ctx, u)
	}
	return unitA
}

// act performs a workflow step at the case's current version.
func act(t *testing.T, c *client, id int64, action string, body map[string]any) response {
	t.Helper()
	body["version"] = c.do("GET", "/api/v1/cases/"+itoa(id), nil).num("version")
	r := c.do("POST", "/api/v1/cases/"+itoa(id)+"/actions/"+action, body)
	if r.Status != 200 {
		t.Fatalf("%s: %d %s", action, r.Status, r.Raw)
	}
	return r
}

// onlineCaseID finds the case of the station's newest online opinion.
func onlineCaseID(t *testing.T, staff *client) int64 {
	t.Helper()
	r := staff.do("GET", "/api/v1/cases?status=registered", nil)
	items, _ := r.Body["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no registered case: %s", r.Raw)
	}
	return int64(items[0].(map[string]any)["id"].(float64))
}

func TestPublicRating(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		unitA := caseStaff(t, e)
		v := e.voter(t, "203.0.113.40")
		r := v.do("POST", "/api/v1/public/opinions", opinionBody(e.w.StationA.ID, "路灯不亮"))
		if r.Status != 201 {
			t.Fatalf("submit: %d %s", r.Status, r.Raw)
		}
		rating := "/api/v1/public/opinions/" + r.Body["tracking_code"].(string) + "/rating"

		if r := v.do("POST", rating+"?phone_tail=0000", map[string]any{"rating": "satisfied"}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("rating before the answer: %d %s", r.Status, r.Raw)
		}
		liaison, leader, unit, office := e.as(t, "liaisona"), e.as(t, "leadera"), e.as(t, "unita"), e.as(t, "officea")
		id := onlineCaseID(t, liaison)
		act(t, liaison, id, "triage", map[string]any{"outcome": "forward"})
		act(t, leader, id, "approve", map[string]any{"lead_unit_id": unitA.ID})
		act(t, unit, id, "sign", map[string]any{})
		act(t, unit, id, "reply", map[string]any{"result": "A", "content": "已更换灯具。"})
		act(t, office, id, "feedback", map[string]any{"content": "路灯已修好，请您查看。"})
		// The unit's answer and the feedback, apart.
		follow := v.do("GET", strings.TrimSuffix(rating, "/rating")+"?phone_tail=0000", nil)
		reply, _ := follow.Body["reply"].(map[string]any)
		if follow.Status != 200 || reply["content"] != "已更换灯具。" || reply["result"] != "A" || reply["result_text"] != "已解决或基本解决" ||
			reply["unit"] != "大碶街道办事处" || follow.Body["answer"] != "路灯已修好，请您查看。" || follow.Body["answer_label"] != "给您的反馈" {
			t.Errorf("follow after feedback: %d %s", follow.Status, follow.Raw)
		}

		for _, tc := range []struct {
			name   string
			query  string
			body   any
			status int
			field  string
		}{
			{"unknown rating", "?phone_tail=0000", map[string]any{"rating": "great"}, 400, "rating"},
			{"unknown field", "?phone_tail=0000", map[string]any{"rating": "satisfied", "stars": 5}, 400, "stars"},
			{"wrong tail in the body", "", map[string]any{"rating": "satisfied", "phone_tail": "0001"}, 404, ""},
			{"no tail", "", map[string]any{"rating": "satisfied"}, 404, ""},
		} {
			r := v.do("POST", rating+tc.query, tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("%s: %d %s; want %d field %q", tc.name, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		// The tail in the body, out of the URL.
		r = v.do("POST", rating, map[string]any{"rating": "satisfied", "comment": "修得很快", "phone_tail": "0000"})
		if r.Status != 200 || r.Body["status"] != string(lianluo.StatusClosed) || r.Body["can_rate"] != false || len(r.Body["ratings"].([]any)) != 1 {
			t.Fatalf("rating: %d %s", r.Status, r.Raw)
		}
		r = v.do("POST", rating+"?phone_tail=0000", map[string]any{"rating": "unsatisfied"})
		if r.Status != 409 || r.errCode() != "invalid_state" || !han.MatchString(r.errMessage()) {
			t.Errorf("second rating: %d %s", r.Status, r.Raw)
		}
	})
}

// The store limits submissions per client address; the address the server
// resolved reaches it, and the answer is a 429 in Chinese.
func TestPublicRateLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "198.51.100.99")
		var r response
		for i := range 11 {
			o := opinionBody(e.w.StationA.ID, fmt.Sprintf("第%d个问题", i+1))
			delete(o, "phone")
			r = v.do("POST", "/api/v1/public/opinions", o)
			if i < 10 && r.Status != 201 {
				t.Fatalf("submission %d: %d %s", i+1, r.Status, r.Raw)
			}
		}
		if r.Status != 429 || r.errCode() != "rate_limited" || !strings.Contains(r.errMessage(), "一小时") {
			t.Errorf("eleventh submission: %d %s", r.Status, r.Raw)
		}
		o := opinionBody(e.w.StationA.ID, "另一个地址")
		delete(o, "phone")
		if r := e.voter(t, "198.51.100.100").do("POST", "/api/v1/public/opinions", o); r.Status != 201 {
			t.Errorf("from another address: %d %s", r.Status, r.Raw)
		}
		// Guessing codes: 429 after twenty misses.
		g := e.voter(t, "198.51.100.200")
		for range 20 {
			g.do("GET", "/api/v1/public/opinions/ZZZZZZZZZZ", nil)
		}
		if r := g.do("GET", "/api/v1/public/opinions/ZZZZZZZZZZ", nil); r.Status != 429 || !han.MatchString(r.errMessage()) {
			t.Errorf("21st guess: %d %s", r.Status, r.Raw)
		}
	})
}

func TestPublicSettingsAndVerifyCodes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.50")
		if r := v.do("POST", "/api/v1/public/verify-codes", map[string]any{"phone": "13912340000"}); r.Status != 400 || r.errField() != "phone" {
			t.Errorf("code while verification is off: %d %s", r.Status, r.Raw)
		}
		on := map[string]any{"verify_phone": true}
		if r := e.as(t, "officea").do("PUT", "/api/v1/settings/public", on); r.Status != 403 {
			t.Errorf("office changes settings: %d %s", r.Status, r.Raw)
		}
		if r := v.do("PUT", "/api/v1/settings/public", on); r.Status != 401 {
			t.Errorf("anonymous changes settings: %d %s", r.Status, r.Raw)
		}
		admin := e.as(t, "admin")
		if r := admin.do("PUT", "/api/v1/settings/public", map[string]any{"verify_phone": "yes"}); r.Status != 400 || r.errField() != "verify_phone" {
			t.Errorf("bad settings: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("PUT", "/api/v1/settings/public", on); r.Status != 200 || r.Body["verify_phone"] != true {
			t.Fatalf("admin changes settings: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("GET", "/api/v1/settings/public", nil); r.Status != 200 || r.Body["verify_phone"] != true {
			t.Errorf("staff reads settings: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", "/api/v1/public/settings", nil); r.Status != 200 || r.Body["verify_phone"] != true {
			t.Errorf("public settings: %d %s", r.Status, r.Raw)
		}

		if r := v.do("POST", "/api/v1/public/verify-codes", map[string]any{"phone": "12345"}); r.Status != 400 || r.errField() != "phone" {
			t.Errorf("bad phone: %d %s", r.Status, r.Raw)
		}
		if r := v.do("POST", "/api/v1/public/verify-codes", map[string]any{"phone": "13912340000", "name": "张三"}); r.Status != 400 || r.errField() != "name" {
			t.Errorf("unknown field: %d %s", r.Status, r.Raw)
		}
		if r := v.do("POST", "/api/v1/public/verify-codes", map[string]any{"phone": "13912340000"}); r.Status != 204 || len(r.Raw) != 0 {
			t.Fatalf("send code: %d %s", r.Status, r.Raw)
		}
		if r := v.do("POST", "/api/v1/public/verify-codes", map[string]any{"phone": "13912340000"}); r.Status != 429 || r.errCode() != "rate_limited" {
			t.Errorf("second code within a minute: %d %s", r.Status, r.Raw)
		}
		if r := v.do("POST", "/api/v1/public/opinions", opinionBody(e.w.StationA.ID, "垃圾清运不及时")); r.Status != 400 || r.errField() != "verify_code" {
			t.Errorf("submission without the code: %d %s", r.Status, r.Raw)
		}
	})
}

// The office publishes an answered case; it appears in the public results
// with the submitter's name and the numbers in the text masked.
func TestPublishThroughAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.60")
		if r := v.do("POST", "/api/v1/public/opinions", opinionBody(e.w.StationA.ID, "路灯不亮")); r.Status != 201 {
			t.Fatalf("submit: %d %s", r.Status, r.Raw)
		}
		liaison, office := e.as(t, "liaisona"), e.as(t, "officea")
		id := onlineCaseID(t, liaison)
		publish := "/api/v1/cases/" + itoa(id) + "/publish"
		if r := office.do("POST", publish, map[string]any{"version": 1, "published": true}); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("publish before the answer: %d %s", r.Status, r.Raw)
		}
		c := act(t, office, id, "triage", map[string]any{"outcome": "answered", "answer": "已联系物业修复。请联系13912340000核实。"})
		version := c.num("version")

		for _, tc := range []struct {
			name   string
			who    *client
			body   map[string]any
			status int
			code   string
		}{
			{"liaison", liaison, map[string]any{"version": version, "published": true}, 403, "forbidden"},
			{"stale version", office, map[string]any{"version": version - 1, "published": true}, 409, "stale_version"},
			{"no version", office, map[string]any{"published": true}, 400, "invalid"},
			{"unknown field", office, map[string]any{"version": version, "public": true}, 400, "invalid"},
			{"a unit", e.as(t, "unit"), map[string]any{"version": version, "published": true}, 404, "not_found"},
			// The answer on the spot (the default text) carries the submitter's phone.
			{"the submitter's phone", office, map[string]any{"version": version, "published": true}, 400, "invalid"},
			{"the submitter's name", office, map[string]any{"version": version, "published": true, "answer": "已告知张三。"}, 400, "invalid"},
		} {
			r := tc.who.do("POST", publish, tc.body)
			if r.Status != tc.status || r.errCode() != tc.code {
				t.Errorf("%s: %d %s; want %d %s", tc.name, r.Status, r.Raw, tc.status, tc.code)
			}
			if strings.HasPrefix(tc.name, "the submitter") && (r.errField() != "answer" || !strings.HasPrefix(r.errMessage(), "公开内容中含有反映人的")) {
				t.Errorf("%s: %s; want the answer refused", tc.name, r.Raw)
			}
		}
		if r := v.do("POST", publish, map[string]any{"version": version, "published": true}); r.Status != 401 {
			t.Errorf("anonymous publish: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", "/api/v1/public/results", nil); r.num("total") != 0 {
			t.Errorf("results before publishing: %s", r.Raw)
		}
		r := office.do("POST", publish, map[string]any{"version": version, "published": true, "answer": "已联系物业修复。如有问题请拨打13800138000。"})
		if r.Status != 200 || r.Body["published_at"] == nil || r.num("version") != version+1 {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}

		r = v.do("GET", "/api/v1/public/results", nil)
		if r.Status != 200 || r.num("total") != 1 {
			t.Fatalf("results: %d %s", r.Status, r.Raw)
		}
		res := r.Body["items"].([]any)[0].(map[string]any)
		if res["submitter"] != "张*" || !strings.Contains(res["answer"].(string), "138****8000") || res["title"] != "路灯不亮" {
			t.Errorf("result = %v", res)
		}
		for _, secret := range []string{"13912340000", "13800138000", "张三"} {
			if bytes.Contains(r.Raw, []byte(secret)) {
				t.Errorf("results show %q: %s", secret, r.Raw)
			}
		}
		for _, tc := range []struct {
			query  string
			status int
			total  int64
			field  string
		}{
			{"?month=2026-03", 200, 1, ""},
			{"?month=2026-04", 200, 0, ""},
			{"?region=330206004", 200, 1, ""},
			{"?region=330206003", 200, 0, ""},
			{"?category=道路照明", 200, 1, ""},
			{"?category=教育", 200, 0, ""},
			{"?month=三月", 400, 0, "month"},
			{"?region=abc", 400, 0, "region"},
			{"?per_page=x", 400, 0, "per_page"},
		} {
			r := v.do("GET", "/api/v1/public/results"+tc.query, nil)
			if r.Status != tc.status || r.num("total") != tc.total || r.errField() != tc.field {
				t.Errorf("results%s: %d %s; want %d total %d field %q", tc.query, r.Status, r.Raw, tc.status, tc.total, tc.field)
			}
		}
	})
}

func TestDeputyPhotoAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		v := e.voter(t, "203.0.113.70")
		office, deputy := e.as(t, "officea"), e.as(t, "deputya")
		staffPath := "/api/v1/deputies/" + itoa(e.w.DeputyA1.ID) + "/photo"
		publicPath := "/api/v1/public/deputies/" + itoa(e.w.DeputyA1.ID) + "/photo"
		put := func(c *client, ct string, body []byte) response {
			t.Helper()
			return e.call(t, "127.0.0.1", c.token, "PUT", staffPath, ct, bytes.NewReader(body))
		}

		if r := v.do("GET", publicPath, nil); r.Status != 404 || r.errCode() != "not_found" {
			t.Errorf("no photo yet: %d %s", r.Status, r.Raw)
		}
		if r := put(office, "image/png", tinyPNG); r.Status != 204 || len(r.Raw) != 0 {
			t.Fatalf("office sets the photo: %d %s", r.Status, r.Raw)
		}
		r := v.do("GET", publicPath, nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("Cache-Control") != "public, max-age=3600" ||
			!bytes.Equal(r.Raw, tinyPNG) {
			t.Errorf("public photo: %d %v %d bytes", r.Status, r.Header, len(r.Raw))
		}
		req := httptest.NewRequest("GET", publicPath, nil)
		req.Header.Set("If-Modified-Since", r.Header.Get("Last-Modified"))
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("conditional GET: %d; want 304", rec.Code)
		}
		if r := v.do("GET", "/api/v1/public/deputies/"+itoa(e.w.DeputyA1.ID), nil); r.Body["has_photo"] != true {
			t.Errorf("profile after the photo: %s", r.Raw)
		}
		// The deputy sets their own, as a form.
		ct, body := multipartForm(t, "photo", "me.png", tinyPNG, nil)
		if r := put(deputy, ct, body); r.Status != 204 {
			t.Errorf("deputy sets own photo: %d %s", r.Status, r.Raw)
		}

		for _, tc := range []struct {
			name   string
			who    *client
			ct     string
			body   []byte
			status int
		}{
			{"not an image", office, "image/png", []byte("%PDF-1.4 not a photo"), 400},
			{"empty body", office, "image/png", nil, 400},
			{"too big", office, "image/png", bigPNG(lianluo.MaxPhotoBytes + 2<<20), 413},
			{"liaison", e.as(t, "liaisona"), "image/png", tinyPNG, 403},
			{"unit handler", e.as(t, "unit"), "image/png", tinyPNG, 404},
			{"anonymous", &client{}, "image/png", tinyPNG, 401},
		} {
			r := put(tc.who, tc.ct, tc.body)
			// A unit handler may be told 403 or 404 (not in scope); either refuses.
			if r.Status != tc.status && !(tc.status == 404 && r.Status == 403) {
				t.Errorf("%s: %d %s; want %d", tc.name, r.Status, r.Raw, tc.status)
			}
		}
		if r := v.do("GET", publicPath, nil); r.Status != 200 {
			t.Errorf("photo after refused uploads: %d; want it kept", r.Status)
		}
		if r := e.call(t, "127.0.0.1", e.as(t, "liaisona").token, "DELETE", staffPath, "", nil); r.Status != 403 {
			t.Errorf("liaison deletes the photo: %d %s", r.Status, r.Raw)
		}
		if r := office.do("DELETE", staffPath, nil); r.Status != 204 {
			t.Errorf("office deletes the photo: %d %s", r.Status, r.Raw)
		}
		if r := v.do("GET", publicPath, nil); r.Status != 404 || r.errCode() != "not_found" {
			t.Errorf("photo after delete: %d %s", r.Status, r.Raw)
		}
	})
}
