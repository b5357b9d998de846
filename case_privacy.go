package lianluo

// Who sees what of a case's submitter (docs/design.md, privacy): decided
// here, applied by the store to every case it returns.

// CanRevealSubmitter reports whether the actor may see a case's submitter
// unmasked (查看联系方式, a logged request with a reason): the office, or
// the station's staff when the case is not confidential. Never the system
// administrator (三员分立): running the platform is not working the case.
func CanRevealSubmitter(a *Actor, c *Case) bool {
	r := privacyRolesOn(a, c)
	return r.Office || (r.Station && !c.Confidential)
}

// privacyRolesOn is RolesOn for the submitter's privacy: the system
// administrator's powers over every case (to correct and move it) show
// them no more of its submitter than anyone outside the case sees.
func privacyRolesOn(a *Actor, c *Case) CaseRoles {
	if !MayRevealPersonalData(a) {
		return CaseRoles{}
	}
	return RolesOn(a, c)
}

// MaskSubmitterFor hides what the actor does not need of the case's
// submitter: phone, address and ID number are always masked (a reveal is a
// separate, logged request: CanRevealSubmitter); those outside the case
// (a unit's handler among them) see only a masked name; a confidential case
// shows its submitter only to the office.
func MaskSubmitterFor(a *Actor, c *Case) {
	MaskCaseTextFor(a, c)
	s := &c.Submitter
	r := privacyRolesOn(a, c)
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

// MaskCaseTextFor masks the mobile numbers typed into a case's free text
// (title, content, place, answers, comments, history notes) for an actor
// who may not reveal its submitter: a number written into the content is
// the same personal information as the masked submitter's phone, and would
// otherwise be read in full by a unit's handler or a deputy. Those who may
// reveal see the text as written (they may edit it).
func MaskCaseTextFor(a *Actor, c *Case) {
	if CanRevealSubmitter(a, c) {
		return
	}
	for _, p := range []*string{&c.Title, &c.Content, &c.Location, &c.Outcome} {
		*p = MaskPhonesIn(*p)
	}
	if c.Reply != nil {
		r := *c.Reply
		r.Content = MaskPhonesIn(r.Content)
		c.Reply = &r
	}
	if c.Extension != nil {
		e := *c.Extension
		e.Reason = MaskPhonesIn(e.Reason)
		c.Extension = &e
	}
	for i := range c.Ratings {
		c.Ratings[i].Comment = MaskPhonesIn(c.Ratings[i].Comment)
	}
	for i := range c.Events {
		c.Events[i].Comment = MaskPhonesIn(c.Events[i].Comment)
	}
}
