package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Scope is enforced in the store: each role sees exactly its part.
func TestScopes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		for _, tc := range []struct {
			user                     string
			stations, deputies, orgs int
			users                    int
		}{
			{"admin", 2, 3, 4, 10},
			{"security", 0, 0, 0, 10}, // reviews every account, sees no business records
			{"auditor", 0, 0, 0, 1},
			{"office", 2, 3, 4, 7},  // every user but the three administrators
			{"officea", 1, 2, 1, 4}, // itself, heada, liaisona, deputya
			{"leader", 2, 3, 4, 1},
			{"heada", 1, 2, 1, 1},
			{"deputya", 1, 2, 1, 1},
			{"unit", 0, 0, 1, 1},
		} {
			ctx := w.As(t, tc.user)
			_, ns, err := db.FindStations(ctx, lianluo.StationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			_, nd, _ := db.FindDeputies(ctx, lianluo.DeputyFilter{})
			_, no, _ := db.FindOrgs(ctx, lianluo.OrgFilter{})
			_, nu, _ := db.FindUsers(ctx, lianluo.UserFilter{})
			if ns != tc.stations || nd != tc.deputies || no != tc.orgs || nu != tc.users {
				t.Errorf("%s sees stations=%d deputies=%d orgs=%d users=%d; want %d %d %d %d",
					tc.user, ns, nd, no, nu, tc.stations, tc.deputies, tc.orgs, tc.users)
			}
		}

		// Another town's records are not found, and cannot be written.
		a := w.As(t, "officea")
		if _, err := db.FindStationByID(a, w.StationB.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("officea FindStationByID(B) = %v; want not_found", err)
		}
		if _, err := db.FindDeputyByID(a, w.DeputyB.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("officea FindDeputyByID(B) = %v; want not_found", err)
		}
		name := "改名"
		if _, err := db.UpdateStation(a, w.StationB.ID, lianluo.StationUpdate{Name: &name, Version: 1}); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("officea UpdateStation(B) = %v; want not_found", err)
		}
		d := &lianluo.Deputy{Name: "赵六", Gender: "male", RegionCode: "330206003", Seats: []lianluo.Seat{{Level: "county"}}}
		if err := db.CreateDeputy(a, d); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "region_code" {
			t.Errorf("officea CreateDeputy in town B = %v; want invalid region_code", err)
		}
		// Town A office may create in town A, but not grant admin or roles in town B.
		d.RegionCode = "330206004"
		if err := db.CreateDeputy(a, d); err != nil {
			t.Errorf("officea CreateDeputy in town A = %v", err)
		}
		u := &lianluo.User{Username: "newadmin", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "system_admin"}}}
		if err := db.CreateUser(a, u); lianluo.ErrorField(err) != "roles" {
			t.Errorf("officea grants admin: %v; want roles error", err)
		}
		u.Password = storetest.Password
		u.Roles = []lianluo.Grant{{Role: "liaison", StationID: &w.StationB.ID}}
		if err := db.CreateUser(a, u); lianluo.ErrorField(err) != "roles" {
			t.Errorf("officea grants a town B role: %v; want roles error", err)
		}
		// Unit handlers and deputies cannot edit the registry.
		for _, user := range []string{"unit", "deputya", "liaisona", "leader"} {
			o := &lianluo.Org{Kind: "unit", Name: "新单位", RegionCode: "330206004"}
			if err := db.CreateOrg(w.As(t, user), o); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("%s CreateOrg = %v; want forbidden", user, err)
			}
		}
		// A station head may change their station's hours but not move it.
		h := w.As(t, "heada")
		hours := "周一至周五 9:00-17:00"
		s, err := db.UpdateStation(h, w.StationA.ID, lianluo.StationUpdate{OpeningHours: &hours, Version: 1})
		if err != nil || s.OpeningHours != hours {
			t.Errorf("heada UpdateStation hours = %v, %v", s, err)
		}
		region := "330206003"
		if _, err := db.UpdateStation(h, w.StationA.ID, lianluo.StationUpdate{RegionCode: &region, Version: 2}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("heada moves station = %v; want forbidden", err)
		}
		// Audit is for administrators.
		if _, _, err := db.FindEvents(a, lianluo.EventFilter{}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("officea FindEvents = %v; want forbidden", err)
		}
	})
}
