package lianluo

import "slices"

// Who may do the smaller things outside the case workflow and the
// occasions. Each is decided here once: the store refuses with it and the
// pages show a form or a button only when it allows.

// IsDeputy reports whether the actor is signed in as the deputy deputyID.
func (a *Actor) IsDeputy(deputyID int64) bool {
	return a != nil && a.Has(RoleDeputy) && slices.Contains(a.Scope.Deputies, deputyID)
}

// CaseRegistrarRoles are the roles that register cases: the offices, the
// stations' staff and the deputies themselves (docs/workflow.md, 登记).
var CaseRegistrarRoles = []string{RoleSystemAdmin, RoleNPCOffice, RoleNPCLeader, RoleStationHead, RoleLiaison, RoleDeputy}

// CanRegisterCases reports whether the actor's roles register cases; where
// a case may go is then the scope's business.
func CanRegisterCases(a *Actor) bool { return a != nil && a.HasAny(CaseRegistrarRoles...) }

// CanSetDeputyPhoto reports whether the actor may set or remove the
// deputy's public portrait: the office managing the deputy's region, or
// the deputy on their own page.
func CanSetDeputyPhoto(a *Actor, d *Deputy) bool {
	return a.CanManageRegion(d.RegionCode) || a.IsDeputy(d.ID)
}

// KeepsMailbox reports whether the actor may log openings of the
// station's deputy mailbox and register its letters: whoever works at the
// station (StationPowers) and the deputies serving there — 004 三 二: the
// box is usually kept by the deputy, or a liaison entrusted with it.
func KeepsMailbox(a *Actor, st *Station) bool {
	if _, work := StationPowers(a, st.ID, st.RegionCode); work {
		return true
	}
	for _, d := range st.DeputyIDs {
		if a.IsDeputy(d) {
			return true
		}
	}
	return false
}

// DiaryStaffRoles are the roles that read deputies' diaries (民情日记) and
// turn entries into cases: the offices, and the staff of the deputies'
// stations. Which entries they reach is the scope's business (the store
// narrows to the region, or to the deputies of the actor's stations).
var DiaryStaffRoles = []string{RoleSystemAdmin, RoleNPCOffice, RoleNPCLeader, RoleStationHead, RoleLiaison}

// OwnsDiary reports whether the entry is the actor's own: 003 — only the
// deputy writes their diary.
func OwnsDiary(a *Actor, e *DiaryEntry) bool { return a.IsDeputy(e.DeputyID) }

// OwnDeputy is the deputy the actor is signed in as, when they are exactly
// one: a deputy registering what they heard is its receiving deputy.
func (a *Actor) OwnDeputy() (int64, bool) {
	if a == nil || !a.Has(RoleDeputy) || len(a.Scope.Deputies) != 1 {
		return 0, false
	}
	return a.Scope.Deputies[0], true
}
