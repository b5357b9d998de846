package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Migration 0018 (三员分立): a database of the one "admin" role wakes up
// with its administrators as system administrators, the second factor
// still required of every administrator, and the change in the audit
// trail, which still verifies.
func TestSeparateAdminDutiesMigration(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.Users["admin"]
		exec(t, db, migrationsDown(db, 17)...)
		exec(t, db,
			`UPDATE user_roles SET role = 'admin' WHERE role = 'system_admin'`,
			`UPDATE settings SET value = replace(value, '"mfa_roles":[]', '"mfa_roles":["admin","npc_office"]') WHERE key = 'security'`)
		if n := query(t, db, `SELECT COUNT(*) FROM user_roles WHERE role = 'admin'`); n[0] != "[1]" {
			t.Fatalf("planted admin roles = %s; want 1", n[0])
		}
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if got := query(t, db, `SELECT user_id, role FROM user_roles WHERE role IN ('admin', 'system_admin')`); len(got) != 1 || got[0] != fmt.Sprintf("[%d system_admin]", admin.ID) {
			t.Errorf("administrator roles after 0018 = %q; want the admin account as system_admin", got)
		}
		p, err := db.SecurityPolicy(w.As(t, "security"))
		if err != nil {
			t.Fatal(err)
		}
		if want := append(slices.Clone(lianluo.AdminRoles), lianluo.RoleNPCOffice); !slices.Equal(p.MFARoles, want) {
			t.Errorf("MFARoles after 0018 = %q; want %q", p.MFARoles, want)
		}
		auditor := w.As(t, "auditor")
		evs, _, err := db.FindEvents(auditor, lianluo.EventFilter{Entity: lianluo.EntityUser, EntityID: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 || !strings.Contains(evs[0].Summary, "三员分立") || evs[0].ActorName != "系统" {
			t.Errorf("newest event of the admin account = %+v; want the migration's 三员分立 record by 系统", evs)
		}
		if c := verify(t, auditor, db); !c.OK {
			t.Errorf("VerifyAudit after 0018 = %+v; want ok", c)
		}
	})
}

// The three administrator roles are kept apart: none joins another role,
// only the system administrator grants them, and the security
// administrator reviews every account but changes none except to unlock.
func TestAdministratorRolesStandAlone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin, office, security := w.As(t, "admin"), w.As(t, "office"), w.As(t, "security")
		mk := func(name string, gs ...lianluo.Grant) *lianluo.User {
			return &lianluo.User{Username: name, Password: storetest.Password, DisplayName: "甲", Roles: gs}
		}
		for _, gs := range [][]lianluo.Grant{
			{{Role: lianluo.RoleSystemAdmin}, {Role: lianluo.RoleAuditor}},
			{{Role: lianluo.RoleSecurityAdmin}, {Role: lianluo.RoleNPCOffice, OrgID: &w.District.ID}},
			{{Role: lianluo.RoleAuditor}, {Role: lianluo.RoleDeputy, DeputyID: &w.DeputyA1.ID}},
		} {
			err := db.CreateUser(admin, mk("twohats", gs...))
			if lianluo.ErrorField(err) != "roles" || !strings.Contains(lianluo.ErrorMessage(err), "三员分立") {
				t.Errorf("CreateUser with %s = %v; want a roles error naming 三员分立", lianluo.RolesText(gs), err)
			}
		}
		if err := db.CreateUser(admin, mk("oldadmin", lianluo.Grant{Role: "admin"})); lianluo.ErrorField(err) != "roles" || !strings.Contains(lianluo.ErrorMessage(err), "system_admin") {
			t.Errorf(`CreateUser with the old "admin" role = %v; want a roles error naming the new roles`, err)
		}
		if err := db.CreateUser(office, mk("auditor2", lianluo.Grant{Role: lianluo.RoleAuditor})); err == nil {
			t.Error("an NPC office granted the auditor role")
		}
		aud := mk("auditor2", lianluo.Grant{Role: lianluo.RoleAuditor})
		if err := db.CreateUser(admin, aud); err != nil {
			t.Fatalf("the system administrator grants the auditor role: %v", err)
		}
		// A second role cannot be added to an administrator later either.
		gs := []lianluo.Grant{{Role: lianluo.RoleAuditor}, {Role: lianluo.RoleLiaison, StationID: &w.StationA.ID}}
		if _, err := db.UpdateUser(admin, aud.ID, lianluo.UserUpdate{Roles: &gs, Version: aud.Version}); lianluo.ErrorField(err) != "roles" {
			t.Errorf("UpdateUser adding a liaison role to an auditor = %v; want a roles error", err)
		}

		// The security administrator: every account, read-only; unlocking only.
		_, n, err := db.FindUsers(security, lianluo.UserFilter{})
		if err != nil || n != len(w.Users)+1 {
			t.Errorf("FindUsers as security = %d, %v; want every account (%d)", n, err, len(w.Users)+1)
		}
		u := w.Users["liaisona"]
		for range 5 {
			if _, err := db.Login(storetest.SystemContext(), "liaisona", "Wrong#pass2026", "127.0.0.1"); err == nil {
				t.Fatal("a wrong password logged in")
			}
		}
		u, err = db.FindUserByID(security, u.ID)
		if err != nil || u.LockedUntil == nil {
			t.Fatalf("liaisona after five wrong passwords = %+v, %v; want locked", u, err)
		}
		name := "改名"
		if _, err := db.UpdateUser(security, u.ID, lianluo.UserUpdate{DisplayName: &name, Unlock: true, Version: u.Version}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("security renames an account = %v; want forbidden", err)
		}
		if _, err := db.UpdateUser(security, u.ID, lianluo.UserUpdate{Unlock: true, Version: u.Version + 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("security unlocks with a stale version = %v; want stale", err)
		}
		if err := db.CreateUser(security, mk("newbie", lianluo.Grant{Role: lianluo.RoleLiaison, StationID: &w.StationA.ID})); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("security creates an account = %v; want forbidden", err)
		}
		got, err := db.UpdateUser(security, u.ID, lianluo.UserUpdate{Unlock: true, Version: u.Version})
		if err != nil || got.LockedUntil != nil {
			t.Fatalf("security unlocks = %+v, %v; want unlocked", got, err)
		}
		if _, err := db.Login(storetest.SystemContext(), "liaisona", storetest.Password, "127.0.0.1"); err != nil {
			t.Errorf("login after the unlock: %v", err)
		}
		evs, _, err := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Entity: lianluo.EntityUser, EntityID: u.ID})
		if err != nil || len(evs) == 0 || !strings.Contains(evs[0].Summary, "解除锁定") || !strings.Contains(evs[0].ActorName, "security") {
			t.Errorf("events of the unlocked account = %+v, %v; want the security administrator's 解除锁定", evs, err)
		}

		// The review shows who has the second factor on.
		head := w.As(t, "heada")
		e, err := db.BeginMFA(head)
		if err != nil {
			t.Fatal(err)
		}
		code, err := lianluo.TOTPAt(e.Secret, db.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmMFA(head, code); err != nil {
			t.Fatal(err)
		}
		us, _, err := db.FindUsers(security, lianluo.UserFilter{Page: lianluo.AllRows()})
		if err != nil {
			t.Fatal(err)
		}
		var on []string
		for _, u := range us {
			if u.MFAEnabled {
				on = append(on, u.Username)
			}
		}
		if fmt.Sprint(on) != "[heada]" {
			t.Errorf("accounts with the second factor on = %v; want [heada]", on)
		}
		if u, err := db.FindUserByID(security, w.Users["heada"].ID); err != nil || !u.MFAEnabled {
			t.Errorf("FindUserByID(heada).MFAEnabled = %v, %v; want true", u != nil && u.MFAEnabled, err)
		}
	})
}
