package lianluo

// The cast of the permission tests: actors built as the store's Authorize
// would build them, without a database.

func idp(v int64) *int64 { return &v }

func testActor(scope Scope, grants ...Grant) *Actor {
	return &Actor{User: &User{Username: "u", Roles: grants, Active: true}, Scope: scope}
}

// officeOf is the NPC office over a region.
func officeOf(region string) *Actor {
	return testActor(Scope{Regions: []string{region}}, Grant{Role: RoleNPCOffice})
}

// liaisonOf is a liaison of a station.
func liaisonOf(station int64) *Actor {
	return testActor(Scope{Stations: []int64{station}}, Grant{Role: RoleLiaison, StationID: idp(station)})
}

// deputyNo is the deputy of id, signed in.
func deputyNo(id int64) *Actor {
	return testActor(Scope{Deputies: []int64{id}}, Grant{Role: RoleDeputy, DeputyID: idp(id)})
}

// handlerOf is a handler of a unit.
func handlerOf(unit int64) *Actor {
	return testActor(Scope{Units: []int64{unit}}, Grant{Role: RoleUnitHandler, OrgID: idp(unit)})
}
