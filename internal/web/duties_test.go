package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// 三员分立 in the console: each administrator's menu holds their duty and
// nothing of the others', a page outside it answers 403, and the security
// administrator reviews accounts read-only and lifts a lockout.
func TestAdministratorDutiesConsole(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		menus := []struct {
			user      string
			has, lack []string
		}{
			{"admin", []string{`href="/console/users"`, `href="/console/cases"`, `href="/console/settings/public"`, `href="/console/notifications"`},
				[]string{`href="/console/audit"`, `href="/console/settings/security"`}},
			{"security", []string{`href="/console/users"`, `href="/console/settings/security"`, `href="/console/mfa"`},
				[]string{`href="/console/audit"`, `href="/console/cases"`, `href="/console/stations"`, `href="/console/sheets"`, `href="/console/settings/public"`}},
			{"auditor", []string{`href="/console/audit"`, `href="/console/password"`},
				[]string{`href="/console/users"`, `href="/console/cases"`, `href="/console/settings/security"`, `href="/console/stats"`}},
		}
		for _, m := range menus {
			res := f.loggedIn(t, m.user).get("/console/")
			wantStatus(t, m.user+" home", res, http.StatusOK)
			wantBody(t, m.user+" home", res, m.has...)
			wantNoBody(t, m.user+" home", res, m.lack...)
		}
		for _, tc := range []struct {
			user   string
			path   string
			status int
		}{
			{"admin", "/console/audit", http.StatusForbidden},
			{"admin", "/console/settings/security", http.StatusForbidden},
			{"security", "/console/cases", http.StatusForbidden},
			{"security", fmt.Sprintf("/console/stations/%d", f.dqStation.ID), http.StatusForbidden},
			{"security", "/console/stats", http.StatusForbidden},
			{"security", "/console/users/new", http.StatusForbidden},
			{"security", fmt.Sprintf("/console/users/%d/edit", f.clerk.ID), http.StatusForbidden},
			{"security", "/console/audit", http.StatusForbidden},
			{"security", "/console/settings/security", http.StatusOK},
			{"auditor", "/console/users", http.StatusForbidden},
			{"auditor", "/console/cases", http.StatusForbidden},
			{"auditor", "/console/diary", http.StatusForbidden},
			{"auditor", "/console/audit", http.StatusOK},
			{"auditor", "/console/regions", http.StatusOK},
		} {
			wantStatus(t, tc.user+" "+tc.path, f.loggedIn(t, tc.user).get(tc.path), tc.status)
		}

		// The review: every account, no buttons that change one.
		sec := f.loggedIn(t, "security")
		res := sec.get("/console/users")
		wantStatus(t, "review", res, http.StatusOK)
		wantBody(t, "review", res, "权限审查", "dqclerk", "auditor", "安全审计员")
		wantNoBody(t, "review", res, `href="/console/users/new"`)
		for range 5 {
			f.client(t).post("/console/login", url.Values{"username": {"zjhandler"}, "password": {"nope-Nope-1"}})
		}
		page := fmt.Sprintf("/console/users/%d", f.handler.ID)
		res = sec.get(page)
		wantStatus(t, "locked account", res, http.StatusOK)
		wantBody(t, "locked account", res, "解除锁定", "登录锁定")
		wantNoBody(t, "locked account", res, "/edit", "停用账号")
		u, err := f.db.FindUserByID(f.as(t, "security"), f.handler.ID)
		if err != nil {
			t.Fatal(err)
		}
		unlock := page + "/unlock"
		wantStatus(t, "stale unlock", sec.post(unlock, url.Values{"version": {strconv.Itoa(u.Version + 1)}}), http.StatusConflict)
		// The district unit's handler is outside the town clerk's scope.
		wantStatus(t, "clerk unlock", f.loggedIn(t, "dqclerk").post(unlock, url.Values{"version": {strconv.Itoa(u.Version)}}), http.StatusNotFound)
		wantStatus(t, "auditor unlock", f.loggedIn(t, "auditor").post(unlock, url.Values{"version": {strconv.Itoa(u.Version)}}), http.StatusForbidden)
		wantStatus(t, "unlock", sec.post(unlock, url.Values{"version": {strconv.Itoa(u.Version)}}), http.StatusSeeOther)
		res = sec.get(page + "?ok=unlocked")
		wantBody(t, "unlocked", res, "已解除锁定")
		wantNoBody(t, "unlocked", res, "因连续登录失败锁定")
		wantStatus(t, "login after the unlock", f.client(t).post("/console/login", url.Values{"username": {"zjhandler"}, "password": {password}}), http.StatusSeeOther)

		// Only the system administrator is offered the administrator roles.
		wantBody(t, "admin's user form", f.loggedIn(t, "admin").get("/console/users/new"), `<option value="auditor"`, `<option value="security_admin"`)
		wantNoBody(t, "clerk's user form", f.loggedIn(t, "dqclerk").get("/console/users/new"), `<option value="auditor"`, `<option value="system_admin"`)
	})
}
