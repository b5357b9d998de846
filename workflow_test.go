package lianluo_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"lianluo"
)

// The workflow decision without a database: every action in every status,
// its input, its deadlines and whom it tells.

// wfNow is a Monday; 2027-01-01 (Friday) is a public holiday, so fifteen
// working days run to 2027-01-05, not 2027-01-04.
var wfNow = time.Date(2026, 12, 14, 10, 0, 0, 0, lianluo.Beijing)

func wfCalendar(tb testing.TB) *lianluo.Calendar {
	tb.Helper()
	cal, err := lianluo.NewCalendar([]lianluo.CalendarDay{{Date: "2027-01-01", Kind: lianluo.DayHoliday, Name: "元旦"}})
	if err != nil {
		tb.Fatalf("NewCalendar = %v", err)
	}
	return cal
}

// wfEnd is the end of a Beijing date, as deadlines are stored.
func wfEnd(date string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", date, lianluo.Beijing)
	return d.Add(24*time.Hour - time.Second).UTC()
}

// wfCase is a case of town body 20, received by deputy 7, handled by unit
// 30 with co-unit 31, submitted by a voter with a phone.
func wfCase(status lianluo.CaseStatus) *lianluo.Case {
	due := wfEnd("2026-12-20")
	return &lianluo.Case{ID: 1, Title: "小区路灯不亮", OrgID: 20, OrgName: "大碶街道人大工委", Status: status, Round: 1, Version: 3,
		ReceivedBy: []int64{7}, Submitter: lianluo.Submitter{Phone: "13800000000"}, DueDate: &due, OriginalDue: &due,
		Units: []lianluo.CaseUnit{{OrgID: 30, Lead: true}, {OrgID: 31}}, Ratings: []lianluo.Rating{}}
}

var everyRole = lianluo.CaseRoles{Office: true, Queue: true, Leader: true, Station: true, Deputy: true, Handler: true}

func boolp(b bool) *bool { return &b }

// validInput is a correct input for each action.
var validInput = map[lianluo.WorkflowAction]lianluo.CaseAction{
	lianluo.ActTriage:           {Outcome: "forward"},
	lianluo.ActApprove:          {LeadUnitID: rulesID(30), CoUnitIDs: []int64{31}},
	lianluo.ActEscalate:         {},
	lianluo.ActSendBack:         {Comment: "请补充位置"},
	lianluo.ActSign:             {},
	lianluo.ActReturn:           {Reason: "不属于本单位职责"},
	lianluo.ActRequestExtension: {Until: "2026-12-31", Reason: "需要采购"},
	lianluo.ActDecideExtension:  {Approve: boolp(true)},
	lianluo.ActUrge:             {},
	lianluo.ActReply:            {Result: "A", Content: "已修复路灯。"},
	lianluo.ActFeedback:         {Content: "路灯已修好。"},
	lianluo.ActEvaluate:         {By: lianluo.ByDeputy, Rating: "satisfied"},
	lianluo.ActSupervise:        {Comment: "请重新办理"},
	lianluo.ActClose:            {Comment: "多次督办，予以办结"},
	lianluo.ActArchive:          {},
	lianluo.ActLink:             {MasterID: rulesID(2)},
}

// stepContext is a context in which the action, with its valid input, can
// be taken on a case in the status (when the workflow allows it there).
func stepContext(t *testing.T, action lianluo.WorkflowAction, status lianluo.CaseStatus) lianluo.StepContext {
	c := wfCase(status)
	switch action {
	case lianluo.ActDecideExtension:
		c.Extension = &lianluo.Extension{Until: wfEnd("2026-12-31"), Reason: "需要采购"}
	case lianluo.ActClose:
		c.Round = lianluo.DefaultPolicy.MaxRounds
	}
	in := validInput[action]
	in.Version = c.Version
	master := wfCase(lianluo.StatusPendingApproval)
	master.ID, master.Title = 2, "路灯坏了"
	return lianluo.StepContext{Case: c, Action: action, Input: in, Roles: everyRole, ActorUserID: 99,
		Policy: lianluo.DefaultPolicy, Calendar: wfCalendar(t), Now: wfNow,
		Units: map[int64]*lianluo.Org{
			30: {ID: 30, Kind: lianluo.OrgUnit, Name: "住建局", Active: true},
			31: {ID: 31, Kind: lianluo.OrgUnit, Name: "城管局", Active: true},
			32: {ID: 32, Kind: lianluo.OrgUnit, Name: "旧单位", Active: false},
			40: {ID: 40, Kind: lianluo.OrgNPC, Name: "区人大常委会", Active: true},
		},
		ParentOrgID: rulesID(10), Master: master}
}

func errCode(err error) string {
	var e *lianluo.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "other"
	}
	return ""
}

func errField(err error) string {
	var e *lianluo.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestDecideStepEveryActionInEveryStatus(t *testing.T) {
	for _, action := range lianluo.Actions {
		for _, status := range lianluo.Statuses {
			t.Run(fmt.Sprintf("%s/%s", action, status), func(t *testing.T) {
				_, err := lianluo.DecideStep(stepContext(t, action, status))
				want := ""
				if !lianluo.ActionAllowedIn(action, status) {
					want = lianluo.ESTATE
				}
				if got := errCode(err); got != want {
					t.Errorf("DecideStep(%s in %s) = %v; want code %q", action, status, err, want)
				}
			})
		}
	}
}

// allowedStatus is the first status the action may be taken in.
func allowedStatus(action lianluo.WorkflowAction) lianluo.CaseStatus {
	for _, s := range lianluo.Statuses {
		if lianluo.ActionAllowedIn(action, s) {
			return s
		}
	}
	return ""
}

func TestDecideStepRefusesWhoHasNoPart(t *testing.T) {
	// Each action with the one part in the case that does not allow it.
	tests := []struct {
		action lianluo.WorkflowAction
		roles  lianluo.CaseRoles
	}{
		{lianluo.ActTriage, lianluo.CaseRoles{Deputy: true, Handler: true}},
		{lianluo.ActApprove, lianluo.CaseRoles{Office: true, Queue: true}}, // the office does not assign; its leader does
		{lianluo.ActEscalate, lianluo.CaseRoles{Office: true}},             // a body above sees the queue but is not it
		{lianluo.ActSendBack, lianluo.CaseRoles{Station: true}},
		{lianluo.ActSign, lianluo.CaseRoles{Office: true, Queue: true, Leader: true}},
		{lianluo.ActReturn, lianluo.CaseRoles{Office: true}},
		{lianluo.ActRequestExtension, lianluo.CaseRoles{Station: true}},
		{lianluo.ActDecideExtension, lianluo.CaseRoles{Handler: true}},
		{lianluo.ActUrge, lianluo.CaseRoles{Deputy: true}},
		{lianluo.ActReply, lianluo.CaseRoles{Deputy: true, Station: true}},
		{lianluo.ActFeedback, lianluo.CaseRoles{Handler: true}},
		{lianluo.ActEvaluate, lianluo.CaseRoles{Station: true, Handler: true}}, // the deputy's rating
		{lianluo.ActSupervise, lianluo.CaseRoles{Station: true}},
		{lianluo.ActClose, lianluo.CaseRoles{Station: true, Deputy: true}},
		{lianluo.ActArchive, lianluo.CaseRoles{Handler: true}},
		{lianluo.ActLink, lianluo.CaseRoles{Station: true}},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			sc := stepContext(t, tt.action, allowedStatus(tt.action))
			sc.Roles = tt.roles
			if _, err := lianluo.DecideStep(sc); errCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("DecideStep(%s, %+v) = %v; want forbidden", tt.action, tt.roles, err)
			}
		})
	}
}

func TestDecideStepStaleAndLinked(t *testing.T) {
	sc := stepContext(t, lianluo.ActSign, lianluo.StatusAssigned)
	sc.Input.Version = 2
	if _, err := lianluo.DecideStep(sc); errCode(err) != lianluo.ESTALE {
		t.Errorf("DecideStep(old version) = %v; want stale", err)
	}
	sc = stepContext(t, lianluo.ActSign, lianluo.StatusAssigned)
	sc.Case.MasterID = rulesID(2)
	if _, err := lianluo.DecideStep(sc); errCode(err) != lianluo.ESTATE || !strings.Contains(err.(*lianluo.Error).Message, "#2") {
		t.Errorf("DecideStep(linked case) = %v; want invalid_state naming #2", err)
	}
	if err := lianluo.CheckActionRequest("fly", lianluo.CaseAction{Version: 1}); errField(err) != "action" {
		t.Errorf("CheckActionRequest(fly) = %v; want field action", err)
	}
	if err := lianluo.CheckActionRequest(lianluo.ActSign, lianluo.CaseAction{}); errField(err) != "version" {
		t.Errorf("CheckActionRequest(no version) = %v; want field version", err)
	}
}

func TestDecideStepBadInput(t *testing.T) {
	long := strings.Repeat("长", 2001)
	tests := []struct {
		name   string
		action lianluo.WorkflowAction
		edit   func(sc *lianluo.StepContext)
		code   string
		field  string
	}{
		{"comment too long", lianluo.ActUrge, func(sc *lianluo.StepContext) { sc.Input.Comment = long }, lianluo.EINVALID, "comment"},
		{"no triage outcome", lianluo.ActTriage, func(sc *lianluo.StepContext) { sc.Input.Outcome = "" }, lianluo.EINVALID, "outcome"},
		{"answered without answer", lianluo.ActTriage, func(sc *lianluo.StepContext) { sc.Input.Outcome = "answered" }, lianluo.EINVALID, "answer"},
		{"not accepted without reason", lianluo.ActTriage, func(sc *lianluo.StepContext) { sc.Input.Outcome = "not_accepted" }, lianluo.EINVALID, "reason_code"},
		{"other reason unexplained", lianluo.ActTriage, func(sc *lianluo.StepContext) {
			sc.Input.Outcome, sc.Input.ReasonCode = "not_accepted", "other"
		}, lianluo.EINVALID, "comment"},
		{"explained without explanation", lianluo.ActTriage, func(sc *lianluo.StepContext) { sc.Input.Outcome = "explained" }, lianluo.EINVALID, "explanation"},
		{"no lead unit", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.LeadUnitID = nil }, lianluo.EINVALID, "lead_unit_id"},
		{"lead unit twice", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.CoUnitIDs = []int64{30} }, lianluo.EINVALID, "co_unit_ids"},
		{"unknown unit", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.LeadUnitID = rulesID(99) }, lianluo.EINVALID, "lead_unit_id"},
		{"inactive unit", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.CoUnitIDs = []int64{32} }, lianluo.EINVALID, "co_unit_ids"},
		{"an NPC body as unit", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.LeadUnitID = rulesID(40) }, lianluo.EINVALID, "lead_unit_id"},
		{"bad due date", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.DueDate = "31/12/2026" }, lianluo.EINVALID, "due_date"},
		{"due date in the past", lianluo.ActApprove, func(sc *lianluo.StepContext) { sc.Input.DueDate = "2026-12-13" }, lianluo.EINVALID, "due_date"},
		{"no body above", lianluo.ActEscalate, func(sc *lianluo.StepContext) { sc.ParentOrgID = nil }, lianluo.ESTATE, ""},
		{"send back without comment", lianluo.ActSendBack, func(sc *lianluo.StepContext) { sc.Input.Comment = "" }, lianluo.EINVALID, "comment"},
		{"return without reason", lianluo.ActReturn, func(sc *lianluo.StepContext) { sc.Input.Reason = " " }, lianluo.EINVALID, "reason"},
		{"second extension", lianluo.ActRequestExtension, func(sc *lianluo.StepContext) {
			sc.Case.Extension = &lianluo.Extension{Until: wfEnd("2026-12-25"), Decided: true}
		}, lianluo.ESTATE, ""},
		{"extension without reason", lianluo.ActRequestExtension, func(sc *lianluo.StepContext) { sc.Input.Reason = "" }, lianluo.EINVALID, "reason"},
		{"extension not later", lianluo.ActRequestExtension, func(sc *lianluo.StepContext) { sc.Input.Until = "2026-12-20" }, lianluo.EINVALID, "until"},
		{"extension beyond a month", lianluo.ActRequestExtension, func(sc *lianluo.StepContext) { sc.Input.Until = "2027-01-21" }, lianluo.EINVALID, "until"},
		{"nothing to decide", lianluo.ActDecideExtension, func(sc *lianluo.StepContext) { sc.Case.Extension.Decided = true }, lianluo.ESTATE, ""},
		{"no verdict", lianluo.ActDecideExtension, func(sc *lianluo.StepContext) { sc.Input.Approve = nil }, lianluo.EINVALID, "approve"},
		{"no result", lianluo.ActReply, func(sc *lianluo.StepContext) { sc.Input.Result = "D" }, lianluo.EINVALID, "result"},
		{"empty reply", lianluo.ActReply, func(sc *lianluo.StepContext) { sc.Input.Content = "" }, lianluo.EINVALID, "content"},
		{"empty feedback", lianluo.ActFeedback, func(sc *lianluo.StepContext) { sc.Input.Content = "" }, lianluo.EINVALID, "content"},
		{"no rating", lianluo.ActEvaluate, func(sc *lianluo.StepContext) { sc.Input.Rating = "ok" }, lianluo.EINVALID, "rating"},
		{"no evaluator", lianluo.ActEvaluate, func(sc *lianluo.StepContext) { sc.Input.By = "" }, lianluo.EINVALID, "by"},
		{"rated this round", lianluo.ActEvaluate, func(sc *lianluo.StepContext) {
			sc.Case.Ratings = []lianluo.Rating{{By: lianluo.ByDeputy, Round: 1}}
		}, lianluo.ESTATE, ""},
		{"supervise without comment", lianluo.ActSupervise, func(sc *lianluo.StepContext) { sc.Input.Comment = "" }, lianluo.EINVALID, "comment"},
		{"close before the last round", lianluo.ActClose, func(sc *lianluo.StepContext) { sc.Case.Round = 2 }, lianluo.ESTATE, ""},
		{"close after the last round unexplained", lianluo.ActClose, func(sc *lianluo.StepContext) { sc.Input.Comment = "" }, lianluo.EINVALID, "comment"},
		{"link without master", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Input.MasterID = nil }, lianluo.EINVALID, "master_id"},
		{"link to itself", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Input.MasterID = rulesID(1) }, lianluo.EINVALID, "master_id"},
		{"master not found", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Master = nil }, lianluo.EINVALID, "master_id"},
		{"master linked itself", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Master.MasterID = rulesID(5) }, lianluo.EINVALID, "master_id"},
		{"master closed", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Master.Status = lianluo.StatusClosed }, lianluo.EINVALID, "master_id"},
		{"has followers", lianluo.ActLink, func(sc *lianluo.StepContext) { sc.Linked = []lianluo.LinkedCase{{ID: 3}} }, lianluo.ESTATE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := stepContext(t, tt.action, allowedStatus(tt.action))
			if tt.action == lianluo.ActClose {
				sc.Case.Status = lianluo.StatusSupervising
			}
			tt.edit(&sc)
			_, err := lianluo.DecideStep(sc)
			if errCode(err) != tt.code || errField(err) != tt.field {
				t.Errorf("DecideStep(%s) = %v; want code %q field %q", tt.action, err, tt.code, tt.field)
			}
		})
	}
}

func TestDecideStepDeadlines(t *testing.T) {
	day := func(p *time.Time) string { return lianluo.DueText(p) }
	t.Run("approve: fifteen working days over the New Year holiday", func(t *testing.T) {
		d, err := lianluo.DecideStep(stepContext(t, lianluo.ActApprove, lianluo.StatusPendingApproval))
		if err != nil {
			t.Fatal(err)
		}
		if got := day(d.Case.DueDate); got != "2027-01-05" || day(d.Case.OriginalDue) != got {
			t.Errorf("due = %s, original %s; want 2027-01-05 both", got, day(d.Case.OriginalDue))
		}
		if d.Case.Status != lianluo.StatusAssigned || d.Units != lianluo.UnitsAssign || len(d.AssignUnits) != 2 || !d.AssignUnits[0].Lead {
			t.Errorf("approve = status %s units %s %+v", d.Case.Status, d.Units, d.AssignUnits)
		}
		if want := "交办：主办 住建局，协办 城管局，期限 2027-01-05"; d.Steps[0].Note != want {
			t.Errorf("note = %q; want %q", d.Steps[0].Note, want)
		}
	})
	t.Run("approve with a date", func(t *testing.T) {
		sc := stepContext(t, lianluo.ActApprove, lianluo.StatusPendingApproval)
		sc.Input.DueDate = "2026-12-14" // today is allowed
		d, err := lianluo.DecideStep(sc)
		if err != nil || !d.Case.DueDate.Equal(wfEnd("2026-12-14")) {
			t.Errorf("DecideStep = %v, %v; want the end of 2026-12-14", d, err)
		}
	})
	t.Run("forward: ten calendar days to assign", func(t *testing.T) {
		d, err := lianluo.DecideStep(stepContext(t, lianluo.ActTriage, lianluo.StatusRegistered))
		if err != nil || day(d.Case.DueDate) != "2026-12-24" || !d.Submitted || d.Case.Status != lianluo.StatusPendingApproval {
			t.Errorf("forward = %+v, %v; want pending approval due 2026-12-24, submitted", d, err)
		}
	})
	t.Run("return: a new approval deadline, the units dropped", func(t *testing.T) {
		d, err := lianluo.DecideStep(stepContext(t, lianluo.ActReturn, lianluo.StatusHandling))
		if err != nil || day(d.Case.DueDate) != "2026-12-24" || d.Units != lianluo.UnitsDrop || !d.Submitted {
			t.Errorf("return = %+v, %v", d, err)
		}
	})
	t.Run("extension counted from the original deadline", func(t *testing.T) {
		sc := stepContext(t, lianluo.ActRequestExtension, lianluo.StatusHandling)
		orig, later := wfEnd("2026-12-10"), wfEnd("2026-12-20")
		sc.Case.OriginalDue, sc.Case.DueDate = &orig, &later
		sc.Input.Until = "2027-01-11" // a month after 2026-12-10 is 2027-01-10
		if _, err := lianluo.DecideStep(sc); errField(err) != "until" {
			t.Errorf("DecideStep(until 2027-01-11) = %v; want field until", err)
		}
		sc.Input.Until = "2027-01-10"
		d, err := lianluo.DecideStep(sc)
		if err != nil || d.Case.Extension == nil || day(&d.Case.Extension.Until) != "2027-01-10" || day(d.Case.DueDate) != "2026-12-20" {
			t.Errorf("DecideStep(until 2027-01-10) = %+v, %v; want a request, the deadline unchanged", d, err)
		}
	})
	t.Run("extension approved and refused", func(t *testing.T) {
		d, err := lianluo.DecideStep(stepContext(t, lianluo.ActDecideExtension, lianluo.StatusHandling))
		if err != nil || day(d.Case.DueDate) != "2026-12-31" || day(d.Case.OriginalDue) != "2026-12-20" || !d.Case.Extension.Approved {
			t.Errorf("approved = %+v, %v; want due 2026-12-31, original kept", d, err)
		}
		sc := stepContext(t, lianluo.ActDecideExtension, lianluo.StatusHandling)
		sc.Input.Approve = boolp(false)
		d, err = lianluo.DecideStep(sc)
		if err != nil || day(d.Case.DueDate) != "2026-12-20" || !d.Case.Extension.Decided || d.Case.Extension.Approved {
			t.Errorf("refused = %+v, %v; want due unchanged, decided", d, err)
		}
	})
	t.Run("supervise: a new round, a new deadline", func(t *testing.T) {
		d, err := lianluo.DecideStep(stepContext(t, lianluo.ActSupervise, lianluo.StatusSupervising))
		if err != nil || d.Case.Round != 2 || day(d.Case.DueDate) != "2027-01-05" || d.Units != lianluo.UnitsNewRound ||
			d.Case.Status != lianluo.StatusHandling || d.Steps[0].Note != "督办，第2轮办理。请重新办理" {
			t.Errorf("supervise = %+v, %v", d, err)
		}
	})
	t.Run("archive under the year it closed", func(t *testing.T) {
		sc := stepContext(t, lianluo.ActArchive, lianluo.StatusClosed)
		closed := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC) // 2026-01-01 in Beijing
		sc.Case.ClosedAt = &closed
		d, err := lianluo.DecideStep(sc)
		if err != nil || d.Case.ArchivedYear != 2026 || d.Case.Status != lianluo.StatusArchived {
			t.Errorf("archive = %+v, %v; want 2026", d, err)
		}
	})
}

// noticeText lists a decision's notices as "template→kind[orgs or phone]".
func noticeText(d *lianluo.StepDecision) string {
	var out []string
	for _, n := range d.Notices {
		to := n.To.Phone
		if len(n.To.Orgs) > 0 {
			to = fmt.Sprint(n.To.Orgs)
		}
		if len(n.To.Deputies) > 0 {
			to = fmt.Sprint(n.To.Deputies)
		}
		out = append(out, fmt.Sprintf("%s→%s%s", n.Template, n.To.Kind, to))
	}
	return strings.Join(out, " ")
}

func TestDecideStepNotices(t *testing.T) {
	phone := "13800000000"
	tests := []struct {
		name   string
		action lianluo.WorkflowAction
		edit   func(sc *lianluo.StepContext)
		want   string
	}{
		{"forward to the leaders", lianluo.ActTriage, nil, "case_pending_approval→leaders[20]"},
		{"answered tells nobody", lianluo.ActTriage, func(sc *lianluo.StepContext) {
			sc.Input.Outcome, sc.Input.Answer = "answered", "已答复"
		}, ""},
		{"not accepted to the voter", lianluo.ActTriage, func(sc *lianluo.StepContext) {
			sc.Input.Outcome, sc.Input.ReasonCode = "not_accepted", "litigation"
		}, "case_not_accepted→phone" + phone},
		{"no phone, no text", lianluo.ActTriage, func(sc *lianluo.StepContext) {
			sc.Input.Outcome, sc.Input.Explanation, sc.Case.Submitter.Phone = "explained", "暂时办不到", ""
		}, ""},
		{"explained to the voter", lianluo.ActTriage, func(sc *lianluo.StepContext) {
			sc.Input.Outcome, sc.Input.Explanation = "explained", "暂时办不到"
		}, "case_explained→phone" + phone},
		{"approve to every unit", lianluo.ActApprove, nil, "case_assigned→unit_handlers[30 31]"},
		{"escalate to the leaders above", lianluo.ActEscalate, nil, "case_pending_approval→leaders[10]"},
		{"send back", lianluo.ActSendBack, nil, ""},
		{"sign", lianluo.ActSign, nil, ""},
		{"return to the leaders", lianluo.ActReturn, nil, "case_returned→leaders[20]"},
		{"extension to the office", lianluo.ActRequestExtension, nil, "case_extension→office[20]"},
		{"extension decided to the lead unit", lianluo.ActDecideExtension, nil, "case_extension_decided→unit_handlers[30]"},
		{"urge the lead unit", lianluo.ActUrge, nil, "case_urged→unit_handlers[30]"},
		{"reply to the office", lianluo.ActReply, nil, "case_replied→office[20]"},
		{"feedback to the voter and the deputies", lianluo.ActFeedback, nil, "case_feedback→phone" + phone + " case_fed_back→receiving_deputies[7]"},
		{"satisfied", lianluo.ActEvaluate, nil, ""},
		{"unsatisfied to the office", lianluo.ActEvaluate, func(sc *lianluo.StepContext) { sc.Input.Rating = "unsatisfied" }, "case_unsatisfied→office[20]"},
		{"the voter's unsatisfied rating beside a deputy's", lianluo.ActEvaluate, func(sc *lianluo.StepContext) {
			sc.Input.By, sc.Input.Rating = lianluo.ByVoter, "unsatisfied"
		}, ""},
		{"supervise every unit", lianluo.ActSupervise, nil, "case_supervised→unit_handlers[30 31]"},
		{"close", lianluo.ActClose, nil, ""},
		{"archive", lianluo.ActArchive, nil, ""},
		{"link", lianluo.ActLink, nil, ""},
		{"feedback reaches the linked voters", lianluo.ActFeedback, func(sc *lianluo.StepContext) {
			sc.Linked = []lianluo.LinkedCase{{ID: 3, Status: lianluo.StatusReplied, Title: "路灯", Phone: "13900000000"}, {ID: 4, Status: lianluo.StatusReplied}}
		}, "case_feedback→phone" + phone + " case_fed_back→receiving_deputies[7] case_feedback→phone13900000000"},
		{"feedback reaches the deputies of linked opinions", lianluo.ActFeedback, func(sc *lianluo.StepContext) {
			sc.Linked = []lianluo.LinkedCase{{ID: 3, Status: lianluo.StatusReplied, Title: "路灯", ReceivedBy: []int64{8, 9}}}
		}, "case_feedback→phone" + phone + " case_fed_back→receiving_deputies[7] case_fed_back→receiving_deputies[8 9]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := stepContext(t, tt.action, allowedStatus(tt.action))
			if tt.action == lianluo.ActClose {
				sc.Case.Status = lianluo.StatusSupervising
			}
			if tt.edit != nil {
				tt.edit(&sc)
			}
			d, err := lianluo.DecideStep(sc)
			if err != nil {
				t.Fatalf("DecideStep(%s) = %v", tt.action, err)
			}
			if got := noticeText(d); got != tt.want {
				t.Errorf("notices = %s; want %s", got, tt.want)
			}
		})
	}
}

func TestDecideStepNoticeWording(t *testing.T) {
	sc := stepContext(t, lianluo.ActFeedback, lianluo.StatusReplied)
	sc.Case.Title = "小区路灯一直不亮已经有三个月了请尽快修理好吗谢谢你们的工作"
	sc.Case.Urgent = true
	sc.Input.Content = "路灯已经修好。"
	d, err := lianluo.DecideStep(sc)
	if err != nil {
		t.Fatal(err)
	}
	_, sms := d.Notices[0].Text()
	if want := "您反映的“小区路灯一直不亮已经有三个月了请尽快修理…”已有答复：路灯已经修好。"; sms != want {
		t.Errorf("voter's text = %q; want %q", sms, want)
	}
	if d.Notices[0].DedupeKey != "case_feedback:1:1" || d.Notices[0].Urgent {
		t.Errorf("voter's notice = %+v; want key case_feedback:1:1, not urgent", d.Notices[0])
	}
	dep := d.Notices[1]
	_, body := dep.Text()
	if want := "您接待的群众意见“小区路灯一直不亮已经有三个月了请尽快修理好吗谢谢你们的工作”，办理结果已反馈给反映人：路灯已经修好。请对办理结果进行满意度测评。"; body != want {
		t.Errorf("deputies' notice = %q; want %q", body, want)
	}
	if dep.To.ExceptUser != 99 || !dep.Urgent || dep.DedupeKey != "case_fed_back:1:1" {
		t.Errorf("deputies' notice = %+v; want the actor 99 left out, urgent, key case_fed_back:1:1", dep)
	}
}

func TestDecideStepRatings(t *testing.T) {
	tests := []struct {
		name     string
		by       string
		rating   string
		received bool
		want     lianluo.CaseStatus
	}{
		{"deputy satisfied closes", lianluo.ByDeputy, "satisfied", true, lianluo.StatusClosed},
		{"deputy basically satisfied closes", lianluo.ByDeputy, "basically_satisfied", true, lianluo.StatusClosed},
		{"deputy unsatisfied supervises", lianluo.ByDeputy, "unsatisfied", true, lianluo.StatusSupervising},
		{"voter beside a deputy moves nothing", lianluo.ByVoter, "satisfied", true, lianluo.StatusAwaitingEvaluation},
		{"voter without a deputy closes", lianluo.ByVoter, "satisfied", false, lianluo.StatusClosed},
		{"voter without a deputy supervises", lianluo.ByVoter, "unsatisfied", false, lianluo.StatusSupervising},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := stepContext(t, lianluo.ActEvaluate, lianluo.StatusAwaitingEvaluation)
			sc.Input.By, sc.Input.Rating, sc.Input.Comment = tt.by, tt.rating, " 好 "
			if !tt.received {
				sc.Case.ReceivedBy = nil
			}
			d, err := lianluo.DecideStep(sc)
			if err != nil {
				t.Fatal(err)
			}
			if d.Case.Status != tt.want || (tt.want == lianluo.StatusClosed) != (d.Case.ClosedAt != nil) {
				t.Errorf("status = %s, closed %v; want %s", d.Case.Status, d.Case.ClosedAt, tt.want)
			}
			if r := d.Rating; r == nil || r.By != tt.by || r.Rating != tt.rating || r.Comment != "好" || r.Round != 1 {
				t.Errorf("rating = %+v", d.Rating)
			}
		})
	}
}

func TestDecideStepLinkedCasesFollow(t *testing.T) {
	sc := stepContext(t, lianluo.ActSign, lianluo.StatusAssigned)
	sc.Linked = []lianluo.LinkedCase{{ID: 3, Status: lianluo.StatusAssigned}}
	d, err := lianluo.DecideStep(sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Follow) != 1 || d.Follow[0].CaseID != 3 || d.Follow[0].To != lianluo.StatusHandling || d.Follow[0].Note != "随意见 #1 一并办理" {
		t.Errorf("follow = %+v", d.Follow)
	}
	// An urge changes no status: the linked cases stay.
	sc = stepContext(t, lianluo.ActUrge, lianluo.StatusHandling)
	sc.Linked = []lianluo.LinkedCase{{ID: 3, Status: lianluo.StatusHandling}}
	if d, err := lianluo.DecideStep(sc); err != nil || len(d.Follow) != 0 {
		t.Errorf("urge follow = %+v, %v; want none", d, err)
	}
	// Linking records a step on the master too.
	d, err = lianluo.DecideStep(stepContext(t, lianluo.ActLink, lianluo.StatusRegistered))
	if err != nil {
		t.Fatal(err)
	}
	if *d.Case.MasterID != 2 || d.Case.Status != lianluo.StatusPendingApproval || len(d.Steps) != 2 || d.Steps[1].CaseID != 2 ||
		d.Steps[1].Note != "意见 #1 并入本件" || d.Steps[0].Note != "并入意见 #2“路灯坏了”" {
		t.Errorf("link = %+v", d)
	}
}

func TestDecideOnlineRating(t *testing.T) {
	fed := func(status lianluo.CaseStatus, edit func(c *lianluo.Case)) lianluo.OnlineRatingContext {
		c := wfCase(status)
		c.ReceivedBy = nil
		if edit != nil {
			edit(c)
		}
		return lianluo.OnlineRatingContext{Case: c, FedBack: true, Rating: "unsatisfied", Policy: lianluo.DefaultPolicy, Now: wfNow}
	}
	tests := []struct {
		name    string
		rc      lianluo.OnlineRatingContext
		code    string
		status  lianluo.CaseStatus
		notices string
	}{
		{"drives the case without a deputy", fed(lianluo.StatusAwaitingEvaluation, nil), "", lianluo.StatusSupervising, "case_unsatisfied→office[20]"},
		{"kept beside the deputy's", fed(lianluo.StatusAwaitingEvaluation, func(c *lianluo.Case) { c.ReceivedBy = []int64{7} }),
			"", lianluo.StatusAwaitingEvaluation, ""},
		{"after closing, kept", fed(lianluo.StatusClosed, nil), "", lianluo.StatusClosed, ""},
		{"on a linked case, kept", fed(lianluo.StatusAwaitingEvaluation, func(c *lianluo.Case) { c.MasterID = rulesID(2) }),
			"", lianluo.StatusAwaitingEvaluation, ""},
		{"rated already", fed(lianluo.StatusAwaitingEvaluation, func(c *lianluo.Case) {
			c.Ratings = []lianluo.Rating{{By: lianluo.ByVoter, Round: 1}}
		}), lianluo.ESTATE, "", ""},
		{"not fed back yet", func() lianluo.OnlineRatingContext {
			rc := fed(lianluo.StatusHandling, nil)
			rc.FedBack = false
			return rc
		}(), lianluo.ESTATE, "", ""},
		{"bad rating", func() lianluo.OnlineRatingContext {
			rc := fed(lianluo.StatusAwaitingEvaluation, nil)
			rc.Rating = "great"
			return rc
		}(), lianluo.EINVALID, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := lianluo.DecideOnlineRating(tt.rc)
			if errCode(err) != tt.code {
				t.Fatalf("DecideOnlineRating = %v; want code %q", err, tt.code)
			}
			if err != nil {
				return
			}
			if d.Case.Status != tt.status || noticeText(d) != tt.notices || d.Rating == nil || d.Rating.By != lianluo.ByVoter {
				t.Errorf("DecideOnlineRating = status %s, notices %q, rating %+v; want %s, %q", d.Case.Status, noticeText(d), d.Rating, tt.status, tt.notices)
			}
		})
	}
}
