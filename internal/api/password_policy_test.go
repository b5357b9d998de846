package api_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
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
			return map[string]any{"username": "zhouping", "display_name": "周平", "password": pw, "roles": []map[string]any{{"role": "system_admin"}}}
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

// A mobile number typed into a case's text is masked in the API for a
// unit's handler and left for the office; reveals take a purpose and a
// reason, and beyond the hourly number answer 429.
func TestCaseTextMaskingAndRevealLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		w := e.w
		sys := storetest.SystemContext()
		c, err := db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "路灯不亮请回电13988887777",
			Content: "联系电话13988887777，晚上在家。", Category: "道路维修", RegionCode: "330206004",
			Submitter: lianluo.Submitter{Name: "赵六", Phone: "13912340001"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			action lianluo.WorkflowAction
			in     lianluo.CaseAction
		}{{lianluo.ActTriage, lianluo.CaseAction{Outcome: "forward"}}, {lianluo.ActApprove, lianluo.CaseAction{LeadUnitID: &w.Unit.ID}}} {
			s.in.Version = c.Version
			if c, err = db.Act(sys, c.ID, s.action, s.in); err != nil {
				t.Fatal(err)
			}
		}
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		r := e.as(t, "unit").do("GET", path, nil)
		if r.Status != 200 || strings.Contains(string(r.Raw), "13988887777") || !strings.Contains(string(r.Raw), "139****7777") {
			t.Errorf("unit's case: %d %s; want the number masked", r.Status, r.Raw)
		}
		office := e.as(t, "office")
		if r := office.do("GET", path, nil); !strings.Contains(string(r.Raw), "13988887777") {
			t.Errorf("office's case: %s; want the number as written", r.Raw)
		}

		p, err := db.SecurityPolicy(w.As(t, "security"))
		if err != nil {
			t.Fatal(err)
		}
		p.RevealsPerHour = 2
		if _, err := db.UpdateSecurityPolicy(w.As(t, "security"), p); err != nil {
			t.Fatal(err)
		}
		reveal := func(body map[string]any) response { return office.do("POST", path+"/reveal", body) }
		if r := reveal(map[string]any{"reason": "约定上门时间"}); r.Status != 400 || r.Body["error"].(map[string]any)["field"] != "purpose" {
			t.Errorf("reveal without a purpose: %d %s", r.Status, r.Raw)
		}
		ok := map[string]any{"purpose": "callback", "reason": "约定上门时间"}
		for i := range 2 {
			if r := reveal(ok); r.Status != 200 || r.Body["phone"] != "13912340001" {
				t.Errorf("reveal %d: %d %s", i+1, r.Status, r.Raw)
			}
		}
		if r := reveal(ok); r.Status != 429 || r.errCode() != "rate_limited" {
			t.Errorf("third reveal in the hour: %d %s; want 429", r.Status, r.Raw)
		}
	})
}

// The security settings over the API: administrators only, with a version.
func TestSecuritySettingsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		if r := e.as(t, "office").do("GET", "/api/v1/settings/security", nil); r.Status != 403 {
			t.Errorf("office reads: %d; want 403", r.Status)
		}
		for _, user := range []string{"admin", "auditor"} { // 三员分立: the security administrator's
			if r := e.as(t, user).do("GET", "/api/v1/settings/security", nil); r.Status != 403 {
				t.Errorf("%s reads: %d; want 403", user, r.Status)
			}
		}
		admin := e.as(t, "security")
		r := admin.do("GET", "/api/v1/settings/security", nil)
		if r.Status != 200 || r.num("password_min_length") != 10 || r.num("version") != 2 { // the test world saved it once (NoSecondFactor)
			t.Fatalf("read: %d %s", r.Status, r.Raw)
		}
		body := map[string]any{"password_min_length": 12, "password_history": 5, "password_expiry_days": 0, "reveals_per_hour": 20, "version": 2}
		if r := admin.do("PUT", "/api/v1/settings/security", body); r.Status != 200 || r.num("version") != 3 {
			t.Errorf("save: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("PUT", "/api/v1/settings/security", body); r.Status != 409 || r.errCode() != "stale_version" {
			t.Errorf("stale save: %d %s; want 409 stale_version", r.Status, r.Raw)
		}
	})
}
