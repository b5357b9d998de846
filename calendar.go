package lianluo

import (
	"errors"
	"slices"
	"time"
)

// Beijing is China Standard Time (UTC+8, no daylight saving). Every "day" in
// the rules — working days, deadlines, 10-day limits — is a Beijing date,
// whatever the server's zone.
var Beijing = time.FixedZone("CST", 8*3600)

// Kinds of CalendarDay.
const (
	DayHoliday = "holiday" // 法定节假日 or 调休 rest day: not worked
	DayWorkday = "workday" // 调休上班: a weekend day that is worked
)

// DayKindNames are the Chinese names of the CalendarDay kinds.
var DayKindNames = map[string]string{
	DayHoliday: "放假",
	DayWorkday: "调休上班",
}

// CalendarDay marks a date as a public holiday (法定节假日, not worked) or a
// make-up working day (调休上班, a weekend day that is worked). The official
// arrangement is published by the State Council each year and entered by an
// administrator; internal/holidays holds the years already published.
type CalendarDay struct {
	Date string `json:"date"` // "2026-10-01", Beijing date
	Kind string `json:"kind"` // DayHoliday or DayWorkday
	Name string `json:"name"` // 国庆节, 春节…
}

const dateLayout = "2006-01-02"

var weekdayNames = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// Validate checks a calendar entry. A make-up working day must fall on a
// Saturday or Sunday: on a weekday it would change nothing, so it is a typo.
func (d CalendarDay) Validate() error {
	var v Validator
	v.Require("date", "日期", d.Date)
	t, err := time.Parse(dateLayout, d.Date)
	v.Check(err == nil, "date", "日期格式不正确，应为“2026-10-01”这样的年-月-日。")
	v.OneOf("kind", "类型", d.Kind, DayKindNames)
	v.Require("name", "节日名称", d.Name)
	v.MaxLen("name", "节日名称", d.Name, 20)
	if err == nil && d.Kind == DayWorkday {
		wd := t.Weekday()
		v.Check(wd == time.Saturday || wd == time.Sunday, "date",
			"调休上班日应为星期六或星期日，该日是星期%s。", weekdayNames[wd])
	}
	return v.Err
}

// Calendar answers working-day questions in Beijing time from a set of
// CalendarDays: weekdays are working days and weekends are not, unless a
// CalendarDay says otherwise.
//
// Results that are deadlines are the end of a Beijing day: 23:59:59.999999
// there, returned in UTC. Microseconds, not nanoseconds, so the value is
// stored unchanged by both databases and a deadline never rolls into the
// next day.
//
// The zero Calendar (and a nil *Calendar) knows no holidays. A Calendar is
// not changed after NewCalendar and is safe for concurrent use.
type Calendar struct {
	workday map[int]bool // Beijing day number → worked, for dates that override the week
	years   []int
}

// NewCalendar builds a Calendar from calendar entries, rejecting an invalid
// entry or a date given twice.
func NewCalendar(days []CalendarDay) (*Calendar, error) {
	c := &Calendar{workday: make(map[int]bool, len(days))}
	for _, d := range days {
		if err := d.Validate(); err != nil {
			// Name the entry: an admin importing a year needs to know which line.
			var e *Error
			if errors.As(err, &e) && d.Date != "" {
				return nil, FieldError(e.Field, "%s：%s", d.Date, e.Message)
			}
			return nil, err
		}
		t, _ := time.Parse(dateLayout, d.Date)
		day := dayOf(t) // t is midnight UTC, so also within its Beijing date
		if _, dup := c.workday[day]; dup {
			return nil, FieldError("date", "日期%s重复。", d.Date)
		}
		c.workday[day] = d.Kind == DayWorkday
		if !slices.Contains(c.years, t.Year()) {
			c.years = append(c.years, t.Year())
		}
	}
	slices.Sort(c.years)
	return c, nil
}

// IsWorkday reports whether the Beijing date of t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.worked(dayOf(t))
}

// AddWorkdays returns the end of the n-th working day after the Beijing date
// of t — the deadline "within n working days" of something that happened at
// t, which does not count the day it happened. For n = 0 it is the end of t's
// date if that is a working day, else the end of the next working day. For
// n < 0 it counts back: the end of the |n|-th working day before t's date.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := dayOf(t)
	switch {
	case n == 0:
		for !c.worked(d) {
			d++
		}
	case n > 0:
		for n > 0 {
			d++
			if c.worked(d) {
				n--
			}
		}
	default:
		for n < 0 {
			d--
			if c.worked(d) {
				n++
			}
		}
	}
	return endOfDay(d)
}

// WorkdaysBetween counts the working days after the Beijing date of from up
// to and including the Beijing date of to; 0 if to's date is not after
// from's. For n ≥ 1, WorkdaysBetween(t, AddWorkdays(t, n)) == n.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	n := 0
	for d, end := dayOf(from)+1, dayOf(to); d <= end; d++ {
		if c.worked(d) {
			n++
		}
	}
	return n
}

// AddDays returns the end of the Beijing date n calendar days after t's date,
// for limits counted in natural days ("交办 within 10 days of submission").
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	return endOfDay(dayOf(t) + n)
}

// Years returns the years that have any calendar entry, in order. A year
// missing here is counted as plain weeks, which is wrong for any year with
// holidays; callers warn an administrator about it.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	return slices.Clone(c.years)
}

// HasYear reports whether year y has any calendar entry.
func (c *Calendar) HasYear(y int) bool {
	return c != nil && slices.Contains(c.years, y)
}

func (c *Calendar) worked(d int) bool {
	if c != nil {
		if w, ok := c.workday[d]; ok {
			return w
		}
	}
	return isWeekday(d)
}

// Days are numbered from 1970-01-01 (day 0) in Beijing time. Beijing has had
// no daylight saving since 1991, so a day is always 86400 seconds.
const (
	secondsPerDay = 86400
	beijingOffset = 8 * 3600
)

// dayOf returns the Beijing day number of t.
func dayOf(t time.Time) int {
	s := t.Unix() + beijingOffset
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d-- // floor, for times before 1970
	}
	return int(d)
}

// endOfDay returns the last microsecond of Beijing day d, in UTC.
func endOfDay(d int) time.Time {
	return time.Unix(int64(d+1)*secondsPerDay-beijingOffset, 0).Add(-time.Microsecond).UTC()
}

// isWeekday reports whether day d is Monday to Friday. Day 0 was a Thursday.
func isWeekday(d int) bool {
	wd := ((d+4)%7 + 7) % 7 // 0 = Sunday
	return wd != 0 && wd != 6
}
