package lianluo

import "testing"

func TestMaskSubmitterFor(t *testing.T) {
	t.Parallel()
	id := func(v int64) *int64 { return &v }
	actor := func(scope Scope, grants ...Grant) *Actor {
		return &Actor{User: &User{Username: "u", Roles: grants, Active: true}, Scope: scope}
	}
	office := actor(Scope{Regions: []string{"330206004"}}, Grant{Role: RoleNPCOffice})
	liaison := actor(Scope{Stations: []int64{7}}, Grant{Role: RoleLiaison, StationID: id(7)})
	deputy := actor(Scope{Deputies: []int64{42}}, Grant{Role: RoleDeputy, DeputyID: id(42)})
	unit := actor(Scope{Units: []int64{90}}, Grant{Role: RoleUnitHandler, OrgID: id(90)})
	voter := Submitter{Name: "王建国", Phone: "13812341234", Address: "大碶街道灵峰路88号3幢", IDNumber: "11010519491231002X"}
	masked := Submitter{Name: "王建国", Phone: "138****1234", Address: "大碶街道灵峰****", IDNumber: "**************002X", Masked: true}
	nameMasked := masked
	nameMasked.Name = "王**"
	secret := Submitter{Name: "（为反映人保密）", Masked: true}
	for _, tt := range []struct {
		name         string
		a            *Actor
		open, hidden Submitter // on an ordinary case, on a confidential one
	}{
		{"office", office, masked, masked},
		{"the station's liaison", liaison, masked, secret},
		{"a receiving deputy", deputy, masked, secret},
		{"the lead unit's handler", unit, nameMasked, secret},
		{"nobody", nil, nameMasked, secret},
	} {
		for _, confidential := range []bool{false, true} {
			c := &Case{Status: StatusHandling, StationID: id(7), RegionCode: "330206004", ReceivedBy: []int64{42},
				Units: []CaseUnit{{OrgID: 90, Lead: true}}, Submitter: voter, Confidential: confidential}
			MaskSubmitterFor(tt.a, c)
			want := tt.open
			if confidential {
				want = tt.hidden
			}
			if c.Submitter != want {
				t.Errorf("%s (confidential %v): %+v, want %+v", tt.name, confidential, c.Submitter, want)
			}
		}
	}
}
