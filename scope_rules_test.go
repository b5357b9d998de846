package lianluo

import "testing"

func TestCheckRegionInScope(t *testing.T) {
	t.Parallel()
	admin := testActor(Scope{All: true}, Grant{Role: RoleSystemAdmin})
	district := officeOf("330206")
	townA := officeOf("330206004")
	liaison := liaisonOf(7)
	deputy := deputyNo(42)
	for _, tt := range []struct {
		name   string
		a      *Actor
		code   string
		within []string
		ok     bool
	}{
		{"administrator, another city", admin, "110101", nil, true},
		{"district office, town B", district, "330206003", nil, true},
		{"district office, another district", district, "330211", nil, false},
		{"town A office, its village", townA, "330206004001", nil, true},
		{"town A office, town B", townA, "330206003", nil, false},
		{"town A office, the district above", townA, "330206", nil, false},
		{"town A office, town B through its station's body", townA, "330206003", []string{"330206004"}, false},
		{"liaison, within the station's body", liaison, "330206004001", []string{"330206004"}, true},
		{"liaison, town B", liaison, "330206003", []string{"330206004"}, false},
		{"liaison, no station", liaison, "330206004", nil, false},
		{"deputy, within the station's body", deputy, "330206004", []string{"330206004"}, true},
		{"deputy, town B", deputy, "330206003", []string{"330206004"}, false},
		{"empty within is no subtree", deputy, "330206003", []string{""}, false},
		{"no actor", nil, "330206004", nil, false},
	} {
		err := tt.a.CheckRegionInScope("region_code", tt.code, tt.within...)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckRegionInScope(%s, %v) = %v; want ok %v", tt.name, tt.code, tt.within, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorField(err) != "region_code") {
			t.Errorf("%s: %v; want an invalid region_code", tt.name, err)
		}
	}
}

func TestCheckManageRegion(t *testing.T) {
	t.Parallel()
	admin := testActor(Scope{All: true}, Grant{Role: RoleSystemAdmin})
	leader := testActor(Scope{Regions: []string{"330206"}}, Grant{Role: RoleNPCLeader})
	for _, tt := range []struct {
		name string
		a    *Actor
		code string
		want string // "" allowed, else the error code
	}{
		{"administrator", admin, "110101", ""},
		{"district office, town B", officeOf("330206"), "330206003", ""},
		{"town A office, its village", officeOf("330206004"), "330206004001", ""},
		{"town A office, town B", officeOf("330206004"), "330206003", EINVALID},
		{"a leader keeps no registry", leader, "330206004", EFORBIDDEN},
		{"a liaison keeps no registry", liaisonOf(7), "330206004", EFORBIDDEN},
		{"a deputy keeps no registry", deputyNo(42), "330206004", EFORBIDDEN},
		{"no actor", nil, "330206004", EFORBIDDEN},
	} {
		err := tt.a.CheckManageRegion("region_code", tt.code)
		if ErrorCode(err) != tt.want {
			t.Errorf("%s: CheckManageRegion(%s) = %v; want %q", tt.name, tt.code, err, tt.want)
		}
		if ok := tt.a.CanManageRegion(tt.code); ok != (err == nil) {
			t.Errorf("%s: CanManageRegion(%s) = %v, but CheckManageRegion says %v", tt.name, tt.code, ok, err)
		}
	}
}
