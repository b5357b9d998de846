package lianluo

// Who sees what of a case's submitter (docs/design.md, privacy): decided
// here, applied by the store to every case it returns.

// CanRevealSubmitter reports whether the actor may see a case's submitter
// unmasked (查看联系方式, a logged request with a reason): the office, or
// the station's staff when the case is not confidential.
func CanRevealSubmitter(a *Actor, c *Case) bool {
	r := RolesOn(a, c)
	return r.Office || (r.Station && !c.Confidential)
}

// MaskSubmitterFor hides what the actor does not need of the case's
// submitter: phone, address and ID number are always masked (a reveal is a
// separate, logged request: CanRevealSubmitter); those outside the case
// (a unit's handler among them) see only a masked name; a confidential case
// shows its submitter only to the office.
func MaskSubmitterFor(a *Actor, c *Case) {
	s := &c.Submitter
	r := RolesOn(a, c)
	switch {
	case c.Confidential && !r.Office:
		*s = Submitter{Name: "（为反映人保密）", Masked: true}
		return
	case !(r.Office || r.Station || r.Deputy):
		s.Name = MaskName(s.Name)
	}
	s.Phone = MaskPhone(s.Phone)
	if addr := []rune(s.Address); len(addr) > 6 {
		s.Address = string(addr[:6]) + "****"
	}
	s.IDNumber = MaskIDNumber(s.IDNumber)
	s.Masked = true
}
