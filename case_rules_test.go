package lianluo_test

import (
	"fmt"
	"testing"
	"time"

	"lianluo"
)

func rulesID(v int64) *int64 { return &v }

// actorWith is an actor holding one grant, with the scope the store would resolve.
func rulesActor(g lianluo.Grant, s lianluo.Scope) *lianluo.Actor {
	return &lianluo.Actor{User: &lianluo.User{ID: 1, Roles: []lianluo.Grant{g}}, Scope: s}
}

func TestAllowedActionsAndTodoKeys(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, lianluo.Beijing)
	past := now.Add(-time.Hour)
	// A case at station 5 of town body 20 (region 330206004), received by
	// deputy 7 and handled by unit 30.
	base := lianluo.Case{ID: 1, StationID: rulesID(5), OrgID: 20, RegionCode: "330206004001", ReceivedBy: []int64{7}, Round: 1,
		Units: []lianluo.CaseUnit{{OrgID: 30, Lead: true}, {OrgID: 31}}}
	with := func(status lianluo.CaseStatus, edit func(c *lianluo.Case)) *lianluo.Case {
		c := base
		c.Status = status
		if edit != nil {
			edit(&c)
		}
		return &c
	}
	actors := map[string]*lianluo.Actor{
		"town office":  rulesActor(lianluo.Grant{Role: lianluo.RoleNPCOffice, OrgID: rulesID(20)}, lianluo.Scope{Regions: []string{"330206004"}, Orgs: []int64{20}}),
		"district":     rulesActor(lianluo.Grant{Role: lianluo.RoleNPCOffice, OrgID: rulesID(10)}, lianluo.Scope{Regions: []string{"330206"}, Orgs: []int64{10}}),
		"town leader":  rulesActor(lianluo.Grant{Role: lianluo.RoleNPCLeader, OrgID: rulesID(20)}, lianluo.Scope{Regions: []string{"330206004"}, Orgs: []int64{20}}),
		"liaison":      rulesActor(lianluo.Grant{Role: lianluo.RoleLiaison, StationID: rulesID(5)}, lianluo.Scope{Stations: []int64{5}}),
		"deputy":       rulesActor(lianluo.Grant{Role: lianluo.RoleDeputy, DeputyID: rulesID(7)}, lianluo.Scope{Deputies: []int64{7}, Stations: []int64{5}}),
		"other deputy": rulesActor(lianluo.Grant{Role: lianluo.RoleDeputy, DeputyID: rulesID(8)}, lianluo.Scope{Deputies: []int64{8}, Stations: []int64{5}}),
		"lead unit":    rulesActor(lianluo.Grant{Role: lianluo.RoleUnitHandler, OrgID: rulesID(30)}, lianluo.Scope{Units: []int64{30}}),
		"co-unit":      rulesActor(lianluo.Grant{Role: lianluo.RoleUnitHandler, OrgID: rulesID(31)}, lianluo.Scope{Units: []int64{31}}),
	}
	voterRated := func(c *lianluo.Case) { c.Ratings = []lianluo.Rating{{By: "voter", Round: 1}} }
	overdue := func(c *lianluo.Case) { c.DueDate = &past }
	tests := []struct {
		actor   string
		c       *lianluo.Case
		allowed string
		todo    string
	}{
		{"deputy", with(lianluo.StatusReplied, nil), "[feedback]", "[feedback]"},
		{"other deputy", with(lianluo.StatusReplied, nil), "[]", "[]"},
		{"liaison", with(lianluo.StatusReplied, nil), "[feedback]", "[feedback]"},
		{"lead unit", with(lianluo.StatusReplied, nil), "[]", "[]"},
		{"district", with(lianluo.StatusReplied, nil), "[feedback]", "[feedback]"},
		{"deputy", with(lianluo.StatusAwaitingEvaluation, voterRated), "[evaluate]", "[evaluate]"},
		{"liaison", with(lianluo.StatusAwaitingEvaluation, voterRated), "[]", "[]"},
		{"liaison", with(lianluo.StatusAwaitingEvaluation, nil), "[evaluate]", "[evaluate]"},
		{"other deputy", with(lianluo.StatusAwaitingEvaluation, nil), "[]", "[]"},
		{"town leader", with(lianluo.StatusPendingApproval, nil), "[approve escalate send_back link]", "[approve]"},
		{"town office", with(lianluo.StatusPendingApproval, overdue), "[escalate send_back link]", "[approve overdue]"},
		// The district sees the town's queue but cannot approve in it.
		{"district", with(lianluo.StatusPendingApproval, overdue), "[link]", "[overdue]"},
		{"lead unit", with(lianluo.StatusHandling, overdue), "[return request_extension reply]", "[reply overdue]"},
		{"co-unit", with(lianluo.StatusHandling, overdue), "[]", "[]"},
		{"deputy", with(lianluo.StatusHandling, overdue), "[]", "[]"},
		{"liaison", with(lianluo.StatusHandling, overdue), "[urge]", "[overdue]"},
		{"town office", with(lianluo.StatusHandling, func(c *lianluo.Case) { c.Extension = &lianluo.Extension{Until: now} }),
			"[decide_extension urge]", "[extension]"},
		{"town office", with(lianluo.StatusSupervising, nil), "[supervise]", "[supervise]"},
		{"town office", with(lianluo.StatusReplied, func(c *lianluo.Case) { c.MasterID = rulesID(9) }), "[]", "[]"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.actor, tt.c.Status), func(t *testing.T) {
			a := actors[tt.actor]
			if got := fmt.Sprint(lianluo.AllowedActions(a, tt.c, lianluo.DefaultPolicy)); got != tt.allowed {
				t.Errorf("AllowedActions = %s; want %s", got, tt.allowed)
			}
			if got := fmt.Sprint(lianluo.TodoKeys(a, tt.c, lianluo.DefaultPolicy, now)); got != tt.todo {
				t.Errorf("TodoKeys = %s; want %s", got, tt.todo)
			}
		})
	}
}

func TestCanActEvaluate(t *testing.T) {
	c := &lianluo.Case{StationID: rulesID(5), ReceivedBy: []int64{7}, Status: lianluo.StatusAwaitingEvaluation}
	liaison := rulesActor(lianluo.Grant{Role: lianluo.RoleLiaison, StationID: rulesID(5)}, lianluo.Scope{Stations: []int64{5}})
	deputy := rulesActor(lianluo.Grant{Role: lianluo.RoleDeputy, DeputyID: rulesID(7)}, lianluo.Scope{Deputies: []int64{7}})
	tests := []struct {
		a    *lianluo.Actor
		by   string
		want string
	}{
		{liaison, "voter", ""},
		{liaison, "deputy", lianluo.EFORBIDDEN},
		{deputy, "deputy", ""},
		{deputy, "voter", lianluo.EFORBIDDEN},
		{deputy, "", lianluo.EINVALID},
	}
	for _, tt := range tests {
		if got := lianluo.ErrorCode(lianluo.CanAct(tt.a, c, lianluo.ActEvaluate, tt.by)); got != tt.want {
			t.Errorf("CanAct(%v, evaluate, %q) = %q; want %q", tt.a.User.Roles[0].Role, tt.by, got, tt.want)
		}
	}
}

func TestMailboxWait(t *testing.T) {
	setUp := time.Date(2026, 3, 2, 9, 30, 0, 0, lianluo.Beijing)
	opened := setUp.AddDate(0, 0, 3)
	tests := []struct {
		last    *time.Time
		now     time.Time
		days    int
		overdue bool
	}{
		{nil, setUp.AddDate(0, 0, 7), 7, false}, // exactly a week since set up
		{nil, setUp.AddDate(0, 0, 7).Add(time.Minute), 7, true},
		{nil, setUp.AddDate(0, 0, 30), 30, true},
		{&opened, setUp.AddDate(0, 0, 9), 6, false},
		{&opened, setUp.AddDate(0, 0, 11), 8, true},
		{nil, setUp.Add(-time.Hour), 0, false}, // a clock behind the record
	}
	for _, tt := range tests {
		days, overdue := lianluo.MailboxWait(tt.last, setUp, tt.now)
		if days != tt.days || overdue != tt.overdue {
			t.Errorf("MailboxWait(%v, %v, %v) = %d, %v; want %d, %v", tt.last, setUp, tt.now, days, overdue, tt.days, tt.overdue)
		}
	}
}

func TestTodoListsFor(t *testing.T) {
	tests := []struct {
		role string
		want string
	}{
		{lianluo.RoleSystemAdmin, "[triage approve overdue extension feedback evaluate supervise]"},
		{lianluo.RoleNPCOffice, "[triage approve overdue extension feedback evaluate supervise]"},
		{lianluo.RoleNPCLeader, "[triage approve overdue extension feedback evaluate supervise]"},
		{lianluo.RoleStationHead, "[triage overdue feedback evaluate]"},
		{lianluo.RoleLiaison, "[triage overdue feedback evaluate]"},
		{lianluo.RoleDeputy, "[feedback evaluate]"},
		{lianluo.RoleUnitHandler, "[sign reply overdue]"},
	}
	for _, tt := range tests {
		a := rulesActor(lianluo.Grant{Role: tt.role}, lianluo.Scope{})
		if got := fmt.Sprint(lianluo.TodoListsFor(a)); got != tt.want {
			t.Errorf("TodoListsFor(%s) = %s; want %s", tt.role, got, tt.want)
		}
	}
	two := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy}, {Role: lianluo.RoleUnitHandler}}}}
	if got, want := fmt.Sprint(lianluo.TodoListsFor(two)), "[sign reply overdue feedback evaluate]"; got != want {
		t.Errorf("TodoListsFor(deputy and handler) = %s; want %s", got, want)
	}
}

// The to-do counts are shown as counted up to TodoCountCap, and past it as
// "99+".
func TestTodoCountLabel(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", lianluo.TodoCountCap: "99", lianluo.TodoCountCap + 1: "99+", 5000: "99+"} {
		if got := lianluo.TodoCountLabel(n); got != want {
			t.Errorf("TodoCountLabel(%d) = %q; want %q", n, got, want)
		}
	}
}
