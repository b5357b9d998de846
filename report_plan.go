package lianluo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// 代表述职 plans (docs/reports.md). Each deputy group decides at the start
// of a year which of its deputies report to their voters in person that
// year (004 一要周密计划: 从本届代表任期第二年起，各代表组每年要确定并组织
// 20%一30%的代表，当面向选民述职; 003 述职制度 一: every group at least once
// a term). A 述职 is an activity of kind report with at least 50 voters
// (003 述职制度 五), a written report (四: the activity's record) and the
// voters' evaluation (六, a Ballot), whose tally goes back to the deputy
// in writing (七) and is filed (八). The deputies not reporting in person
// write a 书面履职报告 (a duty record of kind report) that the group reviews
// (004: 由各代表组审查后报区人大代表联络工委备案).

// TermStartYear is the first year of the current term of the county and
// township people's congresses: the 2021–2022 elections seated them in
// 2022, and a term is TermYears long. The platform models terms only by
// their number on a seat (Seat.Term), so the years are this constant;
// a deployment on another calendar changes it here.
const TermStartYear = 2022

// TermYears is the length of a term (宪法: 五年).
const TermYears = 5

// TermStart is the first year of the term year falls in.
func TermStart(year int) int {
	d := year - TermStartYear
	q := d / TermYears
	if d < 0 && d%TermYears != 0 {
		q-- // round down, not towards zero
	}
	return TermStartYear + q*TermYears
}

// MinReportVoters is how many voters a 述职 should have present (003 述职制度
// 五: 人数一般不少于50人); fewer are flagged.
const MinReportVoters = 50

// ReportShare is how many of n deputies a year's plan should name: 20–30 %
// (004). The bounds are rounded outwards so that a small group can meet
// them with whole deputies — the lower down, the upper up — and a group
// with deputies plans at least one: 7 deputies accept 1 to 3 (1.4 and 2.1),
// 10 accept 2 or 3, 3 accept 1.
func ReportShare(n int) (lo, hi int) {
	if n <= 0 {
		return 0, 0
	}
	return max(1, n*2/10), (n*3 + 9) / 10
}

// Warning is something a plan does not meet that staff may still decide
// to do, with a reason: the field it concerns and the words.
type Warning struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ReportPlanFacts are what CheckReportPlan decides on: the year, the
// group's deputies in office, those planned, and for each deputy the
// earlier years of this term they were planned in.
type ReportPlanFacts struct {
	Year    int
	Members []DeputyRef
	Planned []int64
	Earlier map[int64][]int // deputy → years of this term already planned
}

// CheckReportPlan lists what a plan does not meet: a plan in the term's
// first year (004: from the second year), a share of the group's deputies
// outside 20–30 % (ReportShare), a deputy planned again in a term while
// others of the group have not reported yet (003: each deputy in turn).
func CheckReportPlan(f ReportPlanFacts) []Warning {
	var out []Warning
	if start := TermStart(f.Year); f.Year == start {
		out = append(out, Warning{"year", fmt.Sprintf("%d年是本届任期的第一年；按规定从任期第二年起安排代表向选民述职。", f.Year)})
	}
	n, k := len(f.Members), len(f.Planned)
	lo, hi := ReportShare(n)
	if k < lo || k > hi {
		what := "少于"
		if k > hi {
			what = "多于"
		}
		out = append(out, Warning{"deputy_ids", fmt.Sprintf("本组在任代表%d名，安排述职%d名，%s每年20%%至30%%（%d至%d名）的要求。", n, k, what, lo, hi)})
	}
	var waiting int
	for _, m := range f.Members {
		if len(f.Earlier[m.ID]) == 0 && !slices.Contains(f.Planned, m.ID) {
			waiting++
		}
	}
	if waiting > 0 {
		for _, m := range f.Members {
			if ys := f.Earlier[m.ID]; len(ys) > 0 && slices.Contains(f.Planned, m.ID) {
				out = append(out, Warning{"deputy_ids", fmt.Sprintf("%s代表本届已于%s安排过述职，本组还有%d名代表本届尚未安排。",
					m.Name, joinYears(ys), waiting)})
			}
		}
	}
	return out
}

func joinYears(ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = fmt.Sprintf("%d年", y)
	}
	return strings.Join(s, "、")
}

// WarningsError is the error of a plan with warnings and no reason: every
// warning, and what to do, on the field reason.
func WarningsError(ws []Warning) error {
	msgs := make([]string, len(ws))
	for i, w := range ws {
		msgs[i] = fmt.Sprintf("%d. %s", i+1, w.Message)
	}
	return FieldError("reason", "述职计划有以下问题：%s 如确需这样安排，请填写理由后再保存。", strings.Join(msgs, " "))
}

// ReportPlanInput is a new plan (POST /api/v1/report-plans).
type ReportPlanInput struct {
	GroupID   int64   `json:"group_id"`
	Year      int     `json:"year"`
	DeputyIDs []int64 `json:"deputy_ids"`
	Reason    string  `json:"reason"` // why the plan stands despite its warnings
}

// Validate checks the fields (not the warnings: CheckReportPlan).
func (in *ReportPlanInput) Validate() error {
	in.Reason = strings.TrimSpace(in.Reason)
	var v Validator
	v.Check(in.GroupID > 0, "group_id", "请选择代表小组。")
	v.Check(in.Year >= 2000 && in.Year <= 2100, "year", "年度不正确。")
	v.MaxLen("reason", "理由", in.Reason, 500)
	if v.Err != nil {
		return v.Err
	}
	seen := map[int64]bool{}
	for _, id := range in.DeputyIDs {
		if seen[id] {
			return FieldError("deputy_ids", "同一名代表不能重复列入。")
		}
		seen[id] = true
	}
	return CheckText("reason", in.Reason)
}

// ReportPlanUpdate changes who a plan has report in person
// (PUT /api/v1/report-plans/{id}): the whole list, the reason when the new
// list has warnings, and the plan's version. A deputy whose 述职 is already
// held (linked to its activity) stays.
type ReportPlanUpdate struct {
	DeputyIDs []int64 `json:"deputy_ids"`
	Reason    string  `json:"reason"`
	Version   int     `json:"version"`
}

// ReportLink links a planned deputy's 述职 to its activity
// (PUT /api/v1/report-plans/{id}/deputies/{deputy_id}): the activity of
// kind report, the voters present. Version is the entry's.
type ReportLink struct {
	ActivityID    int64 `json:"activity_id"`
	VotersPresent int   `json:"voters_present"`
	Version       int   `json:"version"`
}

// Validate checks a link's fields against the activity found: of kind
// report, in the plan's year, not cancelled, the deputy invited.
func (l *ReportLink) Validate(year int, deputyID int64, act *Activity) error {
	if l.ActivityID <= 0 {
		return FieldError("activity_id", "请选择述职活动。")
	}
	if l.VotersPresent < 0 || l.VotersPresent > 100000 {
		return FieldError("voters_present", "到会选民人数应为0或正整数。")
	}
	switch {
	case act.Kind != ActivityReport:
		return FieldError("activity_id", "所选活动不是述职活动（类型应为“述职”）。")
	case act.Status == ActivityCancelled:
		return FieldError("activity_id", "所选述职活动已取消。")
	case act.StartsAt.In(Beijing).Year() != year:
		return FieldError("activity_id", "所选述职活动不在%d年。", year)
	case !slices.Contains(act.DeputyIDs, deputyID):
		return FieldError("activity_id", "所选述职活动没有邀请该代表，请先在活动中邀请述职代表。")
	}
	return nil
}

// CanManageReportPlan decides who makes a group's plan and links its
// 述职: the NPC office over the group's region, and the group's leader or
// deputy leader (004: 由各代表组具体组织落实).
func CanManageReportPlan(a *Actor, g *DeputyGroup) bool {
	if a == nil || g == nil {
		return false
	}
	if a.CanManageRegion(g.RegionCode) {
		return true
	}
	for _, l := range []*int64{g.LeaderID, g.DeputyLeaderID} {
		if l != nil && a.IsDeputy(*l) {
			return true
		}
	}
	return false
}

// ReportPlan is a group's 述职 plan for a year, with how each 述职 went
// and the written reports of the deputies not planned.
type ReportPlan struct {
	ID         int64            `json:"id"`
	GroupID    int64            `json:"group_id"`
	GroupName  string           `json:"group_name"`
	RegionCode string           `json:"region_code"`
	Year       int              `json:"year"`
	Reason     string           `json:"reason,omitempty"`
	Warnings   []string         `json:"warnings"` // recorded when saved
	Deputies   []PlannedReport  `json:"deputies"`
	NotPlanned []WrittenReport  `json:"not_planned"`
	Members    int              `json:"members"` // deputies in office in the group
	CanManage  bool             `json:"can_manage"`
	CreatedBy  string           `json:"created_by"`
	Version    int              `json:"version"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
	Activities []ReportActivity `json:"-"` // the 述职 activities a link may choose (pages)
}

// PlannedReport is one planned deputy's 述职.
type PlannedReport struct {
	ID             int64      `json:"id"`
	DeputyID       int64      `json:"deputy_id"`
	DeputyName     string     `json:"deputy_name"`
	ActivityID     *int64     `json:"activity_id"`
	ActivityTitle  string     `json:"activity_title,omitempty"`
	ActivityStart  *time.Time `json:"activity_starts_at,omitempty"`
	ActivityStatus string     `json:"activity_status,omitempty"`
	VotersPresent  int        `json:"voters_present"`
	FewVoters      bool       `json:"few_voters"`     // linked, fewer than MinReportVoters
	WrittenReport  bool       `json:"written_report"` // the activity's record (the 述职报告) is kept
	Photos         int        `json:"photos"`
	Ballot         *Ballot    `json:"ballot,omitempty"`
	Version        int        `json:"version"`
}

// Stage says in words where the 述职 stands.
func (p PlannedReport) Stage() string {
	switch {
	case p.ActivityID == nil:
		return "未安排述职活动"
	case p.Ballot != nil && p.Ballot.Status == BallotClosed:
		return "测评已结束"
	case p.Ballot != nil:
		return "测评中"
	}
	return "已安排"
}

// WrittenReport is a deputy not planned that year and their 书面履职报告:
// the latest duty record of kind report of the year, reviewed (confirmed)
// by whom and when.
type WrittenReport struct {
	DeputyID     int64      `json:"deputy_id"`
	DeputyName   string     `json:"deputy_name"`
	DutyRecordID *int64     `json:"duty_record_id"`
	Status       DutyStatus `json:"status,omitempty"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
}

// Reviewed reports whether the written report was reviewed and accepted.
func (w WrittenReport) Reviewed() bool { return w.Status == DutyConfirmed }

// ReportActivity is a 述职 activity a plan entry may link.
type ReportActivity struct {
	ID       int64     `json:"id"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
}

// ReportPlanFilter selects plans in scope.
type ReportPlanFilter struct {
	Year    int
	GroupID int64
	Page
}

// ReportPlanService keeps the groups' 述职 plans.
type ReportPlanService interface {
	// CreateReportPlan saves a plan (CanManageReportPlan): with warnings
	// (CheckReportPlan) only when a reason is given, which is kept with them.
	CreateReportPlan(ctx context.Context, in ReportPlanInput) (*ReportPlan, error)
	// ReportPlanWarnings checks a plan without saving it (the form shows them).
	ReportPlanWarnings(ctx context.Context, in ReportPlanInput) ([]Warning, error)
	// UpdateReportPlan changes the planned deputies (CanManageReportPlan),
	// with the same checks as a new plan; a deputy whose 述职 is linked stays.
	UpdateReportPlan(ctx context.Context, id int64, u ReportPlanUpdate) (*ReportPlan, error)
	// DeleteReportPlan withdraws a plan none of whose 述职 is linked yet
	// (CanManageReportPlan; version required): a plan made for the wrong
	// year or group.
	DeleteReportPlan(ctx context.Context, id int64, version int) error
	FindReportPlans(ctx context.Context, f ReportPlanFilter) ([]*ReportPlan, int, error)
	FindReportPlanByID(ctx context.Context, id int64) (*ReportPlan, error)
	// LinkReport links a planned deputy's 述职 activity and the voters
	// present; the first link opens the voters' ballot.
	LinkReport(ctx context.Context, planID, deputyID int64, l ReportLink) (*ReportPlan, error)
}
