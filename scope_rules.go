package lianluo

import "strings"

// Writes stay inside the caller's scope. A record's region, station, body
// and deputies decide who sees it (a town's office sees everything in its
// subtree), so a write naming another town's region or records would hand
// the record to that town. Every reference a write names is checked here,
// the way reads refuse what lies outside the scope: the store finds ids
// through its scoped finders (an id out of scope is not found) and asks
// CheckRegionInScope about every region code. The answer is a field error,
// as for every other bad reference in an input (the form shows it at the
// field), worded like the 404 of a read: 不存在或不在您的管辖范围内.

// NotInScope is the error for a write naming a record or a region outside
// the caller's scope.
func NotInScope(field, what string) *Error {
	return FieldError(field, "%s不存在或不在您的管辖范围内。", what)
}

// CheckRegionInScope decides whether a write may name the region code: an
// administrator anywhere, NPC staff (office and leaders) inside their
// bodies' subtrees, anyone inside one of the subtrees given as within — the
// regions the store has already found in the caller's scope for this write
// (for a case at a station: the region of the NPC body the station reports
// to, so station staff and deputies register in that body's area only).
func (a *Actor) CheckRegionInScope(field, code string, within ...string) error {
	if a != nil && a.Scope.InRegion(code) {
		return nil
	}
	for _, p := range within {
		if p != "" && strings.HasPrefix(code, p) {
			return nil
		}
	}
	return NotInScope(field, "行政区划")
}

// CheckManageRegion decides whether the actor may put a registry record
// (an org, a station, a deputy, a group) in the region: roles that keep no
// registry are Forbidden; for the office the region is a reference like any
// other (CheckRegionInScope), so administrators write anywhere and NPC
// office staff inside their subtrees. It agrees with CanManageRegion, which
// pages use to offer the forms.
func (a *Actor) CheckManageRegion(field, code string) error {
	if !a.CanManageRegistry() {
		return Forbidden()
	}
	return a.CheckRegionInScope(field, code)
}
