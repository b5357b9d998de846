package lianluo

import "testing"

func TestStationAndActivityPowers(t *testing.T) {
	t.Parallel()
	id := func(v int64) *int64 { return &v }
	actor := func(scope Scope, grants ...Grant) *Actor {
		return &Actor{User: &User{Username: "u", Roles: grants, Active: true}, Scope: scope}
	}
	office := actor(Scope{Regions: []string{"330206004"}}, Grant{Role: RoleNPCOffice})
	otherOffice := actor(Scope{Regions: []string{"330206003"}}, Grant{Role: RoleNPCOffice})
	admin := actor(Scope{All: true}, Grant{Role: RoleAdmin})
	head := actor(Scope{Stations: []int64{7}}, Grant{Role: RoleStationHead, StationID: id(7)})
	liaison := actor(Scope{Stations: []int64{7}}, Grant{Role: RoleLiaison, StationID: id(7)})
	otherLiaison := actor(Scope{Stations: []int64{8}}, Grant{Role: RoleLiaison, StationID: id(8)})
	leader := actor(Scope{Deputies: []int64{41}}, Grant{Role: RoleDeputy, DeputyID: id(41)})
	deputy := actor(Scope{Deputies: []int64{42}}, Grant{Role: RoleDeputy, DeputyID: id(42)})
	unit := actor(Scope{Units: []int64{90}}, Grant{Role: RoleUnitHandler, OrgID: id(90)})

	for _, tt := range []struct {
		name         string
		a            *Actor
		manage, work bool
	}{
		{"office over the region", office, true, true},
		{"administrator", admin, true, true},
		{"office of another town", otherOffice, false, false},
		{"the station's head", head, true, true},
		{"the station's liaison", liaison, false, true},
		{"another station's liaison", otherLiaison, false, false},
		{"a deputy", deputy, false, false},
		{"a unit handler", unit, false, false},
	} {
		if m, w := StationPowers(tt.a, 7, "330206004"); m != tt.manage || w != tt.work {
			t.Errorf("StationPowers(%s) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
		if m, w := OccasionPowers(tt.a, Organiser{RegionCode: "330206004", StationID: id(7)}); m != tt.manage || w != tt.work {
			t.Errorf("OccasionPowers(%s, a station's occasion) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
		station := &Activity{StationID: id(7), RegionCode: "330206004"}
		if m, w := ActivityPowers(tt.a, station, nil); m != tt.manage || w != tt.work {
			t.Errorf("ActivityPowers(%s, a station's activity) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
	}
	// A group meeting: its leader (or deputy leader) convenes it and grants
	// leave; the station's staff have no say over it, the office does.
	meeting := &Activity{GroupID: id(3), StationID: id(7), RegionCode: "330206004"}
	for _, tt := range []struct {
		name         string
		a            *Actor
		manage, work bool
	}{
		{"the group's leader", leader, true, true},
		{"another deputy", deputy, false, false},
		{"the station's head", head, false, false},
		{"office over the region", office, true, true},
	} {
		if m, w := ActivityPowers(tt.a, meeting, []int64{41}); m != tt.manage || w != tt.work {
			t.Errorf("ActivityPowers(%s, a group meeting) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
		org := Organiser{RegionCode: "330206004", StationID: id(7), GroupID: id(3), GroupLeaders: []int64{41}}
		if m, w := OccasionPowers(tt.a, org); m != tt.manage || w != tt.work {
			t.Errorf("OccasionPowers(%s, a group meeting) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
	}
}
