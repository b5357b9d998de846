package api_test

import (
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// An account an administrator creates gets the password policy, and its
// owner must change the password before anything else: 403
// password_change_required everywhere but reading oneself, changing the
// password and logging out.
func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		admin := e.as(t, "admin")
		user := func(pw string) map[string]any {
			return map[string]any{"username": "zhouping", "display_name": "周平", "password": pw, "roles": []map[string]any{{"role": "admin"}}}
		}
		for _, pw := range []string{"Password1", "P@ssw0rd", "Zhouping@2026x", "Admin@123456"} {
			if r := admin.do("POST", "/api/v1/users", user(pw)); r.Status != 400 || r.Body["error"].(map[string]any)["field"] != "password" {
				t.Errorf("create user with %q: %d %s; want 400 on password", pw, r.Status, r.Raw)
			}
		}
		if r := admin.do("POST", "/api/v1/users", user("Daqi@2026x")); r.Status != 201 || r.Body["must_change_password"] != true {
			t.Fatalf("create user: %d %s", r.Status, r.Raw)
		}
		r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "zhouping", "password": "Daqi@2026x"})
		if r.Status != 200 {
			t.Fatalf("login: %d %s", r.Status, r.Raw)
		}
		c := &client{t: t, base: e.url, token: r.Body["token"].(string)}
		for _, path := range []string{"/api/v1/orgs", "/api/v1/users", "/api/v1/cases"} {
			if r := c.do("GET", path, nil); r.Status != 403 || r.errCode() != "password_change_required" {
				t.Errorf("GET %s before the change: %d %s; want 403 password_change_required", path, r.Status, r.Raw)
			}
		}
		if r := c.do("GET", "/api/v1/auth/me", nil); r.Status != 200 || r.Body["must_change_password"] != true {
			t.Errorf("me before the change: %d %s", r.Status, r.Raw)
		}
		if r := c.do("POST", "/api/v1/auth/password", map[string]string{"old_password": "Daqi@2026x", "new_password": "P@ssw0rd2026"}); r.Status != 400 {
			t.Errorf("change to P@ssw0rd2026: %d %s; want 400", r.Status, r.Raw)
		}
		if r := c.do("POST", "/api/v1/auth/password", map[string]string{"old_password": "Daqi@2026x", "new_password": "Beilun#7391a"}); r.Status != 204 {
			t.Fatalf("change: %d %s", r.Status, r.Raw)
		}
		if r := c.do("GET", "/api/v1/orgs", nil); r.Status != 200 {
			t.Errorf("GET /api/v1/orgs after the change: %d %s; want 200", r.Status, r.Raw)
		}
	})
}
