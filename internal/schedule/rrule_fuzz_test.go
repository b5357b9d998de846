package schedule_test

import (
	"reflect"
	"testing"

	"lianluo"
	"lianluo/internal/schedule"
)

// FuzzParseRRule: any text is either a field error on rrule or a rule
// within the documented bounds that prints in RRULE form and parses back to
// itself.
func FuzzParseRRule(f *testing.F) {
	for _, s := range []string{
		"FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15",
		"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO;",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
		"FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR;UNTIL=20261231T160000Z",
		"freq=monthly;byday=1tu;count=12",
		"FREQ=DAILY", "FREQ=WEEKLY;BYDAY=1TU", "BYDAY=,", "FREQ=MONTHLY;BYMONTHDAY=-0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rc, err := schedule.ParseRRule(s)
		if err != nil {
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "rrule" || lianluo.ErrorMessage(err) == "" {
				t.Fatalf("ParseRRule(%q) = %v; want a field error on rrule", s, err)
			}
			return
		}
		switch {
		case rc.Freq != schedule.Weekly && rc.Freq != schedule.Monthly && rc.Freq != schedule.Yearly,
			rc.Interval < 1 || rc.Interval > 99,
			rc.Count < 0 || rc.Count > 1000,
			rc.Count > 0 && !rc.Until.IsZero(),
			!within(rc.ByMonth, 1, 12, false), !within(rc.ByMonthDay, 1, 31, true), !within(rc.BySetPos, 1, 366, true):
			t.Fatalf("ParseRRule(%q) = %+v: out of bounds", s, rc)
		}
		for _, wn := range rc.ByDay {
			if wn.N < -5 || wn.N > 5 || (wn.N != 0 && rc.Freq == schedule.Weekly) {
				t.Fatalf("ParseRRule(%q): BYDAY %+v", s, wn)
			}
		}
		again, err := schedule.ParseRRule(rc.String())
		if err != nil {
			t.Fatalf("ParseRRule(%q).String() = %q does not parse: %v", s, rc.String(), err)
		}
		if !again.Until.Equal(rc.Until) {
			t.Fatalf("UNTIL of %q: %v, parsed back %v", s, rc.Until, again.Until)
		}
		again.Until = rc.Until
		if !reflect.DeepEqual(again, rc) {
			t.Fatalf("ParseRRule(%q) = %+v; printed %q and parsed back %+v", s, rc, rc.String(), again)
		}
	})
}

// within reports whether every n is in lo…hi (or -hi…-lo when negative is
// allowed) and the list has no duplicates.
func within(ns []int, lo, hi int, negative bool) bool {
	seen := map[int]bool{}
	for _, n := range ns {
		abs := n
		if negative && n < 0 {
			abs = -n
		}
		if abs < lo || abs > hi || seen[n] {
			return false
		}
		seen[n] = true
	}
	return true
}
