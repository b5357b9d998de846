package lianluo_test

import (
	"strings"
	"testing"
	"time"

	"lianluo"
)

// official2024and2025 is the State Council arrangement for 2024 and 2025,
// written out here so that these tests specify the arithmetic on their own.
var official2024and2025 = concat(
	span("2023-12-30", "2024-01-01", "元旦"),
	work("2024-02-04", "春节"), span("2024-02-10", "2024-02-17", "春节"), work("2024-02-18", "春节"),
	span("2024-04-04", "2024-04-06", "清明节"), work("2024-04-07", "清明节"),
	work("2024-04-28", "劳动节"), span("2024-05-01", "2024-05-05", "劳动节"), work("2024-05-11", "劳动节"),
	span("2024-06-08", "2024-06-10", "端午节"),
	work("2024-09-14", "中秋节"), span("2024-09-15", "2024-09-17", "中秋节"),
	work("2024-09-29", "国庆节"), span("2024-10-01", "2024-10-07", "国庆节"), work("2024-10-12", "国庆节"),

	span("2025-01-01", "2025-01-01", "元旦"),
	work("2025-01-26", "春节"), span("2025-01-28", "2025-02-04", "春节"), work("2025-02-08", "春节"),
	span("2025-04-04", "2025-04-06", "清明节"),
	work("2025-04-27", "劳动节"), span("2025-05-01", "2025-05-05", "劳动节"),
	span("2025-05-31", "2025-06-02", "端午节"),
	work("2025-09-28", "国庆节、中秋节"), span("2025-10-01", "2025-10-08", "国庆节、中秋节"), work("2025-10-11", "国庆节、中秋节"),
)

func span(from, to, name string) []lianluo.CalendarDay {
	var days []lianluo.CalendarDay
	d, _ := time.Parse("2006-01-02", from)
	end, _ := time.Parse("2006-01-02", to)
	for ; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, lianluo.CalendarDay{Date: d.Format("2006-01-02"), Kind: lianluo.DayHoliday, Name: name})
	}
	return days
}

func work(date, name string) []lianluo.CalendarDay {
	return []lianluo.CalendarDay{{Date: date, Kind: lianluo.DayWorkday, Name: name}}
}

func concat(parts ...[]lianluo.CalendarDay) []lianluo.CalendarDay {
	var all []lianluo.CalendarDay
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

func mustCalendar(tb testing.TB) *lianluo.Calendar {
	tb.Helper()
	c, err := lianluo.NewCalendar(official2024and2025)
	if err != nil {
		tb.Fatalf("NewCalendar = %v", err)
	}
	return c
}

// bj parses a Beijing time "2006-01-02 15:04" or a Beijing date "2006-01-02".
func bj(tb testing.TB, s string) time.Time {
	tb.Helper()
	layout := "2006-01-02 15:04"
	if len(s) == len("2006-01-02") {
		layout = "2006-01-02"
	}
	t, err := time.ParseInLocation(layout, s, lianluo.Beijing)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// endOf is the deadline instant of a Beijing date: its last microsecond, in UTC.
func endOf(tb testing.TB, date string) time.Time {
	tb.Helper()
	return bj(tb, date).AddDate(0, 0, 1).Add(-time.Microsecond).UTC()
}

func TestAddWorkdays(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		from time.Time
		n    int
		want string // Beijing date whose end is the result
	}{
		// 国庆、中秋 2025: 10/1–10/8 off, 9/28 (Sun) and 10/11 (Sat) worked.
		{bj(t, "2025-09-30 10:00"), 1, "2025-10-09"},
		{bj(t, "2025-09-26 16:00"), 1, "2025-09-28"}, // Friday → the worked Sunday
		{bj(t, "2025-09-26 16:00"), 2, "2025-09-29"},
		{bj(t, "2025-09-26 16:00"), 15, "2025-10-23"},
		{bj(t, "2025-10-01 09:00"), 1, "2025-10-09"}, // from a holiday
		{bj(t, "2025-10-10 09:00"), 1, "2025-10-11"}, // → the worked Saturday
		// 春节 2024: 2/10–2/17 off, 2/4 (Sun) and 2/18 (Sun) worked.
		{bj(t, "2024-02-02 09:00"), 1, "2024-02-04"},
		{bj(t, "2024-02-08 09:00"), 2, "2024-02-18"},
		{bj(t, "2024-02-09 09:00"), 15, "2024-03-07"},
		// A plain month: only weekends.
		{bj(t, "2024-03-01 09:00"), 15, "2024-03-22"},
		{bj(t, "2024-03-04 09:00"), 5, "2024-03-11"},
		{bj(t, "2024-03-02 09:00"), 1, "2024-03-04"}, // from a Saturday
		// n = 0: the day itself if worked, else the next working day.
		{bj(t, "2024-03-04 09:00"), 0, "2024-03-04"},
		{bj(t, "2024-03-02 09:00"), 0, "2024-03-04"},
		{bj(t, "2024-10-01 09:00"), 0, "2024-10-08"},
		{bj(t, "2024-10-12 09:00"), 0, "2024-10-12"}, // a worked Saturday
		// n < 0 counts back.
		{bj(t, "2025-10-09 09:00"), -1, "2025-09-30"},
		{bj(t, "2025-09-29 09:00"), -1, "2025-09-28"},
		{bj(t, "2024-02-18 09:00"), -2, "2024-02-08"},
		// The Beijing date counts, not the UTC one: 2025-09-27T17:00Z is
		// 01:00 on Sunday 9/28 in Beijing, a worked day.
		{time.Date(2025, 9, 27, 17, 0, 0, 0, time.UTC), 1, "2025-09-29"},
		{time.Date(2025, 9, 27, 17, 0, 0, 0, time.UTC), 0, "2025-09-28"},
		// The last instant of a day is still that day.
		{endOf(t, "2025-09-30"), 0, "2025-09-30"},
		{endOf(t, "2025-09-30"), 1, "2025-10-09"},
	} {
		got := c.AddWorkdays(tc.from, tc.n)
		if want := endOf(t, tc.want); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("AddWorkdays(%v, %d) = %v; want %v", tc.from, tc.n, got, want)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{time.Date(2024, 9, 30, 17, 0, 0, 0, time.UTC), false},                  // 2024-10-01 01:00 Beijing
		{time.Date(2024, 9, 30, 15, 59, 59, 0, time.UTC), true},                 // 2024-09-30 23:59:59 Beijing, Monday
		{time.Date(2024, 10, 7, 16, 0, 0, 0, time.UTC), true},                   // 2024-10-08 00:00 Beijing
		{time.Date(2024, 10, 8, 0, 0, 0, 0, time.FixedZone("", -7*3600)), true}, // 10-08 15:00 Beijing
		{bj(t, "2024-10-12 09:00"), true},                                       // Saturday, worked
		{bj(t, "2024-03-02 09:00"), false},                                      // a plain Saturday
		{bj(t, "2024-03-04 09:00"), true},                                       // a plain Monday
		{bj(t, "2024-02-16 09:00"), false},                                      // 春节, a Friday
		{bj(t, "2030-01-02 09:00"), true},                                       // a year without data: the plain week
	} {
		if got := c.IsWorkday(tc.t); got != tc.want {
			t.Errorf("IsWorkday(%v) = %v; want %v", tc.t, got, tc.want)
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2025-09-30", "2025-10-09", 1},
		{"2025-09-26", "2025-10-12", 6},             // 9/28, 9/29, 9/30, 10/9, 10/10, 10/11
		{"2024-03-01", "2024-03-31", 20},            // after Friday 3/1: four full weeks
		{"2024-03-04 09:00", "2024-03-04 18:00", 0}, // same day
		{"2024-03-05", "2024-03-04", 0},             // backwards
		{"2024-10-01", "2024-10-07", 0},             // all holiday
	} {
		if got := c.WorkdaysBetween(bj(t, tc.from), bj(t, tc.to)); got != tc.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d; want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

// AddWorkdays and WorkdaysBetween agree for every start in two years of real
// holidays, at several times of day including both ends of the Beijing day.
func TestAddWorkdaysAgreesWithWorkdaysBetween(t *testing.T) {
	c := mustCalendar(t)
	offsets := []time.Duration{0, 9*time.Hour + 30*time.Minute, 23*time.Hour + 59*time.Minute}
	for day := bj(t, "2023-12-01"); day.Before(bj(t, "2025-12-01")); day = day.AddDate(0, 0, 1) {
		for _, off := range offsets {
			from := day.Add(off)
			first := c.AddWorkdays(from, 0)
			if !c.IsWorkday(first) || first.Before(from) {
				t.Fatalf("AddWorkdays(%v, 0) = %v; want the end of a working day not before it", from, first)
			}
			prev := first
			for n := 1; n <= 20; n++ {
				got := c.AddWorkdays(from, n)
				if !c.IsWorkday(got) {
					t.Fatalf("AddWorkdays(%v, %d) = %v, not a working day", from, n, got)
				}
				if between := c.WorkdaysBetween(from, got); between != n {
					t.Fatalf("WorkdaysBetween(%v, AddWorkdays(…, %d) = %v) = %d; want %d", from, n, got, between, n)
				}
				if next := c.AddWorkdays(prev, 1); n > 1 && !next.Equal(got) {
					t.Fatalf("AddWorkdays(AddWorkdays(%v, %d), 1) = %v; want %v", from, n-1, next, got)
				}
				if c.IsWorkday(from) {
					if back := c.AddWorkdays(got, -n); !back.Equal(first) {
						t.Fatalf("AddWorkdays(AddWorkdays(%v, %d), %d) = %v; want %v", from, n, -n, back, first)
					}
				}
				prev = got
			}
		}
	}
}

func TestAddDays(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		from time.Time
		n    int
		want string
	}{
		{bj(t, "2026-03-02 09:30"), 10, "2026-03-12"},
		{bj(t, "2024-09-25 09:30"), 10, "2024-10-05"}, // holidays count: natural days
		{bj(t, "2024-02-25 09:30"), 5, "2024-03-01"},  // leap year
		{bj(t, "2024-03-04 09:00"), 0, "2024-03-04"},
		{time.Date(2024, 9, 30, 17, 0, 0, 0, time.UTC), 10, "2024-10-11"}, // Beijing 10-01
	} {
		if got := c.AddDays(tc.from, tc.n); !got.Equal(endOf(t, tc.want)) {
			t.Errorf("AddDays(%v, %d) = %v; want end of %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestCalendarYears(t *testing.T) {
	c := mustCalendar(t)
	if got, want := c.Years(), []int{2023, 2024, 2025}; !equalInts(got, want) {
		t.Errorf("Years() = %v; want %v", got, want)
	}
	for _, tc := range []struct {
		year int
		want bool
	}{{2023, true}, {2024, true}, {2025, true}, {2026, false}} {
		if got := c.HasYear(tc.year); got != tc.want {
			t.Errorf("HasYear(%d) = %v; want %v", tc.year, got, tc.want)
		}
	}

	// Without data the week alone decides, and no year is known.
	var empty *lianluo.Calendar
	if got, want := empty.AddWorkdays(bj(t, "2024-10-01 09:00"), 1), endOf(t, "2024-10-02"); !got.Equal(want) {
		t.Errorf("nil Calendar: AddWorkdays = %v; want %v", got, want)
	}
	if empty.HasYear(2024) || len(empty.Years()) != 0 {
		t.Errorf("nil Calendar knows years %v", empty.Years())
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCalendarDayValidate(t *testing.T) {
	for _, tc := range []struct {
		day   lianluo.CalendarDay
		field string // "" when valid
	}{
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: lianluo.DayHoliday, Name: "国庆节"}, ""},
		{lianluo.CalendarDay{Date: "2026-10-10", Kind: lianluo.DayWorkday, Name: "国庆节"}, ""},     // Saturday
		{lianluo.CalendarDay{Date: "2026-09-20", Kind: lianluo.DayWorkday, Name: "国庆节"}, ""},     // Sunday
		{lianluo.CalendarDay{Date: "2026-10-09", Kind: lianluo.DayWorkday, Name: "国庆节"}, "date"}, // Friday
		{lianluo.CalendarDay{Date: "", Kind: lianluo.DayHoliday, Name: "国庆节"}, "date"},           // missing
		{lianluo.CalendarDay{Date: "2026-1-1", Kind: lianluo.DayHoliday, Name: "元旦"}, "date"},    // not zero-padded
		{lianluo.CalendarDay{Date: "2026/10/01", Kind: lianluo.DayHoliday, Name: "国庆节"}, "date"}, // wrong separator
		{lianluo.CalendarDay{Date: "2026-02-30", Kind: lianluo.DayHoliday, Name: "春节"}, "date"},  // no such day
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: "", Name: "国庆节"}, "kind"},                 // missing
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: "off", Name: "国庆节"}, "kind"},              // unknown
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: lianluo.DayHoliday, Name: " "}, "name"},   // blank
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: lianluo.DayHoliday, Name: strings.Repeat("节", 20)}, ""},
		{lianluo.CalendarDay{Date: "2026-10-01", Kind: lianluo.DayHoliday, Name: strings.Repeat("节", 21)}, "name"},
	} {
		err := tc.day.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%+v.Validate() = %v; want nil", tc.day, err)
			}
			continue
		}
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field {
			t.Errorf("%+v.Validate() = %v; want an invalid error on %q", tc.day, err, tc.field)
		}
	}
}

func TestNewCalendarRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		days   []lianluo.CalendarDay
		field  string
		inText string // the message names the offending entry
	}{
		{"duplicate date", concat(span("2026-10-01", "2026-10-03", "国庆节"), work("2026-10-03", "国庆节")), "date", "2026-10-03"},
		{"workday on a weekday", concat(span("2026-10-01", "2026-10-07", "国庆节"), work("2026-10-09", "国庆节")), "date", "2026-10-09"},
		{"bad kind", []lianluo.CalendarDay{{Date: "2026-10-01", Kind: "rest", Name: "国庆节"}}, "kind", "2026-10-01"},
	} {
		c, err := lianluo.NewCalendar(tc.days)
		if c != nil || lianluo.ErrorField(err) != tc.field || !strings.Contains(lianluo.ErrorMessage(err), tc.inText) {
			t.Errorf("%s: NewCalendar = %v, %v; want an invalid error on %q naming %s", tc.name, c, err, tc.field, tc.inText)
		}
	}
}

func BenchmarkAddWorkdays15(b *testing.B) {
	c := mustCalendar(b)
	from := bj(b, "2025-09-26 16:00")
	for b.Loop() {
		c.AddWorkdays(from, 15)
	}
}
