package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// The console applies the password policy to a new account, and its owner
// is led to the password form from every page until the password an
// administrator chose is changed.
func TestConsoleForcedPasswordChange(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		admin := f.loggedIn(t, "admin")
		form := func(pw string) url.Values {
			return url.Values{"username": {"zhouping"}, "display_name": {"周平"}, "password": {pw},
				"role": {"npc_office"}, "role_org": {strconv.FormatInt(f.xg.ID, 10)}, "role_station": {""}, "role_deputy": {""}}
		}
		for _, tc := range []struct{ pw, msg string }{
			{"Password1", "至少10位"},
			{"P@ssw0rd2026", "过于常见"},
			{"Zhouping#2026", "不能包含用户名"},
		} {
			res := admin.post("/console/users/new", form(tc.pw))
			wantStatus(t, "create with "+tc.pw, res, http.StatusBadRequest)
			wantBody(t, "create with "+tc.pw, res, tc.msg)
		}
		wantStatus(t, "create", admin.post("/console/users/new", form("Harbour-2026x")), http.StatusSeeOther)

		c := f.client(t)
		wantStatus(t, "login", c.post("/console/login", url.Values{"username": {"zhouping"}, "password": {"Harbour-2026x"}}), http.StatusSeeOther)
		for _, path := range []string{"/console/", "/console/cases", "/console/users", fmt.Sprintf("/console/stations/%d", f.xgStation.ID)} {
			res := c.get(path)
			if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/console/password" {
				t.Errorf("GET %s before the change: %d → %q; want 303 to /console/password", path, res.Status, res.Header.Get("Location"))
			}
		}
		res := c.post("/console/cases/new", url.Values{"title": {"x"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/console/password" {
			t.Errorf("POST before the change: %d → %q; want 303 to /console/password", res.Status, res.Header.Get("Location"))
		}
		res = c.get("/console/password")
		wantStatus(t, "password form", res, http.StatusOK)
		wantBody(t, "password form", res, "由管理员设置或重置", "至少10位")
		res = c.post("/console/password", url.Values{"old_password": {"Harbour-2026x"}, "new_password": {"P@ssw0rd-2026"}, "new_password2": {"P@ssw0rd-2026"}})
		wantStatus(t, "change to a common one", res, http.StatusBadRequest)
		wantBody(t, "change to a common one", res, "过于常见")
		res = c.post("/console/password", url.Values{"old_password": {"Harbour-2026x"}, "new_password": {"Beilun#7391a"}, "new_password2": {"Beilun#7391a"}})
		wantStatus(t, "change", res, http.StatusSeeOther)
		wantStatus(t, "home after the change", c.get("/console/"), http.StatusOK)
	})
}

// Every console page warns while a demo account exists.
func TestDemoAccountBanner(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "dqclerk")
		const banner = "演示账号仍然存在"
		wantNoBody(t, "without demo accounts", c.get("/console/"), banner)
		u := &lianluo.User{Username: "demo", Password: "Lianluo@2026", DisplayName: "演示", Roles: []lianluo.Grant{{Role: "system_admin"}}}
		if err := f.db.CreateUser(lianluo.NewContextForDemo(storetest.SystemContext()), u); err != nil {
			t.Fatal(err)
		}
		wantBody(t, "with a demo account", c.get("/console/"), banner)
		wantBody(t, "with a demo account", c.get("/console/cases"), banner)
		// The demo account itself logs in without a forced change.
		d := f.client(t)
		wantStatus(t, "demo login", d.post("/console/login", url.Values{"username": {"demo"}, "password": {"Lianluo@2026"}}), http.StatusSeeOther)
		wantStatus(t, "demo home", d.get("/console/"), http.StatusOK)
	})
}

// The security settings: administrators only, with a version; the new
// minimum length applies at once.
func TestSecuritySettingsPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		if res := f.loggedIn(t, "dqclerk").get("/console/settings/security"); res.Status != http.StatusForbidden {
			t.Errorf("clerk: status %d; want 403", res.Status)
		}
		if res := f.loggedIn(t, "admin").get("/console/settings/security"); res.Status != http.StatusForbidden {
			t.Errorf("system administrator: status %d; want 403 (三员分立)", res.Status)
		}
		sec := f.loggedIn(t, "security")
		res := sec.get("/console/settings/security")
		wantStatus(t, "form", res, http.StatusOK)
		wantBody(t, "form", res, `name="version" value="2"`, `value="10"`, `value="20"`, `name="mfa_roles"`) // saved once by the fixture (NoSecondFactor)
		save := url.Values{"password_min_length": {"14"}, "password_history": {"5"}, "password_expiry_days": {"90"}, "reveals_per_hour": {"10"}, "version": {"2"}}
		wantStatus(t, "save", sec.post("/console/settings/security", save), http.StatusSeeOther)
		wantStatus(t, "stale save", sec.post("/console/settings/security", save), http.StatusConflict)
		res = f.loggedIn(t, "admin").post("/console/users/new", url.Values{"username": {"zhouping"}, "display_name": {"周平"}, "password": {"Harbour-2026x"},
			"role": {"system_admin"}, "role_org": {""}, "role_station": {""}, "role_deputy": {""}})
		wantStatus(t, "create with 13 characters", res, http.StatusBadRequest)
		wantBody(t, "create with 13 characters", res, "至少14位")
	})
}

// A mobile number typed into a case's text is masked on the case page for
// a unit's handler, who may not reveal the submitter, and shown in full to
// the office, which may.
func TestCasePageMasksPhonesInText(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.repliedCase(t, "路灯不亮请回电13988887777", f.dep1.ID)
		path := fmt.Sprintf("/console/cases/%d", c.ID)
		res := f.loggedIn(t, "zjhandler").get(path)
		wantStatus(t, "handler's case page", res, http.StatusOK)
		wantNoBody(t, "handler's case page", res, "13988887777")
		wantBody(t, "handler's case page", res, "139****7777")
		clerk := f.loggedIn(t, "dqclerk")
		res = clerk.get(path)
		wantBody(t, "office's case page", res, "13988887777", `name="purpose"`, "电话回访", "核实身份")

		// One reveal an hour: the second is refused with 429.
		p, err := f.db.SecurityPolicy(storetest.SystemContext())
		if err != nil {
			t.Fatal(err)
		}
		p.RevealsPerHour = 1
		if _, err := f.db.UpdateSecurityPolicy(storetest.SystemContext(), p); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"purpose": {"verify"}, "reason": {"核对反映人身份"}}
		wantStatus(t, "first reveal", clerk.post(path+"/reveal", form), http.StatusOK)
		res = clerk.post(path+"/reveal", form)
		wantStatus(t, "second reveal", res, http.StatusTooManyRequests)
		wantBody(t, "second reveal", res, "一小时内查看联系方式已达1次上限")
	})
}
