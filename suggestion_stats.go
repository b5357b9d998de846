package lianluo

import (
	"context"
	"slices"
	"time"
)

// Statistics of deputies' suggestions and bills (docs/suggestions.md,
// "Statistics and the handling report"): the facts of one suggestion or
// bill as the figures need them, the counts of one (CountSuggestion), their
// sums and rates. The store reads the facts of a session, the API, the
// Excel export and the 办理情况报告 all count with these rules.

// SuggestionFacts is one suggestion or bill (not a draft) as the statistics
// need it. The store fills it from the case row, its history (case_events),
// replies, 面商 records and ratings; nothing here depends on the clock but
// through CountSuggestion's now.
type SuggestionFacts struct {
	Kind   string     // KindSuggestion or KindBill (a converted bill is a suggestion now)
	Status CaseStatus // the current status
	// TransferDue is the 15-day transfer deadline (TransferDue) counted
	// from the latest submit or convert_to_suggestion step; nil for a bill.
	TransferDue *time.Time
	// TransferredAt is the first transfer step's time, nil if never transferred.
	TransferredAt *time.Time
	// FirstReplyAt is the unit's first written answer (any round), and
	// DueAtFirstReply the reply deadline in force then: the transfer's
	// three months, moved by an extension approved before the answer, or
	// by a redo's deadline.
	FirstReplyAt    *time.Time
	DueAtFirstReply *time.Time
	// Result is the latest answer's result class (A, B, C), "" if none.
	Result string
	// Consulted: the round of the latest answer has a 面商 or the
	// deputy's written waiver recorded; Waived: that record is a waiver only.
	Consulted, Waived bool
	// Rating is the lead deputy's latest evaluation (RatingNames key), "" if none.
	Rating string
	// Key: marked 重点督办.
	Key bool
	// DueDate is the deadline running now (transfer, answer, redo).
	DueDate *time.Time
	// Bills: ever put on the agenda, a resolution passed, converted into a suggestion.
	OnAgenda, Passed, Converted bool
}

// SuggestionCounts are the figures of a set of suggestions (a session, or
// one unit's row). Each count counts a suggestion at most once; the rates
// are nil when their denominator is 0. Call WithRates after summing.
type SuggestionCounts struct {
	// Received (收到建议): suggestions submitted, converted bills included.
	Received int `json:"received"`
	// Transferred (已交办) and TransferredOnTime (按时交办): the first
	// transfer step on or before the 15-day deadline.
	Transferred       int `json:"transferred"`
	TransferredOnTime int `json:"transferred_on_time"`
	// TransferOverdue (逾期未交办): not transferred and past the 15 days now.
	TransferOverdue int `json:"transfer_overdue"`
	// Answered (已答复) and AnsweredOnTime (按时答复): the first written
	// answer on or before the reply deadline in force then.
	Answered       int `json:"answered"`
	AnsweredOnTime int `json:"answered_on_time"`
	// ReplyOverdue (逾期未答复): transferred, not answered, past the deadline now.
	ReplyOverdue int `json:"reply_overdue"`
	// Consulted (已面商): answered with a 面商 or a waiver in the answer's
	// round; Waived: of those, by the deputy's written waiver.
	Consulted int `json:"consulted"`
	Waived    int `json:"waived"`
	// A, B, C: answered suggestions by the latest answer's result class.
	A int `json:"a"`
	B int `json:"b"`
	C int `json:"c"`
	// Evaluated (已评价) and Satisfied (满意+基本满意): the lead deputy's
	// latest evaluation.
	Evaluated int `json:"evaluated"`
	Satisfied int `json:"satisfied"`
	// Closed (办结): closed or archived.
	Closed int `json:"closed"`
	// Key (重点督办).
	Key int `json:"key"`

	TransferOnTimeRate *float64 `json:"transfer_on_time_rate"` // TransferredOnTime / Transferred
	ReplyOnTimeRate    *float64 `json:"reply_on_time_rate"`    // AnsweredOnTime / Answered
	ConsultRate        *float64 `json:"consult_rate"`          // 面商率: Consulted / Answered
	AShare             *float64 `json:"a_share"`               // A / Answered
	BShare             *float64 `json:"b_share"`
	CShare             *float64 `json:"c_share"`
	SatisfactionRate   *float64 `json:"satisfaction_rate"` // Satisfied / Evaluated
}

// BillCounts are the figures of a session's bills (议案).
type BillCounts struct {
	Proposed  int `json:"proposed"`  // 提出: submitted, converted ones included
	OnAgenda  int `json:"on_agenda"` // 列入大会议程
	Passed    int `json:"passed"`    // 表决通过、作出决议
	Converted int `json:"converted"` // 不列入议程、转为建议
}

func b01(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// CountSuggestion returns the counts of one suggestion or bill at now:
// each count 0 or 1, the rates unset. A draft counts nothing. now only
// decides TransferOverdue and ReplyOverdue.
func CountSuggestion(f SuggestionFacts, now time.Time) (SuggestionCounts, BillCounts) {
	var s SuggestionCounts
	var b BillCounts
	if f.Status == StatusDraft || f.Status == "" {
		return s, b
	}
	if f.Kind == KindBill || f.Converted {
		b = BillCounts{Proposed: 1, OnAgenda: b01(f.OnAgenda), Passed: b01(f.Passed), Converted: b01(f.Converted)}
	}
	if f.Kind != KindSuggestion {
		return s, b
	}
	transferred := f.TransferredAt != nil
	answered := f.FirstReplyAt != nil
	s.Received = 1
	s.Transferred = b01(transferred)
	s.TransferredOnTime = b01(transferred && (f.TransferDue == nil || !f.TransferredAt.After(*f.TransferDue)))
	s.TransferOverdue = b01(!transferred && f.Status == StatusSubmitted && f.TransferDue != nil && now.After(*f.TransferDue))
	s.Answered = b01(answered)
	s.AnsweredOnTime = b01(answered && (f.DueAtFirstReply == nil || !f.FirstReplyAt.After(*f.DueAtFirstReply)))
	s.ReplyOverdue = b01(transferred && !answered && OverdueAt(f.Status, f.DueDate, now))
	s.Consulted = b01(answered && f.Consulted)
	s.Waived = b01(answered && f.Consulted && f.Waived)
	s.A = b01(answered && f.Result == "A")
	s.B = b01(answered && f.Result == "B")
	s.C = b01(answered && f.Result == "C")
	s.Evaluated = b01(f.Rating != "")
	s.Satisfied = b01(IsSatisfied(f.Rating))
	s.Closed = b01(f.Status == StatusClosed || f.Status == StatusArchived)
	s.Key = b01(f.Key)
	return s, b
}

// Plus returns the sum of two sets of counts with the rates recomputed.
func (c SuggestionCounts) Plus(o SuggestionCounts) SuggestionCounts {
	s := SuggestionCounts{
		Received: c.Received + o.Received, Transferred: c.Transferred + o.Transferred,
		TransferredOnTime: c.TransferredOnTime + o.TransferredOnTime, TransferOverdue: c.TransferOverdue + o.TransferOverdue,
		Answered: c.Answered + o.Answered, AnsweredOnTime: c.AnsweredOnTime + o.AnsweredOnTime, ReplyOverdue: c.ReplyOverdue + o.ReplyOverdue,
		Consulted: c.Consulted + o.Consulted, Waived: c.Waived + o.Waived,
		A: c.A + o.A, B: c.B + o.B, C: c.C + o.C,
		Evaluated: c.Evaluated + o.Evaluated, Satisfied: c.Satisfied + o.Satisfied,
		Closed: c.Closed + o.Closed, Key: c.Key + o.Key,
	}
	return s.WithRates()
}

// WithRates returns c with every rate computed from its counts.
func (c SuggestionCounts) WithRates() SuggestionCounts {
	c.TransferOnTimeRate = Rate(c.TransferredOnTime, c.Transferred)
	c.ReplyOnTimeRate = Rate(c.AnsweredOnTime, c.Answered)
	c.ConsultRate = Rate(c.Consulted, c.Answered)
	c.AShare, c.BShare, c.CShare = Rate(c.A, c.Answered), Rate(c.B, c.Answered), Rate(c.C, c.Answered)
	c.SatisfactionRate = Rate(c.Satisfied, c.Evaluated)
	return c
}

// Plus returns the sum of two bills' counts.
func (b BillCounts) Plus(o BillCounts) BillCounts {
	return BillCounts{Proposed: b.Proposed + o.Proposed, OnAgenda: b.OnAgenda + o.OnAgenda, Passed: b.Passed + o.Passed, Converted: b.Converted + o.Converted}
}

// SuggestionStatsFilter chooses the suggestions counted: those of a
// session, or (SessionID 0) those an NPC body received between sessions in
// a year (written in that Beijing year).
type SuggestionStatsFilter struct {
	SessionID int64
	OrgID     int64
	Year      int
}

// Validate checks the filter.
func (f SuggestionStatsFilter) Validate() error {
	switch {
	case f.SessionID < 0:
		return FieldError("session_id", "会议编号不正确。")
	case f.SessionID == 0 && f.OrgID <= 0:
		return FieldError("session_id", "请选择会议（session_id），或闭会期间的人大机构（org_id）和年份（year）。")
	case f.SessionID == 0 && (f.Year < 2000 || f.Year > 2100):
		return FieldError("year", "年份不正确。")
	}
	return nil
}

// SuggestionUnitRow is one lead unit's figures; UnitID 0 gathers the
// suggestions not yet transferred (no unit).
type SuggestionUnitRow struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	SuggestionCounts
}

// SuggestionStatsItem is one suggestion in the report's list.
type SuggestionStatsItem struct {
	ID         int64      `json:"id"`
	Number     int        `json:"number"`
	NumberText string     `json:"number_text"`
	Title      string     `json:"title"`
	LeadDeputy string     `json:"lead_deputy"`
	LeadUnit   string     `json:"lead_unit"`
	Status     CaseStatus `json:"status"`
	Result     string     `json:"result"` // A, B, C or ""
	Rating     string     `json:"rating"` // RatingNames key or ""
	Key        bool       `json:"key"`
}

// SuggestionStatsResult answers GET /api/v1/stats/suggestions: the totals,
// one row per lead unit (adding up to the totals), the bills, and the
// suggestions themselves in number order.
type SuggestionStatsResult struct {
	Session     *CongressSession      `json:"session"` // nil between sessions
	Title       string                `json:"title"`   // the session's name, or the body and year
	Totals      SuggestionCounts      `json:"totals"`
	Units       []SuggestionUnitRow   `json:"units"`
	Bills       BillCounts            `json:"bills"`
	Suggestions []SuggestionStatsItem `json:"suggestions"`
	// UnitsOnly: the caller is a handling unit and sees its own rows only.
	UnitsOnly bool `json:"units_only"`
}

// SuggestionStatsService answers the statistics of suggestions.
type SuggestionStatsService interface {
	SuggestionStats(ctx context.Context, f SuggestionStatsFilter) (*SuggestionStatsResult, error)
}

// SuggestionStatsScope decides what the actor sees of the statistics of an
// NPC body's suggestions: all of them (the body's office and leaders, the
// system administrator), the rows of their own units only (a handling
// unit: units is its units), or nothing (ok false: deputies, station
// staff, the security administrator and the auditor).
func SuggestionStatsScope(a *Actor, orgID int64) (all bool, units []int64, ok bool) {
	if a == nil || a.User == nil {
		return false, nil, false
	}
	if a.IsSystemAdmin() || (a.HasAny(RoleNPCOffice, RoleNPCLeader) && slices.Contains(a.Scope.Orgs, orgID)) {
		return true, nil, true
	}
	if a.Has(RoleUnitHandler) && len(a.Scope.Units) > 0 {
		return false, a.Scope.Units, true
	}
	return false, nil, false
}

// CanSeeSuggestionStats reports whether the actor may ask for the
// statistics of suggestions at all (the role; the body is checked with
// SuggestionStatsScope).
func CanSeeSuggestionStats(a *Actor) bool {
	return a != nil && (a.IsSystemAdmin() || a.HasAny(RoleNPCOffice, RoleNPCLeader, RoleUnitHandler))
}
