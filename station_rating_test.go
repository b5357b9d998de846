package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
)

func TestMailboxWeeks(t *testing.T) {
	bj := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
		if err != nil {
			panic(err)
		}
		return t
	}
	open := []time.Time{bj("2025-12-31 09:00"), bj("2026-01-01 00:00"), bj("2026-01-07 23:59"), bj("2026-01-08 00:00"), bj("2026-02-01 09:00")}
	for _, tc := range []struct {
		now           string
		weeks, opened int
	}{
		{"2025-12-31 10:00", 0, 0},
		{"2026-01-01 10:00", 1, 1},
		{"2026-01-08 00:00", 1, 1},  // the first week just over; the opening at midnight not yet
		{"2026-01-08 00:01", 2, 2},  // the second week begun, opened at its first minute
		{"2026-02-01 08:00", 5, 2},  // before the opening of that morning
		{"2027-03-01 00:00", 53, 3}, // the whole year: 52 weeks and a day
	} {
		w, o := lianluo.MailboxWeeks(2026, open, bj(tc.now))
		if w != tc.weeks || o != tc.opened {
			t.Errorf("MailboxWeeks at %s = %d, %d; want %d, %d", tc.now, w, o, tc.weeks, tc.opened)
		}
	}
}

func TestStationRatingApply(t *testing.T) {
	s := lianluo.DefaultStationRating()
	total := 0.0
	for _, it := range s.Items {
		total += it.Weight
	}
	if total != 100 {
		t.Errorf("default weights add up to %v", total)
	}
	// Everything at its norm: 100, green; more activities than six and
	// more than 90 % participation earn no more.
	r := lianluo.StationStatsRow{StationFacts: lianluo.StationFacts{ReceptionsScheduled: 12, ReceptionsHeld: 12, ReceptionSeats: 24, ReceptionPresent: 24,
		Activities: 9, ActivityInvited: 10, ActivityPresent: 9, MailboxWeeks: 52, MailboxWeeksOpened: 52, ChecklistTotal: 9, ChecklistDone: 9,
		Cases: lianluo.CaseCounts{Received: 4, Responded: 4, Rated: 2, Satisfied: 2}}}
	s.Apply(&r)
	if r.Score != 100 || r.Grade != lianluo.GradeGreen {
		t.Errorf("at the norms: %v %s (%+v)", r.Score, r.Grade, r.Breakdown)
	}
	// Nothing measured at all but the activities and mailbox: 0, red.
	var z lianluo.StationStatsRow
	s.Apply(&z)
	if z.Score != 0 || z.Grade != lianluo.GradeRed {
		t.Errorf("empty: %v %s", z.Score, z.Grade)
	}
	if s.Grade(85) != lianluo.GradeGreen || s.Grade(84.9) != lianluo.GradeYellow || s.Grade(60) != lianluo.GradeYellow || s.Grade(59.9) != lianluo.GradeRed {
		t.Error("grade thresholds")
	}
	if _, err := (lianluo.StationRating{Items: []lianluo.RatingItem{
		{Key: lianluo.RateReceptions}, {Key: lianluo.RateAttendance}, {Key: lianluo.RateActivities}, {Key: lianluo.RateParticipation},
		{Key: lianluo.RateResponse}, {Key: lianluo.RateSatisfaction}, {Key: lianluo.RateMailbox}, {Key: lianluo.RateChecklist}}}).Merge(s); lianluo.ErrorField(err) != "items" {
		t.Errorf("all weights 0: %v", err)
	}
}
