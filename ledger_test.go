package lianluo

import (
	"errors"
	"testing"
)

func TestParseLedgerQuery(t *testing.T) {
	for _, tc := range []struct {
		book, station, group, deputy, year string
		want                               LedgerQuery
		field                              string
	}{
		{"opinions", "3", "", "", "2026", LedgerQuery{Book: LedgerOpinions, StationID: 3, Year: 2026}, ""},
		{"group_meetings", "", " 7 ", "", "2025", LedgerQuery{Book: LedgerGroupMeetings, GroupID: 7, Year: 2025}, ""},
		{"handbook", "", "", "12", "2026", LedgerQuery{Book: LedgerHandbook, DeputyID: 12, Year: 2026}, ""},
		{"handbook", "3", "", "", "2026", LedgerQuery{}, "deputy_id"}, // per deputy
		{"handbook", "3", "", "12", "2026", LedgerQuery{}, "deputy_id"},
		{"opinions", "", "", "12", "2026", LedgerQuery{}, "deputy_id"},
		{"handbook", "", "", "x", "2026", LedgerQuery{}, "deputy_id"},
		{"", "3", "", "", "2026", LedgerQuery{}, "book"},
		{"visits", "", "", "", "2026", LedgerQuery{}, "station_id"},
		{"visits", "3", "4", "", "2026", LedgerQuery{}, "group_id"},
		{"visits", "x", "", "", "2026", LedgerQuery{}, "station_id"},
		{"visits", "-3", "", "", "2026", LedgerQuery{}, "station_id"},
		{"visits", "", "0", "", "2026", LedgerQuery{}, "group_id"},
		{"visits", "3", "", "", "", LedgerQuery{}, "year"},
		{"visits", "3", "", "", "26年", LedgerQuery{}, "year"},
		{"visits", "3", "", "", "1999", LedgerQuery{}, "year"},
		{"visits", "3", "", "", "2101", LedgerQuery{}, "year"},
	} {
		got, err := ParseLedgerQuery(tc.book, tc.station, tc.group, tc.deputy, tc.year)
		if tc.field != "" {
			var e *Error
			if !errors.As(err, &e) || e.Field != tc.field || e.Code != EINVALID || e.Message == "" {
				t.Errorf("ParseLedgerQuery(%q, %q, %q, %q) = %v; want a field error at %s", tc.book, tc.station, tc.group, tc.year, err, tc.field)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseLedgerQuery(%q, %q, %q, %q) = %+v, %v; want %+v", tc.book, tc.station, tc.group, tc.year, got, err, tc.want)
		}
	}
}

func TestLedgerRange(t *testing.T) {
	from, to := LedgerQuery{Year: 2026}.Range()
	if got, want := from.UTC().Format("2006-01-02 15:04"), "2025-12-31 16:00"; got != want {
		t.Errorf("from = %s; want %s (Beijing midnight)", got, want)
	}
	if got, want := to.UTC().Format("2006-01-02 15:04"), "2026-12-31 16:00"; got != want {
		t.Errorf("to = %s; want %s", got, want)
	}
}

func TestLedgerBooks(t *testing.T) {
	seen := map[LedgerBook]bool{}
	for _, b := range LedgerBooks {
		if seen[b.Book] || b.Title == "" || len(b.Scopes) == 0 {
			t.Errorf("book %q: duplicate, untitled or without a scope", b.Book)
		}
		seen[b.Book] = true
		keys := map[string]bool{}
		for _, c := range b.Columns {
			if keys[c.Key] || c.Name == "" || c.Width <= 0 || c.Key == "link" {
				t.Errorf("book %s column %q: duplicate, unnamed, without a width or named link", b.Book, c.Key)
			}
			keys[c.Key] = true
		}
		if !keys["number"] || !keys["date"] {
			t.Errorf("book %s: no 序号 or 日期 column", b.Book)
		}
	}
	if len(LedgerBooks) != 6 {
		t.Errorf("%d books; want the five of 003 and the handbook", len(LedgerBooks))
	}
}

func TestCanReadLedger(t *testing.T) {
	station, other := int64(1), int64(2)
	actor := func(g Grant, s Scope) *Actor {
		return &Actor{User: &User{ID: 9, Roles: []Grant{g}, Active: true}, Scope: s}
	}
	town := actor(Grant{Role: RoleNPCOffice}, Scope{Regions: []string{"330206004"}})
	leader := actor(Grant{Role: RoleNPCLeader}, Scope{Regions: []string{"330206"}})
	otherTown := actor(Grant{Role: RoleNPCOffice}, Scope{Regions: []string{"330206003"}})
	liaison := actor(Grant{Role: RoleLiaison, StationID: &station}, Scope{Stations: []int64{station}})
	otherLiaison := actor(Grant{Role: RoleLiaison, StationID: &other}, Scope{Stations: []int64{other}})
	member := actor(Grant{Role: RoleDeputy}, Scope{Deputies: []int64{11}, Stations: []int64{station}})
	outsider := actor(Grant{Role: RoleDeputy}, Scope{Deputies: []int64{12}, Stations: []int64{station}})
	unit := actor(Grant{Role: RoleUnitHandler}, Scope{Units: []int64{5}})
	admin := actor(Grant{Role: RoleSystemAdmin}, Scope{All: true})

	st := &LedgerScope{Kind: LedgerStation, ID: station, RegionCode: "330206004", StationID: &station}
	gr := &LedgerScope{Kind: LedgerGroup, ID: 3, RegionCode: "330206004", StationID: &station, Members: []int64{11}, Leaders: []int64{10}}
	dp := &LedgerScope{Kind: LedgerDeputy, ID: 11, RegionCode: "330206004", Stations: []int64{station}}
	for _, tc := range []struct {
		name  string
		a     *Actor
		scope *LedgerScope
		want  bool
	}{
		{"town office, its station", town, st, true},
		{"district leader, a town's group", leader, gr, true},
		{"another town's office", otherTown, st, false},
		{"the station's liaison", liaison, st, true},
		{"the station's liaison, its group", liaison, gr, true},
		{"another station's liaison", otherLiaison, st, false},
		{"a member, the group", member, gr, true},
		{"a member, the station", member, st, false},
		{"a deputy outside the group", outsider, gr, false},
		{"a unit", unit, st, false},
		{"the system administrator", admin, st, false},
		{"no one", nil, st, false},
		{"the deputy, their handbook", member, dp, true},
		{"a fellow deputy, the handbook", outsider, dp, false},
		{"the deputy's station's liaison, the handbook", liaison, dp, true},
		{"another station's liaison, the handbook", otherLiaison, dp, false},
		{"town office, its deputy's handbook", town, dp, true},
		{"another town's office, the handbook", otherTown, dp, false},
		{"the system administrator, a handbook", admin, dp, false},
	} {
		if got := CanReadLedger(tc.a, tc.scope); got != tc.want {
			t.Errorf("CanReadLedger(%s) = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestLedgerVoter(t *testing.T) {
	for _, tc := range []struct {
		name, last4  string
		confidential bool
		want         string
	}{
		{"张三丰", "0000", false, "张**（尾号0000）"},
		{"欧阳娜娜", "", false, "欧阳**"},
		{" ", "1234", false, "（未留姓名）（尾号1234）"},
		{"李四", "2222", true, "（为反映人保密）"},
	} {
		if got := LedgerVoter(tc.name, tc.last4, tc.confidential); got != tc.want {
			t.Errorf("LedgerVoter(%q, %q, %v) = %q; want %q", tc.name, tc.last4, tc.confidential, got, tc.want)
		}
	}
}
