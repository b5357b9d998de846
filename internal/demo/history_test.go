package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestDemoStory checks what a visitor reads: each answer is written for
// its own opinion, the opinions span the past months (statistics and
// ledgers need history), and each station's introduction gives the number
// of deputies its page lists.
func TestDemoStory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		mustLoad(t, db)
		t.Run("content", func(t *testing.T) { checkContent(t, db) })
		t.Run("happy path", func(t *testing.T) { checkHappyPath(t, db) })
	})
}

func checkContent(t *testing.T, db *sqlstore.DB) {
	ctx := storetest.SystemContext()
	cs, _, err := db.FindCases(ctx, lianluo.CaseFilter{Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("distinct answers", func(t *testing.T) {
		seen := map[string]string{} // text → title
		n := 0
		for _, c := range cs {
			texts := []string{c.Outcome}
			if c.Reply != nil {
				texts = append(texts, c.Reply.Content)
			}
			for _, s := range texts {
				if s == "" {
					continue
				}
				n++
				if other, dup := seen[s]; dup && other != c.Title {
					t.Errorf("answer %q given to both %q and %q", s, other, c.Title)
				}
				seen[s] = c.Title
			}
		}
		if n < 6 {
			t.Errorf("%d answers in the demo; want at least 6", n)
		}
	})

	t.Run("spread over months", func(t *testing.T) {
		months := map[string]bool{}
		for _, c := range cs {
			months[c.CreatedAt.In(lianluo.Beijing).Format("2006-01")] = true
			if c.CreatedAt.After(storetest.Now) {
				t.Errorf("case %q created %v, after the clock %v", c.Title, c.CreatedAt, storetest.Now)
			}
		}
		if len(months) < 4 {
			t.Errorf("demo cases created in %d months (%v); want at least 4", len(months), months)
		}
		// The clock is the store's again after the load.
		if got := db.Now(); !got.Equal(storetest.Now) {
			t.Errorf("db.Now() after Load = %v; want %v", got, storetest.Now)
		}
	})

	t.Run("intro counts the listed deputies", func(t *testing.T) {
		ss, _, err := db.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			ds, _, err := db.FindDeputies(ctx, lianluo.DeputyFilter{StationID: s.ID, Status: lianluo.DeputyInOffice, Page: lianluo.AllRows()})
			if err != nil {
				t.Fatal(err)
			}
			st, err := db.FindStationByID(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("共有%d名人大代表进站", len(ds)); !strings.Contains(st.Board.Intro, want) {
				t.Errorf("%s intro %q; want %q (the page lists %d)", s.Name, st.Board.Intro, want, len(ds))
			}
		}
	})
}

// checkHappyPath walks the README's two paths with the demo accounts:
// the town's own (liaison registers, townleader assigns to townunit, who
// signs and replies; liaison feeds back, the deputy evaluates) and the
// escalation to the district (town escalates, leader assigns to unit).
func checkHappyPath(t *testing.T, db *sqlstore.DB) {
	as := func(u string) context.Context { return loginContext(t, db, u) }
	liaison, town, townleader, townunit, leader, unit, deputy :=
		as("liaison"), as("town"), as("townleader"), as("townunit"), as("leader"), as("unit"), as("deputy")

	orgOf := func(ctx context.Context) int64 {
		a := lianluo.ActorFromContext(ctx)
		return *a.User.Roles[0].OrgID
	}
	// townleader's unit picker offers the town's own unit.
	picks, _, err := db.FindOrgs(townleader, lianluo.OrgFilter{Kind: lianluo.OrgUnit, Active: new(true), Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(picks, func(o *lianluo.Org) bool { return o.ID == orgOf(townunit) }) {
		t.Fatalf("townleader's units %v do not include townunit's", names(picks))
	}

	a := lianluo.ActorFromContext(deputy)
	depID := *a.User.Roles[0].DeputyID
	ss, _, err := db.FindStations(liaison, lianluo.StationFilter{Page: lianluo.AllRows()})
	if err != nil || len(ss) == 0 {
		t.Fatalf("liaison FindStations = %d, %v", len(ss), err)
	}
	type step struct {
		ctx    context.Context
		action lianluo.WorkflowAction
		in     lianluo.CaseAction
		want   lianluo.CaseStatus
	}
	unitID, townUnitID := orgOf(unit), orgOf(townunit)
	tail := func(handler, clerk context.Context) []step {
		return []step{
			{handler, "sign", lianluo.CaseAction{}, lianluo.StatusHandling},
			{handler, "reply", lianluo.CaseAction{Result: "A", Content: "已修复。", MetDeputy: true}, lianluo.StatusReplied},
			{clerk, "feedback", lianluo.CaseAction{Content: "已修复，感谢反映。"}, lianluo.StatusAwaitingEvaluation},
			{deputy, "evaluate", lianluo.CaseAction{By: "deputy", Rating: "satisfied"}, lianluo.StatusClosed},
		}
	}
	paths := []struct {
		name  string
		clerk context.Context // registers the opinion
		steps []step
	}{
		// As the README tells it: town registers and sorts, townleader
		// assigns, townunit handles.
		{"town", town, append([]step{
			{town, "triage", lianluo.CaseAction{Outcome: "forward"}, lianluo.StatusPendingApproval},
			{townleader, "approve", lianluo.CaseAction{LeadUnitID: &townUnitID}, lianluo.StatusAssigned},
		}, tail(townunit, town)...)},
		{"station", liaison, append([]step{
			{liaison, "triage", lianluo.CaseAction{Outcome: "forward"}, lianluo.StatusPendingApproval},
			{townleader, "approve", lianluo.CaseAction{LeadUnitID: &townUnitID}, lianluo.StatusAssigned},
		}, tail(townunit, liaison)...)},
		{"district", liaison, append([]step{
			{liaison, "triage", lianluo.CaseAction{Outcome: "forward"}, lianluo.StatusPendingApproval},
			{town, "escalate", lianluo.CaseAction{Comment: "涉及区级部门"}, lianluo.StatusPendingApproval},
			{leader, "approve", lianluo.CaseAction{LeadUnitID: &unitID}, lianluo.StatusAssigned},
		}, tail(unit, liaison)...)},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			c, err := db.CreateCase(p.clerk, lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "visit", StationID: &ss[0].ID,
				Title: "路灯不亮", Content: "楼前路灯坏了。", Category: "道路照明", RegionCode: ss[0].RegionCode,
				Submitter: lianluo.Submitter{Name: "李四", Phone: "13900000000"}, ReceivedBy: []int64{depID}})
			if err != nil {
				t.Fatalf("CreateCase: %v", err)
			}
			for _, s := range p.steps {
				s.in.Version = c.Version
				c, err = db.Act(s.ctx, c.ID, s.action, s.in)
				if err != nil {
					t.Fatalf("Act(%s) = %v", s.action, err)
				}
				if c.Status != s.want {
					t.Fatalf("after %s status = %s; want %s", s.action, c.Status, s.want)
				}
			}
		})
	}
}

func names(os []*lianluo.Org) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Name)
	}
	return out
}
