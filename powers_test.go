package lianluo

import "testing"

func TestStationAndActivityPowers(t *testing.T) {
	t.Parallel()
	office := officeOf("330206004")
	otherOffice := officeOf("330206003")
	admin := testActor(Scope{All: true}, Grant{Role: RoleSystemAdmin})
	head := testActor(Scope{Stations: []int64{7}}, Grant{Role: RoleStationHead, StationID: idp(7)})
	liaison := liaisonOf(7)
	otherLiaison := liaisonOf(8)
	leader := deputyNo(41)
	deputy := deputyNo(42)
	unit := handlerOf(90)

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
		if m, w := OccasionPowers(tt.a, Organiser{RegionCode: "330206004", StationID: idp(7)}); m != tt.manage || w != tt.work {
			t.Errorf("OccasionPowers(%s, a station's occasion) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
		station := &Activity{StationID: idp(7), RegionCode: "330206004"}
		if m, w := ActivityPowers(tt.a, station, nil); m != tt.manage || w != tt.work {
			t.Errorf("ActivityPowers(%s, a station's activity) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
	}
	// A group meeting: its leader (or deputy leader) convenes it and grants
	// leave; the station's staff have no say over it, the office does.
	meeting := &Activity{GroupID: idp(3), StationID: idp(7), RegionCode: "330206004"}
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
		org := Organiser{RegionCode: "330206004", StationID: idp(7), GroupID: idp(3), GroupLeaders: []int64{41}}
		if m, w := OccasionPowers(tt.a, org); m != tt.manage || w != tt.work {
			t.Errorf("OccasionPowers(%s, a group meeting) = %v, %v; want %v, %v", tt.name, m, w, tt.manage, tt.work)
		}
	}
}
