package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// rowErr is the part of a row error a test checks: the row and the field.
type rowErr struct {
	Row   int
	Field string
}

// mustRowErrors returns err's row errors as (row, field) pairs, failing the
// test if err is not a RowErrors.
func mustRowErrors(t *testing.T, err error) []rowErr {
	t.Helper()
	var re lianluo.RowErrors
	if !errors.As(err, &re) {
		t.Fatalf("err = %v; want RowErrors", err)
	}
	if lianluo.ErrorCode(err) != lianluo.EINVALID {
		t.Errorf("ErrorCode = %s; want invalid", lianluo.ErrorCode(err))
	}
	var out []rowErr
	for _, e := range re {
		if e.Message == "" {
			t.Errorf("row %d field %s: empty message", e.Row, e.Field)
		}
		out = append(out, rowErr{e.Row, e.Field})
	}
	return out
}

func findMessage(err error, row int) string {
	var re lianluo.RowErrors
	errors.As(err, &re)
	for _, e := range re {
		if e.Row == row {
			return e.Message
		}
	}
	return ""
}

func orgCount(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.FindOrgs(storetest.SystemContext(), lianluo.OrgFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func importEvents(t *testing.T, db *sqlstore.DB, entity lianluo.AuditEntity) []string {
	t.Helper()
	es, _, err := db.FindEvents(storetest.SystemContext(), lianluo.EventFilter{Entity: entity, Action: "import", Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Summary)
	}
	return out
}

func mustOrg(t *testing.T, db *sqlstore.DB, kind, name, region string, parent *int64) *lianluo.Org {
	t.Helper()
	o := &lianluo.Org{Kind: kind, Name: name, RegionCode: region, ParentID: parent}
	if err := db.CreateOrg(storetest.SystemContext(), o); err != nil {
		t.Fatalf("CreateOrg(%s): %v", name, err)
	}
	return o
}

func mustDeputy(t *testing.T, db *sqlstore.DB, name, region string) *lianluo.Deputy {
	t.Helper()
	d := &lianluo.Deputy{Name: name, Gender: "male", RegionCode: region, Seats: []lianluo.Seat{{Level: lianluo.DeputyTownship, Term: 18}}}
	if err := db.CreateDeputy(storetest.SystemContext(), d); err != nil {
		t.Fatalf("CreateDeputy(%s): %v", name, err)
	}
	return d
}

func mustStation(t *testing.T, db *sqlstore.DB, name, region string, org int64) *lianluo.Station {
	t.Helper()
	s := &lianluo.Station{Kind: lianluo.StationCenter, Name: name, RegionCode: region, OrgID: org}
	if err := db.CreateStation(storetest.SystemContext(), s); err != nil {
		t.Fatalf("CreateStation(%s): %v", name, err)
	}
	return s
}

// actorContext logs in as a new user with the roles, the real path to a
// scoped actor.
func actorContext(t *testing.T, db *sqlstore.DB, username string, roles ...lianluo.Grant) context.Context {
	t.Helper()
	ctx := context.Background()
	u := &lianluo.User{Username: username, DisplayName: "测试" + username, Password: "Test@2026pass", Roles: roles}
	if err := db.CreateUser(storetest.SystemContext(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", username, err)
	}
	s, err := db.Login(ctx, username, "Test@2026pass", "127.0.0.1")
	if err != nil {
		t.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(ctx, s.Token, "127.0.0.1")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(ctx, a)
}

func TestImportOrgs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()

		// Row 1 names the parent created by row 0; row 2 names it by ID.
		good := []lianluo.OrgRow{
			{Org: lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}},
			{Org: lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004000", Phone: "0574-86881234"}, Parent: "北仑区人大常委会"},
			{Org: lianluo.Org{Kind: "unit", Name: "北仑区住建局", RegionCode: "330206"}},
		}
		if err := db.ImportOrgs(ctx, good); err != nil {
			t.Fatalf("ImportOrgs(good) = %v", err)
		}
		orgs, total, err := db.FindOrgs(ctx, lianluo.OrgFilter{Page: lianluo.AllRows()})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 {
			t.Fatalf("FindOrgs total = %d; want 3", total)
		}
		byName := map[string]*lianluo.Org{}
		for _, o := range orgs {
			byName[o.Name] = o
		}
		town := byName["大碶街道人大工委"]
		if town == nil || town.ParentName != "北仑区人大常委会" || town.RegionCode != "330206004" || town.Phone != "0574-86881234" {
			t.Errorf("imported town = %+v", town)
		}
		if got, want := importEvents(t, db, "org"), []string{"导入机构3条"}; !slices.Equal(got, want) {
			t.Errorf("import events = %q; want %q", got, want)
		}

		// A parent given by its ID.
		byID := []lianluo.OrgRow{{Org: lianluo.Org{Kind: "npc", Name: "新碶街道人大工委", RegionCode: "330206002"},
			Parent: fmt.Sprint(byName["北仑区人大常委会"].ID)}}
		if err := db.ImportOrgs(ctx, byID); err != nil {
			t.Fatalf("ImportOrgs(parent by ID) = %v", err)
		}

		// Every bad row is reported, and nothing is written. The duplicate
		// (row 4) fails in the database; rows after it must still be checked.
		before := orgCount(t, db)
		bad := []lianluo.OrgRow{
			{Org: lianluo.Org{Kind: "npc", RegionCode: "330206003"}},                                       // 0: no name
			{Org: lianluo.Org{Kind: "unit", Name: "甲单位", RegionCode: "330299"}},                            // 1: unknown region
			{Org: lianluo.Org{Kind: "npc", Name: "小港街道人大工委", RegionCode: "330206003"}, Parent: "不存在的人大"},   // 2: unknown parent
			{Org: lianluo.Org{Kind: "npc", Name: "霞浦街道人大工委", RegionCode: "330206005"}, Parent: "北仑区人大常委会"}, // 3: fine
			{Org: lianluo.Org{Kind: "npc", Name: "霞浦街道人大工委", RegionCode: "330206005"}},                     // 4: duplicate of row 3
			{Org: lianluo.Org{Kind: "unit", Name: "霞浦街道办事处", RegionCode: "330206005"}, Parent: "霞浦街道人大工委"}, // 5: fine, refers to row 3
			{Org: lianluo.Org{Kind: "unit", Name: "乙单位", RegionCode: "330206", Phone: "123"}},              // 6: bad phone
			{Org: lianluo.Org{Kind: "npc", Name: "柴桥街道人大工委", RegionCode: "330206006"}, Parent: "大碶街道人大工委"}, // 7: parent's region does not contain it
			{Org: lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}},                        // 8: duplicate of an existing org
		}
		err = db.ImportOrgs(ctx, bad)
		want := []rowErr{{0, "name"}, {1, "region_code"}, {2, "parent_id"}, {4, "name"}, {6, "phone"}, {7, "parent_id"}, {8, "name"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("ImportOrgs(bad) errors = %v; want %v", got, want)
		}
		if msg := findMessage(err, 2); !strings.Contains(msg, "不存在的人大") {
			t.Errorf("unknown parent message = %q; want it to name the parent", msg)
		}
		if after := orgCount(t, db); after != before {
			t.Errorf("orgs after a failed import = %d; want %d", after, before)
		}
		if got := importEvents(t, db, "org"); len(got) != 2 {
			t.Errorf("import events after a failed import = %q; want 2", got)
		}

		// Two orgs of the same name: a reference by name is ambiguous, by ID is not.
		u1 := mustOrg(t, db, "unit", "城管中队", "330206004", nil)
		mustOrg(t, db, "unit", "城管中队", "330206002", nil)
		err = db.ImportOrgs(ctx, []lianluo.OrgRow{{Org: lianluo.Org{Kind: "unit", Name: "城管一组", RegionCode: "330206004"}, Parent: "城管中队"}})
		if got, want := mustRowErrors(t, err), []rowErr{{0, "parent_id"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("ambiguous parent errors = %v; want %v", got, want)
		}
		if msg := findMessage(err, 0); !strings.Contains(msg, "编号") {
			t.Errorf("ambiguous parent message = %q; want it to ask for the ID", msg)
		}
		err = db.ImportOrgs(ctx, []lianluo.OrgRow{{Org: lianluo.Org{Kind: "unit", Name: "城管一组", RegionCode: "330206004"}, Parent: fmt.Sprint(u1.ID)}})
		if err != nil {
			t.Errorf("ImportOrgs(parent by ID) = %v", err)
		}

		// Nothing to import is not an error; an anonymous caller is.
		if err := db.ImportOrgs(ctx, nil); err != nil {
			t.Errorf("ImportOrgs(nil) = %v", err)
		}
		if err := db.ImportOrgs(context.Background(), good); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("anonymous ImportOrgs = %v; want unauthorized", err)
		}
	})
}

func TestImportStations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		district := mustOrg(t, db, "npc", "北仑区人大常委会", "330206", nil)
		town := mustOrg(t, db, "npc", "大碶街道人大工委", "330206004", &district.ID)
		mustOrg(t, db, "unit", "大碶街道办事处", "330206004", nil)
		zhang := mustDeputy(t, db, "张三", "330206004")
		li := mustDeputy(t, db, "李四", "330206004")

		rows := []lianluo.StationRow{
			{
				Station:  lianluo.Station{Kind: "center", Name: "大碶街道中心联络站", RegionCode: "330206004", Liaisons: []lianluo.Liaison{{Name: "王五", Phone: "13800001111"}}},
				Org:      "大碶街道人大工委",
				Head:     "张三",
				Deputies: []string{"张三", "李四"},
			},
			{
				Station:  lianluo.Station{Kind: "village", Name: "坝头社区联络站", RegionCode: "330206004002"},
				Org:      fmt.Sprint(town.ID),
				Deputies: []string{fmt.Sprint(li.ID)},
			},
		}
		if err := db.ImportStations(ctx, rows); err != nil {
			t.Fatalf("ImportStations = %v", err)
		}
		ss, total, err := db.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
		if err != nil || total != 2 {
			t.Fatalf("FindStations = %d, %v; want 2", total, err)
		}
		center := ss[0]
		if center.Name != "大碶街道中心联络站" {
			center = ss[1]
		}
		if center.OrgID != town.ID || center.HeadDeputyID == nil || *center.HeadDeputyID != zhang.ID ||
			!slices.Equal(center.DeputyIDs, []int64{zhang.ID, li.ID}) || len(center.Liaisons) != 1 {
			t.Errorf("imported station = %+v", center)
		}

		bad := []lianluo.StationRow{
			{Station: lianluo.Station{Kind: "center", Name: "甲站", RegionCode: "330206004"}, Org: "大碶街道人大工委", Deputies: []string{"张三", "不存在", "也不存在"}},
			{Station: lianluo.Station{Kind: "center", Name: "乙站", RegionCode: "330206004"}, Org: "大碶街道办事处"},                // a unit cannot manage a station
			{Station: lianluo.Station{Kind: "center", Name: "丙站", RegionCode: "330206004"}, Org: "大碶街道人大工委", Head: "王二麻子"}, // unknown head
			{Station: lianluo.Station{Kind: "shop", Name: "丁站", RegionCode: "330206004"}, Org: "大碶街道人大工委"},                 // bad kind
		}
		err = db.ImportStations(ctx, bad)
		want := []rowErr{{0, "deputy_ids"}, {0, "deputy_ids"}, {1, "org_id"}, {2, "head_deputy_id"}, {3, "kind"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("ImportStations(bad) errors = %v; want %v", got, want)
		}
		if _, n, _ := db.FindStations(ctx, lianluo.StationFilter{}); n != 2 {
			t.Errorf("stations after a failed import = %d; want 2", n)
		}
	})
}

func TestImportDeputies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		town := mustOrg(t, db, "npc", "大碶街道人大工委", "330206004", nil)
		st := mustStation(t, db, "大碶街道中心联络站", "330206004", town.ID)
		g := &lianluo.DeputyGroup{Name: "大碶代表小组", OrgID: town.ID, RegionCode: "330206004"}
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		rows := []lianluo.DeputyRow{{
			Deputy: lianluo.Deputy{Name: "张三", Gender: "male", RegionCode: "330206004",
				Seats: []lianluo.Seat{{Level: "city", Term: 16}, {Level: "county", Term: 18, Constituency: "第3选区"}}},
			Group:    "大碶代表小组",
			Stations: []string{"大碶街道中心联络站"},
		}}
		if err := db.ImportDeputies(ctx, rows); err != nil {
			t.Fatalf("ImportDeputies = %v", err)
		}
		ds, _, err := db.FindDeputies(ctx, lianluo.DeputyFilter{})
		if err != nil || len(ds) != 1 {
			t.Fatalf("FindDeputies = %v, %v", ds, err)
		}
		d := ds[0]
		if d.GroupID == nil || *d.GroupID != g.ID || !slices.Equal(d.StationIDs, []int64{st.ID}) || len(d.Seats) != 2 || d.Status != lianluo.DeputyInOffice {
			t.Errorf("imported deputy = %+v", d)
		}

		bad := []lianluo.DeputyRow{
			{Deputy: lianluo.Deputy{Name: "李四", Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "city"}}}, Group: "没有这个小组"},
			{Deputy: lianluo.Deputy{Name: "王五", Gender: "x", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "city"}}}},
			{Deputy: lianluo.Deputy{Name: "赵六", Gender: "female", RegionCode: "330206004"}},
			{Deputy: lianluo.Deputy{Name: "钱七", Gender: "female", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "city"}}}, Stations: []string{"没有这个站"}},
		}
		err = db.ImportDeputies(ctx, bad)
		want := []rowErr{{0, "group_id"}, {1, "gender"}, {2, "seats"}, {3, "station_ids"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("ImportDeputies(bad) errors = %v; want %v", got, want)
		}
		if _, n, _ := db.FindDeputies(ctx, lianluo.DeputyFilter{}); n != 1 {
			t.Errorf("deputies after a failed import = %d; want 1", n)
		}
	})
}

func TestImportUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		town := mustOrg(t, db, "npc", "大碶街道人大工委", "330206004", nil)
		mustOrg(t, db, "unit", "城管中队", "330206004", nil)
		mustOrg(t, db, "unit", "城管中队", "330206002", nil)
		st := mustStation(t, db, "大碶街道中心联络站", "330206004", town.ID)
		zhang := mustDeputy(t, db, "张三", "330206004")

		rows := []lianluo.UserRow{
			{User: lianluo.User{Username: " WangFang ", DisplayName: "王芳", Password: "Daqi@2026x"},
				Roles: []lianluo.RoleRef{{Role: "npc_office", Ref: "大碶街道人大工委"}, {Role: "liaison", Ref: "大碶街道中心联络站"}}},
			{User: lianluo.User{Username: "zhangsan", DisplayName: "张三", Password: "Daqi@2026y"},
				Roles: []lianluo.RoleRef{{Role: "deputy", Ref: "张三"}}},
			{User: lianluo.User{Username: "root2", DisplayName: "管理员", Password: "Daqi@2026z"},
				Roles: []lianluo.RoleRef{{Role: "system_admin"}}},
		}
		if err := db.ImportUsers(ctx, rows); err != nil {
			t.Fatalf("ImportUsers = %v", err)
		}
		us, _, err := db.FindUsers(ctx, lianluo.UserFilter{Q: "wangfang"})
		if err != nil || len(us) != 1 {
			t.Fatalf("FindUsers(wangfang) = %v, %v", us, err)
		}
		u := us[0]
		if u.Username != "wangfang" || len(u.Roles) != 2 || *u.Roles[0].OrgID != town.ID || *u.Roles[1].StationID != st.ID {
			t.Errorf("imported user = %+v", u)
		}
		// An administrator chose the password: its owner changes it first.
		if !u.MustChangePassword || u.Demo {
			t.Errorf("imported user: must change %v, demo %v; want true, false", u.MustChangePassword, u.Demo)
		}
		// The password was hashed: the user can log in.
		if _, err := db.Login(context.Background(), "zhangsan", "Daqi@2026y", ""); err != nil {
			t.Errorf("Login(imported user) = %v", err)
		}
		ds, _, _ := db.FindUsers(ctx, lianluo.UserFilter{Q: "zhangsan"})
		if len(ds) != 1 || *ds[0].Roles[0].DeputyID != zhang.ID {
			t.Errorf("imported deputy user = %+v", ds)
		}

		before := userCount(t, db)
		bad := []lianluo.UserRow{
			{User: lianluo.User{Username: "weak", DisplayName: "弱", Password: "12345678"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},                // 0: weak password
			{User: lianluo.User{Username: "norole", DisplayName: "无", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "boss", Ref: "x"}}},          // 1: unknown role
			{User: lianluo.User{Username: "noref", DisplayName: "无", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "liaison"}}},                  // 2: no station named
			{User: lianluo.User{Username: "dup", DisplayName: "甲", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},               // 3: fine
			{User: lianluo.User{Username: "DUP", DisplayName: "乙", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},               // 4: duplicate of row 3
			{User: lianluo.User{Username: "unit", DisplayName: "丙", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "unit_handler", Ref: "城管中队"}}}, // 5: ambiguous
			{User: lianluo.User{Username: "x", DisplayName: "丁", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},                 // 6: short username
			{User: lianluo.User{Username: "norole2", DisplayName: "戊", Password: "Daqi@2026x"}},                                                             // 7: no role
			{User: lianluo.User{Username: "common", DisplayName: "己", Password: "P@ssw0rd2026"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},          // 8: common
			{User: lianluo.User{Username: "liwei", DisplayName: "庚", Password: "Liwei#20261"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},            // 9: holds the username
		}
		err = db.ImportUsers(ctx, bad)
		want := []rowErr{{0, "password"}, {1, "roles"}, {2, "roles"}, {4, "username"}, {5, "roles"}, {6, "username"}, {7, "roles"}, {8, "password"}, {9, "password"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("ImportUsers(bad) errors = %v; want %v", got, want)
		}
		if msg := findMessage(err, 5); !strings.Contains(msg, "编号") {
			t.Errorf("ambiguous org message = %q; want it to ask for the ID", msg)
		}
		if after := userCount(t, db); after != before {
			t.Errorf("users after a failed import = %d; want %d", after, before)
		}
	})
}

func userCount(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.FindUsers(storetest.SystemContext(), lianluo.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// An NPC office user imports inside their town only: rows in another town,
// or naming records there, fail as if those records did not exist.
func TestImportScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		district := mustOrg(t, db, "npc", "北仑区人大常委会", "330206", nil)
		daqi := mustOrg(t, db, "npc", "大碶街道人大工委", "330206004", &district.ID)
		xinqi := mustOrg(t, db, "npc", "新碶街道人大工委", "330206002", &district.ID)
		mustDeputy(t, db, "新碶代表", "330206002")
		mustStation(t, db, "新碶街道中心联络站", "330206002", xinqi.ID)
		ctx := actorContext(t, db, "daqi_office", lianluo.Grant{Role: lianluo.RoleNPCOffice, OrgID: &daqi.ID})

		before := orgCount(t, db)
		err := db.ImportOrgs(ctx, []lianluo.OrgRow{
			{Org: lianluo.Org{Kind: "unit", Name: "坝头社区居委会", RegionCode: "330206004002"}},                      // 0: own town
			{Org: lianluo.Org{Kind: "unit", Name: "新碶街道办事处", RegionCode: "330206002"}},                         // 1: another town
			{Org: lianluo.Org{Kind: "npc", Name: "岩河社区人大联络组", RegionCode: "330206004003"}, Parent: "新碶街道人大工委"}, // 2: parent out of scope
			{Org: lianluo.Org{Kind: "npc", Name: "灵岩社区人大联络组", RegionCode: "330206004004"}, Parent: "大碶街道人大工委"}, // 3: fine
		})
		want := []rowErr{{1, "region_code"}, {2, "parent_id"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("scoped ImportOrgs errors = %v; want %v", got, want)
		}
		if after := orgCount(t, db); after != before {
			t.Errorf("orgs after a failed import = %d; want %d", after, before)
		}

		err = db.ImportStations(ctx, []lianluo.StationRow{
			{Station: lianluo.Station{Kind: "center", Name: "甲站", RegionCode: "330206004"}, Org: "新碶街道人大工委"},
			{Station: lianluo.Station{Kind: "center", Name: "乙站", RegionCode: "330206004"}, Org: "大碶街道人大工委", Deputies: []string{"新碶代表"}},
		})
		want = []rowErr{{0, "org_id"}, {1, "deputy_ids"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("scoped ImportStations errors = %v; want %v", got, want)
		}

		err = db.ImportUsers(ctx, []lianluo.UserRow{
			{User: lianluo.User{Username: "admin2", DisplayName: "甲", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "system_admin"}}},
			{User: lianluo.User{Username: "liaison2", DisplayName: "乙", Password: "Daqi@2026x"}, Roles: []lianluo.RoleRef{{Role: "liaison", Ref: "新碶街道中心联络站"}}},
		})
		want = []rowErr{{0, "roles"}, {1, "roles"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("scoped ImportUsers errors = %v; want %v", got, want)
		}

		// Inside their town the same user imports fine, and the event names them.
		err = db.ImportOrgs(ctx, []lianluo.OrgRow{{Org: lianluo.Org{Kind: "unit", Name: "坝头社区居委会", RegionCode: "330206004002"}}})
		if err != nil {
			t.Fatalf("scoped ImportOrgs(own town) = %v", err)
		}
		es, _, err := db.FindEvents(storetest.SystemContext(), lianluo.EventFilter{Entity: "org", Action: "import"})
		if err != nil || len(es) != 1 || !strings.Contains(es[0].ActorName, "daqi_office") {
			t.Errorf("import event = %+v, %v; want one by daqi_office", es, err)
		}

		// A station head does not edit the registry at all.
		st := mustStation(t, db, "大碶街道中心联络站", "330206004", daqi.ID)
		headCtx := actorContext(t, db, "daqi_head", lianluo.Grant{Role: lianluo.RoleStationHead, StationID: &st.ID})
		err = db.ImportOrgs(headCtx, []lianluo.OrgRow{{Org: lianluo.Org{Kind: "unit", Name: "甲", RegionCode: "330206004"}}})
		if lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("station head ImportOrgs = %v; want forbidden", err)
		}
	})
}

func TestImportTooMany(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	rows := make([]lianluo.OrgRow, sqlstore.MaxImportRows+1)
	err := db.ImportOrgs(storetest.SystemContext(), rows)
	if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "rows" {
		t.Errorf("ImportOrgs(%d rows) = %v; want invalid rows", len(rows), err)
	}
}
