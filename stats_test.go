package lianluo_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"lianluo"
)

// statsNow is a Sunday noon in Beijing.
var statsNow = time.Date(2026, 12, 6, 12, 0, 0, 0, lianluo.Beijing)

func at(days int) *time.Time {
	t := statsNow.AddDate(0, 0, days)
	return &t
}

// statsCase is one hand-built case and what it must add to each count.
type statsCase struct {
	name  string
	facts lianluo.CaseFacts
	want  lianluo.CaseCounts
}

// statsCases holds a case in every state. Totals, hand-counted, are in
// TestCaseCountsTotals.
func statsCases() []statsCase {
	reg := statsNow.AddDate(0, -1, 0)
	master := int64(7)
	return []statsCase{
		{"registered, not triaged",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusRegistered},
			lianluo.CaseCounts{Received: 1}},
		{"answered on the spot",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusAnswered, Triage: lianluo.TriageAnswered},
			lianluo.CaseCounts{Received: 1, AnsweredDirectly: 1, Responded: 1}},
		{"explained, then closed: not in closed (never assigned)",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusClosed, Triage: lianluo.TriageExplained},
			lianluo.CaseCounts{Received: 1, AnsweredDirectly: 1, Responded: 1}},
		{"not accepted, with its signpost",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusNotAccepted, Triage: lianluo.TriageNotAccepted},
			lianluo.CaseCounts{Received: 1, NotAccepted: 1, Responded: 1}},
		{"pending approval, within its ten days",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusPendingApproval, Triage: lianluo.TriageForward, DueDate: at(3)},
			lianluo.CaseCounts{Received: 1}},
		{"assigned, not yet signed",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusAssigned, Triage: lianluo.TriageForward, EverAssigned: true, DueDate: at(10)},
			lianluo.CaseCounts{Received: 1, Assigned: 1}},
		{"handling, overdue",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusHandling, Triage: lianluo.TriageForward, EverAssigned: true, DueDate: at(-1)},
			lianluo.CaseCounts{Received: 1, Assigned: 1, OverdueOpen: 1}},
		{"handling, due exactly now: not yet overdue",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusHandling, Triage: lianluo.TriageForward, EverAssigned: true, DueDate: at(0)},
			lianluo.CaseCounts{Received: 1, Assigned: 1}},
		{"replied at the very deadline (on time), deadline since passed",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusReplied, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-5), DueAtFirstReply: at(-5), DueDate: at(-5)},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1}},
		{"replied late, fed back, awaiting evaluation",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusAwaitingEvaluation, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-4), DueAtFirstReply: at(-6), DueDate: at(-6), EverAwaitingEvaluation: true},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, Responded: 1}},
		{"on time only thanks to an extension; deputy satisfied, voter not; closed",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusClosed, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-10), DueAtFirstReply: at(-2), DueDate: at(-2), EverAwaitingEvaluation: true,
				ReceivedByDeputy: true, DeputyRating: "satisfied", VoterRating: "unsatisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1, Responded: 1, Closed: 1, Rated: 1, Satisfied: 1, VoterRated: 1}},
		{"deputy unsatisfied, supervising",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusSupervising, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-10), DueAtFirstReply: at(-9), DueDate: at(-9), EverAwaitingEvaluation: true,
				ReceivedByDeputy: true, DeputyRating: "unsatisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1, Responded: 1, Rated: 1}},
		{"deputy basically satisfied, voter satisfied, archived",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusArchived, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-20), DueAtFirstReply: at(-19), DueDate: at(-19), EverAwaitingEvaluation: true,
				ReceivedByDeputy: true, DeputyRating: "basically_satisfied", VoterRating: "satisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1, Responded: 1, Closed: 1, Rated: 1, Satisfied: 1, VoterRated: 1, VoterSatisfied: 1}},
		{"no deputy received it: the voter's rating decides",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusClosed, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-3), DueAtFirstReply: at(-4), DueDate: at(-4), EverAwaitingEvaluation: true,
				VoterRating: "basically_satisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, Responded: 1, Closed: 1, Rated: 1, Satisfied: 1, VoterRated: 1, VoterSatisfied: 1}},
		{"second round after supervision: still responded, rated on the latest rating",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusHandling, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-30), DueAtFirstReply: at(-29), DueDate: at(5), EverAwaitingEvaluation: true,
				ReceivedByDeputy: true, DeputyRating: "unsatisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1, Responded: 1, Rated: 1}},
		{"a deputy's case with only the voter's rating: not rated (deputy decides)",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusAwaitingEvaluation, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-3), DueAtFirstReply: at(-3), DueDate: at(-3), EverAwaitingEvaluation: true,
				ReceivedByDeputy: true, VoterRating: "satisfied"},
			lianluo.CaseCounts{Received: 1, Assigned: 1, Replied: 1, RepliedOnTime: 1, Responded: 1, VoterRated: 1, VoterSatisfied: 1}},
		{"linked follower: counted on its master, not here",
			lianluo.CaseFacts{RegisteredAt: reg, Status: lianluo.StatusHandling, MasterID: &master, Triage: lianluo.TriageForward, EverAssigned: true,
				FirstReplyAt: at(-3), DueAtFirstReply: at(-4), DueDate: at(-4), ReceivedByDeputy: true, DeputyRating: "satisfied", VoterRating: "satisfied"},
			lianluo.CaseCounts{}},
	}
}

func TestCountCase(t *testing.T) {
	for _, tc := range statsCases() {
		t.Run(tc.name, func(t *testing.T) {
			if got := lianluo.CountCase(tc.facts, statsNow); got != tc.want {
				t.Errorf("CountCase() = %+v; want %+v", got, tc.want)
			}
		})
	}
}

// TestCaseCountsTotals counts every case of statsCases with Add and checks
// each figure against a hand count.
func TestCaseCountsTotals(t *testing.T) {
	var c lianluo.CaseCounts
	for _, tc := range statsCases() {
		c.Add(tc.facts, statsNow)
	}
	c = c.WithRates()
	counts := []struct {
		name      string
		got, want int
	}{
		{"received", c.Received, 16},
		{"answered_directly", c.AnsweredDirectly, 2},
		{"not_accepted", c.NotAccepted, 1},
		{"assigned", c.Assigned, 11},
		{"replied", c.Replied, 8},
		{"replied_on_time", c.RepliedOnTime, 6},
		{"responded", c.Responded, 10},
		{"closed", c.Closed, 3},
		{"rated", c.Rated, 5},
		{"satisfied", c.Satisfied, 3},
		{"voter_rated", c.VoterRated, 4},
		{"voter_satisfied", c.VoterSatisfied, 3},
		{"overdue_open", c.OverdueOpen, 1},
	}
	for _, n := range counts {
		if n.got != n.want {
			t.Errorf("%s = %d; want %d", n.name, n.got, n.want)
		}
	}
	rates := []struct {
		name string
		got  *float64
		want float64
	}{
		{"response_rate", c.ResponseRate, 10.0 / 16},
		{"closing_rate", c.ClosingRate, 3.0 / 11},
		{"on_time_rate", c.OnTimeRate, 6.0 / 8},
		{"satisfaction_rate", c.SatisfactionRate, 3.0 / 5},
		{"voter_satisfaction_rate", c.VoterSatisfactionRate, 3.0 / 4},
	}
	for _, r := range rates {
		if r.got == nil || *r.got != r.want {
			t.Errorf("%s = %v; want %v", r.name, ptrText(r.got), r.want)
		}
	}
}

func ptrText(f *float64) string {
	if f == nil {
		return "nil"
	}
	b, _ := json.Marshal(*f)
	return string(b)
}

func TestCaseCountsRatesNilOnZeroDenominator(t *testing.T) {
	registeredOnly := lianluo.CaseCounts{}
	registeredOnly.Add(lianluo.CaseFacts{Status: lianluo.StatusRegistered}, statsNow)
	registeredOnly = registeredOnly.WithRates()
	tests := []struct {
		name string
		c    lianluo.CaseCounts
		json string // what the rates must read as
	}{
		{"nothing at all", lianluo.CaseCounts{}.WithRates(),
			`"response_rate":null,"closing_rate":null,"on_time_rate":null,"satisfaction_rate":null,"voter_satisfaction_rate":null`},
		{"one case received, nothing else", registeredOnly,
			`"response_rate":0,"closing_rate":null,"on_time_rate":null,"satisfaction_rate":null,"voter_satisfaction_rate":null`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.json) {
				t.Errorf("json.Marshal(%+v) = %s; want it to contain %s", tc.c, b, tc.json)
			}
		})
	}
	if r := lianluo.Rate(1, 0); r != nil {
		t.Errorf("Rate(1, 0) = %v; want nil", *r)
	}
}

func TestCaseCountsJSONNames(t *testing.T) {
	b, err := json.Marshal(lianluo.CaseCounts{}.WithRates())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"received", "answered_directly", "not_accepted", "assigned", "replied", "replied_on_time",
		"responded", "closed", "rated", "satisfied", "voter_rated", "voter_satisfied", "overdue_open",
		"response_rate", "closing_rate", "on_time_rate", "satisfaction_rate", "voter_satisfaction_rate"}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("json.Marshal(CaseCounts) has no %q: %s", k, b)
		}
	}
	if len(m) != len(want) {
		t.Errorf("json.Marshal(CaseCounts) has %d fields; want %d: %s", len(m), len(want), b)
	}
}

// TestCaseCountsPlus sums rows into totals: the sum of any split equals the
// count of the whole, and rates come from the summed counts, not averaged.
func TestCaseCountsPlus(t *testing.T) {
	cases := statsCases()
	var whole lianluo.CaseCounts
	for _, tc := range cases {
		whole.Add(tc.facts, statsNow)
	}
	whole = whole.WithRates()
	for _, split := range []int{0, 1, 5, 9, len(cases)} {
		var a, b lianluo.CaseCounts
		for i, tc := range cases {
			if i < split {
				a.Add(tc.facts, statsNow)
			} else {
				b.Add(tc.facts, statsNow)
			}
		}
		if got := a.Plus(b); !sameCounts(got, whole) {
			t.Errorf("split at %d: Plus() = %+v; want %+v", split, got, whole)
		}
	}

	x := lianluo.CaseCounts{Received: 2, Responded: 1}.WithRates() // 50 %
	y := lianluo.CaseCounts{Received: 1, Responded: 1}.WithRates() // 100 %
	got := x.Plus(y)
	if got.ResponseRate == nil || *got.ResponseRate != 2.0/3 {
		t.Errorf("(1/2).Plus(1/1).ResponseRate = %s; want %v (not the mean 0.75)", ptrText(got.ResponseRate), 2.0/3)
	}
}

func sameCounts(a, b lianluo.CaseCounts) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestOverdueAt(t *testing.T) {
	tests := []struct {
		status lianluo.CaseStatus
		due    *time.Time
		want   bool
	}{
		{lianluo.StatusPendingApproval, at(-1), true},
		{lianluo.StatusAssigned, at(-1), true},
		{lianluo.StatusHandling, at(-1), true},
		{lianluo.StatusHandling, at(0), false},
		{lianluo.StatusHandling, at(1), false},
		{lianluo.StatusHandling, nil, false},
		{lianluo.StatusReplied, at(-1), false},
		{lianluo.StatusAwaitingEvaluation, at(-1), false},
		{lianluo.StatusSupervising, at(-1), false},
		{lianluo.StatusClosed, at(-1), false},
		{lianluo.StatusArchived, at(-1), false},
		{lianluo.StatusAnswered, at(-1), false},
		{lianluo.StatusRegistered, at(-1), false},
	}
	for _, tc := range tests {
		if got := lianluo.OverdueAt(tc.status, tc.due, statsNow); got != tc.want {
			t.Errorf("OverdueAt(%s, %v) = %v; want %v", tc.status, tc.due, got, tc.want)
		}
		c := &lianluo.Case{Status: tc.status, DueDate: tc.due}
		if got := c.IsOverdue(statsNow); got != tc.want {
			t.Errorf("Case{%s, %v}.IsOverdue() = %v; want %v", tc.status, tc.due, got, tc.want)
		}
	}
}
