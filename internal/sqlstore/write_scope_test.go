package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// townB is 小港街道, the World's town B; town A is 大碶街道 (330206004).
const townB = "330206003"

// casesCount counts every case, as the system sees them.
func casesCount(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.FindCases(storetest.SystemContext(), lianluo.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A case's region decides which office sees it, so town A's people may not
// register a case in town B, even at their own station: the region is
// refused as a reference outside the caller's scope and nothing is written.
// The district office registers anywhere in its district.
func TestCaseRegionInScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		in := func(station *int64, region string) lianluo.CaseInput {
			return lianluo.CaseInput{Channel: "visit", StationID: station, Title: "路灯不亮", Content: "小区路灯不亮。",
				Category: "城乡建设", RegionCode: region}
		}
		for _, tc := range []struct {
			user    string
			station *int64
		}{
			{"liaisona", &w.StationA.ID}, {"heada", &w.StationA.ID}, {"deputya", &w.StationA.ID}, {"deputya", nil},
			{"officea", &w.StationA.ID}, {"officea", nil},
		} {
			_, err := db.CreateCase(w.As(t, tc.user), in(tc.station, townB))
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "region_code" {
				t.Errorf("%s registers in town B (station %v): %v; want invalid region_code", tc.user, tc.station != nil, err)
			}
		}
		if n := casesCount(t, db); n != 0 {
			t.Fatalf("%d cases written; want none", n)
		}
		for _, tc := range []struct {
			user, region string
			station      *int64
		}{
			{"liaisona", "330206004", &w.StationA.ID}, {"deputya", "330206004", &w.StationA.ID},
			{"officea", "330206004", nil}, {"office", townB, &w.StationA.ID}, {"office", townB, nil}, {"admin", townB, nil},
		} {
			if _, err := db.CreateCase(w.As(t, tc.user), in(tc.station, tc.region)); err != nil {
				t.Errorf("%s registers in %s: %v", tc.user, tc.region, err)
			}
		}
	})
}

// A case's other references: the receiving deputies and the units it is
// assigned to must be in the caller's scope (a town assigns to its own
// units; the district's departments are outside a town's scope).
func TestCaseReferencesInScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		_, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
			Title: "路灯不亮", Content: "小区路灯不亮。", RegionCode: "330206004", ReceivedBy: []int64{w.DeputyB.ID}})
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "received_by" {
			t.Errorf("town B's deputy as receiving deputy: %v; want invalid received_by", err)
		}
		if n := casesCount(t, db); n != 0 {
			t.Fatalf("%d cases written; want none", n)
		}
		c := w.path(t, lianluo.StatusPendingApproval)
		_, err = db.Act(w.As(t, "leadera"), c.ID, lianluo.ActApprove, lianluo.CaseAction{Version: c.Version, LeadUnitID: &w.Unit.ID})
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "lead_unit_id" {
			t.Errorf("town A assigns to a district department: %v; want invalid lead_unit_id", err)
		}
		_, err = db.Act(w.As(t, "leadera"), c.ID, lianluo.ActApprove, lianluo.CaseAction{Version: c.Version, LeadUnitID: &w.UnitA.ID,
			CoUnitIDs: []int64{w.Unit.ID}})
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "co_unit_ids" {
			t.Errorf("town A co-assigns a district department: %v; want invalid co_unit_ids", err)
		}
		after, err := db.FindCaseByID(storetest.SystemContext(), c.ID)
		if err != nil || after.Status != lianluo.StatusPendingApproval || after.Version != c.Version || len(after.Units) != 0 {
			t.Fatalf("case after refused assignments = %+v, %v; want unchanged", after, err)
		}
		if _, err := db.Act(w.As(t, "leadera"), c.ID, lianluo.ActApprove, lianluo.CaseAction{Version: c.Version, LeadUnitID: &w.UnitA.ID}); err != nil {
			t.Errorf("town A assigns to its own unit: %v", err)
		}
	})
}

// Registry writes: every region, body, station, deputy and group they name
// must be in the office's scope; out of it is a field error and nothing is
// written. Inside its town the town office writes as before.
func TestRegistryReferencesInScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		sys := storetest.SystemContext()
		a := w.As(t, "officea")
		counts := func() [5]int {
			t.Helper()
			var n [5]int
			var err [5]error
			_, n[0], err[0] = db.FindOrgs(sys, lianluo.OrgFilter{})
			_, n[1], err[1] = db.FindStations(sys, lianluo.StationFilter{})
			_, n[2], err[2] = db.FindDeputies(sys, lianluo.DeputyFilter{})
			_, n[3], err[3] = db.FindGroups(sys, lianluo.GroupFilter{})
			_, n[4], err[4] = db.FindUsers(sys, lianluo.UserFilter{})
			for _, e := range err {
				if e != nil {
					t.Fatal(e)
				}
			}
			return n
		}
		before := counts()
		seat := []lianluo.Seat{{Level: "county", Term: 18}}
		for _, tc := range []struct {
			name, field string
			write       func() error
		}{
			{"org in town B", "region_code", func() error {
				return db.CreateOrg(a, &lianluo.Org{Kind: "unit", Name: "小港街道办事处", RegionCode: townB})
			}},
			{"org under town B's body", "parent_id", func() error {
				return db.CreateOrg(a, &lianluo.Org{Kind: "npc", Name: "联络组", RegionCode: "330206004002", ParentID: &w.TownB.ID})
			}},
			// A station's body must contain its region, so a town B
			// region with town A's body fails there first.
			{"unit under town B's body", "parent_id", func() error {
				return db.CreateOrg(a, &lianluo.Org{Kind: "unit", Name: "联络办", RegionCode: "330206004", ParentID: &w.TownB.ID})
			}},
			{"station in town B", "org_id", func() error {
				return db.CreateStation(a, &lianluo.Station{Kind: "village", Name: "甲站", RegionCode: townB, OrgID: w.TownA.ID})
			}},
			{"station under town B's body", "org_id", func() error {
				return db.CreateStation(a, &lianluo.Station{Kind: "village", Name: "乙站", RegionCode: "330206004002", OrgID: w.TownB.ID})
			}},
			{"station with town B's deputy", "deputy_ids", func() error {
				return db.CreateStation(a, &lianluo.Station{Kind: "village", Name: "丙站", RegionCode: "330206004002", OrgID: w.TownA.ID,
					DeputyIDs: []int64{w.DeputyB.ID}})
			}},
			{"station headed by town B's deputy", "head_deputy_id", func() error {
				return db.CreateStation(a, &lianluo.Station{Kind: "village", Name: "丁站", RegionCode: "330206004002", OrgID: w.TownA.ID,
					HeadDeputyID: &w.DeputyB.ID})
			}},
			{"deputy in town B", "region_code", func() error {
				return db.CreateDeputy(a, &lianluo.Deputy{Name: "赵六", Gender: "male", RegionCode: townB, Seats: seat})
			}},
			{"deputy at town B's station", "station_ids", func() error {
				return db.CreateDeputy(a, &lianluo.Deputy{Name: "赵七", Gender: "male", RegionCode: "330206004", Seats: seat,
					StationIDs: []int64{w.StationB.ID}})
			}},
			{"group in town B", "region_code", func() error {
				return db.CreateGroup(a, &lianluo.DeputyGroup{Name: "甲组", OrgID: w.TownA.ID, RegionCode: townB})
			}},
			{"group of town B's body", "org_id", func() error {
				return db.CreateGroup(a, &lianluo.DeputyGroup{Name: "乙组", OrgID: w.TownB.ID, RegionCode: "330206004"})
			}},
			{"group at town B's station", "station_id", func() error {
				return db.CreateGroup(a, &lianluo.DeputyGroup{Name: "丙组", OrgID: w.TownA.ID, RegionCode: "330206004", StationID: &w.StationB.ID})
			}},
			{"group led by town B's deputy", "leader_id", func() error {
				return db.CreateGroup(a, &lianluo.DeputyGroup{Name: "丁组", OrgID: w.TownA.ID, RegionCode: "330206004", LeaderID: &w.DeputyB.ID})
			}},
			{"user with town B's body", "roles", func() error {
				return db.CreateUser(a, &lianluo.User{Username: "xg1", Password: storetest.Password, DisplayName: "甲",
					Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &w.TownB.ID}}})
			}},
			{"user as town B's deputy", "roles", func() error {
				return db.CreateUser(a, &lianluo.User{Username: "xg2", Password: storetest.Password, DisplayName: "乙",
					Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &w.DeputyB.ID}}})
			}},
			{"user of the district's department", "roles", func() error {
				return db.CreateUser(a, &lianluo.User{Username: "xg3", Password: storetest.Password, DisplayName: "丙",
					Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &w.Unit.ID}}})
			}},
			{"town A's body moved to town B", "region_code", func() error {
				code := townB
				_, err := db.UpdateOrg(a, w.TownA.ID, lianluo.OrgUpdate{RegionCode: &code, Version: w.TownA.Version})
				return err
			}},
			{"station A moved to town B", "org_id", func() error {
				code := townB
				_, err := db.UpdateStation(a, w.StationA.ID, lianluo.StationUpdate{RegionCode: &code, Version: w.StationA.Version})
				return err
			}},
			{"station A given town B's body", "org_id", func() error {
				_, err := db.UpdateStation(a, w.StationA.ID, lianluo.StationUpdate{OrgID: &w.TownB.ID, Version: w.StationA.Version})
				return err
			}},
			{"deputy A1 moved to town B", "region_code", func() error {
				code := townB
				_, err := db.UpdateDeputy(a, w.DeputyA1.ID, lianluo.DeputyUpdate{RegionCode: &code, Version: w.DeputyA1.Version})
				return err
			}},
			{"deputy A1 put at town B's station", "station_ids", func() error {
				ids := []int64{w.StationA.ID, w.StationB.ID}
				_, err := db.UpdateDeputy(a, w.DeputyA1.ID, lianluo.DeputyUpdate{StationIDs: &ids, Version: w.DeputyA1.Version})
				return err
			}},
		} {
			if err := tc.write(); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field {
				t.Errorf("officea, %s: %v; want invalid %s", tc.name, err, tc.field)
			}
		}
		if after := counts(); after != before {
			t.Errorf("orgs, stations, deputies, groups, users after refused writes = %v; want %v", after, before)
		}
		for _, check := range []struct {
			what, got, want string
		}{
			{"town A's body", mustOrgRegion(t, db, w.TownA.ID), "330206004"},
		} {
			if check.got != check.want {
				t.Errorf("%s region = %s; want %s", check.what, check.got, check.want)
			}
		}
		st, err := db.FindStationByID(sys, w.StationA.ID)
		if err != nil || st.RegionCode != "330206004" || st.OrgID != w.TownA.ID || st.Version != w.StationA.Version {
			t.Errorf("station A after refused updates = %+v, %v", st, err)
		}
		d, err := db.FindDeputyByID(sys, w.DeputyA1.ID)
		if err != nil || d.RegionCode != "330206004" || len(d.StationIDs) != 1 || d.Version != w.DeputyA1.Version {
			t.Errorf("deputy A1 after refused updates = %+v, %v", d, err)
		}

		// Inside town A the same writes go through.
		o := &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004", ParentID: &w.TownA.ID}
		// An NPC body's parent up the chain is outside the town's scope, and allowed.
		sub := &lianluo.Org{Kind: "npc", Name: "坝头社区人大联络组", RegionCode: "330206004002", ParentID: &w.TownA.ID}
		if err := db.CreateOrg(a, sub); err != nil {
			t.Errorf("officea creates a body under its own: %v", err)
		}
		name := "大碶街道人大工作委员会"
		if _, err := db.UpdateOrg(a, w.TownA.ID, lianluo.OrgUpdate{Name: &name, Version: w.TownA.Version}); err != nil {
			t.Errorf("officea renames its body, whose parent is the district: %v", err)
		}
		s := &lianluo.Station{Kind: "village", Name: "戊站", RegionCode: "330206004002", OrgID: w.TownA.ID, DeputyIDs: []int64{w.DeputyA2.ID}}
		g := &lianluo.DeputyGroup{Name: "戊组", OrgID: w.TownA.ID, RegionCode: "330206004", StationID: &w.StationA.ID, LeaderID: &w.DeputyA2.ID}
		for _, err := range []error{
			db.CreateOrg(a, o), db.CreateStation(a, s), db.CreateGroup(a, g),
			db.CreateDeputy(a, &lianluo.Deputy{Name: "赵八", Gender: "male", RegionCode: "330206004002", Seats: seat, StationIDs: []int64{w.StationA.ID}}),
			db.CreateUser(a, &lianluo.User{Username: "dq1", Password: storetest.Password, DisplayName: "丁",
				Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &o.ID}, {Role: "deputy", DeputyID: &w.DeputyA2.ID}}}),
		} {
			if err != nil {
				t.Errorf("officea writes inside town A: %v", err)
			}
		}
		// The district office writes anywhere in the district.
		if err := db.CreateOrg(w.As(t, "office"), &lianluo.Org{Kind: "unit", Name: "小港街道办事处", RegionCode: townB}); err != nil {
			t.Errorf("the district office creates in town B: %v", err)
		}
	})
}

func mustOrgRegion(t *testing.T, db *sqlstore.DB, id int64) string {
	t.Helper()
	o, err := db.FindOrgByID(storetest.SystemContext(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.RegionCode
}

// The deputy-facing writes: a diary entry, unavailability and a reception
// rule name a deputy or a station of the caller's own; another town's are
// refused and nothing is written.
func TestDeputyAndStationWritesInScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		sys := storetest.SystemContext()
		_, err := db.CreateDiaryEntry(w.As(t, "deputya"), lianluo.DiaryInput{DeputyID: w.DeputyB.ID, VisitedAt: "2026-05-01T09:00",
			Place: "村委会", Content: "路灯不亮。"})
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "deputy_id" {
			t.Errorf("deputy A writes town B's deputy's diary: %v; want invalid deputy_id", err)
		}
		if _, n, err := db.FindDiaryEntries(sys, lianluo.DiaryFilter{}); err != nil || n != 0 {
			t.Errorf("diary entries = %d, %v; want none", n, err)
		}
		for _, user := range []string{"officea", "heada", "deputya"} {
			err := db.AddUnavailability(w.As(t, user), &lianluo.Unavailability{DeputyID: w.DeputyB.ID, From: "2026-07-01", To: "2026-07-02"})
			if c := lianluo.ErrorCode(err); c != lianluo.ENOTFOUND && c != lianluo.EFORBIDDEN {
				t.Errorf("%s marks town B's deputy unavailable: %v; want not found or forbidden", user, err)
			}
		}
		if us, err := db.FindUnavailability(sys, w.DeputyB.ID); err != nil || len(us) != 0 {
			t.Errorf("town B's deputy's unavailability = %v, %v; want none", us, err)
		}
		if err := db.AddUnavailability(w.As(t, "officea"), &lianluo.Unavailability{DeputyID: w.DeputyA1.ID, From: "2026-07-01", To: "2026-07-02"}); err != nil {
			t.Errorf("officea marks town A's deputy unavailable: %v", err)
		}
		// Reception rules are another agent's files: the test pins today's
		// refusal of another town's station.
		for _, user := range []string{"officea", "heada"} {
			err := db.CreateReceptionRule(w.As(t, user), &lianluo.ReceptionRule{StationID: w.StationB.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "09:00", End: "11:00"})
			if c := lianluo.ErrorCode(err); c != lianluo.ENOTFOUND && c != lianluo.EFORBIDDEN {
				t.Errorf("%s adds a rule at town B's station: %v; want not found", user, err)
			}
		}
		if rs, err := db.FindReceptionRules(sys, w.StationB.ID); err != nil || len(rs) != 0 {
			t.Errorf("town B's rules = %v, %v; want none", rs, err)
		}
	})
}

// A diary entry of a deputy registered above the station's body (a
// district deputy serving at a town station) becomes a case at the
// station's region: the case goes to the town's body and stays in its area.
func TestDiaryToCaseStaysInTheStationsArea(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		sys := storetest.SystemContext()
		d := &lianluo.Deputy{Name: "区代表", Gender: "female", RegionCode: "330206", Seats: []lianluo.Seat{{Level: "county", Term: 18}},
			StationIDs: []int64{w.StationA.ID}}
		if err := db.CreateDeputy(sys, d); err != nil {
			t.Fatal(err)
		}
		u := &lianluo.User{Username: "deputyd", Password: storetest.Password, DisplayName: "区代表", Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &d.ID}}}
		if err := db.CreateUser(sys, u); err != nil {
			t.Fatal(err)
		}
		ctx := w.As(t, "deputyd")
		in := newEntry(storetest.Now.In(lianluo.Beijing).AddDate(0, 0, -1).Format("2006-01-02T15:04"))
		e, err := db.CreateDiaryEntry(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.DiaryToCase(ctx, e.ID)
		if err != nil {
			t.Fatalf("DiaryToCase: %v", err)
		}
		if c.RegionCode != w.StationA.RegionCode || c.StationID == nil || *c.StationID != w.StationA.ID || c.OrgID != w.TownA.ID {
			t.Errorf("case region %s, station %v, body %d; want station A's region, station and body", c.RegionCode, c.StationID, c.OrgID)
		}
	})
}
