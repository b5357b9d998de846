package api_test

import (
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Over HTTP: a user turns the second factor on; from then on the password
// answers mfa_required with a token for the second step, and only a right
// code gives the session.
func TestSecondFactorAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		start := time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC)
		clock := storetest.ClockOf(db)
		clock.Set(func() time.Time { return start })
		office := e.as(t, "officea")
		if r := office.do("GET", "/api/v1/auth/mfa", nil); r.Status != 200 || r.Body["enabled"] != false {
			t.Fatalf("status before: %d %s", r.Status, r.Raw)
		}
		r := office.do("POST", "/api/v1/auth/mfa/enrol", nil)
		secret, _ := r.Body["secret"].(string)
		if r.Status != 200 || secret == "" {
			t.Fatalf("enrol: %d %s", r.Status, r.Raw)
		}
		code := func() string {
			c, err := lianluo.TOTPAt(secret, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if r := office.do("POST", "/api/v1/auth/mfa/confirm", map[string]any{"code": "12"}); r.Status != 400 || r.errField() != "code" {
			t.Errorf("confirm with a short code: %d %s", r.Status, r.Raw)
		}
		r = office.do("POST", "/api/v1/auth/mfa/confirm", map[string]any{"code": code()})
		if codes, _ := r.Body["recovery_codes"].([]any); r.Status != 200 || len(codes) != lianluo.RecoveryCodes {
			t.Fatalf("confirm: %d %s", r.Status, r.Raw)
		}

		r = e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "officea", "password": storetest.Password})
		mt, _ := r.Body["mfa_token"].(string)
		if r.Status != 200 || r.Body["mfa_required"] != true || mt == "" || r.Body["token"] != nil || len(r.Header.Values("Set-Cookie")) != 0 {
			t.Fatalf("login with the second factor on: %d %s", r.Status, r.Raw)
		}
		if r := e.anon.do("POST", "/api/v1/auth/login/mfa", map[string]any{"mfa_token": mt, "code": "000000"}); r.Status != 400 || r.errField() != "code" {
			t.Errorf("a wrong code: %d %s", r.Status, r.Raw)
		}
		if r := e.anon.do("POST", "/api/v1/auth/login/mfa", map[string]any{"mfa_token": "made-up", "code": "000000"}); r.Status != 401 {
			t.Errorf("a made-up second step: %d %s", r.Status, r.Raw)
		}
		clock.Set(func() time.Time { return start.Add(lianluo.TOTPStep) })
		r = e.anon.do("POST", "/api/v1/auth/login/mfa", map[string]any{"mfa_token": mt, "code": code()})
		token, _ := r.Body["token"].(string)
		if r.Status != 200 || token == "" {
			t.Fatalf("second step: %d %s", r.Status, r.Raw)
		}
		me := &client{t: t, base: e.url, token: token}
		if r := me.do("GET", "/api/v1/auth/me", nil); r.Status != 200 || r.Body["username"] != "officea" {
			t.Errorf("me after the second step: %d %s", r.Status, r.Raw)
		}
		if r := me.do("POST", "/api/v1/auth/mfa/disable", map[string]any{"password": "wrong"}); r.Status != 400 || r.errField() != "password" {
			t.Errorf("disable with a wrong password: %d %s", r.Status, r.Raw)
		}
		if r := me.do("POST", "/api/v1/auth/mfa/disable", map[string]any{"password": storetest.Password}); r.Status != 204 {
			t.Errorf("disable: %d %s", r.Status, r.Raw)
		}
	})
}

// Where the security settings require the second factor of a role, its
// users turn it on before anything else: 403 mfa_enrolment_required until
// then, except for enrolling, reading oneself and logging out.
func TestSecondFactorRequiredAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		admin := e.as(t, "security")
		r := admin.do("GET", "/api/v1/settings/security", nil)
		body := r.Body
		body["mfa_roles"] = []string{"npc_office"}
		if r := admin.do("PUT", "/api/v1/settings/security", body); r.Status != 200 {
			t.Fatalf("require it of offices: %d %s", r.Status, r.Raw)
		}
		body["mfa_roles"], body["version"] = []string{"nobody"}, r.num("version")+1
		if r := admin.do("PUT", "/api/v1/settings/security", body); r.Status != 400 || r.errField() != "mfa_roles" {
			t.Errorf("an unknown role: %d %s", r.Status, r.Raw)
		}
		office := e.as(t, "officea")
		if r := office.do("GET", "/api/v1/orgs", nil); r.Status != 403 || r.errCode() != "mfa_enrolment_required" {
			t.Errorf("an office without it: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "liaisona").do("GET", "/api/v1/cases", nil); r.Status != 200 {
			t.Errorf("a liaison (not required): %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/auth/me", nil); r.Status != 200 || r.Body["must_enrol_mfa"] != true {
			t.Errorf("me: %d %s", r.Status, r.Raw)
		}
		r = office.do("POST", "/api/v1/auth/mfa/enrol", nil)
		secret, _ := r.Body["secret"].(string)
		c, _ := lianluo.TOTPAt(secret, db.Now())
		if r := office.do("POST", "/api/v1/auth/mfa/confirm", map[string]any{"code": c}); r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/orgs", nil); r.Status != 200 {
			t.Errorf("after turning it on: %d %s", r.Status, r.Raw)
		}
	})
}
