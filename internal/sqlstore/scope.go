package sqlstore

import (
	"strings"

	"lianluo"
)

// Scope is enforced here, in the queries: a record outside the caller's
// scope is simply not found, through every path (page, API, export).
// Each function adds one clause to w (or nothing for administrators) that
// restricts the entity aliased as the given table alias.

// regionClause returns one condition per subtree. A subtree is a range of
// codes, `col >= p AND col < next(p)`, not `LIKE 'p%'`: SQLite cannot
// answer LIKE from an index (its LIKE ignores case; the index does not),
// and on a million cases the range is what keeps a town's list fast.
func regionClause(w *where, col string, prefixes []string) []string {
	var or []string
	for _, p := range prefixes {
		or = append(or, regionRange(w, col, p))
	}
	return or
}

// regionRange is the condition that col lies in the subtree of code p.
func regionRange(w *where, col, p string) string {
	if end := prefixEnd(p); end != "" {
		return "(" + col + " >= " + w.arg(p) + " AND " + col + " < " + w.arg(end) + ")"
	}
	return col + " >= " + w.arg(p)
}

// prefixEnd returns the least string above every code that starts with the
// digits p ("330206004" → "330206005", "330299" → "3303"), or "" if there
// is none ("99").
func prefixEnd(p string) string {
	d := []byte(p)
	for i := len(d) - 1; i >= 0; i-- {
		if d[i] < '9' {
			d[i]++
			return string(d[:i+1])
		}
	}
	return ""
}

func addOr(w *where, or []string) {
	if len(or) == 0 {
		w.add("1 = 0") // nothing in scope
		return
	}
	w.add("(" + strings.Join(or, " OR ") + ")")
}

// scopeOrgs: NPC staff see orgs in their subtree; station staff the body that
// manages their station; unit handlers their own unit.
func scopeOrgs(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if ids := append(append([]int64{}, s.Orgs...), s.Units...); len(ids) > 0 {
		or = append(or, alias+".id IN "+w.in(ids))
	}
	if len(s.Stations) > 0 {
		or = append(or, alias+".id IN (SELECT org_id FROM stations WHERE id IN "+w.in(s.Stations)+")")
	}
	addOr(w, or)
}

// scopeStations: NPC staff see stations in their subtree; station staff and
// deputies their own stations.
func scopeStations(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if len(s.Stations) > 0 {
		or = append(or, alias+".id IN "+w.in(s.Stations))
	}
	addOr(w, or)
}

// scopeDeputies: NPC staff see deputies registered in their subtree and those
// serving at a station in it (a district deputy at a town station); station
// staff the deputies of their station; a deputy themselves.
func scopeDeputies(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if len(s.Regions) > 0 {
		inner := regionClause(w, "st.region_code", s.Regions)
		or = append(or, alias+".id IN (SELECT sd.deputy_id FROM station_deputies sd JOIN stations st ON st.id = sd.station_id WHERE "+strings.Join(inner, " OR ")+")")
	}
	if len(s.Stations) > 0 {
		or = append(or, alias+".id IN (SELECT deputy_id FROM station_deputies WHERE station_id IN "+w.in(s.Stations)+")")
	}
	if len(s.Deputies) > 0 {
		or = append(or, alias+".id IN "+w.in(s.Deputies))
	}
	addOr(w, or)
}

// scopeGroups: NPC staff see groups in their subtree; station staff groups of
// their station; a deputy their own group.
func scopeGroups(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if len(s.Stations) > 0 {
		or = append(or, alias+".station_id IN "+w.in(s.Stations))
	}
	if len(s.Deputies) > 0 {
		or = append(or, alias+".id IN (SELECT group_id FROM deputies WHERE group_id IS NOT NULL AND id IN "+w.in(s.Deputies)+")")
	}
	addOr(w, or)
}

// scopeUsers: the system administrator and the security administrator
// (reviewing grants) see every account, NPC office staff users with a role
// inside their subtree; everyone else sees only themselves.
func scopeUsers(w *where, a *lianluo.Actor, alias string) {
	if a == nil || a.User == nil {
		w.add("1 = 0")
		return
	}
	if a.Scope.All || lianluo.CanReviewAccounts(a) {
		return
	}
	or := []string{alias + ".id = " + w.arg(a.User.ID)}
	if a.Has(lianluo.RoleNPCOffice) && len(a.Scope.Regions) > 0 {
		orgR := regionClause(w, "o.region_code", a.Scope.Regions)
		stR := regionClause(w, "s.region_code", a.Scope.Regions)
		depR := regionClause(w, "d.region_code", a.Scope.Regions)
		or = append(or, alias+".id IN (SELECT ur.user_id FROM user_roles ur"+
			" LEFT JOIN orgs o ON o.id = ur.org_id"+
			" LEFT JOIN stations s ON s.id = ur.station_id"+
			" LEFT JOIN deputies d ON d.id = ur.deputy_id"+
			" WHERE ("+strings.Join(orgR, " OR ")+") OR ("+strings.Join(stR, " OR ")+") OR ("+strings.Join(depR, " OR ")+"))")
	}
	addOr(w, or)
}
