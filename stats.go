package lianluo

import (
	"slices"
	"time"
)

// Statistics of cases (统计分析): the facts of one case as the figures need
// them, the counts, and the rates. The store's queries and rollups, the API
// and the pages all count with these rules; docs/statistics.md says in words
// how each figure is counted.

// Triage outcomes as statistics see them: the triage end states
// (当场答复, 解释说明, 不予受理) and "forward" (报送审核交办).
const (
	TriageAnswered    = "answered"
	TriageExplained   = "explained"
	TriageNotAccepted = "not_accepted"
	TriageForward     = "forward"
)

// CaseFacts is one case as statistics need it. The store fills it from the
// case row, its events, replies, ratings and extension; nothing here is
// derived from the clock except through CountCase's now.
type CaseFacts struct {
	RegisteredAt time.Time  // when the case was registered (受理): the period is chosen on it
	Status       CaseStatus // the current status
	// MasterID is set on a linked duplicate (合并办理): it follows its master
	// and is not counted itself, so a matter raised by ten voters counts once.
	MasterID *int64
	// Triage is the outcome of the latest triage (a case sent back to
	// triage is triaged again): TriageAnswered, TriageExplained,
	// TriageNotAccepted, TriageForward, or "" before triage.
	Triage string
	// EverAssigned: the case reached StatusAssigned at least once (交办).
	EverAssigned bool
	// FirstReplyAt is when a unit first replied (any round), nil if never.
	FirstReplyAt *time.Time
	// DueAtFirstReply is the handling deadline in force at FirstReplyAt,
	// after any extension approved before the reply (003: an approved
	// extension moves the deadline). Nil when no deadline was set.
	DueAtFirstReply *time.Time
	// EverAwaitingEvaluation: the case reached StatusAwaitingEvaluation at
	// least once — the unit's answer was passed on to the voter (反馈).
	// A case in a later round after supervision keeps it.
	EverAwaitingEvaluation bool
	// ReceivedByDeputy: deputies received the case, so the deputy's rating
	// decides the workflow; otherwise the voter's does (000 七).
	ReceivedByDeputy bool
	// DeputyRating and VoterRating are the latest rating of each evaluator
	// (a RatingNames key), "" when none.
	DeputyRating string
	VoterRating  string
	// DueDate is the deadline running now (approval or handling), nil if none.
	DueDate *time.Time
	// Kind is the case's kind: deputies' suggestions and bills are counted
	// by their own statistics (docs/suggestions.md), not as opinions.
	Kind string
}

// DecidingRating is the rating that drives the workflow: the deputy's when
// deputies received the case, otherwise the voter's (000 七: 直到代表基本满意为止).
func (f CaseFacts) DecidingRating() string {
	if f.ReceivedByDeputy {
		return f.DeputyRating
	}
	return f.VoterRating
}

// Counted reports whether the case is counted at all: a linked duplicate is
// counted once, on its master.
func (f CaseFacts) Counted() bool { return f.MasterID == nil && !IsSuggestionKind(f.Kind) }

// IsSatisfied reports whether a rating counts as satisfied: 满意 and 基本满意.
func IsSatisfied(rating string) bool {
	return rating == "satisfied" || rating == "basically_satisfied"
}

// CaseCounts are the figures of a set of cases (a scope and a period, or one
// row of a breakdown). Every count counts each case at most once. The rates
// are nil when their denominator is 0 — there is nothing to measure, which
// is not 0 % and not 100 %. Call WithRates after counting or summing.
type CaseCounts struct {
	// Received (受理数): cases registered in the period, linked duplicates
	// not counted (they are counted once, on their master).
	Received int `json:"received"`
	// AnsweredDirectly: triaged as answered on the spot or explained
	// (当场答复/解释说明).
	AnsweredDirectly int `json:"answered_directly"`
	// NotAccepted: triaged as not accepted (不予受理).
	NotAccepted int `json:"not_accepted"`
	// Assigned (交办数): cases that reached assigned at least once.
	Assigned int `json:"assigned"`
	// Replied: assigned cases with at least one unit reply (答复).
	Replied int `json:"replied"`
	// RepliedOnTime: replied cases whose first reply came on or before the
	// deadline in force at that time (extensions count). A reply with no
	// deadline in force missed none and is on time.
	RepliedOnTime int `json:"replied_on_time"`
	// Responded (有回音): cases whose voter got an answer — answered
	// directly or explained, not accepted (every not-accepted triage gives
	// the voter a signpost to the proper channel, so all count), or reached
	// awaiting_evaluation (the unit's answer fed back) or later.
	Responded int `json:"responded"`
	// Closed (办结): assigned cases now closed or archived. Cases ended at
	// triage are counted in AnsweredDirectly and NotAccepted instead, so
	// that the closing rate (办结率) is a share of what was assigned.
	Closed int `json:"closed"`
	// Rated and Satisfied: cases with a deciding rating, and those whose
	// deciding rating is 满意 or 基本满意. The deciding rating is the
	// deputy's when deputies received the case, otherwise the voter's.
	Rated     int `json:"rated"`
	Satisfied int `json:"satisfied"`
	// VoterRated and VoterSatisfied: the same on the voter's own rating,
	// reported separately.
	VoterRated     int `json:"voter_rated"`
	VoterSatisfied int `json:"voter_satisfied"`
	// OverdueOpen: cases past their running deadline now (the rule of the
	// overdue list: awaiting approval, assignment or a reply, due date passed).
	OverdueOpen int `json:"overdue_open"`

	// ResponseRate (件件有回音): Responded / Received.
	ResponseRate *float64 `json:"response_rate"`
	// ClosingRate (办结率): Closed / Assigned.
	ClosingRate *float64 `json:"closing_rate"`
	// OnTimeRate (按时答复率): RepliedOnTime / Replied.
	OnTimeRate *float64 `json:"on_time_rate"`
	// SatisfactionRate (满意率): Satisfied / Rated.
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	// VoterSatisfactionRate (群众满意率): VoterSatisfied / VoterRated.
	VoterSatisfactionRate *float64 `json:"voter_satisfaction_rate"`
}

// CountCase returns the counts of one case at now: each count 0 or 1, the
// rates unset. A linked duplicate counts nothing. The caller has chosen the
// case by its registration date; now only decides OverdueOpen.
func CountCase(f CaseFacts, now time.Time) CaseCounts {
	var c CaseCounts
	if !f.Counted() {
		return c
	}
	b := func(ok bool) int {
		if ok {
			return 1
		}
		return 0
	}
	direct := f.Triage == TriageAnswered || f.Triage == TriageExplained
	notAccepted := f.Triage == TriageNotAccepted
	replied := f.EverAssigned && f.FirstReplyAt != nil
	c.Received = 1
	c.AnsweredDirectly = b(direct)
	c.NotAccepted = b(notAccepted)
	c.Assigned = b(f.EverAssigned)
	c.Replied = b(replied)
	c.RepliedOnTime = b(replied && (f.DueAtFirstReply == nil || !f.FirstReplyAt.After(*f.DueAtFirstReply)))
	c.Responded = b(direct || notAccepted || f.EverAwaitingEvaluation)
	c.Closed = b(f.EverAssigned && !IsOpen(f.Status))
	deciding := f.DecidingRating()
	c.Rated = b(deciding != "")
	c.Satisfied = b(IsSatisfied(deciding))
	c.VoterRated = b(f.VoterRating != "")
	c.VoterSatisfied = b(IsSatisfied(f.VoterRating))
	c.OverdueOpen = b(OverdueAt(f.Status, f.DueDate, now))
	return c
}

// Add counts one more case into c (see CountCase); the rates are left as
// they were: call WithRates when done.
func (c *CaseCounts) Add(f CaseFacts, now time.Time) {
	*c = c.Plus(CountCase(f, now))
}

// Plus returns the sum of two sets of counts (rows into totals, days into
// a period), with the rates recomputed from the summed counts — rates are
// never added or averaged.
func (c CaseCounts) Plus(o CaseCounts) CaseCounts {
	s := CaseCounts{
		Received:         c.Received + o.Received,
		AnsweredDirectly: c.AnsweredDirectly + o.AnsweredDirectly,
		NotAccepted:      c.NotAccepted + o.NotAccepted,
		Assigned:         c.Assigned + o.Assigned,
		Replied:          c.Replied + o.Replied,
		RepliedOnTime:    c.RepliedOnTime + o.RepliedOnTime,
		Responded:        c.Responded + o.Responded,
		Closed:           c.Closed + o.Closed,
		Rated:            c.Rated + o.Rated,
		Satisfied:        c.Satisfied + o.Satisfied,
		VoterRated:       c.VoterRated + o.VoterRated,
		VoterSatisfied:   c.VoterSatisfied + o.VoterSatisfied,
		OverdueOpen:      c.OverdueOpen + o.OverdueOpen,
	}
	return s.WithRates()
}

// WithRates returns c with every rate computed from its counts.
func (c CaseCounts) WithRates() CaseCounts {
	c.ResponseRate = Rate(c.Responded, c.Received)
	c.ClosingRate = Rate(c.Closed, c.Assigned)
	c.OnTimeRate = Rate(c.RepliedOnTime, c.Replied)
	c.SatisfactionRate = Rate(c.Satisfied, c.Rated)
	c.VoterSatisfactionRate = Rate(c.VoterSatisfied, c.VoterRated)
	return c
}

// Rate is part/whole as a fraction in [0, 1], or nil when whole is 0.
func Rate(part, whole int) *float64 {
	if whole <= 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// OverdueStatuses are the statuses with a running deadline: approval
// (000: assign within ten days) and handling.
var OverdueStatuses = []CaseStatus{StatusPendingApproval, StatusAssigned, StatusHandling}

// OverdueAt reports whether a case in status with the running deadline due
// is past it at now: only while it awaits approval, signing or a reply.
// A case replied, evaluated, supervised or closed is not overdue, whatever
// its last deadline; a triage end state has none.
func OverdueAt(status CaseStatus, due *time.Time, now time.Time) bool {
	return slices.Contains(OverdueStatuses, status) && due != nil && due.Before(now)
}
