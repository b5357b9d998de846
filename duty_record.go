package lianluo

import (
	"context"
	"strings"
	"time"
)

// Duty records (履职登记 — docs/design.md 4b): what a deputy did that no
// other record holds — the 六个一 items 为选民办一件实事好事, 帮扶一户困难户
// and 民情调查 (003 人大代表开展“六个一”活动制度), an inspection with the
// deputy's card (持证视察), a written report (书面履职报告, 4b: deputies
// not reporting in person that year) and training outside the station. The
// deputy records it (or station staff / the office for them); staff
// confirm it or return it with a reason; only confirmed records count.

// DutyKind is the kind of a duty record.
type DutyKind string

// Duty record kinds.
const (
	DutyGoodDeed   DutyKind = "good_deed"  // 为选民办实事好事
	DutyAid        DutyKind = "aid"        // 帮扶困难户
	DutySurvey     DutyKind = "survey"     // 民情调查
	DutyInspection DutyKind = "inspection" // 持证视察
	DutyReport     DutyKind = "report"     // 书面履职报告
	DutyTraining   DutyKind = "training"   // 外出培训
)

// DutyKinds lists the kinds in the order forms show them.
var DutyKinds = []DutyKind{DutyGoodDeed, DutyAid, DutySurvey, DutyInspection, DutyReport, DutyTraining}

// DutyKindNames are the Chinese names of the kinds.
var DutyKindNames = map[DutyKind]string{
	DutyGoodDeed:   "为选民办实事好事",
	DutyAid:        "帮扶困难户",
	DutySurvey:     "民情调查",
	DutyInspection: "持证视察",
	DutyReport:     "书面履职报告",
	DutyTraining:   "外出培训",
}

// Name is the kind's Chinese name.
func (k DutyKind) Name() string { return DutyKindNames[k] }

// DutyStatus is where a duty record stands.
type DutyStatus string

// Duty record statuses.
const (
	DutyPending   DutyStatus = "pending"   // recorded, waiting for staff
	DutyConfirmed DutyStatus = "confirmed" // confirmed by staff: it counts
	DutyReturned  DutyStatus = "returned"  // returned with a reason: it does not count
)

// DutyStatusNames are the Chinese names of the statuses.
var DutyStatusNames = map[DutyStatus]string{DutyPending: "待确认", DutyConfirmed: "已确认", DutyReturned: "已退回"}

// Name is the status's Chinese name.
func (s DutyStatus) Name() string { return DutyStatusNames[s] }

// DutyRecord is one 履职登记. Date is the day it was done (Beijing, "2006-01-02").
type DutyRecord struct {
	ID          int64      `json:"id"`
	DeputyID    int64      `json:"deputy_id"`
	DeputyName  string     `json:"deputy_name"`
	RegionCode  string     `json:"region_code"`
	Kind        DutyKind   `json:"kind"`
	Date        string     `json:"date"`
	Description string     `json:"description"`
	Status      DutyStatus `json:"status"`
	Reason      string     `json:"reason,omitempty"` // why it was returned
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	CreatedBy   string     `json:"created_by"`
	Photos      int        `json:"photos"` // how many; each at …/photos/{n}
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// MaxDutyPhotos is how many photos a duty record keeps: a phone's share
// sheet offers nine.
const MaxDutyPhotos = 9

// DutyRecordInput is a new duty record (POST /api/v1/duty-records).
// DeputyID may be left out by a deputy recording their own.
type DutyRecordInput struct {
	DeputyID    int64    `json:"deputy_id,omitempty"`
	Kind        DutyKind `json:"kind"`
	Date        string   `json:"date"` // 2026-03-01
	Description string   `json:"description"`
}

// Validate trims and checks the fields, with errors naming them; now bounds
// the date: not in the future, not before the start of last year (a record
// may be added late, but a year's 六个一 is settled by the next year's end).
func (in *DutyRecordInput) Validate(now time.Time) error {
	in.Date, in.Description = strings.TrimSpace(in.Date), strings.TrimSpace(in.Description)
	in.Kind = DutyKind(strings.TrimSpace(string(in.Kind)))
	var v Validator
	v.Require("kind", "履职类型", string(in.Kind))
	if v.Err == nil && DutyKindNames[in.Kind] == "" {
		v.fail("kind", "履职类型不正确，请从列表中选择。")
	}
	v.Require("date", "履职日期", in.Date)
	v.Require("description", "履职情况", in.Description)
	v.MaxLen("description", "履职情况", in.Description, 5000)
	if v.Err != nil {
		return v.Err
	}
	d, err := time.ParseInLocation("2006-01-02", in.Date, Beijing)
	if err != nil {
		return FieldError("date", "履职日期格式应为 2026-03-01。")
	}
	today := now.In(Beijing)
	if d.After(today) {
		return FieldError("date", "履职日期不能晚于今天。")
	}
	if d.Year() < today.Year()-1 {
		return FieldError("date", "只能补记去年以来的履职。")
	}
	return nil
}

// DutyRecordUpdate corrects a record not yet confirmed — pending, or
// returned, which it sends back for confirmation; nil fields stay.
// Version is required.
type DutyRecordUpdate struct {
	Kind        *DutyKind `json:"kind"`
	Date        *string   `json:"date"`
	Description *string   `json:"description"`
	Version     int       `json:"version"`
}

// Apply returns the record's fields with the update's set ones over them.
func (u DutyRecordUpdate) Apply(r *DutyRecord) DutyRecordInput {
	in := DutyRecordInput{DeputyID: r.DeputyID, Kind: r.Kind, Date: r.Date, Description: r.Description}
	if u.Kind != nil {
		in.Kind = *u.Kind
	}
	if u.Date != nil {
		in.Date = *u.Date
	}
	if u.Description != nil {
		in.Description = *u.Description
	}
	return in
}

// DutyDecision is staff's decision on a pending record
// (POST /api/v1/duty-records/{id}/confirm): confirm, or return with a reason.
type DutyDecision struct {
	Version  int    `json:"version"`
	Decision string `json:"decision"` // confirm | return
	Reason   string `json:"reason,omitempty"`
}

// Duty decisions.
const (
	DutyDecideConfirm = "confirm"
	DutyDecideReturn  = "return"
)

// Validate checks the decision; a return needs its reason.
func (d *DutyDecision) Validate() error {
	d.Decision, d.Reason = strings.TrimSpace(d.Decision), strings.TrimSpace(d.Reason)
	var v Validator
	v.Require("decision", "确认结果", d.Decision)
	v.Check(d.Decision == "" || d.Decision == DutyDecideConfirm || d.Decision == DutyDecideReturn,
		"decision", "确认结果应为 confirm（确认）或 return（退回）。")
	if d.Decision == DutyDecideReturn {
		v.Require("reason", "退回原因", d.Reason)
	}
	v.MaxLen("reason", "退回原因", d.Reason, 1000)
	return v.Err
}

// DutyRecordFilter selects records inside the caller's scope.
type DutyRecordFilter struct {
	DeputyID int64
	Kind     DutyKind
	Status   DutyStatus
	Year     int
	Page
}

// Validate checks the filter's values.
func (f *DutyRecordFilter) Validate() error {
	if f.Kind != "" && DutyKindNames[f.Kind] == "" {
		return FieldError("kind", "履职类型不正确。")
	}
	if f.Status != "" && DutyStatusNames[f.Status] == "" {
		return FieldError("status", "状态不正确。")
	}
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		return FieldError("year", "年份不正确。")
	}
	return nil
}

// DutyRecordPowers says what the actor may do with the records of a
// deputy: record one for them (the deputy themselves, or staff of the
// deputy — the office over the deputy's region or staff at one of the
// deputy's stations, which the caller works out as staff), and confirm or
// return one (staff only, and never their own record).
func DutyRecordPowers(a *Actor, deputyID int64, staff bool) (record, decide bool) {
	if a == nil {
		return false, false
	}
	own := a.IsDeputy(deputyID)
	return own || staff, staff && !own
}

// DutyRecordService keeps deputies' duty records.
type DutyRecordService interface {
	CreateDutyRecord(ctx context.Context, in DutyRecordInput) (*DutyRecord, error)
	FindDutyRecords(ctx context.Context, f DutyRecordFilter) ([]*DutyRecord, int, error)
	FindDutyRecordByID(ctx context.Context, id int64) (*DutyRecord, error)
	// UpdateDutyRecord corrects a record not yet confirmed (whoever may
	// record for the deputy; version required); a returned one is pending again.
	UpdateDutyRecord(ctx context.Context, id int64, u DutyRecordUpdate) (*DutyRecord, error)
	// DecideDutyRecord confirms or returns a pending record (staff; version required).
	DecideDutyRecord(ctx context.Context, id int64, d DutyDecision) (*DutyRecord, error)
	// AddDutyPhoto keeps a photo (JPEG, PNG…, checked by SniffPhoto) of a
	// pending record: the deputy's own, or staff's for them; at most MaxDutyPhotos.
	AddDutyPhoto(ctx context.Context, id int64, data []byte) (*DutyRecord, error)
	// DutyPhoto returns the n-th (from 1) photo of a record in scope.
	DutyPhoto(ctx context.Context, id int64, n int) (*Photo, error)
	// DutyRecordPowers says whether the caller may record for the deputy and decide on their records.
	DutyRecordPowers(ctx context.Context, deputyID int64) (record, decide bool, err error)
}
