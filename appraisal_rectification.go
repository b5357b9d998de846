package lianluo

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Rectification (整改 — 003 人大代表评议站所办工作制度 四.3: 被评议单位围绕评议
// 意见进行整改，镇人大主席团加强督办): each appraised unit gets items with a
// due date; the unit reports an item done, the office accepts it or returns
// it with a reason; an item past its due date and not reported is chased
// once (the job rectification_chase).

// RectStatus is where a rectification item stands.
type RectStatus string

// Rectification statuses.
const (
	RectOpen     RectStatus = "open"     // set, the unit is at work on it
	RectReported RectStatus = "reported" // the unit reports it done
	RectAccepted RectStatus = "accepted" // the office accepts: done
	RectReturned RectStatus = "returned" // the office returns it with a reason: at work again
)

// RectStatusNames are the Chinese names of the statuses.
var RectStatusNames = map[RectStatus]string{RectOpen: "整改中", RectReported: "已报告", RectAccepted: "已验收", RectReturned: "已退回"}

// Name is the status's Chinese name.
func (s RectStatus) Name() string { return RectStatusNames[s] }

// Rectification is one 整改事项 of a unit in an appraisal.
type Rectification struct {
	ID             int64      `json:"id"`
	AppraisalID    int64      `json:"appraisal_id"`
	AppraisalTitle string     `json:"appraisal_title"`
	UnitID         int64      `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	Text           string     `json:"text"`
	DueOn          string     `json:"due_on"` // 2006-01-02
	Status         RectStatus `json:"status"`
	StatusName     string     `json:"status_name"`
	Report         string     `json:"report"`        // the unit's report of what it did
	ReturnReason   string     `json:"return_reason"` // the office's reason, when returned
	Overdue        bool       `json:"overdue"`
	ChasedAt       *time.Time `json:"chased_at,omitempty"` // when the overdue notice went out
	CanReport      bool       `json:"can_report"`
	CanDecide      bool       `json:"can_decide"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// RectOverdue reports whether an item due on dueOn in status s is overdue
// at now: past its day (Beijing) and not reported or accepted.
func RectOverdue(dueOn string, s RectStatus, now time.Time) bool {
	if s != RectOpen && s != RectReturned {
		return false
	}
	return now.In(Beijing).Format(time.DateOnly) > dueOn
}

// RectificationInput is a new item (POST /api/v1/appraisals/{id}/rectifications).
type RectificationInput struct {
	UnitID int64  `json:"unit_id"`
	Text   string `json:"text"`
	DueOn  string `json:"due_on"`
}

// Validate checks an item against the appraisal: one of its units, a
// text, a due date no earlier than the appraisal opinions. Items are set
// once the opinions are sent (评议意见) and until 督办 ends it.
func (in *RectificationInput) Validate(a *Appraisal) error {
	in.Text = strings.TrimSpace(in.Text)
	if !slices.ContainsFunc(a.Units, func(u AppraisalUnit) bool { return u.UnitID == in.UnitID }) {
		return FieldError("unit_id", "请选择本次评议的一个被评议单位。")
	}
	var v Validator
	v.Require("text", "整改事项", in.Text)
	v.MaxLen("text", "整改事项", in.Text, 2000)
	if v.Err != nil {
		return v.Err
	}
	if _, err := parseDay("due_on", "完成期限", in.DueOn); err != nil {
		return err
	}
	done := map[AppraisalStep]string{}
	for _, s := range a.Steps {
		done[s.Step] = s.On
	}
	if _, ok := done[StepFindings]; !ok {
		return Errorf(ESTATE, "请先记录评议意见，再列出整改事项。")
	}
	if _, ok := done[StepSupervision]; ok {
		return Errorf(ESTATE, "该评议已结束，不能再增加整改事项。")
	}
	if in.DueOn < done[StepFindings] {
		return FieldError("due_on", "完成期限不能早于评议意见的日期（%s）。", done[StepFindings])
	}
	return nil
}

// RectAction is what is done to an item.
type RectAction string

// Rectification actions.
const (
	RectReport RectAction = "report" // the unit: done
	RectAccept RectAction = "accept" // the office: accepted
	RectReturn RectAction = "return" // the office: not yet, with a reason
)

// RectDecision is a report, an acceptance or a return
// (POST /api/v1/rectifications/{id}/report, /accept, /return).
type RectDecision struct {
	Report  string `json:"report,omitempty"` // report: what the unit did
	Reason  string `json:"reason,omitempty"` // return: why not yet
	Version int    `json:"version"`
}

// DecideRect checks an action on an item by the actor, regionCode being
// the appraisal's: the unit's handlers report their own unit's items while
// at work on them (open or returned); the office over the region (manage)
// accepts or returns a reported one, a return with its reason. It returns
// the item as it will be written.
func DecideRect(a *Actor, r Rectification, regionCode string, act RectAction, d RectDecision, closed bool) (Rectification, error) {
	manage := CanManageAppraisals(a, regionCode)
	if err := CheckVersion("该整改事项", d.Version, r.Version); err != nil {
		return r, err
	}
	if closed {
		return r, Errorf(ESTATE, "该评议已结束。")
	}
	switch act {
	case RectReport:
		if !CanReportRect(a, r.UnitID) {
			return r, Forbidden()
		}
		if r.Status != RectOpen && r.Status != RectReturned {
			return r, Errorf(ESTATE, "该整改事项%s，不能再报告。", r.Status.Name())
		}
		d.Report = strings.TrimSpace(d.Report)
		var v Validator
		v.Require("report", "整改情况", d.Report)
		v.MaxLen("report", "整改情况", d.Report, 5000)
		if v.Err != nil {
			return r, v.Err
		}
		r.Status, r.Report, r.ReturnReason = RectReported, d.Report, ""
	case RectAccept, RectReturn:
		if !manage {
			return r, Forbidden()
		}
		if r.Status != RectReported {
			return r, Errorf(ESTATE, "该整改事项%s，单位报告整改完成后才能验收或退回。", r.Status.Name())
		}
		if act == RectAccept {
			r.Status = RectAccepted
			break
		}
		d.Reason = strings.TrimSpace(d.Reason)
		var v Validator
		v.Require("reason", "退回理由", d.Reason)
		v.MaxLen("reason", "退回理由", d.Reason, 1000)
		if v.Err != nil {
			return r, v.Err
		}
		r.Status, r.ReturnReason = RectReturned, d.Reason
	default:
		return r, NotFound("操作")
	}
	r.Version++
	return r, nil
}

// CanReportRect reports whether the actor reports the unit's items: its handlers.
func CanReportRect(a *Actor, unitID int64) bool {
	return a.Has(RoleUnitHandler) && slices.Contains(a.Scope.Units, unitID)
}

// RectActionNames are the Chinese names of the actions, for the audit trail.
var RectActionNames = map[RectAction]string{RectReport: "报告整改完成", RectAccept: "验收整改", RectReturn: "退回整改"}

// AppraisalService runs 工作评议 (docs/appraisals.md).
type AppraisalService interface {
	// CreateAppraisal plans one (CanManageAppraisals over the body's region).
	CreateAppraisal(ctx context.Context, in AppraisalInput) (*Appraisal, error)
	// FindAppraisals lists those in scope (CanSeeAppraisal), newest year first.
	FindAppraisals(ctx context.Context, f AppraisalFilter) ([]*Appraisal, int, error)
	// FindAppraisalByID returns one with its units, steps and the items the
	// caller may see; another region's is not found.
	FindAppraisalByID(ctx context.Context, id int64) (*Appraisal, error)
	// RecordStep records the next step (DecideAppraisalStep); in.Version is the appraisal's.
	RecordStep(ctx context.Context, id int64, in AppraisalStepInput) (*Appraisal, error)
	// AddRectification sets an item for a unit and tells the unit.
	AddRectification(ctx context.Context, appraisalID int64, in RectificationInput) (*Rectification, error)
	// ActOnRectification reports, accepts or returns an item (DecideRect).
	ActOnRectification(ctx context.Context, id int64, act RectAction, d RectDecision) (*Rectification, error)
	// UnitRectifications lists the caller's units' items (a unit's handler),
	// open ones first, by due date.
	UnitRectifications(ctx context.Context) ([]*Rectification, error)
}
