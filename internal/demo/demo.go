// Package demo loads the demo district, 宁波市北仑区 (330206): its real
// regions, and a synthetic registry of NPC bodies, handling units, stations,
// deputies, deputy groups and one account per role — enough to try every
// page. Everything is created through the application services, so the
// data passes the same validation and leaves the same audit trail as data
// typed in by hand.
package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lianluo"
	"lianluo/internal/regiondata"
)

// Result lists the demo accounts so the command line can print them.
type Result struct {
	Regions, Orgs, Stations, Deputies, Groups, Users int
	Accounts                                         []Account // one per role
	Cases                                            int
	Receptions                                       int // sessions on the published rota
	AlreadyLoaded                                    bool
}

// Account is a demo login; Role and Scope are in Chinese for printing.
type Account struct{ Username, Password, Role, Scope string }

// Load imports the regions of 北仑区 and creates the demo registry. ctx must
// carry an administrator (the command line's lianluo.SystemActor()). If the
// district NPC body 北仑区人大常委会 already exists it changes nothing and
// returns AlreadyLoaded. The data is the same on every run.
//
// Each record is its own transaction (the services offer no wider one): a
// load that fails half-way leaves what it created, and since the district
// body is among the first records, a second Load will then report
// AlreadyLoaded. Load into a fresh database.
//
// clock is the clock the store was opened with (sqlstore.Config.Now): Load
// moves it into the past months to date the demo's opinions as if they had
// been worked through then, and puts it back before it returns. Nothing else
// may use the store meanwhile. With a nil clock every record is dated now.
func Load(ctx context.Context, svc lianluo.Services, clock *lianluo.Clock) (_ *Result, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("demo.Load: %w", err)
		}
	}()
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsSystemAdmin() {
		return nil, lianluo.Forbidden()
	}
	if _, found, err := findOrg(ctx, svc, lianluo.OrgNPC, districtBody); err != nil {
		return nil, err
	} else if found {
		return &Result{AlreadyLoaded: true}, nil
	}
	l := &loader{ctx: ctx, svc: svc, clock: clock, g: newGen(), res: &Result{}, towns: map[string]*town{}}
	for _, step := range []func() error{l.regions, l.orgs, l.stations, l.groups, l.deputies, l.heads, l.users, l.cases, l.boards, l.publish, l.receptions, l.suggestions, l.appraisals,
		l.yearPlan} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return l.res, nil
}

// findOrg looks up the org of that kind and exact name (Q matches substrings).
func findOrg(ctx context.Context, svc lianluo.Services, kind, name string) (*lianluo.Org, bool, error) {
	list, _, err := svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: kind, Q: name, Page: lianluo.AllRows()})
	if err != nil {
		return nil, false, err
	}
	for _, o := range list {
		if o.Name == name {
			return o, true, nil
		}
	}
	return nil, false, nil
}

// loader carries what one Load has created so far.
type loader struct {
	ctx   context.Context
	svc   lianluo.Services
	clock *lianluo.Clock // the store's, moved to date the history (Load)
	g     *gen
	res   *Result

	towns     map[string]*town // by code
	townOrder []*town          // in code order
	bodies    map[string]*lianluo.Org
	district  *lianluo.Org
	unitOrgs  []*lianluo.Org

	sts      []*lianluo.Station  // parallel to stations
	deps     [][]*lianluo.Deputy // per station spec, per slot
	groupsBy map[string]*lianluo.DeputyGroup
}

// regions imports 33 → 3302 → 330206 and every town and village below it.
func (l *loader) regions() error {
	var rs []lianluo.Region
	err := regiondata.Walk(district, func(r regiondata.Record) error {
		rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
		switch r.Level {
		case regiondata.LevelTown:
			t := &town{code: r.Code, name: r.Name}
			l.towns[r.Code] = t
			l.townOrder = append(l.townOrder, t)
		case regiondata.LevelVillage:
			t := l.towns[r.ParentCode]
			if short, community := shortVillage(r.Name); community {
				t.communities = append(t.communities, short)
			} else {
				t.villages = append(t.villages, short)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	n, err := l.svc.Regions.ImportRegions(l.ctx, rs)
	if err != nil {
		return fmt.Errorf("import regions: %w", err)
	}
	l.res.Regions = n
	return nil
}

// shortVillage turns a committee's name into the place's name, and says
// whether it is an urban community: 璎珞村委会 → 璎珞村; 富春社区居委会 →
// 富春社区; 海湾居委会 → 海湾社区.
func shortVillage(name string) (string, bool) {
	switch {
	case strings.HasSuffix(name, "村委会"):
		return strings.TrimSuffix(name, "委会"), false
	case strings.HasSuffix(name, "社区居委会"):
		return strings.TrimSuffix(name, "居委会"), true
	case strings.HasSuffix(name, "居委会"):
		return strings.TrimSuffix(name, "居委会") + "社区", true
	}
	return name, strings.HasSuffix(name, "社区")
}

func (l *loader) createOrg(o *lianluo.Org) error {
	if err := l.svc.Orgs.CreateOrg(l.ctx, o); err != nil {
		return fmt.Errorf("create org %s: %w", o.Name, err)
	}
	l.res.Orgs++
	return nil
}

// orgs creates the NPC bodies (city → district → one per town) and the
// handling units. The city body is reused if a deployment already has it.
func (l *loader) orgs() error {
	g := l.g
	cityOrg, found, err := findOrg(l.ctx, l.svc, lianluo.OrgNPC, cityBody)
	if err != nil {
		return err
	}
	if !found {
		cityOrg = &lianluo.Org{Kind: lianluo.OrgNPC, Name: cityBody, RegionCode: city,
			Contact: g.name(g.female(0.5)), Phone: g.landline("8918")}
		if err := l.createOrg(cityOrg); err != nil {
			return err
		}
	}
	l.district = &lianluo.Org{Kind: lianluo.OrgNPC, Name: districtBody, RegionCode: district, ParentID: &cityOrg.ID,
		Contact: g.name(g.female(0.5)), Phone: g.landline("8686"), Address: "北仑区长江路1166号"}
	if err := l.createOrg(l.district); err != nil {
		return err
	}
	l.bodies = map[string]*lianluo.Org{}
	for _, t := range l.townOrder {
		name := t.name + "人大工委"
		addr := "北仑区" + t.name + "办事处"
		if !strings.HasSuffix(t.name, "街道") { // 保税区 has no street office
			name = t.name + "人大工作联络处"
			addr = "北仑区" + t.name + "管委会"
		}
		o := &lianluo.Org{Kind: lianluo.OrgNPC, Name: name, RegionCode: t.code, ParentID: &l.district.ID,
			Contact: g.name(g.female(0.5)), Phone: g.landline("8686"), Address: addr}
		if err := l.createOrg(o); err != nil {
			return err
		}
		l.bodies[t.code] = o
	}
	for _, u := range units {
		o := &lianluo.Org{Kind: lianluo.OrgUnit, Name: u.name, RegionCode: u.region,
			Contact: g.name(g.female(0.4)), Phone: g.landline("8686")}
		if err := l.createOrg(o); err != nil {
			return err
		}
		l.unitOrgs = append(l.unitOrgs, o)
	}
	return nil
}

// stations creates the stations with their liaisons; deputies join them
// when they are created, and heads are named after that.
func (l *loader) stations() error {
	g := l.g
	for _, sp := range stations {
		t := l.towns[sp.town]
		if t == nil {
			return fmt.Errorf("station town %s not in region data", sp.town)
		}
		s := &lianluo.Station{Kind: sp.kind, Name: sp.name, RegionCode: sp.town, OrgID: l.bodies[sp.town].ID,
			Address: sp.address, OpeningHours: sp.hours, Phone: g.landline("8686")}
		if sp.village != "" {
			r, ok := regiondata.Find(sp.village)
			if !ok || r.ParentCode != sp.town {
				return fmt.Errorf("station village %s not in town %s", sp.village, sp.town)
			}
			short, _ := shortVillage(r.Name)
			s.Name = short + "人大代表联络站"
			s.RegionCode = sp.village
			s.Address = "北仑区" + t.name + short + "党群服务中心"
		}
		for range 1 + g.r.IntN(2) {
			s.Liaisons = append(s.Liaisons, lianluo.Liaison{Name: g.name(g.female(0.6)), Phone: g.mobile()})
		}
		if err := l.svc.Stations.CreateStation(l.ctx, s); err != nil {
			return fmt.Errorf("create station %s: %w", s.Name, err)
		}
		l.sts = append(l.sts, s)
		l.res.Stations++
	}
	return nil
}

// groupStation returns the index of the station a town's deputy group
// meets at: its center station, else its first station.
func groupStation(townCode string) int {
	first := -1
	for i, sp := range stations {
		if sp.town != townCode {
			continue
		}
		if sp.kind == lianluo.StationCenter {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// groups creates one deputy group (代表小组) per town with stations; leaders
// are named once the deputies exist.
func (l *loader) groups() error {
	l.groupsBy = map[string]*lianluo.DeputyGroup{}
	for _, sp := range stations {
		if l.groupsBy[sp.town] != nil {
			continue
		}
		st := l.sts[groupStation(sp.town)]
		grp := &lianluo.DeputyGroup{Name: l.towns[sp.town].name + "代表小组", OrgID: l.bodies[sp.town].ID,
			RegionCode: sp.town, StationID: &st.ID}
		if err := l.svc.Groups.CreateGroup(l.ctx, grp); err != nil {
			return fmt.Errorf("create group %s: %w", grp.Name, err)
		}
		l.groupsBy[sp.town] = grp
		l.res.Groups++
	}
	return nil
}

// deputies creates the 80 deputies, each in their town's group and at their
// station (and at a second one for those listed in fromCenter).
func (l *loader) deputies() error {
	g := l.g
	// Which stations each slot serves at.
	extra := map[[2]int][]int64{} // {spec, slot} → more stations
	for i, sp := range stations {
		if len(sp.fromCenter) == 0 {
			continue
		}
		c := groupStation(sp.town)
		for _, k := range sp.fromCenter {
			extra[[2]int{c, k}] = append(extra[[2]int{c, k}], l.sts[i].ID)
		}
	}
	nextCon := map[string]int{}
	for town, n := range firstConstituency {
		nextCon[town] = 2 * n // two deputies per constituency
	}
	// A village station is headed by its own committee's secretary: keep
	// those villages out of the other deputies' jobs.
	for _, sp := range stations {
		if sp.village != "" {
			r, _ := regiondata.Find(sp.village)
			short, _ := shortVillage(r.Name)
			g.places[short] = true
		}
	}
	l.deps = make([][]*lianluo.Deputy, len(stations))
	for i, sp := range stations {
		t := l.towns[sp.town]
		for k, sl := range sp.slots {
			d := &lianluo.Deputy{
				RegionCode: sp.town,
				Ethnicity:  g.ethnicity(),
				Phone:      g.mobile(),
				GroupID:    &l.groupsBy[sp.town].ID,
				StationIDs: append([]int64{l.sts[i].ID}, extra[[2]int{i, k}]...),
				Status:     lianluo.DeputyInOffice,
				// Every fourth ordinary seat is a first-term deputy (新任代表).
				FirstTerm: sl.post == "" && k%4 == 3,
			}
			female := g.female(0.35)
			if sl.post != "" {
				female = g.female(0.2)
			}
			d.Gender = "male"
			if female {
				d.Gender = "female"
			}
			d.Name = g.name(female)
			var j job
			switch {
			case sl.post != "":
				d.Leader = true
				d.Party = "中共党员"
				j = job{"机关干部", sl.post, ""}
			case strings.Contains(sl.seats, "N"):
				// 全国人大代表 from the port: a model worker.
				d.Party = "中共党员"
				j = job{"港口职工", "宁波" + pick(g, brands) + "集装箱码头有限公司桥吊班组长", ""}
			case sp.kind == lianluo.StationVillage && k == headSlot(i):
				// The first deputy of a village station heads it: the
				// village's own secretary.
				r, _ := regiondata.Find(sp.village)
				short, community := shortVillage(r.Name)
				d.Party = "中共党员"
				j = job{"村干部", short + "党委书记、村委会主任", short}
				if community {
					j = job{"社区工作者", short + "党委书记、居委会主任", short}
				}
			default:
				d.Party = g.party()
				j = g.job(t)
			}
			g.hold(j)
			d.Occupation, d.WorkUnit = j.occupation, j.workUnit
			d.Bio = g.bio()
			for _, c := range sl.seats {
				level := map[rune]string{'N': lianluo.DeputyNational, 'P': lianluo.DeputyProvincial,
					'C': lianluo.DeputyCity, 'X': lianluo.DeputyCounty}[c]
				seat := lianluo.Seat{Level: level, Term: terms[level], Constituency: delegations[level]}
				if level == lianluo.DeputyCounty {
					seat.Constituency = fmt.Sprintf("第%d选区", nextCon[sp.town]/2)
					nextCon[sp.town]++
				}
				d.Seats = append(d.Seats, seat)
			}
			if err := l.svc.Deputies.CreateDeputy(l.ctx, d); err != nil {
				return fmt.Errorf("create deputy %s: %w", d.Name, err)
			}
			l.deps[i] = append(l.deps[i], d)
			l.res.Deputies++
		}
	}
	return nil
}

// plain reports whether a slot is an ordinary county deputy: no other seat,
// no leadership post. They head stations and run groups.
func plain(sl slot) bool { return sl.seats == "X" && sl.post == "" }

// headSlot is the slot of station spec i whose deputy heads the station.
func headSlot(i int) int { return slices.IndexFunc(stations[i].slots, plain) }

// ordinary returns station spec i's plain deputies, the head first.
func (l *loader) ordinary(i int) []*lianluo.Deputy {
	var out []*lianluo.Deputy
	for k, d := range l.deps[i] {
		if plain(stations[i].slots[k]) {
			out = append(out, d)
		}
	}
	return out
}

// heads names each station's head (站长) and each group's leader, deputy
// leader and recorder (003 代表小组活动制度): the head of the group's
// station leads the group.
func (l *loader) heads() error {
	for i, s := range l.sts {
		head := l.ordinary(i)[0]
		up, err := l.svc.Stations.UpdateStation(l.ctx, s.ID, lianluo.StationUpdate{HeadDeputyID: &head.ID, Version: s.Version})
		if err != nil {
			return fmt.Errorf("name head of %s: %w", s.Name, err)
		}
		l.sts[i] = up
	}
	for _, sp := range stations {
		grp := l.groupsBy[sp.town]
		if grp.LeaderID != nil {
			continue
		}
		ds := l.ordinary(groupStation(sp.town))
		up, err := l.svc.Groups.UpdateGroup(l.ctx, grp.ID, lianluo.GroupUpdate{
			LeaderID: &ds[0].ID, DeputyLeaderID: &ds[1].ID, RecorderID: &ds[2].ID, Version: grp.Version})
		if err != nil {
			return fmt.Errorf("name leaders of %s: %w", grp.Name, err)
		}
		l.groupsBy[sp.town] = up
	}
	return nil
}

// users creates one account per role, all in the district and, below it,
// in 大碶街道 and its center station.
func (l *loader) users() error {
	g := l.g
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	st := l.sts[center]
	head := l.ordinary(center)[0]
	// The deputy account: a city and county deputy who also serves at a
	// village station, so it shows two seats and two stations.
	dep := l.deps[center][2]
	if dep == head || len(dep.Seats) != 2 || len(dep.StationIDs) != 2 {
		return fmt.Errorf("demo data: slot 2 of the %s center is not the deputy account", demoTown)
	}
	depPath, err := l.svc.Regions.RegionPath(l.ctx, dep.RegionCode)
	if err != nil {
		return err
	}
	townBody := l.bodies[demoTown]
	unit := l.unitOrgs[0]
	// The town's own handling unit: what townleader assigns stays in the
	// town (000: 报镇人大主席或副主席交办).
	townUnit := l.unitOrgs[slices.IndexFunc(units, func(u unitSpec) bool { return u.region == demoTown })]
	id := func(v int64) *int64 { return &v }
	accounts := []struct {
		username, display, phone string
		grant                    lianluo.Grant
		scope                    string
	}{
		{"admin", "系统管理员", "", lianluo.Grant{Role: lianluo.RoleSystemAdmin}, adminScopes[lianluo.RoleSystemAdmin]},
		{"security", "安全管理员", "", lianluo.Grant{Role: lianluo.RoleSecurityAdmin}, adminScopes[lianluo.RoleSecurityAdmin]},
		{"auditor", "安全审计员", "", lianluo.Grant{Role: lianluo.RoleAuditor}, adminScopes[lianluo.RoleAuditor]},
		{"office", l.district.Contact, g.mobile(), lianluo.Grant{Role: lianluo.RoleNPCOffice, OrgID: id(l.district.ID)}, l.district.Name},
		{"town", townBody.Contact, g.mobile(), lianluo.Grant{Role: lianluo.RoleNPCOffice, OrgID: id(townBody.ID)}, townBody.Name},
		{"leader", g.name(g.female(0.3)), g.mobile(), lianluo.Grant{Role: lianluo.RoleNPCLeader, OrgID: id(l.district.ID)}, l.district.Name},
		{"townleader", g.name(g.female(0.3)), g.mobile(), lianluo.Grant{Role: lianluo.RoleNPCLeader, OrgID: id(townBody.ID)}, townBody.Name},
		{"stationhead", head.Name, head.Phone, lianluo.Grant{Role: lianluo.RoleStationHead, StationID: id(st.ID)}, st.Name},
		{"liaison", st.Liaisons[0].Name, st.Liaisons[0].Phone, lianluo.Grant{Role: lianluo.RoleLiaison, StationID: id(st.ID)}, st.Name},
		{"deputy", dep.Name, dep.Phone, lianluo.Grant{Role: lianluo.RoleDeputy, DeputyID: id(dep.ID)}, dep.Name + "（" + lianluo.SeatsText(dep.Seats, depPath) + "）"},
		{"unit", unit.Contact, g.mobile(), lianluo.Grant{Role: lianluo.RoleUnitHandler, OrgID: id(unit.ID)}, unit.Name},
		{"townunit", townUnit.Contact, g.mobile(), lianluo.Grant{Role: lianluo.RoleUnitHandler, OrgID: id(townUnit.ID)}, townUnit.Name},
	}
	for _, a := range accounts {
		u := &lianluo.User{Username: a.username, Password: Password, DisplayName: a.display, Phone: a.phone,
			Roles: []lianluo.Grant{a.grant}}
		// Demo accounts: their published password is exempt from the
		// common-password list and from the forced change, and the console
		// warns while they exist (README: Security).
		if err := l.svc.Users.CreateUser(lianluo.NewContextForDemo(l.ctx), u); err != nil {
			return fmt.Errorf("create user %s: %w", a.username, err)
		}
		l.res.Users++
		l.res.Accounts = append(l.res.Accounts, Account{Username: a.username, Password: Password,
			Role: lianluo.RoleNames[a.grant.Role], Scope: a.scope})
	}
	return nil
}
