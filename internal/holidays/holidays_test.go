package holidays

import (
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
)

func mustCalendar(t *testing.T) *lianluo.Calendar {
	t.Helper()
	c, err := lianluo.NewCalendar(Days())
	if err != nil {
		t.Fatalf("NewCalendar(Days()) = %v", err)
	}
	return c
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, lianluo.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestYears(t *testing.T) {
	var want []int
	for y := 2015; y <= 2026; y++ {
		want = append(want, y)
	}
	if got := Years(); !slices.Equal(got, want) {
		t.Errorf("Years() = %v; want %v", got, want)
	}
	if got := mustCalendar(t).Years(); !slices.Equal(got, want) {
		t.Errorf("Calendar.Years() = %v; want %v", got, want)
	}
}

func TestDays(t *testing.T) {
	c := mustCalendar(t) // also rejects duplicate dates and invalid entries
	seen := map[string]bool{}
	for _, d := range Days() {
		if seen[d.Date] {
			t.Errorf("%s listed twice", d.Date)
		}
		seen[d.Date] = true
		day := date(t, d.Date)
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		switch d.Kind {
		case lianluo.DayHoliday:
			if c.IsWorkday(day) {
				t.Errorf("%s (%s) is a working day; want a day off", d.Date, d.Name)
			}
		case lianluo.DayWorkday:
			// A 调休 working day on a weekday would change nothing: a data error.
			if !weekend {
				t.Errorf("%s (%s) is a %v; a 调休 working day must be a weekend day", d.Date, d.Name, day.Weekday())
			}
			if !c.IsWorkday(day) {
				t.Errorf("%s (%s) is not a working day", d.Date, d.Name)
			}
		}
	}
}

// Each 调休 working day pays for a nearby break of the same holiday: a wrong
// name or a wrong month shows here.
func TestWorkdaysNextToTheirHoliday(t *testing.T) {
	days := Days()
	for _, w := range days {
		if w.Kind != lianluo.DayWorkday {
			continue
		}
		wd := date(t, w.Date)
		found := false
		for _, h := range days {
			if h.Kind == lianluo.DayHoliday && h.Name == w.Name {
				if gap := date(t, h.Date).Sub(wd).Abs(); gap <= 14*24*time.Hour {
					found = true
					break
				}
			}
		}
		if !found {
			t.Errorf("调休 %s (%s) has no %s holiday within 14 days", w.Date, w.Name, w.Name)
		}
	}
}

// Every year has each of the festivals of 全国年节及纪念日放假办法.
func TestEveryFestivalEveryYear(t *testing.T) {
	names := map[int]string{}
	for _, d := range Days() {
		if d.Kind == lianluo.DayHoliday {
			y := date(t, d.Date).Year()
			names[y] += d.Name + " "
		}
	}
	for _, y := range Years() {
		for _, f := range []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} {
			if !strings.Contains(names[y], f) {
				t.Errorf("%d has no %s", y, f)
			}
		}
	}
}

// The arrangement of a year gives one weekday off for each statutory holiday
// (a statutory day on a weekend is made up on a weekday), and every other
// weekday off is paid back by a weekend day worked. So per calendar year,
// weekdays off minus weekend days worked is the number of statutory days:
// 11, and 13 from 2025 (除夕 and 5月2日 were added). This catches a missing,
// extra or shifted day in any year.
func TestStatutoryDaysPerYear(t *testing.T) {
	extra := map[int]int{
		2015: 1, // 9月3日 抗战胜利70周年纪念日, a one-off public holiday
		2020: 2, // 春节 extended to 2月2日 (COVID): 1月31日 off and 2月1日 no longer worked
	}
	net := map[int]int{}
	for _, d := range Days() {
		day := date(t, d.Date)
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		switch {
		case d.Kind == lianluo.DayHoliday && !weekend:
			net[day.Year()]++
		case d.Kind == lianluo.DayWorkday:
			net[day.Year()]--
		}
	}
	for _, y := range Years() {
		want := 11
		if y >= 2025 {
			want = 13
		}
		want += extra[y]
		if got := net[y]; got != want {
			t.Errorf("%d: weekdays off − weekend days worked = %d; want %d", y, got, want)
		}
	}
}

func TestSpotChecks(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		date string
		want bool
	}{
		{"2015-09-03", false}, // 抗战胜利70周年纪念日
		{"2015-09-06", true},  // Sunday, worked
		{"2018-12-29", true},  // Saturday, worked for 2019 元旦
		{"2018-12-31", false}, // Monday, 2019 元旦 break
		{"2019-05-05", true},  // revised 劳动节 2019
		{"2020-01-31", false}, // COVID extension
		{"2020-02-01", false}, // Saturday: its 调休 was cancelled
		{"2020-02-03", true},
		{"2024-02-04", true},
		{"2024-02-18", true},
		{"2024-06-10", false},
		{"2024-10-01", false},
		{"2024-10-02", false},
		{"2024-10-03", false},
		{"2024-10-04", false},
		{"2024-10-05", false},
		{"2024-10-06", false},
		{"2024-10-07", false},
		{"2024-10-08", true},
		{"2024-10-12", true},
		{"2025-01-26", true},
		{"2025-01-28", false}, // 除夕, statutory from 2025
		{"2025-10-08", false},
		{"2025-10-11", true},
		{"2026-01-04", true},
		{"2026-02-14", true},
		{"2026-02-23", false},
		{"2026-02-28", true},
		{"2026-09-20", true},
		{"2026-10-09", true},
	} {
		if got := c.IsWorkday(date(t, tc.date)); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v; want %v", tc.date, got, tc.want)
		}
	}
}

// The totals reported when the arrangements were published.
func TestWorkingDaysPerYear(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct{ year, want int }{
		{2024, 251}, // leap year, 105 weekend days, 11 statutory days
		{2025, 248}, // the first year with 13 statutory days
	} {
		start := time.Date(tc.year-1, 12, 31, 12, 0, 0, 0, lianluo.Beijing)
		end := time.Date(tc.year, 12, 31, 12, 0, 0, 0, lianluo.Beijing)
		if got := c.WorkdaysBetween(start, end); got != tc.want {
			t.Errorf("WorkdaysBetween(%d-12-31, %d-12-31) = %d; want %d", tc.year-1, tc.year, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		"2026-10-01\tholiday",
		"2026-10-01 holiday 国庆节",
		"2026-13-01\tholiday\t国庆节",
		"2026-10-01\toff\t国庆节",
		"2026-10-09\tworkday\t国庆节", // a Friday
	} {
		if _, err := parse(text); err == nil {
			t.Errorf("parse(%q) = nil error; want an error", text)
		}
	}
	got, err := parse("# comment\n\n2026-10-10\tworkday\t国庆节\r\n")
	want := []lianluo.CalendarDay{{Date: "2026-10-10", Kind: lianluo.DayWorkday, Name: "国庆节"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("parse = %v, %v; want %v, nil", got, err, want)
	}
}
