package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// caseWorld adds to World what the workflow needs: a leader and a unit in
// town A with its handler.
type caseWorld struct {
	*storetest.World
	UnitA *lianluo.Org
}

func mustCaseWorld(t *testing.T, db *sqlstore.DB) *caseWorld {
	t.Helper()
	w := &caseWorld{World: storetest.MustWorld(t, db)}
	ctx := storetest.SystemContext()
	w.UnitA = &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
	if err := db.CreateOrg(ctx, w.UnitA); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*lianluo.User{
		{Username: "leadera", DisplayName: "大碶人大主任", Roles: []lianluo.Grant{{Role: "npc_leader", OrgID: &w.TownA.ID}}},
		{Username: "unita", DisplayName: "街道办经办人", Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &w.UnitA.ID}}},
	} {
		u.Password = storetest.Password
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		w.Users[u.Username] = u
	}
	return w
}

// register creates a case at station A received by DeputyA1, as liaison A.
func (w *caseWorld) register(t *testing.T, title string) *lianluo.Case {
	t.Helper()
	c, err := w.DB.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{
		Channel: "visit", StationID: &w.StationA.ID, Title: title, Content: title + "，请尽快处理。",
		Category: "城乡建设", RegionCode: "330206004", Location: "庐山西路",
		Submitter:  lianluo.Submitter{Name: "张三", Phone: "13912340000", Address: "大碶街道某小区5幢"},
		ReceivedBy: []int64{w.DeputyA1.ID},
	})
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return c
}

// act performs an action as a user and fails the test on error.
func (w *caseWorld) act(t *testing.T, user string, c *lianluo.Case, action lianluo.WorkflowAction, in lianluo.CaseAction) *lianluo.Case {
	t.Helper()
	in.Version = c.Version
	got, err := w.DB.Act(w.As(t, user), c.ID, action, in)
	if err != nil {
		t.Fatalf("%s %s in %s: %v", user, action, c.Status, err)
	}
	return got
}

// path drives a new case to the status.
func (w *caseWorld) path(t *testing.T, status lianluo.CaseStatus) *lianluo.Case {
	t.Helper()
	c := w.register(t, "小区路灯不亮")
	step := func(user string, action lianluo.WorkflowAction, in lianluo.CaseAction) {
		c = w.act(t, user, c, action, in)
	}
	switch status {
	case lianluo.StatusRegistered:
		return c
	case lianluo.StatusAnswered:
		step("officea", "triage", lianluo.CaseAction{Outcome: "answered", Answer: "已联系物业当场修复。"})
		return c
	case lianluo.StatusNotAccepted:
		step("officea", "triage", lianluo.CaseAction{Outcome: "not_accepted", ReasonCode: "litigation"})
		return c
	case lianluo.StatusExplained:
		step("officea", "triage", lianluo.CaseAction{Outcome: "explained", Explanation: "该路段明年改造。"})
		return c
	}
	step("liaisona", "triage", lianluo.CaseAction{Outcome: "forward"})
	if status == lianluo.StatusPendingApproval {
		return c
	}
	step("leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID})
	if status == lianluo.StatusAssigned {
		return c
	}
	step("unita", "sign", lianluo.CaseAction{})
	if status == lianluo.StatusHandling {
		return c
	}
	step("unita", "reply", lianluo.CaseAction{Result: "A", Content: "已更换灯具。", MetDeputy: true})
	if status == lianluo.StatusReplied {
		return c
	}
	step("liaisona", "feedback", lianluo.CaseAction{Content: "已修好，请查看。"})
	if status == lianluo.StatusAwaitingEvaluation {
		return c
	}
	if status == lianluo.StatusSupervising {
		step("deputya", "evaluate", lianluo.CaseAction{By: "deputy", Rating: "unsatisfied", Comment: "只修了一盏。"})
		return c
	}
	step("deputya", "evaluate", lianluo.CaseAction{By: "deputy", Rating: "satisfied"})
	if status == lianluo.StatusClosed {
		return c
	}
	step("officea", "archive", lianluo.CaseAction{})
	return c
}

// Every (status, action) pair: allowed pairs succeed for the right role with
// valid input; every other pair is refused with invalid_state and changes nothing.
func TestCaseStatusActionTable(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		// One supervision round is enough to let the office close.
		pol := lianluo.DefaultPolicy
		pol.MaxRounds = 1
		if err := db.UpdatePolicy(w.As(t, "admin"), pol); err != nil {
			t.Fatal(err)
		}
		future := storetest.Now.In(lianluo.Beijing).AddDate(0, 0, 40).Format("2006-01-02")
		type try struct {
			user string
			in   lianluo.CaseAction
			prep func(c *lianluo.Case) *lianluo.Case
		}
		valid := map[lianluo.WorkflowAction]try{
			"triage":            {"officea", lianluo.CaseAction{Outcome: "forward"}, nil},
			"approve":           {"leadera", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID}, nil},
			"escalate":          {"leadera", lianluo.CaseAction{Comment: "涉及全区"}, nil},
			"send_back":         {"leadera", lianluo.CaseAction{Comment: "请补充位置"}, nil},
			"sign":              {"unita", lianluo.CaseAction{}, nil},
			"return":            {"unita", lianluo.CaseAction{Reason: "不属于本单位职责"}, nil},
			"request_extension": {"unita", lianluo.CaseAction{Until: future, Reason: "需招标采购"}, nil},
			"decide_extension": {"officea", lianluo.CaseAction{Approve: ptrBool(true)}, func(c *lianluo.Case) *lianluo.Case {
				if c.Status != lianluo.StatusHandling {
					return c
				}
				return w.act(t, "unita", c, "request_extension", lianluo.CaseAction{Until: future, Reason: "需招标采购"})
			}},
			"urge":      {"officea", lianluo.CaseAction{Comment: "请加快"}, nil},
			"reply":     {"unita", lianluo.CaseAction{Result: "B", Content: "已列入计划。"}, nil},
			"feedback":  {"liaisona", lianluo.CaseAction{Content: "已答复。"}, nil},
			"evaluate":  {"deputya", lianluo.CaseAction{By: "deputy", Rating: "basically_satisfied"}, nil},
			"supervise": {"officea", lianluo.CaseAction{Comment: "请重新办理"}, nil},
			"close":     {"officea", lianluo.CaseAction{Comment: "已尽力协调，作办结处理"}, nil},
			"archive":   {"officea", lianluo.CaseAction{}, nil},
			"link":      {"officea", lianluo.CaseAction{}, nil},
		}
		for _, status := range lianluo.Statuses {
			for _, action := range lianluo.Actions {
				t.Run(string(status)+"/"+string(action), func(t *testing.T) {
					c := w.path(t, status)
					tr := valid[action]
					if tr.prep != nil {
						c = tr.prep(c)
					}
					in := tr.in
					if action == "link" {
						m := w.register(t, "路灯不亮（主案件）")
						in.MasterID = &m.ID
					}
					in.Version = c.Version
					user := tr.user
					if !lianluo.ActionAllowedIn(action, status) {
						user = "admin" // sees everything: only the state can refuse
					}
					got, err := db.Act(w.As(t, user), c.ID, action, in)
					if lianluo.ActionAllowedIn(action, status) {
						if err != nil {
							t.Fatalf("%s %s in %s: %v", user, action, status, err)
						}
						if got.Version != c.Version+1 {
							t.Errorf("version = %d; want %d", got.Version, c.Version+1)
						}
						if last := got.Events[len(got.Events)-1]; last.Action != action || last.From != status {
							t.Errorf("last event = %+v; want %s from %s", last, action, status)
						}
						return
					}
					if lianluo.ErrorCode(err) != lianluo.ESTATE {
						t.Fatalf("%s in %s = %v; want invalid_state", action, status, err)
					}
					after, _ := db.FindCaseByID(w.As(t, "admin"), c.ID)
					if after.Version != c.Version || after.Status != status {
						t.Errorf("refused action changed the case: %s v%d", after.Status, after.Version)
					}
				})
			}
		}
	})
}

func ptrBool(b bool) *bool { return &b }

// The whole loop with an unsatisfied round: the deputy is asked again until
// basically satisfied (000 七), and every step is in the history.
func TestCaseFullLoop(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusSupervising)
		if c.Round != 1 || c.Status != lianluo.StatusSupervising {
			t.Fatalf("after unsatisfied: %s round %d", c.Status, c.Round)
		}
		c = w.act(t, "officea", c, "supervise", lianluo.CaseAction{Comment: "代表不满意，请全部修复"})
		if c.Round != 2 || c.Status != lianluo.StatusHandling || c.DueDate == nil {
			t.Fatalf("after supervise: %s round %d due %v", c.Status, c.Round, c.DueDate)
		}
		// The office may not close before the rounds are used up.
		if _, err := db.Act(w.As(t, "officea"), c.ID, "close", lianluo.CaseAction{Version: c.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("close while handling: %v", err)
		}
		c = w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "A", Content: "全部修复。", MetDeputy: true})
		c = w.act(t, "officea", c, "feedback", lianluo.CaseAction{Content: "已全部修复。"})
		// The voter's rating is kept but the deputy's drives the workflow.
		c = w.act(t, "liaisona", c, "evaluate", lianluo.CaseAction{By: "voter", Rating: "unsatisfied"})
		if c.Status != lianluo.StatusAwaitingEvaluation {
			t.Errorf("after the voter's rating: %s; want still awaiting the deputy", c.Status)
		}
		c = w.act(t, "deputya", c, "evaluate", lianluo.CaseAction{By: "deputy", Rating: "basically_satisfied"})
		if c.Status != lianluo.StatusClosed || c.ClosedAt == nil || len(c.Ratings) != 3 {
			t.Fatalf("after basically satisfied: %s ratings %d", c.Status, len(c.Ratings))
		}
		c = w.act(t, "officea", c, "archive", lianluo.CaseAction{})
		if c.Status != lianluo.StatusArchived || c.ArchivedYear != 2026 {
			t.Errorf("archived: %s year %d", c.Status, c.ArchivedYear)
		}
		var actions []lianluo.WorkflowAction
		for _, e := range c.Events {
			actions = append(actions, e.Action)
		}
		want := "[register triage approve sign reply feedback evaluate supervise reply feedback evaluate evaluate archive]"
		if got := fmt.Sprint(actions); got != want {
			t.Errorf("history = %s; want %s", got, want)
		}
		// Archived cases are read-only.
		if _, err := db.Act(w.As(t, "admin"), c.ID, "urge", lianluo.CaseAction{Version: c.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("urge on an archived case: %v", err)
		}
		// The voter got SMS feedback twice (once per round) through the outbox.
		var n int
		if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM notifications WHERE channel = 'sms' AND template = 'case_feedback'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("feedback SMS = %d, %v; want 2", n, err)
		}
	})
}

// Two users act on the same version: one wins, the other gets 409.
func TestCaseConcurrentEdit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusPendingApproval)
		leader, office := w.As(t, "leadera"), w.As(t, "officea")
		errs := make(chan error, 2)
		go func() {
			_, err := db.Act(leader, c.ID, "approve", lianluo.CaseAction{Version: c.Version, LeadUnitID: &w.UnitA.ID})
			errs <- err
		}()
		go func() {
			_, err := db.Act(office, c.ID, "send_back", lianluo.CaseAction{Version: c.Version, Comment: "请补充"})
			errs <- err
		}()
		e1, e2 := <-errs, <-errs
		ok, stale := 0, 0
		for _, e := range []error{e1, e2} {
			switch lianluo.ErrorCode(e) {
			case "":
				ok++
			case lianluo.ESTALE:
				stale++
			default:
				t.Errorf("unexpected error: %v", e)
			}
		}
		if ok != 1 || stale != 1 {
			t.Errorf("ok=%d stale=%d; want one of each (%v, %v)", ok, stale, e1, e2)
		}
	})
}

// Bad input is refused with a Chinese message naming the field; nothing changes.
func TestCaseBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := w.As(t, "liaisona")
		for _, tc := range []struct {
			name  string
			in    lianluo.CaseInput
			field string
		}{
			{"no title", lianluo.CaseInput{Channel: "visit", Content: "x", RegionCode: "330206004", StationID: &w.StationA.ID}, "title"},
			{"bad channel", lianluo.CaseInput{Channel: "pigeon", Title: "t", Content: "x", RegionCode: "330206004", StationID: &w.StationA.ID}, "channel"},
			{"bad phone", lianluo.CaseInput{Channel: "visit", Title: "t", Content: "x", RegionCode: "330206004", StationID: &w.StationA.ID, Submitter: lianluo.Submitter{Phone: "123"}}, "submitter.phone"},
			{"bad id number", lianluo.CaseInput{Channel: "visit", Title: "t", Content: "x", RegionCode: "330206004", StationID: &w.StationA.ID, Submitter: lianluo.Submitter{IDNumber: "110105194912310021"}}, "submitter.id_number"},
			{"unknown region", lianluo.CaseInput{Channel: "visit", Title: "t", Content: "x", RegionCode: "110101", StationID: &w.StationA.ID}, "region_code"},
			{"other station", lianluo.CaseInput{Channel: "visit", Title: "t", Content: "x", RegionCode: "330206003", StationID: &w.StationB.ID}, "station_id"},
		} {
			if _, err := db.CreateCase(ctx, tc.in); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: %v; want invalid %s", tc.name, err, tc.field)
			}
		}
		c := w.path(t, lianluo.StatusPendingApproval)
		past := storetest.Now.In(lianluo.Beijing).AddDate(0, 0, -1).Format("2006-01-02")
		for _, tc := range []struct {
			name, user  string
			action      lianluo.WorkflowAction
			in          lianluo.CaseAction
			code, field string
		}{
			{"unknown action", "officea", "explode", lianluo.CaseAction{}, lianluo.EINVALID, "action"},
			{"no version", "leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID}, lianluo.EINVALID, "version"},
			{"stale version", "leadera", "approve", lianluo.CaseAction{Version: 1, LeadUnitID: &w.UnitA.ID}, lianluo.ESTALE, ""},
			{"due date in the past", "leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID, DueDate: past}, lianluo.EINVALID, "due_date"},
			{"no lead unit", "leadera", "approve", lianluo.CaseAction{}, lianluo.EINVALID, "lead_unit_id"},
			{"npc body as unit", "leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.TownA.ID}, lianluo.EINVALID, "lead_unit_id"},
			{"co-unit repeats lead", "leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID, CoUnitIDs: []int64{w.UnitA.ID}}, lianluo.EINVALID, "co_unit_ids"},
			{"liaison approves", "liaisona", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID}, lianluo.EFORBIDDEN, ""},
			{"unit not assigned", "unit", "sign", lianluo.CaseAction{}, lianluo.ENOTFOUND, ""},
			{"other town", "officea", "urge", lianluo.CaseAction{}, lianluo.ESTATE, ""},
			{"evaluation before reply", "deputya", "evaluate", lianluo.CaseAction{By: "deputy", Rating: "satisfied"}, lianluo.ESTATE, ""},
			{"link to itself", "officea", "link", lianluo.CaseAction{MasterID: &c.ID}, lianluo.EINVALID, "master_id"},
		} {
			in := tc.in
			if in.Version == 0 && tc.name != "no version" {
				in.Version = c.Version
			}
			_, err := db.Act(w.As(t, tc.user), c.ID, tc.action, in)
			if lianluo.ErrorCode(err) != tc.code || (tc.field != "" && lianluo.ErrorField(err) != tc.field) {
				t.Errorf("%s: %v; want %s %s", tc.name, err, tc.code, tc.field)
			}
		}
		after, _ := db.FindCaseByID(w.As(t, "admin"), c.ID)
		if after.Version != c.Version || after.Status != lianluo.StatusPendingApproval {
			t.Errorf("bad actions changed the case: %s v%d", after.Status, after.Version)
		}
		// Extension: at most one month beyond the original deadline, once.
		h := w.path(t, lianluo.StatusHandling)
		tooLate := h.OriginalDue.In(lianluo.Beijing).AddDate(0, 1, 2).Format("2006-01-02")
		if _, err := db.Act(w.As(t, "unita"), h.ID, "request_extension", lianluo.CaseAction{Version: h.Version, Until: tooLate, Reason: "x"}); lianluo.ErrorField(err) != "until" {
			t.Errorf("extension beyond a month: %v", err)
		}
		// A link that would make a chain (and so could make a cycle) is refused.
		m := w.register(t, "主案件")
		f := w.register(t, "跟随案件")
		f = w.act(t, "officea", f, "link", lianluo.CaseAction{MasterID: &m.ID})
		if _, err := db.Act(w.As(t, "officea"), m.ID, "link", lianluo.CaseAction{Version: mustGet(t, db, w, m.ID).Version, MasterID: &f.ID}); lianluo.ErrorField(err) != "master_id" {
			t.Errorf("cycle link: %v; want master_id error", err)
		}
	})
}

func mustGet(t *testing.T, db *sqlstore.DB, w *caseWorld, id int64) *lianluo.Case {
	t.Helper()
	c, err := db.FindCaseByID(w.As(t, "admin"), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Deadlines follow the working-day calendar: 15 working days to reply.
func TestCaseDeadlines(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := mustCaseWorld(t, db)
	// Approve on 2025-09-30 (Tue): 15 working days skip 国庆 (10/1–10/8)
	// and count 10/11 (Sat, 调休) → 2025-10-28.
	storetest.ClockOf(db).Set(func() time.Time { return time.Date(2025, 9, 30, 2, 0, 0, 0, time.UTC) })
	c := w.path(t, lianluo.StatusAssigned)
	if got := c.DueDate.In(lianluo.Beijing).Format("2006-01-02"); got != "2025-10-28" {
		t.Errorf("due date = %s; want 2025-10-28", got)
	}
	_ = context.Background()
}

// Personal data is masked by default; a reveal needs a reason and is logged.
func TestCasePrivacy(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusAssigned)
		if c.Submitter.Phone != "139****0000" || c.Submitter.Name != "张三" {
			t.Errorf("liaison sees %+v", c.Submitter)
		}
		u, err := db.FindCaseByID(w.As(t, "unita"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Submitter.Name != "张*" || u.Submitter.Phone != "139****0000" {
			t.Errorf("unit sees %+v", u.Submitter)
		}
		if _, err := db.RevealSubmitter(w.As(t, "unita"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "与反映人电话回访"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("unit reveal: %v", err)
		}
		if _, err := db.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: ""}); lianluo.ErrorField(err) != "reason" {
			t.Errorf("reveal without reason: %v", err)
		}
		s, err := db.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"})
		if err != nil || s.Phone != "13912340000" {
			t.Errorf("office reveal = %+v, %v", s, err)
		}
		evs, _, _ := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Entity: "case", EntityID: c.ID, Action: "reveal"})
		if len(evs) != 1 {
			t.Errorf("reveal events = %d; want 1", len(evs))
		}
		// Confidential: only the office sees who it was.
		conf, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "phone", StationID: &w.StationA.ID, Title: "举报", Content: "内容",
			RegionCode: "330206004", Confidential: true, Submitter: lianluo.Submitter{Name: "李四", Phone: "13800000000"}})
		if err != nil {
			t.Fatal(err)
		}
		if conf.Submitter.Name == "李四" || conf.Submitter.Phone != "" {
			t.Errorf("liaison sees a confidential submitter: %+v", conf.Submitter)
		}
		if o, _ := db.FindCaseByID(w.As(t, "officea"), conf.ID); o.Submitter.Name != "李四" {
			t.Errorf("office sees %+v", o.Submitter)
		}
	})
}
