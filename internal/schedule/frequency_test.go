package schedule_test

import (
	"slices"
	"testing"

	"lianluo/internal/schedule"
)

func TestSparse(t *testing.T) {
	sessionsOf := func(rrule string) []schedule.Session {
		t.Helper()
		anchor, from, to := year(t, "2026")
		ss, err := rule(rrule, schedule.NextWorkday).Sessions(realCalendar(t), anchor, from, to)
		if err != nil {
			t.Fatal(err)
		}
		return ss
	}
	for _, tc := range []struct {
		name     string
		sessions []schedule.Session
		want     []string
	}{
		{name: "每单月", sessions: yearSessions(t)},
		{name: "每月", sessions: monthlySessions(t)},
		{name: "每双月", sessions: sessionsOf("FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYMONTHDAY=10")},
		{
			name: "每季度", sessions: sessionsOf("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
			want: []string{"2026年按接待规则只有4次接待，2–3月、5–6月、8–9月、11–12月连续两个月没有接待；联络站原则上每两个月至少开展一次代表接待活动，请增加接待或调整接待规则。"},
		},
		{
			name: "每年一次", sessions: sessionsOf("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15"),
			want: []string{"2026年按接待规则只有1次接待，1–2月、2–3月、3–4月、4–5月、7–8月、8–9月、9–10月、10–11月、11–12月连续两个月没有接待；联络站原则上每两个月至少开展一次代表接待活动，请增加接待或调整接待规则。"},
		},
		{
			name: "没有接待", sessions: nil,
			want: []string{"2026年按接待规则只有0次接待，1–2月、2–3月、3–4月、4–5月、5–6月、6–7月、7–8月、8–9月、9–10月、10–11月、11–12月连续两个月没有接待；联络站原则上每两个月至少开展一次代表接待活动，请增加接待或调整接待规则。"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := schedule.Sparse(tc.sessions, 2026)
			if !slices.Equal(messages(got), tc.want) {
				t.Errorf("Sparse = %q; want %q", messages(got), tc.want)
			}
			for _, p := range got {
				if p.Code != schedule.ProblemSparse {
					t.Errorf("Sparse code = %q; want %q", p.Code, schedule.ProblemSparse)
				}
			}
		})
	}
}
