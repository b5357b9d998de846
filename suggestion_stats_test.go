package lianluo

import (
	"testing"
	"time"
)

func TestCountSuggestion(t *testing.T) {
	day := func(s string) *time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	now := *day("2026-08-01 10:00")
	// Answered A on time with a 面商, satisfied, key.
	a := SuggestionFacts{Kind: KindSuggestion, Status: StatusClosed, TransferDue: day("2026-03-27 23:59"), TransferredAt: day("2026-03-26 10:00"),
		FirstReplyAt: day("2026-05-10 10:00"), DueAtFirstReply: day("2026-06-26 23:59"), Result: "A", Consulted: true, Rating: "satisfied", Key: true}
	// Transferred late, answered late with a waiver, C, unsatisfied; redone.
	b := SuggestionFacts{Kind: KindSuggestion, Status: StatusHandling, TransferDue: day("2026-03-27 23:59"), TransferredAt: day("2026-03-30 10:00"),
		FirstReplyAt: day("2026-07-10 10:00"), DueAtFirstReply: day("2026-06-30 23:59"), Result: "C", Consulted: true, Waived: true,
		Rating: "unsatisfied", DueDate: day("2026-08-10 23:59")}
	// Not transferred, past the fifteen days.
	c := SuggestionFacts{Kind: KindSuggestion, Status: StatusSubmitted, TransferDue: day("2026-03-27 23:59"), DueDate: day("2026-03-27 23:59")}
	// A converted bill, and a bill passed; a draft counts nothing.
	conv := SuggestionFacts{Kind: KindSuggestion, Status: StatusSubmitted, TransferDue: day("2026-08-20 23:59"), Converted: true}
	bill := SuggestionFacts{Kind: KindBill, Status: StatusClosed, OnAgenda: true, Passed: true}
	draft := SuggestionFacts{Kind: KindSuggestion, Status: StatusDraft}

	var tot SuggestionCounts
	var bills BillCounts
	for _, f := range []SuggestionFacts{a, b, c, conv, bill, draft} {
		s, bc := CountSuggestion(f, now)
		tot, bills = tot.Plus(s), bills.Plus(bc)
	}
	want := SuggestionCounts{Received: 4, Transferred: 2, TransferredOnTime: 1, TransferOverdue: 1, Answered: 2, AnsweredOnTime: 1,
		Consulted: 2, Waived: 1, A: 1, C: 1, Evaluated: 2, Satisfied: 1, Closed: 1, Key: 1}
	got := tot
	got.TransferOnTimeRate, got.ReplyOnTimeRate, got.ConsultRate, got.AShare, got.BShare, got.CShare, got.SatisfactionRate = nil, nil, nil, nil, nil, nil, nil
	if got != want {
		t.Errorf("counts:\n got %+v\nwant %+v", got, want)
	}
	if *tot.TransferOnTimeRate != 0.5 || *tot.ReplyOnTimeRate != 0.5 || *tot.ConsultRate != 1 || *tot.AShare != 0.5 || *tot.BShare != 0 || *tot.SatisfactionRate != 0.5 {
		t.Errorf("rates: %+v", tot)
	}
	if bills != (BillCounts{Proposed: 2, OnAgenda: 1, Passed: 1, Converted: 1}) {
		t.Errorf("bills: %+v", bills)
	}
	// Nothing answered: the rates over answers are unset, not 0 %.
	s, _ := CountSuggestion(c, now)
	if s = s.WithRates(); s.ConsultRate != nil || s.AShare != nil || s.TransferOnTimeRate != nil {
		t.Errorf("rates without a denominator: %+v", s)
	}
}
