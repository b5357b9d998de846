package lianluo

import "slices"

// StationPowers says what the actor may do at the station in regionCode:
// manage it (the NPC office over its region, administrators, or the
// station's head — receptions, rota, leave, the station's own details) or
// work there (its liaisons too — sign-in, attendance, records, photos). The
// store decides with it and the pages show only what it allows.
func StationPowers(a *Actor, stationID int64, regionCode string) (manage, work bool) {
	if a.CanManageRegion(regionCode) {
		return true, true
	}
	return a.HeadsStation(stationID), a.HeadsStation(stationID) || a.WorksAtStation(stationID)
}

// HeadsStation reports whether the actor is the head of the station (站长).
func (a *Actor) HeadsStation(id int64) bool { return a.hasStationRole(id, RoleStationHead) }

// WorksAtStation reports whether the actor is a liaison or the head of the station.
func (a *Actor) WorksAtStation(id int64) bool {
	return a.hasStationRole(id, RoleLiaison) || a.hasStationRole(id, RoleStationHead)
}

func (a *Actor) hasStationRole(id int64, role string) bool {
	if a == nil || a.User == nil {
		return false
	}
	for _, g := range a.User.Roles {
		if g.Role == role && g.StationID != nil && *g.StationID == id {
			return true
		}
	}
	return false
}

// Organiser is who organises an occasion (a reception or an activity): a
// station, in its region, or for a deputy group's meeting the group, with
// its leader and deputy leader (GroupLeaders, loaded by the caller).
type Organiser struct {
	RegionCode   string
	StationID    *int64
	GroupID      *int64
	GroupLeaders []int64
}

// OccasionPowers says what the actor may do with an occasion of any kind:
// manage it (publish, change, cancel, decide leave — the office over its
// region, the station's head for a station's occasion, the leader or
// deputy leader of a deputy group for the group's meeting: 003
// 代表小组活动制度, the group leader convenes it and grants leave) or work
// at it (mark attendance, record, photos, cases — the station's liaisons
// too). The store decides with it and the pages show only what it allows.
func OccasionPowers(a *Actor, o Organiser) (manage, work bool) {
	if a.CanManageRegion(o.RegionCode) {
		return true, true
	}
	if o.GroupID == nil && o.StationID != nil {
		manage, work = StationPowers(a, *o.StationID, o.RegionCode)
	}
	if o.GroupID != nil && a.Has(RoleDeputy) {
		for _, l := range o.GroupLeaders {
			if slices.Contains(a.Scope.Deputies, l) {
				manage, work = true, true
			}
		}
	}
	return manage, work
}

// ActivityPowers is OccasionPowers for an activity; groupLeaders are its
// group's leader and deputy leader, loaded by the caller.
func ActivityPowers(a *Actor, x *Activity, groupLeaders []int64) (manage, work bool) {
	return OccasionPowers(a, Organiser{RegionCode: x.RegionCode, StationID: x.StationID, GroupID: x.GroupID, GroupLeaders: groupLeaders})
}
