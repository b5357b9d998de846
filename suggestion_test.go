package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/holidays"
)

// The statutory periods (003 2) on the working-day calendar: fifteen days
// after the session, three months after transfer, a last day on a rest day
// moving to the next working day (民法典 第二百零三条).
func TestSuggestionDeadlines(t *testing.T) {
	cal, err := lianluo.NewCalendar(holidays.Days())
	if err != nil {
		t.Fatal(err)
	}
	bj := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	day := func(tm time.Time) string { return tm.In(lianluo.Beijing).Format("2006-01-02") }
	for _, tc := range []struct {
		name, got, want string
	}{
		{"15 days after the session's end", day(lianluo.TransferDue(cal, "2026-03-12", bj("2026-03-11 10:00"))), "2026-03-27"},
		{"between sessions: from submission", day(lianluo.TransferDue(cal, "", bj("2026-03-11 10:00"))), "2026-03-26"},
		{"submitted after the session", day(lianluo.TransferDue(cal, "2026-03-12", bj("2026-04-01 10:00"))), "2026-04-16"},
		{"last day in the National Day holiday", day(lianluo.TransferDue(cal, "2026-09-20", bj("2026-09-19 10:00"))), "2026-10-08"},
		{"three months", day(lianluo.SuggestionReplyDue(cal, bj("2026-03-26 10:00"))), "2026-06-26"},
		{"three months ending on the Dragon Boat holiday", day(lianluo.SuggestionReplyDue(cal, bj("2026-03-20 10:00"))), "2026-06-22"},
		{"redo: one month", day(lianluo.RedoDue(cal, bj("2026-06-23 09:00"))), "2026-07-23"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %s; want %s", tc.name, tc.got, tc.want)
		}
	}
}
