package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
)

// 003: 工作评议安排在每年的第四季度 — another month needs a reason.
func TestAppraisalInputFourthQuarter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		on, reason string
		field      string
		kept       string
	}{
		{"2026-11-20", "", "", ""},
		{"2026-10-01", "", "", ""},
		{"2026-12-31", "顺手写的", "", ""}, // inside the quarter a reason is not kept
		{"2026-06-15", "", "scheduled_on", ""},
		{"2026-09-30", "  ", "scheduled_on", ""},
		{"2026-06-15", "换届选举安排在第四季度", "", "换届选举安排在第四季度"},
		{"2027-11-20", "", "scheduled_on", ""},
		{"2026-11-31", "", "scheduled_on", ""},
		{"", "", "scheduled_on", ""},
	} {
		in := lianluo.AppraisalInput{OrgID: 1, Year: 2026, Title: "2026年度站所工作评议", UnitIDs: []int64{3}, ScheduledOn: tc.on, ScheduleReason: tc.reason}
		err := in.Validate()
		if got := lianluo.ErrorField(err); got != tc.field || (tc.field == "" && err != nil) {
			t.Errorf("Validate(%s, %q) = %v; want field %q", tc.on, tc.reason, err, tc.field)
		}
		if err == nil && in.ScheduleReason != tc.kept {
			t.Errorf("Validate(%s, %q): reason kept %q; want %q", tc.on, tc.reason, in.ScheduleReason, tc.kept)
		}
	}
	for _, in := range []lianluo.AppraisalInput{
		{Year: 2026, Title: "评议", UnitIDs: []int64{3}, ScheduledOn: "2026-11-20"},
		{OrgID: 1, Year: 2026, UnitIDs: []int64{3}, ScheduledOn: "2026-11-20"},
		{OrgID: 1, Year: 2026, Title: "评议", ScheduledOn: "2026-11-20"},
		{OrgID: 1, Year: 2026, Title: "评议", UnitIDs: []int64{3, 3}, ScheduledOn: "2026-11-20"},
	} {
		if err := in.Validate(); !lianluo.Is(err, lianluo.EINVALID) || lianluo.ErrorField(err) == "" {
			t.Errorf("Validate(%+v) = %v; want a field error", in, err)
		}
	}
}

func TestDecideAppraisalStep(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, lianluo.Beijing)
	a := &lianluo.Appraisal{Title: "评议", Units: []lianluo.AppraisalUnit{{UnitID: 7, Name: "农业综合服务站"}}}
	rec := func(steps ...lianluo.AppraisalStep) {
		a.Steps = nil
		for i, s := range steps {
			a.Steps = append(a.Steps, lianluo.AppraisalStepRecord{Step: s, On: "2026-11-0" + string(rune('1'+i))})
		}
	}
	act := int64(5)
	tally := &lianluo.AppraisalTally{Satisfied: 30, Basic: 10, Unsatisfied: 2}
	for _, tc := range []struct {
		name  string
		done  []lianluo.AppraisalStep
		in    lianluo.AppraisalStepInput
		facts lianluo.AppraisalStepFacts
		code  string
		field string
	}{
		{"first step", nil, lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-01"}, lianluo.AppraisalStepFacts{}, "", ""},
		{"meeting before collecting", nil, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-01"}, lianluo.AppraisalStepFacts{}, lianluo.ESTATE, ""},
		{"collect twice", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-02"}, lianluo.AppraisalStepFacts{}, lianluo.ESTATE, ""},
		{"unknown step", nil, lianluo.AppraisalStepInput{Step: "vote", On: "2026-11-01"}, lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "step"},
		{"tomorrow", nil, lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-12-08"}, lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "on"},
		{"before the last step", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-10-30", ActivityID: &act,
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Report: "汇报"}}}, lianluo.AppraisalStepFacts{ActivityKind: "appraisal"}, lianluo.EINVALID, "on"},
		{"meeting without activity", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-05",
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Report: "汇报"}}}, lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "activity_id"},
		{"meeting of a forum", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-05", ActivityID: &act,
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Report: "汇报"}}}, lianluo.AppraisalStepFacts{ActivityKind: "forum"}, lianluo.EINVALID, "activity_id"},
		{"meeting without report", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-05", ActivityID: &act},
			lianluo.AppraisalStepFacts{ActivityKind: "appraisal"}, lianluo.EINVALID, "units"},
		{"meeting", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-05", ActivityID: &act,
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Report: "汇报"}}}, lianluo.AppraisalStepFacts{ActivityKind: "appraisal"}, "", ""},
		{"another unit", []lianluo.AppraisalStep{lianluo.StepCollect}, lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-05", ActivityID: &act,
			Units: []lianluo.AppraisalStepUnit{{UnitID: 8, Report: "汇报"}}}, lianluo.AppraisalStepFacts{ActivityKind: "appraisal"}, lianluo.EINVALID, "units"},
		{"ballot", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting}, lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-05",
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Tally: tally}}}, lianluo.AppraisalStepFacts{}, "", ""},
		{"ballot on a ballot without paper counts", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting}, lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-05"},
			lianluo.AppraisalStepFacts{HasBallot: true}, "", ""},
		{"ballot without counts nor ballot", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting}, lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-05"},
			lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "units"},
		{"ballot negative", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting}, lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-05",
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Tally: &lianluo.AppraisalTally{Satisfied: -1}}}}, lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "units"},
		{"findings blank", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting, lianluo.StepBallot}, lianluo.AppraisalStepInput{Step: lianluo.StepFindings, On: "2026-11-05",
			Units: []lianluo.AppraisalStepUnit{{UnitID: 7, Findings: " "}}}, lianluo.AppraisalStepFacts{}, lianluo.EINVALID, "units"},
		{"rectification without items", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting, lianluo.StepBallot, lianluo.StepFindings},
			lianluo.AppraisalStepInput{Step: lianluo.StepRectify, On: "2026-11-06"}, lianluo.AppraisalStepFacts{}, lianluo.ESTATE, ""},
		{"rectification", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting, lianluo.StepBallot, lianluo.StepFindings},
			lianluo.AppraisalStepInput{Step: lianluo.StepRectify, On: "2026-11-06"}, lianluo.AppraisalStepFacts{Items: []lianluo.Rectification{{UnitID: 7, Status: lianluo.RectOpen}}}, "", ""},
		{"supervision with an item open", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting, lianluo.StepBallot, lianluo.StepFindings, lianluo.StepRectify},
			lianluo.AppraisalStepInput{Step: lianluo.StepSupervision, On: "2026-11-06"}, lianluo.AppraisalStepFacts{Items: []lianluo.Rectification{{UnitID: 7, Status: lianluo.RectReported}}}, lianluo.ESTATE, ""},
		{"supervision", []lianluo.AppraisalStep{lianluo.StepCollect, lianluo.StepMeeting, lianluo.StepBallot, lianluo.StepFindings, lianluo.StepRectify},
			lianluo.AppraisalStepInput{Step: lianluo.StepSupervision, On: "2026-11-06"}, lianluo.AppraisalStepFacts{Items: []lianluo.Rectification{{UnitID: 7, Status: lianluo.RectAccepted}}}, "", ""},
		{"after the end", lianluo.AppraisalSteps, lianluo.AppraisalStepInput{Step: lianluo.StepSupervision, On: "2026-11-07"}, lianluo.AppraisalStepFacts{}, lianluo.ESTATE, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec(tc.done...)
			in := tc.in
			r, err := lianluo.DecideAppraisalStep(a, &in, tc.facts, now)
			if got := lianluo.ErrorCode(err); got != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("DecideAppraisalStep = %v; want %q", err, tc.code)
			}
			if tc.code == "" && err != nil {
				t.Fatalf("DecideAppraisalStep = %v; want nil", err)
			}
			if tc.field != "" && lianluo.ErrorField(err) != tc.field {
				t.Errorf("field = %q; want %q (%v)", lianluo.ErrorField(err), tc.field, err)
			}
			if err == nil && (r.Step != in.Step || r.On != in.On) {
				t.Errorf("record = %+v", r)
			}
		})
	}
	if got := lianluo.StatusAfter(nil); got != lianluo.AppraisalPlanned {
		t.Errorf("StatusAfter(nil) = %s", got)
	}
	rec(lianluo.AppraisalSteps...)
	if got := lianluo.StatusAfter(a.Steps); got != lianluo.AppraisalClosed {
		t.Errorf("StatusAfter(all) = %s", got)
	}
}

func TestDecideRect(t *testing.T) {
	t.Parallel()
	unit := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleUnitHandler}}}, Scope: lianluo.Scope{Units: []int64{7}}}
	other := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleUnitHandler}}}, Scope: lianluo.Scope{Units: []int64{8}}}
	office := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleNPCOffice}}}, Scope: lianluo.Scope{Regions: []string{"330206004"}}}
	deputy := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy}}}, Scope: lianluo.Scope{Deputies: []int64{1}}}
	item := func(s lianluo.RectStatus) lianluo.Rectification {
		return lianluo.Rectification{UnitID: 7, Status: s, Version: 2}
	}
	for _, tc := range []struct {
		name string
		who  *lianluo.Actor
		item lianluo.Rectification
		act  lianluo.RectAction
		d    lianluo.RectDecision
		code string
		want lianluo.RectStatus
	}{
		{"unit reports", unit, item(lianluo.RectOpen), lianluo.RectReport, lianluo.RectDecision{Report: "已完成", Version: 2}, "", lianluo.RectReported},
		{"unit reports again after return", unit, item(lianluo.RectReturned), lianluo.RectReport, lianluo.RectDecision{Report: "已完成", Version: 2}, "", lianluo.RectReported},
		{"unit reports nothing", unit, item(lianluo.RectOpen), lianluo.RectReport, lianluo.RectDecision{Version: 2}, lianluo.EINVALID, ""},
		{"stale", unit, item(lianluo.RectOpen), lianluo.RectReport, lianluo.RectDecision{Report: "已完成", Version: 1}, lianluo.ESTALE, ""},
		{"another unit", other, item(lianluo.RectOpen), lianluo.RectReport, lianluo.RectDecision{Report: "已完成", Version: 2}, lianluo.EFORBIDDEN, ""},
		{"deputy", deputy, item(lianluo.RectReported), lianluo.RectAccept, lianluo.RectDecision{Version: 2}, lianluo.EFORBIDDEN, ""},
		{"unit accepts", unit, item(lianluo.RectReported), lianluo.RectAccept, lianluo.RectDecision{Version: 2}, lianluo.EFORBIDDEN, ""},
		{"office accepts", office, item(lianluo.RectReported), lianluo.RectAccept, lianluo.RectDecision{Version: 2}, "", lianluo.RectAccepted},
		{"office accepts open", office, item(lianluo.RectOpen), lianluo.RectAccept, lianluo.RectDecision{Version: 2}, lianluo.ESTATE, ""},
		{"office returns without reason", office, item(lianluo.RectReported), lianluo.RectReturn, lianluo.RectDecision{Version: 2}, lianluo.EINVALID, ""},
		{"office returns", office, item(lianluo.RectReported), lianluo.RectReturn, lianluo.RectDecision{Reason: "路灯仍未修复", Version: 2}, "", lianluo.RectReturned},
	} {
		got, err := lianluo.DecideRect(tc.who, tc.item, "330206004", tc.act, tc.d, false)
		if lianluo.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) || (tc.code == "" && err != nil) {
			t.Errorf("%s: DecideRect = %v; want %q", tc.name, err, tc.code)
			continue
		}
		if err == nil && (got.Status != tc.want || got.Version != 3) {
			t.Errorf("%s: DecideRect = %+v; want %s, version 3", tc.name, got, tc.want)
		}
	}
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		due  string
		s    lianluo.RectStatus
		want bool
	}{
		{"2026-12-06", lianluo.RectOpen, true}, {"2026-12-07", lianluo.RectOpen, false}, {"2026-12-06", lianluo.RectReturned, true},
		{"2026-12-06", lianluo.RectReported, false}, {"2026-11-01", lianluo.RectAccepted, false},
	} {
		if got := lianluo.RectOverdue(tc.due, tc.s, now); got != tc.want {
			t.Errorf("RectOverdue(%s, %s) = %v; want %v", tc.due, tc.s, got, tc.want)
		}
	}
}
