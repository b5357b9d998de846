package sqlstore_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func errField(err error) string {
	var e *lianluo.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Every way of setting a password applies the policy: a weak one and one
// containing the username are refused on create, reset and own change; a
// password set by an administrator must be changed by its owner first; the
// last five are not used again.
func TestPasswordPolicyOnEveryPath(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "admin")
		grant := []lianluo.Grant{{Role: lianluo.RoleLiaison, StationID: &w.StationA.ID}}
		for _, pw := range []string{"Password1", "P@ssw0rd", "Zhouping@2026", "Short@1x"} {
			u := &lianluo.User{Username: "zhouping", Password: pw, DisplayName: "周平", Roles: grant}
			if err := db.CreateUser(admin, u); errField(err) != "password" {
				t.Errorf("CreateUser(password %q) = %v; want an error on password", pw, err)
			}
		}
		u := &lianluo.User{Username: "zhouping", Password: "Daqi@2026x", DisplayName: "周平", Roles: grant}
		if err := db.CreateUser(admin, u); err != nil {
			t.Fatal(err)
		}
		if !u.MustChangePassword || u.Demo {
			t.Errorf("created user: must change %v, demo %v; want true, false", u.MustChangePassword, u.Demo)
		}
		actor := func(pw string) context.Context {
			t.Helper()
			s, err := db.Login(context.Background(), "zhouping", pw, "127.0.0.1")
			if err != nil {
				t.Fatalf("Login(%s): %v", pw, err)
			}
			a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			return lianluo.NewContextWithActor(context.Background(), a)
		}
		ctx := actor("Daqi@2026x")
		if !lianluo.ActorFromContext(ctx).User.MustChangePassword {
			t.Errorf("actor after an administrator's password: MustChangePassword false; want true")
		}
		if err := db.ChangePassword(ctx, "Daqi@2026x", "P@ssw0rd2026"); errField(err) != "new_password" {
			t.Errorf("ChangePassword(P@ssw0rd2026) = %v; want an error on new_password", err)
		}
		// Five changes; then each of the last five is refused, the sixth back allowed.
		pws := []string{"Daqi@2026x", "Beilun#7391a", "Beilun#7391b", "Beilun#7391c", "Beilun#7391d", "Beilun#7391e"}
		for i := 1; i < len(pws); i++ {
			if err := db.ChangePassword(ctx, pws[i-1], pws[i]); err != nil {
				t.Fatalf("ChangePassword(%s): %v", pws[i], err)
			}
		}
		ctx = actor(pws[5])
		if lianluo.ActorFromContext(ctx).User.MustChangePassword {
			t.Errorf("actor after changing the password: MustChangePassword true; want false")
		}
		for _, old := range pws[1:5] {
			if err := db.ChangePassword(ctx, pws[5], old); errField(err) != "new_password" {
				t.Errorf("ChangePassword(back to %s) = %v; want refused as reused", old, err)
			}
		}
		if err := db.ChangePassword(ctx, pws[5], pws[0]); err != nil {
			t.Errorf("ChangePassword(back to the sixth last) = %v; want nil", err)
		}
		// An administrator's reset: the policy, the history, and the forced change again.
		up := func(pw string) (*lianluo.User, error) {
			cur, err := db.FindUserByID(admin, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return db.UpdateUser(admin, u.ID, lianluo.UserUpdate{Password: &pw, Version: cur.Version})
		}
		if _, err := up("Admin@12345"); errField(err) != "password" {
			t.Errorf("reset to Admin@12345 = %v; want an error on password", err)
		}
		if _, err := up(pws[5]); errField(err) != "password" {
			t.Errorf("reset to a recent password = %v; want an error on password", err)
		}
		got, err := up("Hongtang#5920")
		if err != nil {
			t.Fatal(err)
		}
		if !got.MustChangePassword {
			t.Errorf("after a reset: MustChangePassword false; want true")
		}
	})
}

// Demo accounts (made with the demo loader's context) keep the published
// password, are marked, and need no change; a caller cannot make one.
func TestDemoAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		if n, err := db.DemoAccounts(ctx); err != nil || n != 0 {
			t.Fatalf("DemoAccounts() = %d, %v; want 0", n, err)
		}
		u := &lianluo.User{Username: "admin", Password: "Lianluo@2026", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: lianluo.RoleSystemAdmin}}, Demo: true}
		if err := db.CreateUser(ctx, u); errField(err) != "password" {
			t.Errorf("CreateUser(Lianluo@2026, Demo set by the caller) = %v; want refused", err)
		}
		if err := db.CreateUser(lianluo.NewContextForDemo(ctx), u); err != nil {
			t.Fatal(err)
		}
		if !u.Demo || u.MustChangePassword {
			t.Errorf("demo user: demo %v, must change %v; want true, false", u.Demo, u.MustChangePassword)
		}
		if n, err := db.DemoAccounts(ctx); err != nil || n != 1 {
			t.Errorf("DemoAccounts() = %d, %v; want 1", n, err)
		}
	})
}

// The settings carry a version: a stale edit is refused; the minimum length
// applies at once.
func TestSecurityPolicySettings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		p, err := db.SecurityPolicy(ctx)
		if err != nil || !reflect.DeepEqual(p, lianluo.DefaultSecurityPolicy) {
			t.Fatalf("SecurityPolicy() = %+v, %v; want the default", p, err)
		}
		p.PasswordMinLength = 14
		saved, err := db.UpdateSecurityPolicy(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != p.Version+1 {
			t.Errorf("saved version = %d; want %d", saved.Version, p.Version+1)
		}
		if _, err := db.UpdateSecurityPolicy(ctx, p); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("UpdateSecurityPolicy(stale) = %v; want stale_version", err)
		}
		u := &lianluo.User{Username: "zhouping", Password: "Daqi@2026xy", DisplayName: "周平", Roles: []lianluo.Grant{{Role: lianluo.RoleSystemAdmin}}}
		if err := db.CreateUser(ctx, u); errField(err) != "password" {
			t.Errorf("CreateUser(11 characters, minimum 14) = %v; want an error on password", err)
		}

		// Expiry: a password older than the policy's days must be changed.
		clock := storetest.ClockOf(db)
		now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		clock.Set(func() time.Time { return now })
		u.Password = "Daqi@2026xyzwv"
		storetest.MustCreateUser(t, db, ctx, u)
		saved.PasswordExpiryDays = 30
		if _, err := db.UpdateSecurityPolicy(ctx, saved); err != nil {
			t.Fatal(err)
		}
		mustChange := func() bool {
			t.Helper()
			s, err := db.Login(context.Background(), "zhouping", "Daqi@2026xyzwv", "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			return a.User.MustChangePassword
		}
		now = now.Add(29 * 24 * time.Hour)
		if mustChange() {
			t.Errorf("after 29 days of 30: MustChangePassword true; want false")
		}
		now = now.Add(2 * 24 * time.Hour)
		if !mustChange() {
			t.Errorf("after 31 days of 30: MustChangePassword false; want true")
		}
	})
}
