package lianluo

import "testing"

// The three administrators' reach (三员分立): the system administrator
// everything but the audit trail, the security settings and the voters'
// contact details; the security administrator and the auditor only their
// own duty.
func TestDutyAllows(t *testing.T) {
	system := testActor(Scope{All: true}, Grant{Role: RoleSystemAdmin})
	security := testActor(Scope{}, Grant{Role: RoleSecurityAdmin})
	auditor := testActor(Scope{}, Grant{Role: RoleAuditor})
	office := officeOf("330206")
	parts := []Part{PartOwn, PartAccounts, PartSecurity, PartAudit, PartWork}
	for _, tc := range []struct {
		name  string
		a     *Actor
		allow []bool // in the order of parts
	}{
		{"system_admin", system, []bool{true, true, true, true, true}}, // the store refuses audit and security
		{"security_admin", security, []bool{true, true, true, false, false}},
		{"auditor", auditor, []bool{true, false, false, true, false}},
		{"npc_office", office, []bool{true, true, true, true, true}},
		{"SystemActor", SystemActor(), []bool{true, true, true, true, true}},
	} {
		for i, p := range parts {
			if got := DutyAllows(tc.a, p); got != tc.allow[i] {
				t.Errorf("DutyAllows(%s, %s) = %v; want %v", tc.name, p, got, tc.allow[i])
			}
		}
	}
	for _, tc := range []struct {
		name                   string
		a                      *Actor
		security, audit, users bool
	}{
		{"system_admin", system, false, false, false},
		{"security_admin", security, true, false, true},
		{"auditor", auditor, false, true, false},
		{"npc_office", office, false, false, false},
	} {
		if got := CanManageSecurity(tc.a); got != tc.security {
			t.Errorf("CanManageSecurity(%s) = %v", tc.name, got)
		}
		if got := CanReadAudit(tc.a); got != tc.audit {
			t.Errorf("CanReadAudit(%s) = %v", tc.name, got)
		}
		if got := CanReviewAccounts(tc.a) && CanUnlockAccounts(tc.a); got != tc.users {
			t.Errorf("CanReviewAccounts and CanUnlockAccounts(%s) = %v", tc.name, got)
		}
	}
	for _, tc := range []struct {
		name string
		a    *Actor
		want bool
	}{{"system_admin", system, false}, {"security_admin", security, false}, {"auditor", auditor, false}, {"npc_office", office, true}, {"liaison", liaisonOf(1), true}} {
		if got := MayRevealPersonalData(tc.a); got != tc.want {
			t.Errorf("MayRevealPersonalData(%s) = %v; want %v", tc.name, got, tc.want)
		}
	}
	if AreasOf(security).Cases || AreasOf(auditor).Cases || AreasOf(auditor).Stats || !AreasOf(system).Cases {
		t.Error("AreasOf: the business must be closed to the security administrator and the auditor, open to the system administrator")
	}
}

// The system administrator works every case but sees its submitter as
// one outside it: masked, never revealed.
func TestSystemAdministratorCannotReveal(t *testing.T) {
	system := testActor(Scope{All: true}, Grant{Role: RoleSystemAdmin})
	c := &Case{RegionCode: "330206004", OrgID: 1, Submitter: Submitter{Name: "张三丰", Phone: "13912345678"}, Content: "请回电13912345678"}
	if !RolesOn(system, c).Office {
		t.Fatal("the system administrator should keep the office's workflow powers")
	}
	if CanRevealSubmitter(system, c) {
		t.Error("CanRevealSubmitter(system_admin) = true")
	}
	if !CanRevealSubmitter(officeOf("330206"), c) {
		t.Error("CanRevealSubmitter(office) = false")
	}
	MaskSubmitterFor(system, c)
	if c.Submitter.Name == "张三丰" || c.Submitter.Phone != "139****5678" || c.Content != "请回电139****5678" {
		t.Errorf("masked for the system administrator: %+v, %q", c.Submitter, c.Content)
	}
	conf := &Case{RegionCode: "330206004", Confidential: true, Submitter: Submitter{Name: "张三丰"}}
	MaskSubmitterFor(system, conf)
	if conf.Submitter.Name != "（为反映人保密）" {
		t.Errorf("a confidential case's submitter for the system administrator = %q", conf.Submitter.Name)
	}
}

func TestCheckDuties(t *testing.T) {
	for _, tc := range []struct {
		gs []Grant
		ok bool
	}{
		{[]Grant{{Role: RoleSystemAdmin}}, true},
		{[]Grant{{Role: RoleAuditor}}, true},
		{[]Grant{{Role: RoleNPCOffice, OrgID: idp(1)}, {Role: RoleLiaison, StationID: idp(2)}}, true},
		{[]Grant{{Role: RoleSystemAdmin}, {Role: RoleSecurityAdmin}}, false},
		{[]Grant{{Role: RoleLiaison, StationID: idp(2)}, {Role: RoleAuditor}}, false},
		{[]Grant{{Role: RoleSecurityAdmin}, {Role: RoleDeputy, DeputyID: idp(3)}}, false},
	} {
		if err := CheckDuties(tc.gs); (err == nil) != tc.ok || (err != nil && ErrorField(err) != "roles") {
			t.Errorf("CheckDuties(%s) = %v; want ok=%v", RolesText(tc.gs), err, tc.ok)
		}
	}
}
