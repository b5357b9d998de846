package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// client talks to a test server as one user.
type client struct {
	t     *testing.T
	base  string
	token string
}

type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	json.Unmarshal(raw, &r.Body)
	return r
}

func (r response) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r response) errField() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["field"].(string)
	return s
}

func (r response) num(key string) int64 {
	f, _ := r.Body[key].(float64)
	return int64(f)
}

type env struct {
	w    *storetest.World
	db   *sqlstore.DB
	h    http.Handler // the whole server, for requests from a chosen client address
	url  string
	anon *client
}

func setup(t *testing.T, db *sqlstore.DB) *env {
	t.Helper()
	w := storetest.MustWorld(t, db)
	svc := db.Services()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	h := server.New(server.Config{Services: svc, DB: db, Logger: logger,
		API: api.New(api.Config{Services: svc, Logger: logger, Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000}), Now: db.Now})})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{w: w, db: db, h: h, url: srv.URL, anon: &client{t: t, base: srv.URL}}
}

// as logs in through the API and returns a client with the bearer token.
func (e *env) as(t *testing.T, username string) *client {
	t.Helper()
	r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": storetest.Password})
	if r.Status != 200 {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Raw)
	}
	return &client{t: t, base: e.url, token: r.Body["token"].(string)}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		if r := e.anon.do("GET", "/api/v1/orgs", nil); r.Status != 401 || r.errCode() != "unauthorized" {
			t.Errorf("no token: %d %s", r.Status, r.Raw)
		}
		r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": storetest.Password})
		if r.Status != 200 || r.Body["token"] == "" {
			t.Fatalf("login: %d %s", r.Status, r.Raw)
		}
		user := r.Body["user"].(map[string]any)
		if user["username"] != "admin" || user["password"] != nil {
			t.Errorf("login user = %v", user)
		}
		c := &client{t: t, base: e.url, token: r.Body["token"].(string)}
		if r := c.do("GET", "/api/v1/auth/me", nil); r.Status != 200 || r.Body["username"] != "admin" {
			t.Errorf("me: %d %s", r.Status, r.Raw)
		}
		for i := 0; i < 4; i++ {
			if r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "unit", "password": "bad"}); r.Status != 401 {
				t.Fatalf("bad password: %d %s", r.Status, r.Raw)
			}
		}
		if r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "unit", "password": "bad"}); r.Status != 401 || r.errCode() != "unauthorized" {
			t.Errorf("fifth bad password: %d %s", r.Status, r.Raw)
		}
		if r := c.do("POST", "/api/v1/auth/logout", nil); r.Status != 204 {
			t.Errorf("logout: %d", r.Status)
		}
		if r := c.do("GET", "/api/v1/auth/me", nil); r.Status != 401 {
			t.Errorf("me after logout: %d", r.Status)
		}
	})
}

// A locked account and a name that is no account get the same status and
// the same body, on every try: the answers do not tell which names exist.
func TestLoginLockedLikeUnknown(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		login := func(username, password string) response {
			return e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
		}
		for i := 1; i <= 7; i++ {
			real, unknown := login("unit", "bad-Password1"), login("nobody", "bad-Password1")
			if real.Status != 401 || real.Status != unknown.Status || string(real.Raw) != string(unknown.Raw) {
				t.Errorf("try %d: account %d %s; unknown name %d %s; want the same 401", i, real.Status, real.Raw, unknown.Status, unknown.Raw)
			}
		}
		locked, unknown := login("unit", storetest.Password), login("nobody", storetest.Password)
		if locked.Status != 401 || locked.Status != unknown.Status || string(locked.Raw) != string(unknown.Raw) {
			t.Errorf("right password of a locked account: %d %s; unknown name %d %s; want the same 401", locked.Status, locked.Raw, unknown.Status, unknown.Raw)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	svc := lianluo.Services{Auth: db}
	h := server.New(server.Config{Services: svc, DB: db, Logger: slog.New(slog.DiscardHandler),
		API: api.New(api.Config{Services: svc, Logger: slog.New(slog.DiscardHandler),
			Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 3, PerName: 5})})})
	try := func(addr, username string) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"username":"`+username+`","password":"y"}`))
		req.RemoteAddr = addr + ":1234"
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	// Per address: three a minute, whatever the names.
	codes := []int{}
	for _, name := range []string{"a", "b", "c", "d"} {
		codes = append(codes, try("192.0.2.1", name))
	}
	if got, want := codes, []int{401, 401, 401, 429}; !equalInts(got, want) {
		t.Errorf("one address: login statuses = %v; want %v", got, want)
	}
	// Per name: five a minute, whatever the addresses (a known name or not).
	codes = codes[:0]
	for i := range 6 {
		codes = append(codes, try("198.51.100."+strconv.Itoa(i), "Admin"))
	}
	if got, want := codes, []int{401, 401, 401, 401, 401, 429}; !equalInts(got, want) {
		t.Errorf("one name: login statuses = %v; want %v", got, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRegistryCRUD(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "officea")

		// Create answers 201 with the object and its id.
		r := office.do("POST", "/api/v1/deputies", map[string]any{
			"name": "孙丽华", "gender": "female", "phone": "13700001234", "region_code": "330206004000",
			"seats":       []map[string]any{{"level": "county", "term": 18, "constituency": "第5选区"}, {"level": "city", "term": 16}},
			"station_ids": []int64{e.w.StationA.ID},
		})
		if r.Status != 201 || r.num("id") == 0 || r.num("version") != 1 || r.Body["region_code"] != "330206004" {
			t.Fatalf("create deputy: %d %s", r.Status, r.Raw)
		}
		id := r.num("id")
		path := "/api/v1/deputies/" + itoa(id)
		if r := office.do("GET", path, nil); r.Status != 200 || len(r.Body["seats"].([]any)) != 2 {
			t.Errorf("get deputy: %d %s", r.Status, r.Raw)
		}
		// Update with the version; a second update with the old version is 409.
		r = office.do("PATCH", path, map[string]any{"occupation": "教师", "version": 1})
		if r.Status != 200 || r.num("version") != 2 || r.Body["occupation"] != "教师" {
			t.Fatalf("update: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"occupation": "医生", "version": 1}); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale update: %d %s", r.Status, r.Raw)
		}
		if r := office.do("PATCH", path, map[string]any{"occupation": "医生"}); r.Status != 400 || r.errField() != "version" {
			t.Errorf("update without version: %d %s", r.Status, r.Raw)
		}
		// Deactivate: the deputy leaves office but stays on record.
		r = office.do("PATCH", path, map[string]any{"status": "terminated", "version": 2})
		if r.Status != 200 || r.Body["status"] != "terminated" {
			t.Errorf("terminate: %d %s", r.Status, r.Raw)
		}
		// Lists page.
		r = office.do("GET", "/api/v1/deputies?per_page=1&page=2", nil)
		if r.Status != 200 || r.num("total") != 3 || len(r.Body["items"].([]any)) != 1 {
			t.Errorf("list page 2: %d %s", r.Status, r.Raw)
		}
		// The change is in the audit trail with the actor.
		r = e.as(t, "auditor").do("GET", "/api/v1/audit?entity=deputy&entity_id="+itoa(id), nil)
		if r.Status != 200 || r.num("total") != 3 {
			t.Errorf("audit: %d %s", r.Status, r.Raw)
		} else if ev := r.Body["items"].([]any)[0].(map[string]any); ev["action"] != "deactivate" || !strings.Contains(ev["actor_name"].(string), "officea") {
			t.Errorf("latest event = %v", ev)
		}
		if r := office.do("GET", "/api/v1/audit", nil); r.Status != 403 {
			t.Errorf("audit as office: %d", r.Status)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Bad input gets a 400 naming the field and writes nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		admin := e.as(t, "admin")
		before := admin.do("GET", "/api/v1/orgs", nil).num("total")
		long := strings.Repeat("长", 101)
		for _, tc := range []struct {
			name, body string
			status     int
			field      string
		}{
			{"malformed", `{"kind":`, 400, "body"},
			{"not an object", `[1,2]`, 400, ""},
			{"two objects", `{"kind":"npc"}{}`, 400, "body"},
			{"empty", ``, 400, "body"},
			{"unknown field", `{"kind":"unit","name":"甲","region_code":"330206","colour":"red"}`, 400, "colour"},
			{"wrong type", `{"kind":"unit","name":7,"region_code":"330206"}`, 400, "name"},
			{"missing name", `{"kind":"unit","region_code":"330206"}`, 400, "name"},
			{"too long", `{"kind":"unit","name":"` + long + `","region_code":"330206"}`, 400, "name"},
			{"bad region", `{"kind":"unit","name":"甲","region_code":"33x"}`, 400, "region_code"},
			{"unknown region", `{"kind":"unit","name":"甲","region_code":"110101"}`, 400, "region_code"},
			{"bad phone", `{"kind":"unit","name":"甲","region_code":"330206","phone":"123"}`, 400, "phone"},
			{"duplicate", `{"kind":"unit","name":"区住房和城乡建设局","region_code":"330206"}`, 400, "name"},
		} {
			r := admin.do("POST", "/api/v1/orgs", tc.body)
			if r.Status != tc.status || (tc.field != "" && r.errField() != tc.field) {
				t.Errorf("%s: %d %s; want %d field %q", tc.name, r.Status, r.Raw, tc.status, tc.field)
			}
			if msg, _ := r.Body["error"].(map[string]any)["message"].(string); !regexp.MustCompile(`\p{Han}`).MatchString(msg) {
				t.Errorf("%s: message %q is not Chinese", tc.name, msg)
			}
		}
		if after := admin.do("GET", "/api/v1/orgs", nil).num("total"); after != before {
			t.Errorf("orgs after bad input = %d; want %d", after, before)
		}
		// Bad query parameters and IDs.
		if r := admin.do("GET", "/api/v1/orgs?active=maybe", nil); r.Status != 400 || r.errField() != "active" {
			t.Errorf("bad bool: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("GET", "/api/v1/deputies?station_id=x", nil); r.Status != 400 || r.errField() != "station_id" {
			t.Errorf("bad int: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("GET", "/api/v1/orgs/abc", nil); r.Status != 404 {
			t.Errorf("bad id: %d", r.Status)
		}
		if r := admin.do("GET", "/api/v1/nothing", nil); r.Status != 404 || r.errCode() != "not_found" {
			t.Errorf("unknown endpoint: %d %s", r.Status, r.Raw)
		}
		// Duplicate usernames.
		u := map[string]any{"username": "admin", "password": storetest.Password, "display_name": "甲", "roles": []map[string]any{{"role": "system_admin"}}}
		if r := admin.do("POST", "/api/v1/users", u); r.Status != 400 || r.errField() != "username" {
			t.Errorf("duplicate username: %d %s", r.Status, r.Raw)
		}
	})
}

// Another town's records answer 404 through the API; roles without the
// right get 403.
func TestScopeThroughAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		officeA := e.as(t, "officea")
		for _, p := range []string{
			"/api/v1/stations/" + itoa(e.w.StationB.ID),
			"/api/v1/deputies/" + itoa(e.w.DeputyB.ID),
			"/api/v1/orgs/" + itoa(e.w.TownB.ID),
			"/api/v1/users/" + itoa(e.w.Users["admin"].ID),
		} {
			if r := officeA.do("GET", p, nil); r.Status != 404 {
				t.Errorf("officea GET %s: %d; want 404", p, r.Status)
			}
		}
		if r := officeA.do("PATCH", "/api/v1/stations/"+itoa(e.w.StationB.ID), map[string]any{"name": "x", "version": 1}); r.Status != 404 {
			t.Errorf("officea PATCH other station: %d", r.Status)
		}
		r := officeA.do("GET", "/api/v1/stations", nil)
		if r.num("total") != 1 {
			t.Errorf("officea stations total = %d; want 1", r.num("total"))
		}
		unit := e.as(t, "unit")
		if r := unit.do("POST", "/api/v1/orgs", map[string]any{"kind": "unit", "name": "乙", "region_code": "330206"}); r.Status != 403 {
			t.Errorf("unit creates org: %d %s", r.Status, r.Raw)
		}
		if r := unit.do("POST", "/api/v1/users", map[string]any{"username": "zz", "password": storetest.Password, "display_name": "甲", "roles": []map[string]any{{"role": "system_admin"}}}); r.Status != 403 {
			t.Errorf("unit creates user: %d %s", r.Status, r.Raw)
		}
	})
}

func TestRegions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		c := e.as(t, "deputya")
		r := c.do("GET", "/api/v1/regions?parent=330206&per_page=100", nil)
		if r.Status != 200 || r.num("total") != 12 {
			t.Fatalf("children of 330206: %d %s", r.Status, r.Raw)
		}
		first := r.Body["items"].([]any)[0].(map[string]any)
		if first["code"] != "330206001" || first["name"] != "大榭街道" || first["level"] != "town" || first["parent_code"] != "330206" {
			t.Errorf("first town = %v", first)
		}
		if r := c.do("GET", "/api/v1/regions?parent=330206004000", nil); r.num("total") != 44 {
			t.Errorf("villages of 大碶 (padded code) = %d; want 44", r.num("total"))
		}
		if r := c.do("GET", "/api/v1/regions", nil); r.num("total") != 1 {
			t.Errorf("provinces = %d; want 1 (only 浙江 loaded)", r.num("total"))
		}
		if r := c.do("GET", "/api/v1/regions/330206", nil); r.Status != 200 || r.Body["name"] != "北仑区" {
			t.Errorf("region 330206: %d %s", r.Status, r.Raw)
		}
		if r := c.do("GET", "/api/v1/regions/999", nil); r.Status != 404 {
			t.Errorf("region 999: %d", r.Status)
		}
		if r := c.do("GET", "/api/v1/regions?parent=abc", nil); r.Status != 400 || r.errField() != "parent" {
			t.Errorf("bad parent: %d %s", r.Status, r.Raw)
		}
	})
}

// The OpenAPI document describes exactly the routes the server answers.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	e := setup(t, db)
	r := e.anon.do("GET", "/api/v1/openapi.json", nil)
	if r.Status != 200 || r.Body["openapi"] != "3.0.3" {
		t.Fatalf("openapi: %d", r.Status)
	}
	var documented []string
	for path, item := range r.Body["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(documented)
	// Every documented operation is routed (not the catch-all 404), and
	// answers something other than "no such endpoint".
	admin := e.as(t, "admin")
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		path = strings.NewReplacer("{id}", "1", "{code}", "330206", "{tracking_code}", "ABCDEFGHJK").Replace(path)
		res := admin.do(method, path, "{}")
		if res.Status == 404 && strings.Contains(string(res.Raw), "接口不存在") {
			t.Errorf("%s is documented but not routed", op)
		}
		if res.Status == 405 {
			t.Errorf("%s is documented but the method is not allowed", op)
		}
	}
	// And every route is documented: the source's route table is the spec's source;
	// check a few that must be there per the README.
	for _, want := range []string{"POST /api/v1/auth/login", "GET /api/v1/regions", "GET /api/v1/orgs", "POST /api/v1/stations",
		"PATCH /api/v1/deputies/{id}", "GET /api/v1/groups", "POST /api/v1/users", "GET /api/v1/audit", "GET /api/v1/openapi.json",
		"GET /api/v1/public/stations", "POST /api/v1/public/opinions", "GET /api/v1/public/opinions/{tracking_code}",
		"GET /api/v1/public/results", "POST /api/v1/cases/{id}/publish", "PUT /api/v1/deputies/{id}/photo"} {
		if i := sort.SearchStrings(documented, want); i >= len(documented) || documented[i] != want {
			t.Errorf("%s is not documented", want)
		}
	}
	schemas := r.Body["components"].(map[string]any)["schemas"].(map[string]any)
	dep := schemas["Deputy"].(map[string]any)["properties"].(map[string]any)
	if _, ok := dep["seats"]; !ok {
		t.Errorf("Deputy schema lacks seats: %v", dep)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	e := setup(t, db)
	for _, p := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(e.url + p)
		if err != nil || res.StatusCode != 200 {
			t.Errorf("%s: %v %v", p, res, err)
		}
	}
}

func TestSheets(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "officea")
		// Export holds only the caller's scope.
		req, _ := http.NewRequest("GET", e.url+"/api/v1/exports/stations", nil)
		req.Header.Set("Authorization", "Bearer "+office.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %v %v", res, err)
		}
		xlsx, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if bytes.Contains(xlsx, []byte("小港")) {
			t.Error("town A export contains town B's station")
		}
		if r := office.do("GET", "/api/v1/templates/planets", nil); r.Status != 404 {
			t.Errorf("unknown template: %d", r.Status)
		}
		// A template imports nothing and says which column is missing or that it is empty.
		req, _ = http.NewRequest("GET", e.url+"/api/v1/templates/orgs", nil)
		req.Header.Set("Authorization", "Bearer "+office.token)
		res, _ = http.DefaultClient.Do(req)
		tmpl, _ := io.ReadAll(res.Body)
		res.Body.Close()
		imp := func(c *client, body []byte) response {
			req, _ := http.NewRequest("POST", e.url+"/api/v1/imports/orgs", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			req.Header.Set("Authorization", "Bearer "+c.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			r := response{Status: res.StatusCode, Raw: raw}
			json.Unmarshal(raw, &r.Body)
			return r
		}
		if r := imp(office, tmpl); r.Status != 400 || r.errField() != "file" {
			t.Errorf("import of an empty template: %d %s", r.Status, r.Raw)
		}
		if r := imp(office, []byte("not a spreadsheet")); r.Status != 400 || r.errField() != "file" {
			t.Errorf("import of junk: %d %s", r.Status, r.Raw)
		}
		// Bad rows come back each with its row and column; nothing is written.
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]string{"机构名称", "类型", "行政区划代码", "上级机构"})
		f.SetSheetRow("Sheet1", "A2", &[]string{"大碶街道社区服务中心", "承办单位", "330206004", ""})
		f.SetSheetRow("Sheet1", "A3", &[]string{"", "承办单位", "330206004", ""})
		f.SetSheetRow("Sheet1", "A4", &[]string{"小港某单位", "承办单位", "330206003", ""})
		var buf bytes.Buffer
		f.Write(&buf)
		before := office.do("GET", "/api/v1/orgs", nil).num("total")
		r := imp(office, buf.Bytes())
		errBody, _ := r.Body["error"].(map[string]any)
		rows, _ := errBody["rows"].([]any)
		if r.Status != 400 || len(rows) != 2 {
			t.Errorf("import with bad rows: %d %s", r.Status, r.Raw)
		} else if first := rows[0].(map[string]any); first["row"] != float64(3) || first["field"] != "机构名称" {
			t.Errorf("first bad row = %v; want row 3, 机构名称", first)
		}
		if after := office.do("GET", "/api/v1/orgs", nil).num("total"); after != before {
			t.Errorf("orgs after a failed import = %d; want %d", after, before)
		}
		if r := imp(e.as(t, "unit"), tmpl); r.Status != 403 {
			t.Errorf("import by a unit handler: %d", r.Status)
		}
	})
}
