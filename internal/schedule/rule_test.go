package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/holidays"
	"lianluo/internal/schedule"
)

// realCalendar is the official arrangement 2015–2026 (internal/holidays).
func realCalendar(tb testing.TB) *lianluo.Calendar {
	tb.Helper()
	c, err := lianluo.NewCalendar(holidays.Days())
	if err != nil {
		tb.Fatalf("NewCalendar(holidays.Days()) = %v", err)
	}
	return c
}

// day parses a Beijing date "2006-01-02" to its midnight in Beijing.
func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation(time.DateOnly, s, lianluo.Beijing)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// at parses a Beijing time "2006-01-02 15:04".
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// oddMonths is 000's rule: 每单月十五日上午9:00—11:00.
var oddMonths = schedule.Rule{
	RRule:     "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15",
	Start:     "09:00",
	End:       "11:00",
	OnHoliday: schedule.NextWorkday,
	Form:      schedule.FormFixed,
}

func rule(rrule, onHoliday string) schedule.Rule {
	r := oddMonths
	r.RRule, r.OnHoliday = rrule, onHoliday
	return r
}

// dates renders sessions as "2026-03-16" or, for a moved one,
// "2026-03-16<2026-03-15", and merged dates as "+2026-10-01".
func dates(sessions []schedule.Session) []string {
	var out []string
	for _, s := range sessions {
		d := s.Date.Format(time.DateOnly)
		if s.Moved {
			d += "<" + s.MovedFrom.Format(time.DateOnly)
		}
		for _, m := range s.Merged {
			d += "+" + m.Format(time.DateOnly)
		}
		out = append(out, d)
	}
	return out
}

// year returns the anchor, from and to of a plan for year y: 1 January to
// 31 December, with INTERVAL counted from 1 January.
func year(tb testing.TB, y string) (anchor, from, to time.Time) {
	return day(tb, y+"-01-01"), day(tb, y+"-01-01"), day(tb, y+"-12-31")
}

func TestSessionsOnRealCalendar(t *testing.T) {
	cal := realCalendar(t)
	for _, tc := range []struct {
		name       string
		rule       schedule.Rule
		anchor     string // "" for 1 January of the first year of the range
		from, to   string
		want       []string
		wantStarts string // first session's start, Beijing
	}{
		{
			// 000. 3/15 and 11/15 are Sundays.
			name: "每单月十五日", rule: oddMonths, from: "2026-01-01", to: "2026-12-31",
			want:       []string{"2026-01-15", "2026-03-16<2026-03-15", "2026-05-15", "2026-07-15", "2026-09-15", "2026-11-16<2026-11-15"},
			wantStarts: "2026-01-15 09:00",
		},
		{
			name: "每单月十五日，遇节假日取消", rule: rule(oddMonths.RRule, schedule.Skip), from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-01-15", "2026-05-15", "2026-07-15", "2026-09-15"},
		},
		{
			// 春节 2026: 2/15–2/23 off, so 2/15 moves to Tuesday 2/24.
			// 8/15 is a Saturday.
			name: "每月十五日", rule: rule("FREQ=MONTHLY;BYMONTHDAY=15", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{
				"2026-01-15", "2026-02-24<2026-02-15", "2026-03-16<2026-03-15", "2026-04-15", "2026-05-15", "2026-06-15",
				"2026-07-15", "2026-08-17<2026-08-15", "2026-09-15", "2026-10-15", "2026-11-16<2026-11-15", "2026-12-15",
			},
		},
		{
			// 国庆节、中秋节 2025: 10/1–10/8 off; 元旦 2025: 1/1; 春节 2025: 1/28–2/4.
			name: "每月一日 2025", rule: rule("FREQ=MONTHLY;BYMONTHDAY=1", schedule.NextWorkday), from: "2025-01-01", to: "2025-12-31",
			want: []string{
				"2025-01-02<2025-01-01", "2025-02-05<2025-02-01", "2025-03-03<2025-03-01", "2025-04-01", "2025-05-06<2025-05-01", "2025-06-03<2025-06-01",
				"2025-07-01", "2025-08-01", "2025-09-01", "2025-10-09<2025-10-01", "2025-11-03<2025-11-01", "2025-12-01",
			},
		},
		{
			name: "国庆 2026", rule: rule("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-10-08<2026-10-01"},
		},
		{
			// 1TU: 5/5 is 劳动节 (5/1–5/5), 10/6 国庆节 (10/1–10/7).
			name: "每月第一个星期二", rule: rule("FREQ=MONTHLY;BYDAY=1TU", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{
				"2026-01-06", "2026-02-03", "2026-03-03", "2026-04-07", "2026-05-06<2026-05-05", "2026-06-02",
				"2026-07-07", "2026-08-04", "2026-09-01", "2026-10-08<2026-10-06", "2026-11-03", "2026-12-01",
			},
		},
		{
			name: "每月最后一个星期五", rule: rule("FREQ=MONTHLY;BYDAY=-1FR", schedule.Skip), from: "2026-01-01", to: "2026-06-30",
			want: []string{"2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29", "2026-06-26"},
		},
		{
			// Every two months from January: 1/10 is a Saturday, 5/10 a Sunday.
			name: "每两个月十日，自1月起", rule: rule("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-01-12<2026-01-10", "2026-03-10", "2026-05-11<2026-05-10", "2026-07-10", "2026-09-10", "2026-11-10"},
		},
		{
			// The same rule counted from 1 February: the even months. 10/10 is
			// a Saturday worked for 国庆节 (调休), so it is held that day.
			name: "每两个月十日，自2月起", rule: rule("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10", schedule.NextWorkday),
			anchor: "2026-02-01", from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-02-10", "2026-04-10", "2026-06-10", "2026-08-10", "2026-10-10", "2026-12-10"},
		},
		{
			// The anchor may lie years back; the months stay those it counts from.
			name: "每两个月，起算于两年前", rule: rule("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10", schedule.Skip),
			anchor: "2024-02-01", from: "2026-01-01", to: "2026-04-30",
			want: []string{"2026-02-10", "2026-04-10"},
		},
		{
			// 调休 working days count as working days: 2/28 is a worked
			// Saturday (春节), 1/31 a plain one.
			name: "每月最后一天", rule: rule("FREQ=MONTHLY;BYMONTHDAY=-1", schedule.NextWorkday), from: "2026-01-01", to: "2026-03-31",
			want: []string{"2026-02-02<2026-01-31", "2026-02-28", "2026-03-31"},
		},
		{
			// 1/4 is a Sunday worked for 元旦.
			name: "每周日", rule: rule("FREQ=WEEKLY;BYDAY=SU", schedule.NextWorkday), from: "2026-01-01", to: "2026-01-31",
			want: []string{"2026-01-04", "2026-01-12<2026-01-11", "2026-01-19<2026-01-18", "2026-01-26<2026-01-25"},
		},
		{
			// A moved session joins one already on its day: Thursday 10/1 and
			// Friday 10/2 move to Thursday 10/8, which has its own. Friday
			// 9/25 (中秋节) moves into the range.
			name: "每周四、五，国庆", rule: rule("FREQ=WEEKLY;BYDAY=TH,FR", schedule.NextWorkday), from: "2026-09-28", to: "2026-10-11",
			want: []string{"2026-09-28<2026-09-25", "2026-10-08+2026-10-01+2026-10-02", "2026-10-09"},
		},
		{
			// Two moved sessions landing on the same free day make one.
			name: "周末顺延到周一", rule: rule("FREQ=WEEKLY;BYDAY=SA,SU", schedule.NextWorkday), from: "2026-03-02", to: "2026-03-13",
			want: []string{"2026-03-02<2026-03-01", "2026-03-09<2026-03-07+2026-03-08"},
		},
		{
			// A session the rule puts before the range that moves into it is
			// included; one moved out past the end is not.
			name: "期间边界", rule: oddMonths, from: "2026-03-16", to: "2026-11-15",
			want: []string{"2026-03-16<2026-03-15", "2026-05-15", "2026-07-15", "2026-09-15"},
		},
		{
			// 元旦 2024: 2023-12-30 to 2024-01-01 off.
			name: "跨年顺延", rule: rule("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", schedule.NextWorkday), anchor: "2023-01-01", from: "2024-01-01", to: "2024-12-31",
			want: []string{"2024-01-02<2023-12-31", "2024-12-31"},
		},
		{
			name: "COUNT", rule: rule("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-01-15", "2026-02-24<2026-02-15", "2026-03-16<2026-03-15"},
		},
		{
			name: "UNTIL", rule: rule("FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15;UNTIL=20260515", schedule.NextWorkday), from: "2026-01-01", to: "2026-12-31",
			want: []string{"2026-01-15", "2026-03-16<2026-03-15", "2026-05-15"},
		},
		{
			name: "每年3月、9月第一个星期一", rule: rule("FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO", schedule.NextWorkday), from: "2026-01-01", to: "2027-12-31",
			want: []string{"2026-03-02", "2026-09-07", "2027-03-01", "2027-09-06"},
		},
		{
			name: "每两年", rule: rule("FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=1", schedule.NextWorkday), anchor: "2025-01-01", from: "2025-01-01", to: "2028-12-31",
			want: []string{"2025-06-03<2025-06-01", "2027-06-01"}, // 2025-06-01 端午节 (5/31–6/2)
		},
		{
			// BYSETPOS: the last weekday of each month.
			name: "每月最后一个工作日（按星期）", rule: rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", schedule.NextWorkday), from: "2026-01-01", to: "2026-03-31",
			want: []string{"2026-01-30", "2026-02-27", "2026-03-31"},
		},
		{
			// Weeks run Monday to Sunday from the anchor's (12/29–1/4), whose
			// Wednesday 12/31 comes before the anchor.
			name: "每两周的星期三", rule: rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", schedule.NextWorkday), anchor: "2026-01-01", from: "2025-12-01", to: "2026-02-28",
			want: []string{"2026-01-14", "2026-01-28", "2026-02-11", "2026-02-25"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			anchor := day(t, tc.from[:4]+"-01-01")
			if tc.anchor != "" {
				anchor = day(t, tc.anchor)
			}
			got, err := tc.rule.Sessions(cal, anchor, day(t, tc.from), day(t, tc.to))
			if err != nil {
				t.Fatalf("Sessions(%q) error = %v", tc.rule.RRule, err)
			}
			if g := dates(got); !slices.Equal(g, tc.want) {
				t.Errorf("Sessions(%q, %s–%s) =\n %v\nwant\n %v", tc.rule.RRule, tc.from, tc.to, g, tc.want)
			}
			for _, s := range got {
				if !cal.IsWorkday(s.Date) {
					t.Errorf("session on %v, not a working day", s.Date)
				}
				if s.Starts.Location() != lianluo.Beijing || s.Ends.Location() != lianluo.Beijing {
					t.Errorf("session %v not in Beijing time", s.Starts)
				}
				if s.Ends.Sub(s.Starts) != 2*time.Hour || !beijingMidnight(s.Starts).Equal(s.Date) {
					t.Errorf("session %v–%v on %v; want 09:00–11:00 that day", s.Starts, s.Ends, s.Date)
				}
			}
			if tc.wantStarts != "" && !got[0].Starts.Equal(at(t, tc.wantStarts)) {
				t.Errorf("first session starts %v; want %s", got[0].Starts, tc.wantStarts)
			}
		})
	}
}

func beijingMidnight(t time.Time) time.Time {
	y, m, d := t.In(lianluo.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, lianluo.Beijing)
}

// A weekly rule over a whole year: 52 Wednesdays in 2026, two of them
// holidays (2/18 春节, 10/7 国庆节).
func TestSessionsWeeklyYear(t *testing.T) {
	cal := realCalendar(t)
	anchor, from, to := year(t, "2026")
	for _, tc := range []struct {
		onHoliday string
		want      int
		moved     []string
	}{
		{schedule.NextWorkday, 52, []string{"2026-02-24<2026-02-18", "2026-10-08<2026-10-07"}},
		{schedule.Skip, 50, nil},
	} {
		got, err := rule("FREQ=WEEKLY;BYDAY=WE", tc.onHoliday).Sessions(cal, anchor, from, to)
		if err != nil {
			t.Fatalf("Sessions(%s) error = %v", tc.onHoliday, err)
		}
		var moved []string
		for _, s := range got {
			if s.Moved {
				moved = append(moved, dates([]schedule.Session{s})...)
			} else if s.Date.Weekday() != time.Wednesday {
				t.Errorf("Sessions(%s): %v is not a Wednesday", tc.onHoliday, s.Date)
			}
		}
		if len(got) != tc.want || !slices.Equal(moved, tc.moved) {
			t.Errorf("Sessions(%s) = %d sessions, moved %v; want %d, moved %v", tc.onHoliday, len(got), moved, tc.want, tc.moved)
		}
	}
}

// Only the Beijing date of anchor, from and to counts.
func TestSessionsBeijingDates(t *testing.T) {
	cal := realCalendar(t)
	// 2026-03-15T16:30Z is 00:30 on 3/16 in Beijing; 2026-05-14T20:00Z is 04:00 on 5/15.
	from := time.Date(2026, 3, 15, 16, 30, 0, 0, time.UTC)
	to := time.Date(2026, 5, 14, 20, 0, 0, 0, time.UTC)
	got, err := oddMonths.Sessions(cal, day(t, "2026-01-01").UTC(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	if g, want := dates(got), []string{"2026-03-16<2026-03-15", "2026-05-15"}; !slices.Equal(g, want) {
		t.Errorf("Sessions = %v; want %v", g, want)
	}
	if got[1].Starts.Format(time.RFC3339) != "2026-05-15T09:00:00+08:00" {
		t.Errorf("Starts = %v; want 2026-05-15T09:00:00+08:00", got[1].Starts.Format(time.RFC3339))
	}
}

// A nil calendar knows weekends only.
func TestSessionsNilCalendar(t *testing.T) {
	got, err := rule("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1", schedule.NextWorkday).Sessions(nil, day(t, "2026-01-01"), day(t, "2026-01-01"), day(t, "2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if g, want := dates(got), []string{"2026-10-01"}; !slices.Equal(g, want) {
		t.Errorf("Sessions(nil calendar) = %v; want %v", g, want)
	}
}

func TestSessionsErrors(t *testing.T) {
	cal := realCalendar(t)
	for _, tc := range []struct {
		name             string
		rule             schedule.Rule
		anchor, from, to string
		field, message   string
	}{
		{
			// 春节 2026 covers 2/16–2/23: skipping leaves nothing.
			name: "全在假期内", rule: rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=17", schedule.Skip),
			anchor: "2026-01-01", from: "2026-01-01", to: "2026-12-31",
			field: "rrule", message: "该规则在所选期间内没有产生任何接待日期。",
		},
		{
			name: "2月30日", rule: rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", schedule.NextWorkday),
			anchor: "2026-01-01", from: "2026-01-01", to: "2028-12-31",
			field: "rrule", message: "该规则在所选期间内没有产生任何接待日期。",
		},
		{
			name: "UNTIL已过", rule: rule("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20251231", schedule.NextWorkday),
			anchor: "2025-01-01", from: "2026-01-01", to: "2026-12-31",
			field: "rrule", message: "该规则在所选期间内没有产生任何接待日期。",
		},
		{
			name: "起算日期在期间之后", rule: oddMonths,
			anchor: "2027-01-01", from: "2026-01-01", to: "2026-12-31",
			field: "rrule", message: "该规则在所选期间内没有产生任何接待日期。",
		},
		{
			name: "期间颠倒", rule: oddMonths,
			anchor: "2026-01-01", from: "2026-12-31", to: "2026-01-01",
			field: "to", message: "所选期间的结束日期早于开始日期。",
		},
		{
			name: "期间过长", rule: oddMonths,
			anchor: "2026-01-01", from: "2026-01-01", to: "2040-01-01",
			field: "to", message: "所选期间不能超过10年。",
		},
		{
			name: "起算日期过早", rule: oddMonths,
			anchor: "1900-01-01", from: "2026-01-01", to: "2026-12-31",
			field: "anchor", message: "规则的起算日期过早，请检查。",
		},
		{
			name: "规则本身无效", rule: rule("FREQ=DAILY", schedule.NextWorkday),
			anchor: "2026-01-01", from: "2026-01-01", to: "2026-12-31",
			field: "rrule", message: "接待规则（rrule）中的“FREQ=DAILY”暂不支持：联络站接待请按周（WEEKLY）、按月（MONTHLY）或按年（YEARLY）安排。",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rule.Sessions(cal, day(t, tc.anchor), day(t, tc.from), day(t, tc.to))
			if got != nil || !lianluo.Is(err, lianluo.EINVALID) || lianluo.ErrorField(err) != tc.field || lianluo.ErrorMessage(err) != tc.message {
				t.Errorf("Sessions = %v, %v; want field %s: %s", dates(got), err, tc.field, tc.message)
			}
		})
	}
}

func TestParseRRuleErrors(t *testing.T) {
	for _, tc := range []struct {
		rrule, message string
	}{
		{"", "请填写接待规则。"},
		{"FREQ=MONTHLY;BYHOUR=9;BYMONTHDAY=15", "接待规则（rrule）中的“BYHOUR”暂不支持。"},
		{"FREQ=YEARLY;BYWEEKNO=20", "接待规则（rrule）中的“BYWEEKNO”暂不支持。"},
		{"FREQ=MONTHLY;FOO=1", "接待规则（rrule）中的“FOO”无法识别。"},
		{"FREQ=MONTHLY;BYMONTHDAY", "接待规则（rrule）中的“BYMONTHDAY”格式不正确，应为“名称=取值”，如“FREQ=MONTHLY”。"},
		{"FREQ=MONTHLY;=15", "接待规则（rrule）中的“=15”格式不正确，应为“名称=取值”，如“FREQ=MONTHLY”。"},
		{"每月15日", "接待规则（rrule）中的“每月15日”格式不正确，应为“名称=取值”，如“FREQ=MONTHLY”。"},
		{"BYMONTHDAY=15", "接待规则（rrule）缺少FREQ，请指明按周（WEEKLY）、按月（MONTHLY）还是按年（YEARLY）重复。"},
		{"FREQ=DAILY", "接待规则（rrule）中的“FREQ=DAILY”暂不支持：联络站接待请按周（WEEKLY）、按月（MONTHLY）或按年（YEARLY）安排。"},
		{"FREQ=HOURLY", "接待规则（rrule）中的“FREQ=HOURLY”暂不支持：联络站接待请按周（WEEKLY）、按月（MONTHLY）或按年（YEARLY）安排。"},
		{"FREQ=SOMETIMES", "接待规则（rrule）中的“FREQ=SOMETIMES”无效：应为WEEKLY、MONTHLY或YEARLY。"},
		{"FREQ=MONTHLY;FREQ=WEEKLY", "接待规则（rrule）中的“FREQ”出现了不止一次。"},
		{"FREQ=MONTHLY;BYMONTHDAY=32", "接待规则（rrule）中的“BYMONTHDAY=32”无效：日期应为1到31，或-1（最后一天）到-31。"},
		{"FREQ=MONTHLY;BYMONTHDAY=0", "接待规则（rrule）中的“BYMONTHDAY=0”无效：日期应为1到31，或-1（最后一天）到-31。"},
		{"FREQ=MONTHLY;BYMONTHDAY=1,,15", "接待规则（rrule）中的“BYMONTHDAY=”无效：日期应为1到31，或-1（最后一天）到-31。"},
		{"FREQ=MONTHLY;BYMONTH=13;BYMONTHDAY=1", "接待规则（rrule）中的“BYMONTH=13”无效：月份应为1到12。"},
		{"FREQ=MONTHLY;BYMONTH=-1;BYMONTHDAY=1", "接待规则（rrule）中的“BYMONTH=-1”无效：月份应为1到12。"},
		{"FREQ=MONTHLY;INTERVAL=0;BYMONTHDAY=1", "接待规则（rrule）中的“INTERVAL=0”无效：间隔应为1到99之间的整数。"},
		{"FREQ=MONTHLY;INTERVAL=two;BYMONTHDAY=1", "接待规则（rrule）中的“INTERVAL=TWO”无效：间隔应为1到99之间的整数。"},
		{"FREQ=MONTHLY;COUNT=0;BYMONTHDAY=1", "接待规则（rrule）中的“COUNT=0”无效：次数应为1到1000之间的整数。"},
		{"FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=2026-12-31", "接待规则（rrule）中的“UNTIL=2026-12-31”无效：应为年月日，如“20261231”。"},
		{"FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3;UNTIL=20261231", "接待规则（rrule）不能同时使用COUNT和UNTIL。"},
		{"FREQ=MONTHLY;BYDAY=XX", "接待规则（rrule）中的“BYDAY=XX”无效：星期应写作MO、TU、WE、TH、FR、SA、SU，可带序号，如“1TU”“-1FR”。"},
		{"FREQ=MONTHLY;BYDAY=6TU", "接待规则（rrule）中的“BYDAY=6TU”无效：序号应为1到5或-1（最后一个）到-5。"},
		{"FREQ=MONTHLY;BYDAY=0TU", "接待规则（rrule）中的“BYDAY=0TU”无效：序号应为1到5或-1（最后一个）到-5。"},
		{"FREQ=MONTHLY;BYDAY=+TU", "接待规则（rrule）中的“BYDAY=+TU”无效：序号应为1到5或-1（最后一个）到-5。"},
		{"FREQ=WEEKLY", "接待规则（rrule）按周重复时请用BYDAY指明星期几，如“BYDAY=WE”。"},
		{"FREQ=WEEKLY;BYDAY=1TU", "接待规则（rrule）按周重复时BYDAY不能带序号，请写“TU”而不是“1TU”。"},
		{"FREQ=WEEKLY;BYDAY=TU;BYMONTHDAY=1", "接待规则（rrule）按周重复时不能使用BYMONTHDAY。"},
		{"FREQ=MONTHLY", "接待规则（rrule）按月或按年重复时请用BYMONTHDAY指明几号，或用BYDAY指明第几个星期几，如“BYMONTHDAY=15”或“BYDAY=1TU”。"},
		{"FREQ=MONTHLY;BYMONTH=1,3", "接待规则（rrule）按月或按年重复时请用BYMONTHDAY指明几号，或用BYDAY指明第几个星期几，如“BYMONTHDAY=15”或“BYDAY=1TU”。"},
		{"FREQ=YEARLY;BYMONTHDAY=15", "接待规则（rrule）按年重复时请用BYMONTH指明月份，如“BYMONTH=1,7”。"},
		{"FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=1FR", "接待规则（rrule）同时使用BYMONTHDAY时，BYDAY不能带序号。"},
		{"FREQ=MONTHLY;BYSETPOS=1", "接待规则（rrule）中的BYSETPOS须与BYDAY或BYMONTHDAY一起使用。"},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "接待规则（rrule）中的“BYSETPOS=0”无效：序号应为1到366，或-1（最后一个）到-366。"},
		{"FREQ=MONTHLY;BYMONTHDAY=1;WKST=XX", "接待规则（rrule）中的“WKST=XX”无效：应为MO、TU、WE、TH、FR、SA或SU。"},
		{"FREQ=MONTHLY;BYMONTHDAY=" + strings.Repeat("1,", 200) + "1", "接待规则（rrule）过长，请检查是否填写正确。"},
	} {
		_, err := schedule.ParseRRule(tc.rrule)
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "rrule" || lianluo.ErrorMessage(err) != tc.message {
			t.Errorf("ParseRRule(%q) = %v;\nwant rrule: %s", tc.rrule, err, tc.message)
		}
	}
}

func TestParseRRule(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want is the canonical String()
	}{
		{"FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15"},
		{"rrule:freq=monthly;bymonthday=15;", "FREQ=MONTHLY;BYMONTHDAY=15"},
		{" FREQ = MONTHLY ; BYMONTHDAY = 15 ", "FREQ=MONTHLY;BYMONTHDAY=15"},
		{"FREQ=MONTHLY;BYMONTH=11,1,3,1;BYMONTHDAY=-1,15,1,-3", "FREQ=MONTHLY;BYMONTH=1,3,11;BYMONTHDAY=1,15,-3,-1"},
		{"FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU,-1FR,1TU", "FREQ=MONTHLY;BYDAY=1TU,-1FR"},
		{"FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10;WKST=SU", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10"},
		{"FREQ=WEEKLY;BYDAY=WE;UNTIL=20261231T235959Z", "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270101"}, // 2027-01-01 07:59 in Beijing
		{"FREQ=WEEKLY;BYDAY=WE;UNTIL=20261231T235959", "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261231"},
		{"FREQ=YEARLY;BYMONTH=3,9;BYDAY=+1MO;COUNT=4", "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO;COUNT=4"},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"},
	} {
		rc, err := schedule.ParseRRule(tc.in)
		if err != nil {
			t.Errorf("ParseRRule(%q) error = %v", tc.in, err)
			continue
		}
		if got := rc.String(); got != tc.want {
			t.Errorf("ParseRRule(%q).String() = %q; want %q", tc.in, got, tc.want)
		}
		again, err := schedule.ParseRRule(rc.String())
		if err != nil || again.String() != rc.String() {
			t.Errorf("ParseRRule(%q) = %v, %v; want the same rule", rc.String(), again, err)
		}
	}
	rc, _ := schedule.ParseRRule("FREQ=MONTHLY;BYDAY=1TU,-1FR")
	if want := []schedule.WeekdayNum{{N: 1, Day: time.Tuesday}, {N: -1, Day: time.Friday}}; !slices.Equal(rc.ByDay, want) {
		t.Errorf("ByDay = %v; want %v", rc.ByDay, want)
	}
}

func TestRuleValidate(t *testing.T) {
	for _, tc := range []struct {
		name           string
		edit           func(*schedule.Rule)
		field, message string
	}{
		{"rrule", func(r *schedule.Rule) { r.RRule = "FREQ=MONTHLY;BYHOUR=9" }, "rrule", "接待规则（rrule）中的“BYHOUR”暂不支持。"},
		{"rrule missing", func(r *schedule.Rule) { r.RRule = " " }, "rrule", "请填写接待规则。"},
		{"start missing", func(r *schedule.Rule) { r.Start = "" }, "start", "请填写开始时间。"},
		{"start format", func(r *schedule.Rule) { r.Start = "9:00" }, "start", "开始时间格式不正确，应为“09:00”这样的24小时制时间。"},
		{"start range", func(r *schedule.Rule) { r.Start = "24:00" }, "start", "开始时间格式不正确，应为“09:00”这样的24小时制时间。"},
		{"end format", func(r *schedule.Rule) { r.End = "11点" }, "end", "结束时间格式不正确，应为“11:00”这样的24小时制时间。"},
		{"end before start", func(r *schedule.Rule) { r.End = "08:30" }, "end", "结束时间应晚于开始时间。"},
		{"end equals start", func(r *schedule.Rule) { r.End = "09:00" }, "end", "结束时间应晚于开始时间。"},
		{"on_holiday missing", func(r *schedule.Rule) { r.OnHoliday = "" }, "on_holiday", "请选择遇节假日时的处理方式。"},
		{"on_holiday bad", func(r *schedule.Rule) { r.OnHoliday = "previous_workday" }, "on_holiday", "遇节假日时的处理方式的取值无效。"},
		{"form missing", func(r *schedule.Rule) { r.Form = "" }, "form", "请选择接待形式。"},
		{"form bad", func(r *schedule.Rule) { r.Form = "定点" }, "form", "接待形式的取值无效。"},
		{"theme long", func(r *schedule.Rule) { r.Theme = strings.Repeat("题", 101) }, "theme", "接待主题不能超过100个字。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := oddMonths
			tc.edit(&r)
			err := r.Validate()
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field || lianluo.ErrorMessage(err) != tc.message {
				t.Errorf("Validate() = %v; want %s: %s", err, tc.field, tc.message)
			}
		})
	}
	for form := range schedule.FormNames {
		r := oddMonths
		r.Form, r.Theme = form, "优化营商环境"
		if err := r.Validate(); err != nil {
			t.Errorf("Validate(form %s) = %v", form, err)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		rule schedule.Rule
		want string
	}{
		{oddMonths, "每年1、3、5、7、9、11月15日 09:00–11:00，遇节假日顺延至下一个工作日"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=15", schedule.Skip), "每月15日 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYDAY=1TU", schedule.NextWorkday), "每月第一个星期二 09:00–11:00，遇节假日顺延至下一个工作日"},
		{rule("FREQ=MONTHLY;BYDAY=-1FR", schedule.Skip), "每月最后一个星期五 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYDAY=-2FR,3WE", schedule.Skip), "每月倒数第二个星期五、第三个星期三 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10", schedule.NextWorkday), "每2个月的10日 09:00–11:00，遇节假日顺延至下一个工作日"},
		{rule("FREQ=MONTHLY;INTERVAL=2;BYMONTH=1,3;BYMONTHDAY=10", schedule.Skip), "每2个月的10日（仅限1、3月） 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=1,-1", schedule.Skip), "每月1日、最后一天 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=-2", schedule.Skip), "每月倒数第2天 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", schedule.Skip), "每月13日（限星期五） 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYDAY=WE", schedule.Skip), "每月每个星期三 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", schedule.Skip), "每月每个星期一、每个星期二、每个星期三、每个星期四、每个星期五中的最后一个 09:00–11:00，遇节假日取消"},
		{rule("FREQ=WEEKLY;BYDAY=WE", schedule.NextWorkday), "每周三 09:00–11:00，遇节假日顺延至下一个工作日"},
		{rule("FREQ=WEEKLY;BYDAY=TU,TH", schedule.Skip), "每周二、周四 09:00–11:00，遇节假日取消"},
		{rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", schedule.Skip), "每2周的周六 09:00–11:00，遇节假日取消"},
		{rule("FREQ=WEEKLY;BYMONTH=7,8;BYDAY=FR", schedule.Skip), "每年7、8月的每周五 09:00–11:00，遇节假日取消"},
		{rule("FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO", schedule.Skip), "每年3、9月第一个星期一 09:00–11:00，遇节假日取消"},
		{rule("FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=1", schedule.Skip), "每2年的6月1日 09:00–11:00，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6", schedule.Skip), "每月15日 09:00–11:00，共6次，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231", schedule.Skip), "每月15日 09:00–11:00，至2026年12月31日止，遇节假日取消"},
		{rule("FREQ=MONTHLY;BYHOUR=9", schedule.Skip), "FREQ=MONTHLY;BYHOUR=9"},
	} {
		if got := tc.rule.Describe(); got != tc.want {
			t.Errorf("Rule{%q}.Describe() = %q; want %q", tc.rule.RRule, got, tc.want)
		}
	}
}
