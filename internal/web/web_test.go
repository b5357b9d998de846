package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

const password = "Daqi-2026wk"

// fixture is a small district: 北仑区 with two towns, their NPC bodies,
// two units, deputies, stations and a group, and the accounts of everyone
// in the case workflow.
type fixture struct {
	db                     *sqlstore.DB
	srv                    *httptest.Server
	district, dq, xg, unit *lianluo.Org // 区人大常委会, 大碶 and 小港 NPC bodies, a district unit
	dqUnit                 *lianluo.Org // a unit in 大碶 (大碶街道办事处)
	dqStation, xgStation   *lianluo.Station
	dep1, dep2, dep3       *lianluo.Deputy // dep3 is in 小港
	group                  *lianluo.DeputyGroup
	admin, clerk, handler  *lianluo.User // clerk: npc_office of 大碶; handler: unit_handler of the district unit
	security, auditor      *lianluo.User // the other two administrators (三员分立)
	// The case workflow in 大碶: the 人大工委 leader, the 街道办 handler,
	// the station's liaison, and dep1's own account.
	leader, unitHandler, liaison, deputy *lianluo.User
}

// Fixture sizes, for tests that count.
const (
	fixtureUnits = 2
	fixtureUsers = 9
)

// each runs fn on a fresh fixture on SQLite and, when configured, PostgreSQL.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, newFixture(t, db)) })
}

func newFixture(t *testing.T, db *sqlstore.DB) *fixture { return newFixtureAPI(t, db, nil) }

// newFixtureAPI also serves the JSON API at /api/, built by api from the
// same services (the browser test needs GET /api/v1/regions).
func newFixtureAPI(t *testing.T, db *sqlstore.DB, api func(lianluo.Services) http.Handler) *fixture {
	t.Helper()
	storetest.MustLoadRegions(t, db, "330206")
	storetest.NoSecondFactor(t, db)
	ctx := storetest.SystemContext()
	f := &fixture{db: db}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.district = &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}
	must(db.CreateOrg(ctx, f.district))
	f.dq = &lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004", ParentID: &f.district.ID}
	must(db.CreateOrg(ctx, f.dq))
	f.xg = &lianluo.Org{Kind: "npc", Name: "小港街道人大工委", RegionCode: "330206003", ParentID: &f.district.ID}
	must(db.CreateOrg(ctx, f.xg))
	f.unit = &lianluo.Org{Kind: "unit", Name: "北仑区住房和城乡建设局", RegionCode: "330206"}
	must(db.CreateOrg(ctx, f.unit))
	f.dqUnit = &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
	must(db.CreateOrg(ctx, f.dqUnit))
	dep := func(name, region, phone string) *lianluo.Deputy {
		d := &lianluo.Deputy{Name: name, Gender: "female", Phone: phone, RegionCode: region,
			Seats: []lianluo.Seat{{Level: "county", Term: 18, Constituency: "第3选区"}}}
		must(db.CreateDeputy(ctx, d))
		return d
	}
	f.dep1 = dep("王秀英", "330206004", "13812345678")
	f.dep2 = dep("李建国", "330206004002", "")
	f.dep3 = dep("陈海波", "330206003", "13900001111")
	f.dqStation = &lianluo.Station{Kind: "center", Name: "大碶街道人大代表联络站", RegionCode: "330206004", OrgID: f.dq.ID,
		DeputyIDs: []int64{f.dep1.ID, f.dep2.ID}, HeadDeputyID: &f.dep1.ID, Liaisons: []lianluo.Liaison{{Name: "周敏", Phone: "13700002222"}}}
	must(db.CreateStation(ctx, f.dqStation))
	f.xgStation = &lianluo.Station{Kind: "village", Name: "小港街道渡头董村联络站", RegionCode: "330206003", OrgID: f.xg.ID,
		DeputyIDs: []int64{f.dep3.ID}}
	must(db.CreateStation(ctx, f.xgStation))
	f.group = &lianluo.DeputyGroup{Name: "大碶第一代表小组", OrgID: f.dq.ID, RegionCode: "330206004", LeaderID: &f.dep1.ID}
	must(db.CreateGroup(ctx, f.group))
	user := func(username, name string, g lianluo.Grant) *lianluo.User {
		u := &lianluo.User{Username: username, DisplayName: name, Password: password, Roles: []lianluo.Grant{g}}
		storetest.MustCreateUser(t, db, ctx, u)
		return u
	}
	f.admin = user("admin", "系统管理员张", lianluo.Grant{Role: "system_admin"})
	f.security = user("security", "安全管理员李", lianluo.Grant{Role: "security_admin"})
	f.auditor = user("auditor", "审计员赵", lianluo.Grant{Role: "auditor"})
	f.clerk = user("dqclerk", "大碶文员", lianluo.Grant{Role: "npc_office", OrgID: &f.dq.ID})
	f.handler = user("zjhandler", "住建经办人", lianluo.Grant{Role: "unit_handler", OrgID: &f.unit.ID})
	f.leader = user("dqleader", "大碶工委主任", lianluo.Grant{Role: "npc_leader", OrgID: &f.dq.ID})
	f.unitHandler = user("dqunit", "街道办经办人", lianluo.Grant{Role: "unit_handler", OrgID: &f.dqUnit.ID})
	f.liaison = user("dqliaison", "联络员周敏", lianluo.Grant{Role: "liaison", StationID: &f.dqStation.ID})
	f.deputy = user("wangxy", "王秀英", lianluo.Grant{Role: "deputy", DeputyID: &f.dep1.ID})

	svc := db.Services()
	// The pages use the store's clock: deadlines are counted from the same "now".
	// Tests log in often from one address: the limits are tested in
	// internal/server, on a limiter of their own.
	logins := server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000})
	pages, err := web.New(web.Config{Services: svc, Logger: slog.New(slog.DiscardHandler), Now: db.Now, Logins: logins})
	must(err)
	cfg := server.Config{Services: svc, DB: db, Logger: slog.New(slog.DiscardHandler), Pages: pages}
	if api != nil {
		cfg.API = api(svc)
	}
	f.srv = httptest.NewServer(server.New(cfg))
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser-like client that does not follow redirects, so tests
// see the 303s.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (f *fixture) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: f.srv.URL, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	Status int
	Body   string
	Header http.Header
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Body: string(b), Header: res.Header}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, header ...string) response {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) login(username string) {
	c.t.Helper()
	res := c.post("/console/login", url.Values{"username": {username}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d; want 303\n%s", username, res.Status, res.Body)
	}
}

func (f *fixture) loggedIn(t *testing.T, username string) *client {
	c := f.client(t)
	c.login(username)
	return c
}

func wantStatus(t *testing.T, what string, res response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d; want %d\n%s", what, res.Status, want, clip(res.Body))
	}
}

func wantBody(t *testing.T, what string, res response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(res.Body, s) {
			t.Errorf("%s: body lacks %q\n%s", what, s, clip(res.Body))
		}
	}
}

func wantNoBody(t *testing.T, what string, res response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(res.Body, s) {
			t.Errorf("%s: body has %q; it should not", what, s)
		}
	}
}

func clip(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}

// fieldError is the message shown next to a field.
var fieldErrorRe = regexp.MustCompile(`<p class="field-error" id="([a-z_0-9]+)-error">([^<]*)</p>`)

func fieldErrors(body string) map[string]string {
	m := map[string]string{}
	for _, x := range fieldErrorRe.FindAllStringSubmatch(body, -1) {
		m[x[1]] = x[2]
	}
	return m
}

func idFromLocation(t *testing.T, res response, prefix string) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, prefix)
	if !ok {
		t.Fatalf("Location = %q; want %s{id}…", loc, prefix)
	}
	rest, _, _ = strings.Cut(rest, "?")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		t.Fatalf("Location = %q: %v", loc, err)
	}
	return id
}

func TestLogin(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.client(t)

		res := c.get("/console/orgs?kind=npc")
		wantStatus(t, "anonymous /console/orgs", res, http.StatusSeeOther)
		if got, want := res.Header.Get("Location"), "/console/login?next="+url.QueryEscape("/console/orgs?kind=npc"); got != want {
			t.Errorf("anonymous redirect Location = %q; want %q", got, want)
		}
		res = c.get("/console/login")
		wantStatus(t, "login form", res, http.StatusOK)
		wantBody(t, "login form", res, "登录工作平台", `name="username"`, `name="password"`)

		// Wrong password: the form again, with the message and the name kept.
		res = c.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {"wrong-Password1"}})
		wantStatus(t, "bad password", res, http.StatusUnauthorized)
		wantBody(t, "bad password", res, "用户名或密码错误", `value="dqclerk"`)
		if got := res.Header.Get("Set-Cookie"); got != "" {
			t.Errorf("bad password set a cookie: %q", got)
		}
		// Five failures in a row lock the account; then even the right password is refused.
		for i := 2; i <= 4; i++ {
			res = c.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {"wrong-Password1"}})
			wantStatus(t, fmt.Sprintf("bad password %d", i), res, http.StatusUnauthorized)
		}
		res = c.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {"wrong-Password1"}})
		wantStatus(t, "fifth bad password", res, http.StatusUnauthorized)
		wantBody(t, "fifth bad password", res, "用户名或密码错误")
		res = c.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {password}})
		wantStatus(t, "locked account, right password", res, http.StatusUnauthorized)
		wantBody(t, "locked account, right password", res, "用户名或密码错误，或账号因多次登录失败已暂时锁定")

		// A good login sets the session cookie and goes to next (only local console paths).
		for _, tc := range []struct{ next, want string }{
			{"", "/console/"},
			{"/console/deputies?status=in_office", "/console/deputies?status=in_office"},
			{"//evil.example/console/", "/console/"},
			{"https://evil.example/console/", "/console/"},
			{"/static/app.css", "/console/"},
			{"/console/\\evil", "/console/"},
		} {
			c := f.client(t)
			res := c.post("/console/login", url.Values{"username": {"admin"}, "password": {password}, "next": {tc.next}})
			wantStatus(t, "login next="+tc.next, res, http.StatusSeeOther)
			if got := res.Header.Get("Location"); got != tc.want {
				t.Errorf("login next=%q: Location = %q; want %q", tc.next, got, tc.want)
			}
			cookie := res.Header.Get("Set-Cookie")
			for _, want := range []string{lianluo.SessionCookie + "=", "Path=/", "HttpOnly", "SameSite=Lax"} {
				if !strings.Contains(cookie, want) {
					t.Errorf("Set-Cookie = %q; want %s", cookie, want)
				}
			}
			if strings.Contains(cookie, "Max-Age") || strings.Contains(cookie, "Expires") || strings.Contains(cookie, "Secure") {
				t.Errorf("Set-Cookie = %q; want a session cookie, not Secure over plain HTTP", cookie)
			}
		}

		a := f.loggedIn(t, "admin")
		res = a.get("/console/")
		wantStatus(t, "dashboard", res, http.StatusOK)
		wantBody(t, "dashboard", res, "您好，系统管理员张", "系统管理员")
		res = a.get("/console/login")
		wantStatus(t, "login page when logged in", res, http.StatusSeeOther)

		res = a.post("/console/logout", nil)
		wantStatus(t, "logout", res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != "/console/login" {
			t.Errorf("logout Location = %q", got)
		}
		res = a.get("/console/")
		wantStatus(t, "dashboard after logout", res, http.StatusSeeOther)
	})
}

// On the console a locked account and a name that is no account get the
// same status and the same page (but for the name the form keeps).
func TestLoginLockedLikeUnknown(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.client(t)
		try := func(username, pw string) response {
			res := c.post("/console/login", url.Values{"username": {username}, "password": {pw}})
			res.Body = strings.ReplaceAll(res.Body, `value="`+username+`"`, `value="NAME"`)
			return res
		}
		for i := 1; i <= 7; i++ {
			real, unknown := try("dqclerk", "wrong-Password1"), try("nobodyhere", "wrong-Password1")
			if real.Status != http.StatusUnauthorized || real.Status != unknown.Status || real.Body != unknown.Body {
				t.Fatalf("try %d: account %d, unknown name %d; want the same 401 and page\n%s\n%s", i, real.Status, unknown.Status, clip(real.Body), clip(unknown.Body))
			}
		}
		locked, unknown := try("dqclerk", password), try("nobodyhere", password)
		if locked.Status != http.StatusUnauthorized || locked.Status != unknown.Status || locked.Body != unknown.Body {
			t.Errorf("right password of a locked account %d, unknown name %d; want the same 401 and page", locked.Status, unknown.Status)
		}
	})
}

func TestPagesRender(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "admin")
		// Make a locked user so the unlock checkbox shows.
		for range 5 {
			f.client(t).post("/console/login", url.Values{"username": {"zjhandler"}, "password": {"nope-Nope-1"}})
		}
		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/console/", []string{"您好", "联络站", "今年意见办理情况", "受理数", "件件有回音率", "进站代表不足2名的联络站", "小港街道渡头董村联络站"}},
			{"/console/regions", []string{"北仑区", "大碶街道", "乡镇/街道", "330206004"}},
			{"/console/regions?parent=330206004", []string{"大碶街道", "村/社区"}},
			{"/console/regions?q=" + url.QueryEscape("大碶"), []string{"大碶街道"}},
			{"/console/orgs", []string{"大碶街道人大工委", "北仑区住房和城乡建设局", "新建机构"}},
			{"/console/orgs?kind=unit&active=1", []string{"北仑区住房和城乡建设局"}},
			{"/console/orgs/new", []string{"机构名称", `name="region_code"`, "大碶街道"}},
			{fmt.Sprintf("/console/orgs/%d", f.dq.ID), []string{"大碶街道人大工委", "北仑区人大常委会", "停用该机构"}},
			{fmt.Sprintf("/console/orgs/%d/edit", f.dq.ID), []string{`name="version" value="1"`, `value="大碶街道人大工委"`}},
			{"/console/stations", []string{"大碶街道人大代表联络站", "不足2名"}},
			{"/console/stations/new", []string{"联络站名称", "主管人大机构", `name="liaison_name"`, `name="deputy_ids"`}},
			{fmt.Sprintf("/console/stations/%d", f.dqStation.ID), []string{"大碶街道人大代表联络站", "王秀英", "周敏", "137****2222"}},
			{fmt.Sprintf("/console/stations/%d/edit", f.dqStation.ID), []string{`name="version"`, "13700002222"}},
			{"/console/deputies", []string{"王秀英", `<td data-label="代表层级">北仑区人大代表</td>`, "138****5678"}},
			{"/console/deputies?level=county&status=in_office", []string{"王秀英"}},
			{"/console/deputies/new", []string{"代表层级与届次", `name="seat_level"`, `name="station_ids"`}},
			{fmt.Sprintf("/console/deputies/%d", f.dep1.ID), []string{"王秀英", "第十八届", "第3选区", "138****5678", "大碶街道人大代表联络站"}},
			{fmt.Sprintf("/console/deputies/%d/edit", f.dep1.ID), []string{`value="13812345678"`, `value="18"`}},
			{"/console/groups", []string{"大碶第一代表小组"}},
			{"/console/groups/new", []string{"小组名称", "组长"}},
			{fmt.Sprintf("/console/groups/%d", f.group.ID), []string{"大碶第一代表小组", "王秀英"}},
			{fmt.Sprintf("/console/groups/%d/edit", f.group.ID), []string{`name="leader_id"`}},
			{"/console/users", []string{"dqclerk", "人大工作人员（大碶街道人大工委）"}},
			{"/console/users/new", []string{"初始密码", `name="role"`, `name="role_org"`}},
			{fmt.Sprintf("/console/users/%d", f.clerk.ID), []string{"大碶文员", "停用账号"}},
			{fmt.Sprintf("/console/users/%d/edit", f.handler.ID), []string{"重置密码", "解除登录锁定"}},
			{"/console/password", []string{"原密码", "再次输入新密码"}},
		} {
			res := c.get(tc.path)
			wantStatus(t, tc.path, res, http.StatusOK)
			wantBody(t, tc.path, res, append(tc.want, `<html lang="zh-CN">`, "联络 · 人大代表联络站工作平台")...)
			wantNoBody(t, tc.path, res, "{{", "<no value>", "%!", "ZgotmplZ")
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s: Cache-Control = %q; want no-store", tc.path, got)
			}
		}
		// The audit trail is the auditor's (三员分立).
		aud := f.loggedIn(t, "auditor")
		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/console/audit", []string{"操作日志", "新建", "联络站", "登录失败"}},
			{"/console/audit?entity=org&action=create&from=2026-03-01&to=2026-03-02", []string{"北仑区人大常委会"}},
		} {
			res := aud.get(tc.path)
			wantStatus(t, tc.path, res, http.StatusOK)
			wantBody(t, tc.path, res, tc.want...)
			wantNoBody(t, tc.path, res, "{{", "<no value>", "%!", "ZgotmplZ")
		}
		// Audit times are Beijing time: the fixed clock is 09:30 there.
		res := aud.get("/console/audit")
		wantBody(t, "audit", res, "2026-03-02 09:30")

		for _, path := range []string{"/console/nope", "/nope", "/console/orgs/999", "/console/orgs/abc", "/console/deputies/0/edit"} {
			res := c.get(path)
			wantStatus(t, path, res, http.StatusNotFound)
			wantBody(t, path, res, "未找到")
		}
	})
}

func TestCreateThroughForms(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "admin")

		// An org in a village chosen with the second select.
		res := c.post("/console/orgs/new", url.Values{
			"kind": {"unit"}, "name": {"霞浦街道办事处"}, "region_code": {"330206005"}, "region_code_sub": {""},
			"parent_id": {""}, "contact": {"周平"}, "phone": {"0574-86888888"}, "address": {"霞浦街道新民路1号"},
		})
		wantStatus(t, "create org", res, http.StatusSeeOther)
		orgID := idFromLocation(t, res, "/console/orgs/")
		res = c.get(fmt.Sprintf("/console/orgs/%d?ok=created", orgID))
		wantBody(t, "new org", res, "霞浦街道办事处", "霞浦街道", "已创建", "0574-86888888")

		// A deputy with two seats, a station and a group.
		res = c.post("/console/deputies/new", url.Values{
			"name": {"赵丽华"}, "gender": {"female"}, "phone": {"13611112222"},
			"region_code": {"330206004"}, "region_code_sub": {"330206004002"},
			"seat_level":        {"city", "county", ""},
			"seat_term":         {"16", "18", ""},
			"seat_constituency": {"", "第5选区", ""},
			"station_ids":       {strconv.FormatInt(f.dqStation.ID, 10)},
			"group_id":          {strconv.FormatInt(f.group.ID, 10)},
			"leader":            {"1"}, "status": {"in_office"},
		})
		wantStatus(t, "create deputy", res, http.StatusSeeOther)
		depID := idFromLocation(t, res, "/console/deputies/")
		d, err := f.db.FindDeputyByID(storetest.SystemContext(), depID)
		if err != nil {
			t.Fatal(err)
		}
		if d.RegionCode != "330206004002" || len(d.Seats) != 2 || d.Seats[0].Term != 16 || d.Seats[1].Constituency != "第5选区" ||
			!d.Leader || d.GroupID == nil || *d.GroupID != f.group.ID || len(d.StationIDs) != 1 {
			t.Errorf("created deputy = %+v", d)
		}

		// A station with liaisons and deputies.
		res = c.post("/console/stations/new", url.Values{
			"kind": {"village"}, "name": {"小港街道红联社区联络站"}, "region_code": {"330206003"},
			"org_id": {strconv.FormatInt(f.xg.ID, 10)}, "address": {"红联社区服务中心二楼"}, "opening_hours": {"每月15日上午"},
			"head_deputy_id": {strconv.FormatInt(f.dep3.ID, 10)},
			"liaison_name":   {"钱芳", "", ""}, "liaison_phone": {"13500001111", "", ""},
			"deputy_ids": {strconv.FormatInt(f.dep3.ID, 10), strconv.FormatInt(depID, 10)},
		})
		wantStatus(t, "create station", res, http.StatusSeeOther)
		stID := idFromLocation(t, res, "/console/stations/")
		s, err := f.db.FindStationByID(storetest.SystemContext(), stID)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Liaisons) != 1 || s.Liaisons[0].Name != "钱芳" || len(s.DeputyIDs) != 2 || s.HeadDeputyID == nil {
			t.Errorf("created station = %+v", s)
		}

		// A group.
		res = c.post("/console/groups/new", url.Values{
			"name": {"小港代表小组"}, "org_id": {strconv.FormatInt(f.xg.ID, 10)}, "region_code_text": {"330206003000"},
			"leader_id": {strconv.FormatInt(f.dep3.ID, 10)},
		})
		wantStatus(t, "create group", res, http.StatusSeeOther)
		idFromLocation(t, res, "/console/groups/")

		// A user who can then log in with the initial password.
		res = c.post("/console/users/new", url.Values{
			"username": {"xgclerk"}, "display_name": {"小港文员"}, "password": {"Harbour-2026x"},
			"role":         {"npc_office", "liaison", ""},
			"role_org":     {strconv.FormatInt(f.xg.ID, 10), strconv.FormatInt(f.dq.ID, 10), ""},
			"role_station": {"", strconv.FormatInt(stID, 10), ""},
			"role_deputy":  {"", "", ""},
		})
		wantStatus(t, "create user", res, http.StatusSeeOther)
		userID := idFromLocation(t, res, "/console/users/")
		u, err := f.db.FindUserByID(storetest.SystemContext(), userID)
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Roles) != 2 || u.Roles[0].OrgID == nil || *u.Roles[0].OrgID != f.xg.ID || u.Roles[1].StationID == nil || u.Roles[1].OrgID != nil {
			t.Errorf("created user roles = %+v", u.Roles)
		}
		x := f.client(t)
		res = x.post("/console/login", url.Values{"username": {"xgclerk"}, "password": {"Harbour-2026x"}})
		wantStatus(t, "new user login", res, http.StatusSeeOther)

		// Editing the user: a new name, one role fewer, and the account switched off.
		res = c.get(fmt.Sprintf("/console/users/%d/edit", userID))
		wantBody(t, "user edit form", res, `name="active"`, `value="小港文员"`)
		res = c.post(fmt.Sprintf("/console/users/%d/edit", userID), url.Values{
			"version": {"1"}, "display_name": {"小港街道文员"}, "active_shown": {"1"},
			"role": {"npc_office", ""}, "role_org": {strconv.FormatInt(f.xg.ID, 10), ""}, "role_station": {"", ""}, "role_deputy": {"", ""},
		})
		wantStatus(t, "edit user", res, http.StatusSeeOther)
		u, err = f.db.FindUserByID(storetest.SystemContext(), userID)
		if err != nil {
			t.Fatal(err)
		}
		if u.DisplayName != "小港街道文员" || len(u.Roles) != 1 || u.Active {
			t.Errorf("edited user = %+v", u)
		}
		res = x.get("/console/")
		wantStatus(t, "deactivated user's session", res, http.StatusSeeOther)
		// One's own account has no switch.
		res = c.get(fmt.Sprintf("/console/users/%d/edit", f.admin.ID))
		wantNoBody(t, "own user edit form", res, `name="active"`)
	})
}

func TestFormErrors(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "admin")
		ctx := storetest.SystemContext()
		_, before, err := f.db.FindOrgs(ctx, lianluo.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			path  string
			form  url.Values
			field string
			msg   string
			kept  string
		}{
			{"org without name", "/console/orgs/new",
				url.Values{"kind": {"npc"}, "name": {""}, "region_code": {"330206"}, "contact": {"联系人甲"}},
				"name", "请填写机构名称。", `value="联系人甲"`},
			{"org with unknown typed region", "/console/orgs/new",
				url.Values{"kind": {"npc"}, "name": {"某机构"}, "region_code_text": {"330299"}},
				"region_code", "行政区划代码“330299”不存在，请从列表中选择。", `value="330299"`},
			{"org with a bad phone", "/console/orgs/new",
				url.Values{"kind": {"unit"}, "name": {"某单位"}, "region_code": {"330206"}, "phone": {"12345"}},
				"phone", "联系电话格式不正确，请填写11位手机号或带区号的固定电话。", `value="某单位"`},
			{"org with a village of another town", "/console/orgs/new",
				url.Values{"kind": {"unit"}, "name": {"某单位"}, "region_code": {"330206003"}, "region_code_sub": {"330206004002"}},
				"region_code", "所选村/社区不属于所选的乡镇（街道），请重新选择村/社区。", `value="某单位"`},
			{"deputy with a bad term", "/console/deputies/new",
				url.Values{"name": {"甲乙"}, "gender": {"male"}, "region_code": {"330206"}, "seat_level": {"county"}, "seat_term": {"十八"}, "seat_constituency": {"第1选区"}},
				"seats", "第1行的届次应填写数字，例如 18。", `value="十八"`},
			{"deputy without seats", "/console/deputies/new",
				url.Values{"name": {"甲乙"}, "gender": {"male"}, "region_code": {"330206"}, "seat_level": {""}},
				"seats", "请至少填写一个代表层级。", `value="甲乙"`},
			{"station without body", "/console/stations/new",
				url.Values{"kind": {"center"}, "name": {"某站"}, "region_code": {"330206004"}, "org_id": {""}},
				"org_id", "请选择主管人大机构。", `value="某站"`},
			{"user with a weak password", "/console/users/new",
				url.Values{"username": {"weak"}, "display_name": {"弱密码"}, "password": {"123"}, "role": {"system_admin"}},
				"password", "密码至少10位。", `value="弱密码"`},
			{"user role without its org", "/console/users/new",
				url.Values{"username": {"noorg"}, "display_name": {"无机构"}, "password": {password}, "role": {"npc_office"}, "role_org": {""}},
				"roles", "角色“人大工作人员”须指定一个机构。", `value="noorg"`},
			{"password repeat differs", "/console/password",
				url.Values{"old_password": {password}, "new_password": {"Another-2026"}, "new_password2": {"Another-2027"}},
				"new_password2", "两次输入的新密码不一致。", ""},
			{"old password wrong", "/console/password",
				url.Values{"old_password": {"Wrong-2026"}, "new_password": {"Another-2026"}, "new_password2": {"Another-2026"}},
				"old_password", "原密码不正确。", ""},
		} {
			res := c.post(tc.path, tc.form)
			wantStatus(t, tc.name, res, http.StatusBadRequest)
			if got := fieldErrors(res.Body)[tc.field]; got != tc.msg {
				t.Errorf("%s: error next to %s = %q; want %q (all: %v)", tc.name, tc.field, got, tc.msg, fieldErrors(res.Body))
			}
			wantBody(t, tc.name, res, "提交未成功", tc.kept)
		}
		_, after, err := f.db.FindOrgs(ctx, lianluo.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		_, deps, _ := f.db.FindDeputies(ctx, lianluo.DeputyFilter{})
		_, users, _ := f.db.FindUsers(ctx, lianluo.UserFilter{})
		if after != before || deps != 3 || users != fixtureUsers {
			t.Errorf("after bad forms: %d orgs (want %d), %d deputies (want 3), %d users (want %d)", after, before, deps, users, fixtureUsers)
		}
	})
}

func TestStaleVersion(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "admin")
		path := fmt.Sprintf("/console/orgs/%d/edit", f.dq.ID)
		form := url.Values{"version": {"1"}, "name": {"大碶街道人大工作委员会"}, "region_code": {"330206004"},
			"parent_id": {strconv.FormatInt(f.district.ID, 10)}}
		res := c.post(path, form)
		wantStatus(t, "first edit", res, http.StatusSeeOther)
		if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/orgs/%d?ok=saved", f.dq.ID); got != want {
			t.Errorf("first edit Location = %q; want %q", got, want)
		}
		// Someone else's form, read at version 1, is refused and shown again.
		form.Set("name", "大碶人大")
		res = c.post(path, form)
		wantStatus(t, "stale edit", res, http.StatusConflict)
		wantBody(t, "stale edit", res, "该记录已被他人修改，请刷新后重试。", `href="`+path+`"`, "重新载入最新内容", `value="大碶人大"`)
		o, err := f.db.FindOrgByID(storetest.SystemContext(), f.dq.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "大碶街道人大工作委员会" || o.Version != 2 {
			t.Errorf("after stale edit: %q version %d", o.Name, o.Version)
		}

		// Deactivating with an old version is a conflict; with the current one it works.
		res = c.post(fmt.Sprintf("/console/orgs/%d/active", f.dq.ID), url.Values{"version": {"1"}, "active": {"false"}})
		wantStatus(t, "stale deactivate", res, http.StatusConflict)
		wantBody(t, "stale deactivate", res, "该记录已被他人修改")
		res = c.post(fmt.Sprintf("/console/orgs/%d/active", f.dq.ID), url.Values{"version": {"2"}, "active": {"false"}})
		wantStatus(t, "deactivate", res, http.StatusSeeOther)
		res = c.get(res.Header.Get("Location"))
		wantBody(t, "deactivated org", res, "已停用。", "重新启用")

		// A deputy leaves office through the status button.
		res = c.post(fmt.Sprintf("/console/deputies/%d/status", f.dep3.ID), url.Values{"version": {"1"}, "status": {"terminated"}})
		wantStatus(t, "terminate deputy", res, http.StatusSeeOther)
		d, err := f.db.FindDeputyByID(storetest.SystemContext(), f.dep3.ID)
		if err != nil || d.Status != "terminated" {
			t.Errorf("deputy after terminate: %v, %v", d, err)
		}
	})
}

func TestScope(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "dqclerk") // npc_office of 大碶 (330206004)

		res := c.get("/console/stations")
		wantStatus(t, "stations", res, http.StatusOK)
		wantBody(t, "stations", res, "大碶街道人大代表联络站")
		wantNoBody(t, "stations", res, "小港街道渡头董村联络站")
		res = c.get("/console/deputies")
		wantNoBody(t, "deputies", res, "陈海波")
		res = c.get("/console/")
		wantNoBody(t, "dashboard", res, "小港")

		// Another town's records are simply not found, reading or writing.
		for _, path := range []string{
			fmt.Sprintf("/console/stations/%d", f.xgStation.ID),
			fmt.Sprintf("/console/stations/%d/edit", f.xgStation.ID),
			fmt.Sprintf("/console/deputies/%d", f.dep3.ID),
			fmt.Sprintf("/console/orgs/%d", f.xg.ID),
		} {
			res := c.get(path)
			wantStatus(t, path, res, http.StatusNotFound)
			wantBody(t, path, res, "不存在或无权查看")
		}
		res = c.post(fmt.Sprintf("/console/stations/%d/edit", f.xgStation.ID), url.Values{"version": {"1"}, "name": {"改名"}, "address": {"x"}})
		wantStatus(t, "edit other town's station", res, http.StatusNotFound)
		s, err := f.db.FindStationByID(storetest.SystemContext(), f.xgStation.ID)
		if err != nil || s.Name != "小港街道渡头董村联络站" || s.Version != 1 {
			t.Errorf("other town's station after a refused edit: %+v, %v", s, err)
		}

		// Region choices are the clerk's town and its villages.
		res = c.get("/console/stations/new")
		wantStatus(t, "station form", res, http.StatusOK)
		wantBody(t, "station form", res, "大碶街道（乡镇/街道本级）", "大碶街道人大工委")
		wantNoBody(t, "station form", res, `value="330206003"`, "小港街道人大工委")

		// Creating in another town is refused at the region field, like
		// any reference outside the scope (lianluo.CheckRegionInScope).
		res = c.post("/console/orgs/new", url.Values{"kind": {"unit"}, "name": {"小港某单位"}, "region_code_text": {"330206003"}})
		wantStatus(t, "create outside scope", res, http.StatusBadRequest)
		wantBody(t, "create outside scope", res, "行政区划不存在或不在您的管辖范围内")
		if _, n, err := f.db.FindOrgs(storetest.SystemContext(), lianluo.OrgFilter{Q: "小港某单位"}); err != nil || n != 0 {
			t.Errorf("orgs named 小港某单位 after the refused create = %d, %v; want none", n, err)
		}

		// The clerk manages registry users but not the audit trail.
		res = c.get("/console/audit")
		wantStatus(t, "clerk audit", res, http.StatusForbidden)
		res = c.get("/console/users")
		wantStatus(t, "clerk users", res, http.StatusOK)
	})
}

func TestRoles(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "zjhandler") // unit_handler
		res := c.get("/console/")
		wantStatus(t, "handler dashboard", res, http.StatusOK)
		wantNoBody(t, "handler dashboard", res, `href="/console/users"`, `href="/console/audit"`, `href="/console/stations"`, `href="/console/orgs"`)
		// The phone layout: the password is under 我的.
		wantBody(t, "handler dashboard", res, `href="/console/me"`)
		wantBody(t, "handler 我的", c.get("/console/me"), `href="/console/password"`)
		for _, path := range []string{"/console/users/new", "/console/users", "/console/orgs/new", "/console/deputies/new", "/console/audit",
			fmt.Sprintf("/console/users/%d", f.admin.ID)} {
			res := c.get(path)
			wantStatus(t, path, res, http.StatusForbidden)
			wantBody(t, path, res, "没有权限")
		}
		res = c.post("/console/users/new", url.Values{"username": {"sneaky"}, "display_name": {"x"}, "password": {password}, "role": {"system_admin"}})
		wantStatus(t, "handler creates user", res, http.StatusForbidden)

		// An NPC clerk cannot grant the administrator role: it is not offered.
		k := f.loggedIn(t, "dqclerk")
		res = k.get("/console/users/new")
		wantStatus(t, "clerk user form", res, http.StatusOK)
		wantNoBody(t, "clerk user form", res, `<option value="admin"`)
		// Detail pages hide edit buttons from those who cannot edit.
		res = f.loggedIn(t, "zjhandler").get(fmt.Sprintf("/console/orgs/%d", f.unit.ID))
		wantStatus(t, "handler sees own unit", res, http.StatusOK)
		wantNoBody(t, "handler sees own unit", res, "/edit", "停用该机构")
	})
}

func TestCrossSitePost(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := f.loggedIn(t, "admin")
	form := url.Values{"kind": {"unit"}, "name": {"跨站创建"}, "region_code": {"330206"}}
	res := c.post("/console/orgs/new", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	wantStatus(t, "cross-site post", res, http.StatusForbidden)
	res = c.post("/console/logout", nil, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, "cross-site logout", res, http.StatusForbidden)
	orgs, _, err := f.db.FindOrgs(storetest.SystemContext(), lianluo.OrgFilter{Q: "跨站"})
	if err != nil || len(orgs) != 0 {
		t.Errorf("cross-site post created %v (%v)", orgs, err)
	}
	// The same form from our own pages works.
	res = c.post("/console/orgs/new", form, "Sec-Fetch-Site", "same-origin")
	wantStatus(t, "same-origin post", res, http.StatusSeeOther)
}

func TestStatic(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := f.client(t)
	res := c.get("/console/login")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("login page links no versioned app.css\n%s", res.Body)
	}
	res = c.get(m[1])
	wantStatus(t, m[1], res, http.StatusOK)
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
		t.Errorf("app.css Content-Type = %q", got)
	}
	if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "max-age=31536000") {
		t.Errorf("versioned app.css Cache-Control = %q", got)
	}
	wantBody(t, "app.css", res, "@media print", "@page", "PingFang SC")
	res = c.get("/static/app.js")
	wantStatus(t, "app.js", res, http.StatusOK)
	if got := res.Header.Get("Cache-Control"); strings.Contains(got, "immutable") {
		t.Errorf("unversioned app.js Cache-Control = %q; want a short cache", got)
	}
	for _, path := range []string{"/static/nope.css", "/static/", "/static/../web.go", "/static/%2e%2e/web.go"} {
		res := c.get(path)
		if res.Status == http.StatusOK || strings.Contains(res.Body, "package web") {
			t.Errorf("GET %s = %d; want no file", path, res.Status)
		}
	}
	res = c.get("/")
	wantStatus(t, "public home", res, http.StatusOK)
	wantBody(t, "public home", res, "网上代表联络站", `href="/console/login"`, "工作人员登录")
	// The content security policy forbids inline styles and scripts: the pages have none.
	a := f.loggedIn(t, "admin")
	for _, path := range []string{"/", "/console/login", "/console/", "/console/deputies/new", "/console/users/new", "/console/stations/new"} {
		body := a.get(path).Body
		for _, bad := range []string{"<style", "style=", "<script>", "onclick=", "onchange=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s has inline %q", path, bad)
			}
		}
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	ctx := storetest.SystemContext()
	for i := range 41 {
		o := &lianluo.Org{Kind: "unit", Name: fmt.Sprintf("测试单位%02d", i), RegionCode: "330206005"}
		if err := f.db.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	c := f.loggedIn(t, "admin")
	res := c.get("/console/orgs?kind=unit")
	wantStatus(t, "page 1", res, http.StatusOK)
	wantBody(t, "page 1", res, fmt.Sprintf("共 %d 条，第 1/3 页", 41+fixtureUnits), `href="/console/orgs?kind=unit&amp;page=2"`, "下一页", "测试单位00")
	wantNoBody(t, "page 1", res, "测试单位19", "上一页")
	res = c.get("/console/orgs?kind=unit&page=3")
	wantStatus(t, "page 3", res, http.StatusOK)
	wantBody(t, "page 3", res, "第 3/3 页", "测试单位40", "上一页", `href="/console/orgs?kind=unit"`)
	wantNoBody(t, "page 3", res, "下一页", "测试单位00")
	res = c.get("/console/orgs?q=" + url.QueryEscape("没有这个"))
	wantBody(t, "empty list", res, "没有符合条件的机构。", "共 0 条")
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := f.loggedIn(t, "dqclerk")
	other := f.loggedIn(t, "dqclerk") // a second session, ended by the change
	res := c.post("/console/password", url.Values{"old_password": {password}, "new_password": {"Changed-2026"}, "new_password2": {"Changed-2026"}})
	wantStatus(t, "change password", res, http.StatusSeeOther)
	res = c.get(res.Header.Get("Location"))
	wantStatus(t, "after change", res, http.StatusOK)
	wantBody(t, "after change", res, "密码已修改")
	if res := other.get("/console/"); res.Status != http.StatusSeeOther {
		t.Errorf("other session after a password change: status %d; want a redirect to login", res.Status)
	}
	x := f.client(t)
	res = x.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {"Changed-2026"}})
	wantStatus(t, "login with the new password", res, http.StatusSeeOther)
}

func TestStationHead(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	head := &lianluo.User{Username: "head", DisplayName: "站长王", Password: password,
		Roles: []lianluo.Grant{{Role: "station_head", StationID: &f.dqStation.ID}}}
	storetest.MustCreateUser(t, f.db, storetest.SystemContext(), head)
	c := f.loggedIn(t, "head")
	path := fmt.Sprintf("/console/stations/%d/edit", f.dqStation.ID)
	res := c.get(path)
	wantStatus(t, "head edits own station", res, http.StatusOK)
	wantBody(t, "head edits own station", res, `name="address"`, `name="liaison_name"`, "由人大工作人员维护")
	wantNoBody(t, "head edits own station", res, `name="name"`, `name="org_id"`, `name="region_code"`)
	res = c.post(path, url.Values{"version": {"1"}, "name": {"改名"}, "address": {"大碶街道人民北路1号"},
		"head_deputy_id": {strconv.FormatInt(f.dep1.ID, 10)},
		"deputy_ids":     {strconv.FormatInt(f.dep1.ID, 10), strconv.FormatInt(f.dep2.ID, 10)},
		"liaison_name":   {"周敏", "吴刚"}, "liaison_phone": {"13700002222", ""}})
	wantStatus(t, "head saves", res, http.StatusSeeOther)
	s, err := f.db.FindStationByID(storetest.SystemContext(), f.dqStation.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "大碶街道人大代表联络站" || s.Address != "大碶街道人民北路1号" || len(s.Liaisons) != 2 {
		t.Errorf("station after the head's edit: %+v", s)
	}
	res = c.get(fmt.Sprintf("/console/stations/%d", f.dqStation.ID))
	wantBody(t, "head's station page", res, "修改")
	wantNoBody(t, "head's station page", res, "停用该联络站")
	res = c.get(fmt.Sprintf("/console/stations/%d/edit", f.xgStation.ID))
	wantStatus(t, "head edits another station", res, http.StatusNotFound)
}
