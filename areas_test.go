package lianluo

import "testing"

func TestAreasOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		a    *Actor
		want Areas
	}{
		{"admin", testActor(Scope{}, Grant{Role: RoleSystemAdmin}), Areas{Cases: true, Stats: true, Orgs: true, Registry: true, Occasions: true, Records: true,
			Accounts: true, Settings: true, Staff: true, OrganiseActivities: true, SendAttendanceNotices: true, TakeCasesDirectly: true}},
		{"office", officeOf("330206"), Areas{Cases: true, Stats: true, Orgs: true, Registry: true, Occasions: true, Records: true,
			Accounts: true, Staff: true, OrganiseActivities: true, SendAttendanceNotices: true, TakeCasesDirectly: true}},
		{"leader", testActor(Scope{Regions: []string{"330206"}}, Grant{Role: RoleNPCLeader, OrgID: idp(7)}), Areas{Cases: true, Stats: true, Orgs: true, Registry: true, Occasions: true,
			Records: true, Staff: true, TakeCasesDirectly: true}},
		{"station head", testActor(Scope{Stations: []int64{3}}, Grant{Role: RoleStationHead, StationID: idp(3)}), Areas{Cases: true, Stats: true, Registry: true, Occasions: true,
			Records: true, Staff: true, OrganiseActivities: true, SendAttendanceNotices: true}},
		{"liaison", liaisonOf(3), Areas{Cases: true, Stats: true, Registry: true, Occasions: true, Records: true, Staff: true}},
		{"deputy", deputyNo(5), Areas{Cases: true, Registry: true, Occasions: true, Records: true, OrganiseActivities: true}},
		{"unit handler", handlerOf(9), Areas{Cases: true}},
	} {
		got := AreasOf(tt.a)
		tt.want.Stats = CanSeeStats(tt.a) // the statistics' own rule (stats_service.go)
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestCanSendAttendanceNotice(t *testing.T) {
	t.Parallel()
	head := testActor(Scope{Stations: []int64{3}}, Grant{Role: RoleStationHead, StationID: idp(3)})
	for _, tt := range []struct {
		name     string
		a        *Actor
		region   string
		stations []int64
		want     bool
	}{
		{"the head of the deputy's station", head, "330206004", []int64{2, 3}, true},
		{"the head of another station", head, "330206004", []int64{2}, false},
		{"a liaison of the station", liaisonOf(3), "330206004", []int64{3}, false},
		{"a deputy", deputyNo(5), "330206004", []int64{3}, false},
		{"the office over the deputy's region", officeOf("330206"), "330206004", nil, true},
		{"the office of another district", officeOf("330205"), "330206004", []int64{3}, false},
	} {
		if got := CanSendAttendanceNotice(tt.a, tt.region, tt.stations); got != tt.want {
			t.Errorf("%s: %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestCanDeclareUnavailability(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		a    *Actor
		want bool
	}{
		{"the deputy", deputyNo(5), true},
		{"another deputy", deputyNo(6), false},
		{"the office over the region", officeOf("330206"), true},
		{"another district's office", officeOf("330205"), false},
		{"a liaison", liaisonOf(3), false},
	} {
		if got := CanDeclareUnavailability(tt.a, "330206004", 5); got != tt.want {
			t.Errorf("%s: %v; want %v", tt.name, got, tt.want)
		}
	}
}
