package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestPhoneLayout: deputies and unit handlers with no other role get the
// tab bar and their own home; everyone else keeps the console's menu.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		// A deputy who is also a liaison works in the console.
		both := &lianluo.User{Username: "both", DisplayName: "李建国", Password: password, Roles: []lianluo.Grant{
			{Role: "deputy", DeputyID: &f.dep2.ID}, {Role: "liaison", StationID: &f.dqStation.ID}}}
		storetest.MustCreateUser(t, db, storetest.SystemContext(), both)
		for _, tc := range []struct {
			user  string
			tabs  []string // the tab bar's links; none: the console's menu
			home  string   // what the home says
			other []string // pages of the layout
		}{
			{"wangxy", []string{"/console/", "/console/todo", "/console/record", "/console/inbox", "/console/me"}, "下一次进站接待",
				[]string{"/console/todo", "/console/record", "/console/me", "/console/inbox", "/console/diary/new", "/console/cases/new", "/console/notify-prefs"}},
			{"dqunit", []string{"/console/", "/console/tasks/sign", "/console/tasks/reply", "/console/inbox", "/console/me"}, "待签收",
				[]string{"/console/tasks/sign", "/console/tasks/reply", "/console/me", "/console/inbox", "/console/password"}},
			{"dqclerk", nil, "待办事项", []string{"/console/cases", "/console/inbox"}},
			{"both", nil, "待办事项", []string{"/console/diary", "/console/inbox"}},
		} {
			c := f.loggedIn(t, tc.user)
			res := c.get("/console/")
			wantStatus(t, tc.user+" home", res, http.StatusOK)
			wantBody(t, tc.user+" home", res, tc.home)
			for _, path := range append([]string{"/console/"}, tc.other...) {
				res := c.get(path)
				wantStatus(t, tc.user+" "+path, res, http.StatusOK)
				if tc.tabs == nil {
					wantBody(t, tc.user+" "+path, res, `class="side"`)
					wantNoBody(t, tc.user+" "+path, res, `class="tabbar"`)
					continue
				}
				wantNoBody(t, tc.user+" "+path, res, `class="side"`, `class="mnav"`)
				for _, tab := range tc.tabs {
					wantBody(t, tc.user+" "+path, res, `class="tab" id="tab-`, fmt.Sprintf(`href="%s"`, tab))
				}
			}
		}

		// The handler's lists belong to the handler; a deputy has none.
		wantStatus(t, "deputy's 待签收", f.loggedIn(t, "wangxy").get("/console/tasks/sign"), http.StatusNotFound)
		wantStatus(t, "an unknown list", f.loggedIn(t, "dqunit").get("/console/tasks/nope"), http.StatusNotFound)
		wantBody(t, "handler's 待签收", f.loggedIn(t, "dqunit").get("/console/tasks/sign"), `aria-current="page"><svg`, "没有待签收的意见")
		wantBody(t, "handler's 已超期", f.loggedIn(t, "dqunit").get("/console/tasks/overdue"), "没有已超期的意见")
		wantBody(t, "handler's idle home", f.loggedIn(t, "dqunit").get("/console/"), "目前没有需要本单位办理的意见", `href="/console/tasks/overdue"`)

		// 记一笔 and 我的.
		d := f.loggedIn(t, "wangxy")
		wantBody(t, "记一笔", d.get("/console/record"), `href="/console/diary/new"`, `href="/console/cases/new"`)
		res := d.get("/console/me")
		wantBody(t, "我的", res, "大碶街道人大代表联络站", "/ical/", `href="/console/notify-prefs"`, `href="/console/password"`,
			`action="/console/logout"`, `href="/console/my-receptions"`, "更多功能", `href="/console/activities"`)
		wantNoBody(t, "我的 of a handler", f.loggedIn(t, "dqunit").get("/console/me"), "/ical/", "我所在的联络站")
	})
}

// TestDeputyHomeNextTurn: the deputy's home shows the next turn, with 签到
// only inside the sign-in window.
func TestDeputyHomeNextTurn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, clk := clockedFixture(t, db) // 2026-03-02 09:30
	d := f.loggedIn(t, "wangxy")
	res := d.get("/console/")
	wantBody(t, "no rota", res, "近期没有安排您进站接待", "等您测评的意见", `href="/console/diary/new"`, `href="/console/cases/new"`)
	// 我的履职: this year so far, and what this month's diary still needs.
	wantBody(t, "my record", res, "我的履职（2026年）", `id="rec-score"`, "履职积分", "本月民情日记 <strong>0</strong> 篇", "还差 5 篇",
		"“六个一”已完成 <strong>0</strong>/6 项，还差：每半年至少参加一次代表小组活动", `id="rec-add-duty"`,
		fmt.Sprintf(`href="/console/deputies/%d/record"`, f.dep1.ID))

	weeklyRota(t, f)
	// The rota's notice links to the deputy's turns.
	res = d.get("/console/inbox")
	if ids := inboxIDs(res.Body); len(ids) != 1 {
		t.Errorf("inbox after the rota: %v; want its notice", ids)
	} else {
		wantBody(t, "the rota's notice", d.get(fmt.Sprintf("/console/inbox/%d", ids[0])), "接待轮值表已发布", `href="/console/my-receptions"`)
	}
	signin := fmt.Sprintf(`href="/console/signin/%d"`, f.dqStation.ID)
	for _, tc := range []struct {
		at     string
		day    string
		signIn bool
	}{
		{"2026-03-08 20:00", "3月9日", false},
		{"2026-03-09 08:29", "3月9日", false},
		{"2026-03-09 08:45", "3月9日", true},
		{"2026-03-09 10:59", "3月9日", true}, // under way: still this one
		{"2026-03-09 11:01", "3月16日", false},
	} {
		clk.set(tc.at)
		res := f.loggedIn(t, "wangxy").get("/console/") // a fresh session: the clock moved days

		wantStatus(t, tc.at, res, http.StatusOK)
		wantBody(t, tc.at, res, tc.day, "09:00–11:00", "大碶街道人大代表联络站")
		if tc.signIn {
			wantBody(t, tc.at, res, `id="home-signin"`, signin)
		} else {
			wantNoBody(t, tc.at, res, `id="home-signin"`)
		}
	}
}
