package lianluo

import "testing"

func TestRecordPowers(t *testing.T) {
	t.Parallel()
	office := officeOf("330206004")
	otherOffice := officeOf("330206003")
	liaison := liaisonOf(7)
	otherLiaison := liaisonOf(8)
	deputy := deputyNo(42)
	otherDeputy := deputyNo(43)
	unit := handlerOf(90)
	// A deputy's scope without the role (a liaison who is also listed) is not the deputy.
	noRole := testActor(Scope{Deputies: []int64{42}}, Grant{Role: RoleLiaison, StationID: idp(8)})

	st := &Station{ID: 7, RegionCode: "330206004", DeputyIDs: []int64{42}}
	d := &Deputy{ID: 42, RegionCode: "330206004"}
	e := &DiaryEntry{DeputyID: 42}
	for _, tt := range []struct {
		name                          string
		a                             *Actor
		register, photo, mailbox, own bool
	}{
		{"office over the region", office, true, true, true, false},
		{"office of another town", otherOffice, true, false, false, false},
		{"the station's liaison", liaison, true, false, true, false},
		{"another station's liaison", otherLiaison, true, false, false, false},
		{"the deputy", deputy, true, true, true, true},
		{"another deputy", otherDeputy, true, false, false, false},
		{"a unit handler", unit, false, false, false, false},
		{"deputy scope without the role", noRole, true, false, false, false},
		{"nobody", nil, false, false, false, false},
	} {
		if got := CanRegisterCases(tt.a); got != tt.register {
			t.Errorf("CanRegisterCases(%s) = %v", tt.name, got)
		}
		if tt.a != nil {
			if got := CanSetDeputyPhoto(tt.a, d); got != tt.photo {
				t.Errorf("CanSetDeputyPhoto(%s) = %v", tt.name, got)
			}
			if got := KeepsMailbox(tt.a, st); got != tt.mailbox {
				t.Errorf("KeepsMailbox(%s) = %v", tt.name, got)
			}
		}
		if got := OwnsDiary(tt.a, e); got != tt.own {
			t.Errorf("OwnsDiary(%s) = %v", tt.name, got)
		}
	}
	if d, ok := deputy.OwnDeputy(); !ok || d != 42 {
		t.Errorf("OwnDeputy(deputy) = %d, %v", d, ok)
	}
	two := testActor(Scope{Deputies: []int64{42, 43}}, Grant{Role: RoleDeputy, DeputyID: idp(42)})
	if _, ok := two.OwnDeputy(); ok {
		t.Error("an actor over two deputies has no own deputy")
	}
	if _, ok := liaison.OwnDeputy(); ok {
		t.Error("a liaison has no own deputy")
	}
}
