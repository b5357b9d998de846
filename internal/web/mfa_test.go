package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// In the console: 双因素认证 shows a QR code and the secret, the first code
// turns it on and shows the recovery codes once; from then on the login
// asks for a code after the password, and only a right one opens the console.
func TestSecondFactorPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, _ := clockedFixture(t, db)
		start := db.Now()
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/mfa")
		wantStatus(t, "page", res, 200)
		wantBody(t, "page", res, "未启用", `action="/console/mfa/enrol"`, `href="/console/mfa"`)
		res = clerk.post("/console/mfa/enrol", nil)
		wantStatus(t, "enrol", res, 200)
		wantBody(t, "enrol", res, `src="data:image/png;base64,`, `action="/console/mfa/confirm"`)
		m := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no secret on the page:\n%s", clip(res.Body))
		}
		secret := m[1]
		code := func() string {
			c, err := lianluo.TOTPAt(secret, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		res = clerk.post("/console/mfa/confirm", url.Values{"secret": {secret}, "code": {"000000"}})
		wantStatus(t, "a wrong first code", res, http.StatusBadRequest)
		wantBody(t, "a wrong first code", res, `id="code-error"`, "验证码不正确", `src="data:image/png;base64,`)
		res = clerk.post("/console/mfa/confirm", url.Values{"secret": {secret}, "code": {code()}})
		wantStatus(t, "confirm", res, 200)
		wantBody(t, "confirm", res, "双因素认证已启用", "恢复码（只显示这一次）", `class="recovery-codes"`)
		wantBody(t, "enabled", clerk.get("/console/mfa"), "已启用", "剩余恢复码：10 个")

		// The next login: the password gives the code form, not the console.
		c := f.client(t)
		res = c.post("/console/login", url.Values{"username": {"dqclerk"}, "password": {password}, "next": {"/console/cases"}})
		wantStatus(t, "password", res, 200)
		wantBody(t, "password", res, `action="/console/login/mfa"`, "验证码")
		if got := res.Header.Get("Set-Cookie"); got != "" {
			t.Errorf("the password alone set a cookie: %q", got)
		}
		token := regexp.MustCompile(`name="mfa_token" value="([^"]+)"`).FindStringSubmatch(res.Body)[1]
		res = c.post("/console/login/mfa", url.Values{"mfa_token": {token}, "code": {"000000"}, "next": {"/console/cases"}})
		wantStatus(t, "a wrong code", res, http.StatusBadRequest)
		wantBody(t, "a wrong code", res, "验证码不正确", `action="/console/login/mfa"`)
		storetest.ClockOf(db).Set(func() time.Time { return start.Add(lianluo.TOTPStep) })
		res = c.post("/console/login/mfa", url.Values{"mfa_token": {token}, "code": {code()}, "next": {"/console/cases"}})
		wantStatus(t, "the right code", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/console/cases" {
			t.Errorf("after the second step: %q", loc)
		}
		wantStatus(t, "the console", c.get("/console/cases"), 200)

		// Off again with the password.
		res = clerk.post("/console/mfa/disable", url.Values{"password": {"wrong"}})
		wantStatus(t, "disable with a wrong password", res, http.StatusBadRequest)
		wantBody(t, "disable with a wrong password", res, `id="password-error"`)
		wantStatus(t, "disable", clerk.post("/console/mfa/disable", url.Values{"password": {password}}), http.StatusSeeOther)
		wantBody(t, "disabled", clerk.get("/console/mfa?ok=off"), "双因素认证已停用", "未启用")
	})
}

// Required of a role: every console page leads to 双因素认证, which says why.
func TestSecondFactorRequiredPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := storetest.SystemContext()
		p, err := f.db.SecurityPolicy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p.MFARoles = []string{lianluo.RoleNPCOffice}
		if _, err := f.db.UpdateSecurityPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/cases")
		wantStatus(t, "a page", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/console/mfa" {
			t.Errorf("redirected to %q", loc)
		}
		wantBody(t, "the page", clerk.get("/console/mfa"), "您的角色要求启用双因素认证", `action="/console/mfa/enrol"`)
		wantStatus(t, "a liaison", f.loggedIn(t, "dqliaison").get("/console/cases"), 200)
	})
}
