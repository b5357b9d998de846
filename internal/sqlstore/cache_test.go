package sqlstore_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Authenticate costs one query per request once the actor is cached, and
// a change to what makes the actor, committed through one instance, is
// seen at once by another instance on the same database.
func TestAuthCache(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		other := storetest.OpenSecond(t, db) // a second server
		bg := context.Background()
		auth := func(d *sqlstore.DB, token string) (*lianluo.Actor, error) {
			return d.Authenticate(bg, token, "127.0.0.1")
		}
		head, office, dep := w.Token(t, "heada"), w.Token(t, "officea"), w.Token(t, "deputya")
		for _, tok := range []string{head, office, dep} {
			if _, err := auth(other, tok); err != nil {
				t.Fatal(err)
			}
		}

		var n atomic.Int64
		other.OnQuery(func() { n.Add(1) })
		for range 3 {
			a, err := auth(other, head)
			if err != nil || a.User.Username != "heada" || !slices.Equal(a.Scope.Stations, []int64{w.StationA.ID}) {
				t.Fatalf("cached actor = %+v, %v", a, err)
			}
		}
		if got := n.Load(); got != 3 {
			t.Errorf("three cached Authenticate calls sent %d statements; want 3 (one each)", got)
		}
		// A request cannot change what the next one reads.
		a, _ := auth(other, head)
		a.User.Roles[0].Role, a.Scope.Stations[0] = lianluo.RoleSystemAdmin, 0
		if a, _ := auth(other, head); a.User.Roles[0].Role != lianluo.RoleStationHead || a.Scope.Stations[0] != w.StationA.ID {
			t.Errorf("a changed actor leaked into the cache: %+v %+v", a.User.Roles, a.Scope)
		}
		other.OnQuery(nil)

		admin := w.As(t, "admin")
		// A new role, through the first instance.
		u := w.Users["heada"]
		gs := []lianluo.Grant{{Role: lianluo.RoleStationHead, StationID: &w.StationA.ID}, {Role: lianluo.RoleLiaison, StationID: &w.StationB.ID}}
		u, err := db.UpdateUser(admin, u.ID, lianluo.UserUpdate{Roles: &gs, Version: u.Version})
		if err != nil {
			t.Fatal(err)
		}
		if a, err := auth(other, head); err != nil || !slices.Contains(a.Scope.Stations, w.StationB.ID) {
			t.Errorf("after a new role the other instance sees %+v, %v; want station B in scope", a, err)
		}
		// A body deactivated: its staff lose its region at once.
		if _, err := db.UpdateOrg(admin, w.TownA.ID, lianluo.OrgUpdate{Active: new(false), Version: w.TownA.Version}); err != nil {
			t.Fatal(err)
		}
		if a, err := auth(other, office); err != nil || len(a.Scope.Regions) != 0 {
			t.Errorf("after the body's deactivation the other instance sees %+v, %v; want no region", a, err)
		}
		// The security settings: a second factor now required of station heads.
		sec := w.As(t, "security")
		p, err := db.SecurityPolicy(sec)
		if err != nil {
			t.Fatal(err)
		}
		p.MFARoles = []string{lianluo.RoleStationHead}
		if _, err := db.UpdateSecurityPolicy(sec, p); err != nil {
			t.Fatal(err)
		}
		if a, err := auth(other, head); err != nil || !a.User.MustEnrolMFA {
			t.Errorf("after the settings changed the other instance sees MustEnrolMFA = %v, %v; want true", a != nil && a.User.MustEnrolMFA, err)
		}
		// Deactivation and logout end the session everywhere.
		off := false
		if _, err := db.UpdateUser(admin, u.ID, lianluo.UserUpdate{Active: &off, Version: u.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := auth(other, head); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("a deactivated user's session on the other instance: %v; want unauthorized", err)
		}
		if err := db.Logout(bg, dep); err != nil {
			t.Fatal(err)
		}
		if _, err := auth(other, dep); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("a session logged out on the first instance, on the other: %v; want unauthorized", err)
		}
	})
}

// The deadline policy and the calendar are read once per epoch: a cached
// read costs one statement, and a change through one instance is seen by
// another at once.
func TestSettingsCache(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		other := storetest.OpenSecond(t, db)
		ctx := storetest.SystemContext()
		if _, err := other.Policy(ctx); err != nil {
			t.Fatal(err)
		}
		cal, err := other.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var n atomic.Int64
		other.OnQuery(func() { n.Add(1) })
		if _, err := other.Policy(ctx); err != nil {
			t.Fatal(err)
		}
		if again, err := other.Calendar(ctx); err != nil || again != cal {
			t.Errorf("Calendar again = %p, %v; want the cached %p", again, err, cal)
		}
		if got := n.Load(); got != 2 {
			t.Errorf("cached Policy and Calendar sent %d statements; want 2 (the epoch each)", got)
		}
		other.OnQuery(nil)

		admin := w.As(t, "admin")
		p := lianluo.DefaultPolicy
		p.ReplyWorkdays = 20
		if err := db.UpdatePolicy(admin, p); err != nil {
			t.Fatal(err)
		}
		if got, err := other.Policy(ctx); err != nil || got.ReplyWorkdays != 20 {
			t.Errorf("the other instance's policy after the change = %+v, %v; want 20 working days", got, err)
		}
		// 2027-01-04 is a Monday; declared a holiday through the first instance.
		day, _ := time.ParseInLocation("2006-01-02", "2027-01-04", lianluo.Beijing)
		if !cal.IsWorkday(day) {
			t.Fatal("2027-01-04 should be a working day before the change")
		}
		if err := db.SetCalendarYear(admin, 2027, []lianluo.CalendarDay{{Date: "2027-01-04", Kind: "holiday", Name: "测试"}}, ""); err != nil {
			t.Fatal(err)
		}
		if got, err := other.Calendar(ctx); err != nil || got.IsWorkday(day) {
			t.Errorf("the other instance's calendar still works on 2027-01-04 (%v)", err)
		}
	})
}
