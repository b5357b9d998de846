package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func services(db *sqlstore.DB) lianluo.Services {
	return db.Services()
}

// mustLoad runs Load and reports how long it took.
func mustLoad(t *testing.T, db *sqlstore.DB) *demo.Result {
	t.Helper()
	start := time.Now()
	res, err := demo.Load(storetest.SystemContext(), services(db), storetest.ClockOf(db))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("Load on %s took %v", db.Dialect, time.Since(start).Round(time.Millisecond))
	return res
}

func TestLoad(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		res := mustLoad(t, db)

		got := fmt.Sprint(res.Regions, res.Orgs, res.Stations, res.Deputies, res.Groups, res.Users, res.AlreadyLoaded)
		if want := fmt.Sprint(247, 2+12+15, 10, 80, 6, 12, false); got != want {
			t.Errorf("Load counts (regions orgs stations deputies groups users already) = %s; want %s", got, want)
		}

		t.Run("registry", func(t *testing.T) { checkRegistry(t, ctx, db) })
		t.Run("accounts", func(t *testing.T) { checkAccounts(t, ctx, db, res) })

		t.Run("second load changes nothing", func(t *testing.T) {
			before := snapshot(t, ctx, db)
			again, err := demo.Load(ctx, services(db), storetest.ClockOf(db))
			if err != nil {
				t.Fatalf("second Load: %v", err)
			}
			if !again.AlreadyLoaded || again.Deputies != 0 || len(again.Accounts) != 0 {
				t.Errorf("second Load = %+v; want AlreadyLoaded only", again)
			}
			if after := snapshot(t, ctx, db); after != before {
				t.Errorf("second Load changed the database: %s → %s", before, after)
			}
		})

		t.Run("duty records of the demo deputy", func(t *testing.T) {
			list, n, err := db.FindDutyRecords(loginContext(t, db, "deputy"), lianluo.DutyRecordFilter{})
			var got []string
			for _, r := range list {
				got = append(got, string(r.Kind)+":"+string(r.Status))
			}
			if err != nil || n != 3 || fmt.Sprint(got) != "[aid:pending survey:returned good_deed:confirmed]" {
				t.Errorf("demo deputy's duty records = %v (%d), %v", got, n, err)
			}
		})

		t.Run("town office sees its town", func(t *testing.T) {
			tctx := loginContext(t, db, "town")
			ss, total, err := db.FindStations(tctx, lianluo.StationFilter{Page: lianluo.AllRows()})
			if err != nil {
				t.Fatal(err)
			}
			if total != 3 || len(ss) != 3 {
				t.Errorf("town FindStations total = %d (%d rows); want the 3 stations of 大碶街道", total, len(ss))
			}
			for _, s := range ss {
				if !strings.HasPrefix(s.RegionCode, "330206004") {
					t.Errorf("town sees station %s in %s, outside 大碶街道", s.Name, s.RegionCode)
				}
			}
			ds, _, err := db.FindDeputies(tctx, lianluo.DeputyFilter{Page: lianluo.AllRows()})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) == 0 {
				t.Error("town FindDeputies found none")
			}
			for _, d := range ds {
				if !strings.HasPrefix(d.RegionCode, "330206004") {
					t.Errorf("town sees deputy %s of %s", d.Name, d.RegionCode)
				}
			}

			// A town office is not an administrator: it may not load the demo.
			before := snapshot(t, ctx, db)
			if _, err := demo.Load(tctx, services(db), storetest.ClockOf(db)); !lianluo.Is(err, lianluo.EFORBIDDEN) {
				t.Errorf("Load as town office = %v; want forbidden", err)
			}
			if _, err := demo.Load(context.Background(), services(db), storetest.ClockOf(db)); !lianluo.Is(err, lianluo.EUNAUTHORIZED) {
				t.Errorf("Load without actor = %v; want unauthorized", err)
			}
			if after := snapshot(t, ctx, db); after != before {
				t.Errorf("refused Load changed the database: %s → %s", before, after)
			}
		})
	})
}

// checkRegistry checks the shape the seeds ask for.
func checkRegistry(t *testing.T, ctx context.Context, db *sqlstore.DB) {
	units, _, err := db.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgUnit, Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 15 {
		t.Errorf("handling units = %d; want 15", len(units))
	}
	for _, u := range units {
		if u.Contact == "" || !lianluo.ValidPhone(u.Phone) {
			t.Errorf("unit %s: contact %q phone %q", u.Name, u.Contact, u.Phone)
		}
	}
	npc, _, err := db.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgNPC, Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*lianluo.Org{}
	for _, o := range npc {
		byName[o.Name] = o
	}
	// The escalation chain: town → district → city.
	if o := byName["大碶街道人大工委"]; o == nil || o.ParentName != "北仑区人大常委会" {
		t.Errorf("大碶街道人大工委 = %+v; want parent 北仑区人大常委会", o)
	}
	if o := byName["北仑区人大常委会"]; o == nil || o.ParentName != "宁波市人大常委会" || o.RegionCode != "330206" {
		t.Errorf("北仑区人大常委会 = %+v; want parent 宁波市人大常委会 at 330206", o)
	}

	deps, total, err := db.FindDeputies(ctx, lianluo.DeputyFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	if total != 80 {
		t.Errorf("deputies = %d; want 80", total)
	}
	byID := map[int64]*lianluo.Deputy{}
	names := map[string]bool{}
	twoSeats, twoStations, leaders := 0, 0, 0
	levels := map[string]int{}
	for _, d := range deps {
		byID[d.ID] = d
		names[d.Name] = true
		if len(d.Seats) >= 2 {
			twoSeats++
		}
		if len(d.StationIDs) >= 2 {
			twoStations++
		}
		if len(d.StationIDs) == 0 {
			t.Errorf("deputy %s serves at no station", d.Name)
		}
		if d.Leader {
			leaders++
		}
		if d.GroupID == nil {
			t.Errorf("deputy %s is in no group", d.Name)
		}
		for _, s := range d.Seats {
			levels[s.Level]++
		}
	}
	if len(names) != len(deps) {
		t.Errorf("%d names for %d deputies; want all different", len(names), len(deps))
	}
	if twoSeats < 10 {
		t.Errorf("deputies with two seats = %d; want at least 10", twoSeats)
	}
	if twoStations == 0 {
		t.Error("no deputy serves at two stations")
	}
	if leaders < 8 || leaders > 12 {
		t.Errorf("leader deputies = %d; want about 10", leaders)
	}
	if levels[lianluo.DeputyNational] != 1 || levels[lianluo.DeputyProvincial] == 0 || levels[lianluo.DeputyCity] < 10 {
		t.Errorf("seats by level = %v; want 1 national, some provincial, 10+ city", levels)
	}

	sts, total, err := db.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	if total < 8 || total > 12 {
		t.Errorf("stations = %d; want about 10", total)
	}
	kinds := map[string]int{}
	for _, s := range sts {
		kinds[s.Kind]++
		// 001: every station at least 2 deputies.
		if n := len(s.DeputyIDs); n < lianluo.MinStationDeputies || n < 4 || n > 10 {
			t.Errorf("station %s has %d deputies; want 4–10", s.Name, n)
		}
		if s.HeadDeputyID == nil || !slices.Contains(s.DeputyIDs, *s.HeadDeputyID) {
			t.Errorf("station %s: head %v is not one of its deputies", s.Name, s.HeadDeputyID)
		}
		if len(s.Liaisons) < 1 || len(s.Liaisons) > 2 || s.Address == "" || s.OpeningHours == "" || s.Phone == "" {
			t.Errorf("station %s incomplete: %+v", s.Name, s)
		}
		if !strings.HasPrefix(s.RegionCode, "330206") || len(s.RegionCode) < 9 {
			t.Errorf("station %s at %s; want a town or village of 北仑区", s.Name, s.RegionCode)
		}
		if s.Kind == lianluo.StationCenter {
			// 002: 2–3 city and 5+ county deputies at a center station.
			city, county := 0, 0
			for _, id := range s.DeputyIDs {
				for _, seat := range byID[id].Seats {
					switch seat.Level {
					case lianluo.DeputyCity:
						city++
					case lianluo.DeputyCounty:
						county++
					}
				}
			}
			if city < 2 || city > 3 || county < 5 {
				t.Errorf("center %s: %d city and %d county deputies; want 2–3 and 5+", s.Name, city, county)
			}
		}
	}
	if kinds[lianluo.StationCenter] == 0 || kinds[lianluo.StationVillage] == 0 || kinds[lianluo.StationHome] != 1 {
		t.Errorf("stations by kind = %v; want centers, villages and one home", kinds)
	}

	groups, _, err := db.FindGroups(ctx, lianluo.GroupFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) == 0 {
		t.Error("no deputy groups")
	}
	for _, g := range groups {
		full, err := db.FindGroupByID(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		var members []int64
		for _, m := range full.Members {
			members = append(members, m.ID)
		}
		for _, id := range []*int64{g.LeaderID, g.DeputyLeaderID, g.RecorderID} {
			if id == nil || !slices.Contains(members, *id) {
				t.Errorf("group %s: officer %v is not a member of %v", g.Name, id, members)
			}
		}
	}
}

// checkAccounts checks one account per role, each able to log in.
func checkAccounts(t *testing.T, ctx context.Context, db *sqlstore.DB, res *demo.Result) {
	users, _, err := db.FindUsers(ctx, lianluo.UserFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]bool{}
	for _, u := range users {
		for _, g := range u.Roles {
			roles[g.Role] = true
		}
	}
	for _, r := range lianluo.Roles {
		if !roles[r] {
			t.Errorf("no demo user has role %s", r)
		}
	}
	if len(res.Accounts) != len(users) {
		t.Errorf("Result lists %d accounts; the database has %d users", len(res.Accounts), len(users))
	}
	// Demo accounts: marked, and usable at once (no forced change).
	for _, u := range users {
		if !u.Demo || u.MustChangePassword {
			t.Errorf("demo user %s: demo %v, must change %v; want true, false", u.Username, u.Demo, u.MustChangePassword)
		}
	}
	for _, a := range res.Accounts {
		if lianluo.CheckDemoPassword(lianluo.DefaultSecurityPolicy, a.Username, a.Password) != nil || a.Role == "" || a.Scope == "" {
			t.Errorf("account %+v incomplete", a)
		}
		if _, err := db.Login(ctx, a.Username, a.Password, "127.0.0.1"); err != nil {
			t.Errorf("Login(%s) = %v", a.Username, err)
		}
	}
}

// loginContext logs a demo user in and returns a context acting as them.
func loginContext(t *testing.T, db *sqlstore.DB, username string) context.Context {
	t.Helper()
	ctx := context.Background()
	s, err := db.Login(ctx, username, demo.Password, "127.0.0.1")
	if err != nil {
		t.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(ctx, s.Token, "127.0.0.1")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(ctx, a)
}

// snapshot summarises what Load writes, to tell whether anything changed.
func snapshot(t *testing.T, ctx context.Context, db *sqlstore.DB) string {
	t.Helper()
	one := lianluo.Page{PerPage: 1}
	_, regions, err1 := db.FindRegions(ctx, lianluo.RegionFilter{Page: one, Level: lianluo.LevelVillage})
	_, orgs, err2 := db.FindOrgs(ctx, lianluo.OrgFilter{Page: one})
	_, stations, err3 := db.FindStations(ctx, lianluo.StationFilter{Page: one})
	_, deputies, err4 := db.FindDeputies(ctx, lianluo.DeputyFilter{Page: one})
	_, groups, err5 := db.FindGroups(ctx, lianluo.GroupFilter{Page: one})
	_, users, err6 := db.FindUsers(ctx, lianluo.UserFilter{Page: one})
	_, events, err7 := db.FindEvents(ctx, lianluo.EventFilter{Page: one})
	for _, err := range []error{err1, err2, err3, err4, err5, err6, err7} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("regions=%d orgs=%d stations=%d deputies=%d groups=%d users=%d events=%d",
		regions, orgs, stations, deputies, groups, users, events)
}

// TestLoadDeterministic: two loads into fresh databases hold the same people.
func TestLoadDeterministic(t *testing.T) {
	t.Parallel()
	var prints [2]string
	for i := range prints {
		db := storetest.MustOpen(t, sqlstore.SQLite)
		mustLoad(t, db)
		prints[i] = fingerprint(t, db)
	}
	if prints[0] != prints[1] {
		t.Errorf("two loads differ:\n%s\n----\n%s", prints[0], prints[1])
	}
}

func fingerprint(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ctx := storetest.SystemContext()
	var b strings.Builder
	ds, _, err := db.FindDeputies(ctx, lianluo.DeputyFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		fmt.Fprintln(&b, d.Name, d.Gender, d.Phone, d.Party, d.WorkUnit, d.RegionCode, d.GroupName, d.Seats, d.Stations, d.Leader)
	}
	ss, _, err := db.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		fmt.Fprintln(&b, s.Name, s.Address, s.Phone, s.HeadName, s.Liaisons)
	}
	return b.String()
}
