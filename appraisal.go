package lianluo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// 工作评议 (docs/appraisals.md): the NPC body (a town's 主席团, a district's
// standing committee) has deputies appraise government units — the 站办所 —
// once a year. 003 人大代表评议站所办工作制度: 评议的对象：站办所; 评议部门时间：
// 工作评议安排在每年的第四季度; 方法和步骤：收集意见 → 召开评议会议，听取部门
// 负责人工作情况汇报，提出评议意见，进行民意测评 → 被评议单位围绕评议意见进行
// 整改，镇人大主席团加强督办. Each step is recorded with its date, in that order.

// AppraisalStep is one step of an appraisal.
type AppraisalStep string

// The steps, in the order 003 lays down.
const (
	StepCollect     AppraisalStep = "collect"       // 收集意见: opinions about the units, as linked cases
	StepMeeting     AppraisalStep = "meeting"       // 评议会议: an activity of kind appraisal, each unit's report
	StepBallot      AppraisalStep = "ballot"        // 民意测评: the ballot closed, each unit's tally
	StepFindings    AppraisalStep = "findings"      // 评议意见: the opinions sent to each unit
	StepRectify     AppraisalStep = "rectification" // 整改: each unit's items with due dates are set
	StepSupervision AppraisalStep = "supervision"   // 督办: every item closed, the appraisal ends
)

// AppraisalSteps lists the steps in order.
var AppraisalSteps = []AppraisalStep{StepCollect, StepMeeting, StepBallot, StepFindings, StepRectify, StepSupervision}

// AppraisalStepNames are the Chinese names of the steps.
var AppraisalStepNames = map[AppraisalStep]string{
	StepCollect: "收集意见", StepMeeting: "评议会议", StepBallot: "民意测评",
	StepFindings: "评议意见", StepRectify: "整改", StepSupervision: "督办",
}

// Name is the step's Chinese name.
func (s AppraisalStep) Name() string { return AppraisalStepNames[s] }

// AppraisalStatus is where an appraisal stands.
type AppraisalStatus string

// Appraisal statuses: planned until the first step, under way until 督办 is
// recorded, then closed.
const (
	AppraisalPlanned  AppraisalStatus = "planned"
	AppraisalUnderway AppraisalStatus = "under_way"
	AppraisalClosed   AppraisalStatus = "closed"
)

// AppraisalStatusNames are the Chinese names of the statuses.
var AppraisalStatusNames = map[AppraisalStatus]string{AppraisalPlanned: "计划中", AppraisalUnderway: "进行中", AppraisalClosed: "已结束"}

// Name is the status's Chinese name.
func (s AppraisalStatus) Name() string { return AppraisalStatusNames[s] }

// Appraisal is one 工作评议 of one or more units by an NPC body, in its region.
type Appraisal struct {
	ID             int64                 `json:"id"`
	OrgID          int64                 `json:"org_id"` // the appraising NPC body (主席团, 常委会)
	OrgName        string                `json:"org_name"`
	RegionCode     string                `json:"region_code"` // the body's region: who sees and manages it
	Year           int                   `json:"year"`
	Title          string                `json:"title"`
	ScheduledOn    string                `json:"scheduled_on"`    // 2006-01-02, Beijing
	ScheduleReason string                `json:"schedule_reason"` // why outside the fourth quarter ("" inside it)
	Status         AppraisalStatus       `json:"status"`
	StatusName     string                `json:"status_name"`
	Units          []AppraisalUnit       `json:"units"`
	Steps          []AppraisalStepRecord `json:"steps"`
	Next           AppraisalStep         `json:"next,omitempty"` // the step that may be recorded next ("" when closed)
	CaseIDs        []int64               `json:"case_ids"`       // opinions collected (收集意见)
	ActivityID     *int64                `json:"activity_id"`    // the appraisal meeting (评议会议)
	CanManage      bool                  `json:"can_manage"`
	Version        int                   `json:"version"`
	CreatedAt      time.Time             `json:"created_at"`
	UpdatedAt      time.Time             `json:"updated_at"`
}

// AppraisalUnit is one appraised unit: its report to the meeting, the
// tally of the 民意测评, the appraisal opinions it was sent, and how far
// its rectification has come. Items are the unit's rectification items the
// caller may see. BallotID is the appraisal's 民主测评 (one ballot, an item
// per unit, UnitBallotKey), opened with the meeting.
type AppraisalUnit struct {
	UnitID   int64           `json:"unit_id"`
	Name     string          `json:"name"`
	Report   string          `json:"report"`   // 工作情况汇报, given at the meeting
	Findings string          `json:"findings"` // 评议意见
	BallotID *int64          `json:"ballot_id,omitempty"`
	Tally    AppraisalTally  `json:"tally"`
	Progress RectProgress    `json:"progress"`
	Items    []Rectification `json:"items"`
}

// UnitBallotKey is the key of a unit's item on the appraisal's ballot.
func UnitBallotKey(unitID int64) string { return "u" + strconv.FormatInt(unitID, 10) }

// AppraisalTally is a 民意测评's count: 满意, 基本满意, 不满意.
type AppraisalTally struct {
	Satisfied   int `json:"satisfied"`
	Basic       int `json:"basically_satisfied"`
	Unsatisfied int `json:"unsatisfied"`
}

// Total is the number of ballots.
func (t AppraisalTally) Total() int { return t.Satisfied + t.Basic + t.Unsatisfied }

// Rate is 满意率 in percent: satisfied and basically satisfied over all (0 without ballots).
func (t AppraisalTally) Rate() int {
	if t.Total() == 0 {
		return 0
	}
	return (t.Satisfied + t.Basic) * 100 / t.Total()
}

// Validate refuses negative counts.
func (t AppraisalTally) Validate(field string) error {
	if t.Satisfied < 0 || t.Basic < 0 || t.Unsatisfied < 0 || t.Total() > 100000 {
		return FieldError(field, "测评票数应为0至100000之间的整数。")
	}
	return nil
}

// RectProgress is a unit's rectification: items done (accepted) of all, and
// how many are overdue now.
type RectProgress struct {
	Done    int `json:"done"`
	Total   int `json:"total"`
	Overdue int `json:"overdue"`
}

// AppraisalStepRecord is a step as recorded: its date, a note, who recorded it.
type AppraisalStepRecord struct {
	Step       AppraisalStep `json:"step"`
	Name       string        `json:"name"`
	On         string        `json:"on"` // the day it happened, 2006-01-02
	Note       string        `json:"note"`
	ActivityID *int64        `json:"activity_id,omitempty"`
	By         string        `json:"by"`
	At         time.Time     `json:"at"`
}

// AppraisalInput is a new appraisal (POST /api/v1/appraisals).
type AppraisalInput struct {
	OrgID          int64   `json:"org_id"`
	Year           int     `json:"year"`
	Title          string  `json:"title"`
	UnitIDs        []int64 `json:"unit_ids"`
	ScheduledOn    string  `json:"scheduled_on"`
	ScheduleReason string  `json:"schedule_reason"`
}

// MaxAppraisalUnits bounds the units of one appraisal.
const MaxAppraisalUnits = 20

// Validate checks an input: a body, a year, a title, one to
// MaxAppraisalUnits distinct units, a date in the year. 003: 工作评议安排在
// 每年的第四季度 — a date outside October to December is refused unless a
// reason is given, which is kept with the appraisal.
func (in *AppraisalInput) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	in.ScheduleReason = strings.TrimSpace(in.ScheduleReason)
	var v Validator
	v.Check(in.OrgID > 0, "org_id", "请选择组织评议的人大机构。")
	v.Check(in.Year >= 2000 && in.Year <= 2100, "year", "请填写评议年度（如 2026）。")
	v.Require("title", "评议名称", in.Title)
	v.MaxLen("title", "评议名称", in.Title, 100)
	v.Check(len(in.UnitIDs) > 0, "unit_ids", "请至少选择一个被评议单位。")
	v.Check(len(in.UnitIDs) <= MaxAppraisalUnits, "unit_ids", "一次评议最多%d个单位。", MaxAppraisalUnits)
	seen := map[int64]bool{}
	for _, id := range in.UnitIDs {
		v.Check(id > 0 && !seen[id], "unit_ids", "被评议单位重复或不正确。")
		seen[id] = true
	}
	v.MaxLen("schedule_reason", "安排在第四季度以外的理由", in.ScheduleReason, 500)
	if v.Err != nil {
		return v.Err
	}
	d, err := parseDay("scheduled_on", "评议时间", in.ScheduledOn)
	if err != nil {
		return err
	}
	if d.Year() != in.Year {
		return FieldError("scheduled_on", "评议时间应在%d年内。", in.Year)
	}
	if !InFourthQuarter(d) && in.ScheduleReason == "" {
		return FieldError("scheduled_on", "工作评议应安排在第四季度（10月至12月）；安排在%d月须填写理由。", int(d.Month()))
	}
	if InFourthQuarter(d) {
		in.ScheduleReason = ""
	}
	return nil
}

// InFourthQuarter reports whether the day falls in October to December.
func InFourthQuarter(d time.Time) bool { return d.Month() >= time.October }

// parseDay reads a day written 2006-01-02 (Beijing), naming field and its
// label in the error.
func parseDay(field, label, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, FieldError(field, "请填写%s。", label)
	}
	d, err := time.ParseInLocation(time.DateOnly, s, Beijing)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, FieldError(field, "%s格式应为 2026-11-20。", label)
	}
	return d, nil
}

// AppraisalFilter selects appraisals in the caller's scope.
type AppraisalFilter struct {
	Year int // 0: every year
	Page
}

// AppraisalStepInput records one step (POST /api/v1/appraisals/{id}/steps). Which
// fields a step needs: collect — case_ids (may be empty: no opinions came);
// meeting — activity_id (an activity of kind appraisal) and a report per
// unit, and it opens the 民主测评 ballot with one item per unit (voters vote
// on their phones); ballot — closes it, each unit's tally optional: its
// paper ballots, added to the votes (a tally per unit is required when the
// appraisal has no ballot); findings — the
// opinions per unit; rectification and supervision — the date alone.
type AppraisalStepInput struct {
	Step       AppraisalStep       `json:"step"`
	On         string              `json:"on"`
	Note       string              `json:"note"`
	CaseIDs    []int64             `json:"case_ids"`
	ActivityID *int64              `json:"activity_id"`
	Units      []AppraisalStepUnit `json:"units"`
	Version    int                 `json:"version"`
}

// AppraisalStepUnit is what a step says of one unit.
type AppraisalStepUnit struct {
	UnitID   int64           `json:"unit_id"`
	Report   string          `json:"report,omitempty"`
	Findings string          `json:"findings,omitempty"`
	Tally    *AppraisalTally `json:"tally,omitempty"`
}

// NextStep is the step an appraisal may record next, "" when all are.
func NextStep(done []AppraisalStepRecord) AppraisalStep {
	if len(done) >= len(AppraisalSteps) {
		return ""
	}
	return AppraisalSteps[len(done)]
}

// AppraisalStepFacts is what deciding a step needs beyond the appraisal: its
// rectification items, and the kind of the activity a meeting names (""
// when not found in scope).
type AppraisalStepFacts struct {
	Items        []Rectification
	ActivityKind string
	// HasBallot: the meeting opened a 民主测评 ballot (ballot.go), whose
	// votes are the tally; the step's counts are then its paper ballots,
	// and may be left out.
	HasBallot bool
}

// DecideAppraisalStep checks a step against the appraisal at now: the steps go in
// 003's order, one after another, each dated no earlier than the one
// before and no later than today; each brings what it must. It returns the
// record to keep (its note trimmed), or the error.
func DecideAppraisalStep(a *Appraisal, in *AppraisalStepInput, f AppraisalStepFacts, now time.Time) (AppraisalStepRecord, error) {
	var rec AppraisalStepRecord
	if _, ok := AppraisalStepNames[in.Step]; !ok {
		return rec, FieldError("step", "评议步骤的取值无效。")
	}
	next := NextStep(a.Steps)
	if next == "" {
		return rec, Errorf(ESTATE, "该评议已结束，不能再记录步骤。")
	}
	if in.Step != next {
		if slices.ContainsFunc(a.Steps, func(s AppraisalStepRecord) bool { return s.Step == in.Step }) {
			return rec, Errorf(ESTATE, "“%s”已记录过。", in.Step.Name())
		}
		return rec, Errorf(ESTATE, "评议步骤须依次进行：下一步是“%s”，不能先记录“%s”。", next.Name(), in.Step.Name())
	}
	d, err := parseDay("on", "日期", in.On)
	if err != nil {
		return rec, err
	}
	if d.After(now) {
		return rec, FieldError("on", "日期不能晚于今天。")
	}
	if n := len(a.Steps); n > 0 && in.On < a.Steps[n-1].On {
		return rec, FieldError("on", "日期不能早于上一步“%s”（%s）。", a.Steps[n-1].Step.Name(), a.Steps[n-1].On)
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > 2000 {
		return rec, FieldError("note", "说明不能超过2000个字。")
	}
	units := map[int64]AppraisalStepUnit{}
	for _, u := range in.Units {
		if !slices.ContainsFunc(a.Units, func(x AppraisalUnit) bool { return x.UnitID == u.UnitID }) {
			return rec, FieldError("units", "单位（编号%d）不是本次评议的对象。", u.UnitID)
		}
		units[u.UnitID] = u
	}
	each := func(field string, what func(u AppraisalStepUnit) error) error {
		for _, x := range a.Units {
			u, ok := units[x.UnitID]
			if !ok {
				return FieldError("units", "请填写%s的%s。", x.Name, field)
			}
			if err := what(u); err != nil {
				return err
			}
		}
		return nil
	}
	text := func(label string, s string, name string) error {
		if strings.TrimSpace(s) == "" {
			return FieldError("units", "请填写%s的%s。", name, label)
		}
		if utf8.RuneCountInString(s) > 10000 {
			return FieldError("units", "%s的%s不能超过10000个字。", name, label)
		}
		return nil
	}
	nameOf := func(id int64) string {
		for _, x := range a.Units {
			if x.UnitID == id {
				return x.Name
			}
		}
		return ""
	}
	switch in.Step {
	case StepCollect:
		if len(in.CaseIDs) > 200 {
			return rec, FieldError("case_ids", "一次最多关联200件意见。")
		}
	case StepMeeting:
		if in.ActivityID == nil || *in.ActivityID <= 0 {
			return rec, FieldError("activity_id", "请选择评议会议（类型为“评议”的代表活动）。")
		}
		if f.ActivityKind == "" {
			return rec, NotInScope("activity_id", "代表活动")
		}
		if f.ActivityKind != ActivityAppraisal {
			return rec, FieldError("activity_id", "评议会议应为类型为“评议”的代表活动。")
		}
		err = each("工作情况汇报", func(u AppraisalStepUnit) error { return text("工作情况汇报", u.Report, nameOf(u.UnitID)) })
	case StepBallot:
		if f.HasBallot {
			for _, u := range in.Units {
				if u.Tally != nil {
					if err := u.Tally.Validate("units"); err != nil {
						return rec, err
					}
				}
			}
			break
		}
		err = each("民意测评票数", func(u AppraisalStepUnit) error {
			if u.Tally == nil {
				return FieldError("units", "请填写%s的民意测评票数。", nameOf(u.UnitID))
			}
			return u.Tally.Validate("units")
		})
	case StepFindings:
		err = each("评议意见", func(u AppraisalStepUnit) error { return text("评议意见", u.Findings, nameOf(u.UnitID)) })
	case StepRectify:
		for _, x := range a.Units {
			if !slices.ContainsFunc(f.Items, func(r Rectification) bool { return r.UnitID == x.UnitID }) {
				return rec, Errorf(ESTATE, "%s还没有整改事项，请先列出整改事项及完成期限。", x.Name)
			}
		}
	case StepSupervision:
		open := 0
		for _, r := range f.Items {
			if r.Status != RectAccepted {
				open++
			}
		}
		if open > 0 {
			return rec, Errorf(ESTATE, "还有%d项整改事项未验收，督办须持续到每一项整改完成。", open)
		}
	}
	if err != nil {
		return rec, err
	}
	rec = AppraisalStepRecord{Step: in.Step, Name: in.Step.Name(), On: in.On, Note: in.Note}
	if in.Step == StepMeeting {
		rec.ActivityID = in.ActivityID
	}
	return rec, nil
}

// StatusAfter is the appraisal's status once the steps are recorded.
func StatusAfter(steps []AppraisalStepRecord) AppraisalStatus {
	switch {
	case len(steps) == 0:
		return AppraisalPlanned
	case NextStep(steps) == "":
		return AppraisalClosed
	}
	return AppraisalUnderway
}

// CanManageAppraisals reports whether the actor may create appraisals and
// record their steps in the region: the NPC office over it (and the system
// administrator), as for the region's other records (CanManageRegion).
func CanManageAppraisals(a *Actor, regionCode string) bool { return a.CanManageRegion(regionCode) }

// CanSeeAppraisal reports whether the actor may see an appraisal of the
// region with the units: NPC staff over the region (office and leaders)
// and administrators see it whole; a unit's handlers see it, with their
// own unit's items only (UnitItemsVisible). Deputies and station staff do
// not: the appraisal is the body's work with the units.
func CanSeeAppraisal(a *Actor, regionCode string, unitIDs []int64) bool {
	if a == nil {
		return false
	}
	if a.IsSystemAdmin() || (a.HasAny(RoleNPCOffice, RoleNPCLeader) && a.Scope.InRegion(regionCode)) {
		return true
	}
	return a.Has(RoleUnitHandler) && slices.ContainsFunc(unitIDs, func(id int64) bool { return slices.Contains(a.Scope.Units, id) })
}

// CanListAppraisals reports whether the actor has appraisals to look at at
// all: NPC staff, administrators and unit handlers.
func CanListAppraisals(a *Actor) bool {
	return a.IsSystemAdmin() || a.HasAny(RoleNPCOffice, RoleNPCLeader, RoleUnitHandler)
}

// UnitItemsVisible reports whether the actor sees the unit's
// rectification items of an appraisal of the region: the body's staff see
// every unit's, a unit's handlers their own unit's only.
func UnitItemsVisible(a *Actor, regionCode string, unitID int64) bool {
	if a.IsSystemAdmin() || (a.HasAny(RoleNPCOffice, RoleNPCLeader) && a.Scope.InRegion(regionCode)) {
		return true
	}
	return a.Has(RoleUnitHandler) && slices.Contains(a.Scope.Units, unitID)
}

// StepSummary is a step for the audit trail.
func StepSummary(title string, r AppraisalStepRecord) string {
	return fmt.Sprintf("工作评议“%s”：记录%s（%s）", title, r.Name, r.On)
}
