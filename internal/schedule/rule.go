package schedule

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// What a Rule does with a date that is not a working day (Rule.OnHoliday).
const (
	NextWorkday = "next_workday" // 顺延: hold it on the next working day
	Skip        = "skip"         // 取消: no session that time
)

// OnHolidayNames are the Chinese names of the OnHoliday values.
var OnHolidayNames = map[string]string{
	NextWorkday: "顺延至下一个工作日",
	Skip:        "取消",
}

// Reception forms (001 二(三): 主题接待、预约接待、流动接待、上门接待, and the
// 网上联络站 of 001 二(一)).
const (
	FormFixed       = "fixed"       // 定点接待: deputies receive at the station
	FormTheme       = "theme"       // 主题接待: a reception on a chosen topic
	FormAppointment = "appointment" // 预约接待: voters book a time
	FormMobile      = "mobile"      // 流动接待: deputies go out to a village or site
	FormHome        = "home"        // 上门接待: deputies visit people at home
	FormOnline      = "online"      // 网上接待: through the online station
)

// FormNames are the Chinese names of the reception forms.
var FormNames = map[string]string{
	FormFixed:       "定点接待",
	FormTheme:       "主题接待",
	FormAppointment: "预约接待",
	FormMobile:      "流动接待",
	FormHome:        "上门接待",
	FormOnline:      "网上接待",
}

// Rule is a station's reception rule (接待制度): when receptions recur, at
// what hours, what happens on a holiday, and in what form. For example 000's
// 每单月十五日上午9:00—11:00 is
//
//	Rule{RRule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15",
//		Start: "09:00", End: "11:00", OnHoliday: NextWorkday, Form: FormFixed}
//
// RRule is the subset of RFC 5545 that ParseRRule accepts. Start and End are
// Beijing clock times on the same day.
type Rule struct {
	RRule     string `json:"rrule"`
	Start     string `json:"start"`      // "09:00"
	End       string `json:"end"`        // "11:00"
	OnHoliday string `json:"on_holiday"` // NextWorkday or Skip
	Form      string `json:"form"`       // a key of FormNames
	Theme     string `json:"theme"`      // optional; the topic of a 主题接待
}

var clockRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Validate checks every field and returns the first problem as an EINVALID
// error naming the field: rrule, start, end, on_holiday, form or theme.
func (r Rule) Validate() error {
	var v lianluo.Validator
	if _, err := ParseRRule(r.RRule); err != nil {
		v.Err = err
	}
	v.Require("start", "开始时间", r.Start)
	v.Check(clockRe.MatchString(r.Start), "start", "开始时间格式不正确，应为“09:00”这样的24小时制时间。")
	v.Require("end", "结束时间", r.End)
	v.Check(clockRe.MatchString(r.End), "end", "结束时间格式不正确，应为“11:00”这样的24小时制时间。")
	// Zero-padded "15:04" strings order as the times they name.
	v.Check(r.End > r.Start, "end", "结束时间应晚于开始时间。")
	v.Check(r.OnHoliday != "", "on_holiday", "请选择遇节假日时的处理方式。")
	v.OneOf("on_holiday", "遇节假日时的处理方式", r.OnHoliday, OnHolidayNames)
	v.Check(r.Form != "", "form", "请选择接待形式。")
	v.OneOf("form", "接待形式", r.Form, FormNames)
	v.MaxLen("theme", "接待主题", r.Theme, 100)
	return v.Err
}

// Session is one dated reception produced by a Rule.
type Session struct {
	Date   time.Time `json:"date"`   // the day it is held: midnight, Beijing time
	Starts time.Time `json:"starts"` // Beijing time
	Ends   time.Time `json:"ends"`   // Beijing time

	// Moved is set when the rule's date was not a working day and the
	// session was moved to the next one (NextWorkday); MovedFrom is then the
	// rule's date (midnight, Beijing time), else zero.
	Moved     bool      `json:"moved"`
	MovedFrom time.Time `json:"moved_from,omitzero"`

	// Merged lists other dates of the rule whose sessions were moved onto
	// this one's day, which already held a session: one reception, not two.
	Merged []time.Time `json:"merged,omitempty"`
}

// maxSpan bounds the period Sessions expands, and maxLookback how long
// before it the anchor may lie: far beyond either, a request is a mistake.
const (
	maxSpan     = 10 * 366 * 24 * time.Hour
	maxLookback = 100 * 366 * 24 * time.Hour
	// maxShift bounds the search for the next working day; the longest
	// official break is nine days.
	maxShift = 60
)

// Sessions returns the rule's sessions whose day — after any holiday move —
// falls between the Beijing dates of from and to, both included, in date
// order.
//
// anchor is the rule's DTSTART: the first date the rule counts from. Only
// its Beijing date matters. INTERVAL counts weeks (Monday to Sunday), months
// or years from the anchor's, and COUNT counts dates from the anchor, so the
// same rule gives the same dates only for the same anchor: store it with the
// rule (for a plan made each year, 1 January of the first year is natural;
// FREQ=MONTHLY;INTERVAL=2 from 1 January gives January, March, May …).
// The anchor is not itself a session unless the rule gives that date.
//
// A date that is not a working day in cal (a weekend or public holiday, and
// not a 调休 working Saturday) is moved to the next working day or dropped,
// as OnHoliday says. A session moved onto a day that already has one is
// merged into it (see Session.Merged). A session the rule puts before from
// that moves into the range is included; one moved past to is not, so
// consecutive ranges neither lose nor repeat a session.
//
// cal may be nil (weekends only). A year cal has no data for is counted as
// plain weeks; callers should warn (lianluo.Calendar.HasYear).
//
// The error is an EINVALID lianluo.Error: the rule's own (see Validate), a
// bad range (field "to" or "anchor"), or — field "rrule" — a rule that gives
// no session in the range.
func (r Rule) Sessions(cal *lianluo.Calendar, anchor, from, to time.Time) ([]Session, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	rc, _ := ParseRRule(r.RRule) // Validate has parsed it
	anchor, from, to = beijingDate(anchor), beijingDate(from), beijingDate(to)
	switch {
	case to.Before(from):
		return nil, lianluo.FieldError("to", "所选期间的结束日期早于开始日期。")
	case to.Sub(from) > maxSpan:
		return nil, lianluo.FieldError("to", "所选期间不能超过10年。")
	case to.Sub(anchor) > maxLookback:
		return nil, lianluo.FieldError("anchor", "规则的起算日期过早，请检查。")
	}
	startH, startM := clock(r.Start)
	endH, endM := clock(r.End)
	at := func(day time.Time, h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, lianluo.Beijing)
	}

	// Sessions on their own date first, so that a moved session joins the
	// one already there rather than taking its place.
	nominal := rc.dates(anchor, to)
	byDay := make(map[int64]int, len(nominal)) // day (Unix) → index in sessions
	var sessions []Session
	var moved []time.Time
	for _, d := range nominal {
		if !cal.IsWorkday(d) {
			moved = append(moved, d)
			continue
		}
		byDay[d.Unix()] = len(sessions)
		sessions = append(sessions, Session{Date: d})
	}
	if r.OnHoliday == NextWorkday {
		for _, d := range moved {
			day, ok := nextWorkday(cal, d)
			if !ok {
				continue
			}
			if i, dup := byDay[day.Unix()]; dup {
				sessions[i].Merged = append(sessions[i].Merged, d)
				continue
			}
			byDay[day.Unix()] = len(sessions)
			sessions = append(sessions, Session{Date: day, Moved: true, MovedFrom: d})
		}
	}
	sessions = slices.DeleteFunc(sessions, func(s Session) bool {
		return s.Date.Before(from) || s.Date.After(to)
	})
	if len(sessions) == 0 {
		return nil, lianluo.FieldError("rrule", "该规则在所选期间内没有产生任何接待日期。")
	}
	slices.SortFunc(sessions, func(a, b Session) int { return a.Date.Compare(b.Date) })
	for i := range sessions {
		s := &sessions[i]
		s.Starts = at(s.Date, startH, startM)
		s.Ends = at(s.Date, endH, endM)
	}
	return sessions, nil
}

// nextWorkday returns the first working day after d.
func nextWorkday(cal *lianluo.Calendar, d time.Time) (time.Time, bool) {
	for range maxShift {
		d = d.AddDate(0, 0, 1)
		if cal.IsWorkday(d) {
			return d, true
		}
	}
	return time.Time{}, false
}

// clock splits a validated "15:04".
func clock(s string) (h, m int) {
	h, _ = strconv.Atoi(s[:2])
	m, _ = strconv.Atoi(s[3:])
	return h, m
}

var (
	chineseOrdinals = [...]string{"", "一", "二", "三", "四", "五"}
	chineseWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}
)

// Describe renders the rule in Chinese for people, e.g.
// "每年1、3、5、7、9、11月15日 09:00–11:00，遇节假日顺延至下一个工作日".
// The form and theme are left to the caller (FormNames). A rule that does
// not validate is returned as written.
func (r Rule) Describe() string {
	if r.Validate() != nil {
		return r.RRule
	}
	rc, _ := ParseRRule(r.RRule)
	var b strings.Builder
	b.WriteString(rc.Describe())
	b.WriteString(" " + r.Start + "–" + r.End)
	switch {
	case rc.Count > 0:
		b.WriteString("，共" + strconv.Itoa(rc.Count) + "次")
	case !rc.Until.IsZero():
		b.WriteString("，至" + rc.Until.Format("2006年1月2日") + "止")
	}
	if r.OnHoliday == NextWorkday {
		b.WriteString("，遇节假日顺延至下一个工作日")
	} else {
		b.WriteString("，遇节假日取消")
	}
	return b.String()
}

// Describe renders the dates of the rule in Chinese, without COUNT or UNTIL:
// "每年1、3、5、7、9、11月15日", "每月第一个星期二", "每2个月的10日", "每周三".
func (rc Recurrence) Describe() string {
	var b strings.Builder
	months := joinInts(rc.ByMonth, "、") + "月"
	switch rc.Freq {
	case Weekly:
		if len(rc.ByMonth) > 0 {
			b.WriteString("每年" + months + "的")
		}
		if rc.Interval > 1 {
			b.WriteString("每" + strconv.Itoa(rc.Interval) + "周的")
		} else {
			b.WriteString("每")
		}
		for i, wn := range rc.ByDay {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString("周" + chineseWeekdays[wn.Day])
		}
	case Monthly:
		switch {
		case rc.Interval > 1:
			b.WriteString("每" + strconv.Itoa(rc.Interval) + "个月的")
		case len(rc.ByMonth) > 0:
			b.WriteString("每年" + months)
		default:
			b.WriteString("每月")
		}
		b.WriteString(rc.describeDays())
		if rc.Interval > 1 && len(rc.ByMonth) > 0 {
			b.WriteString("（仅限" + months + "）")
		}
	case Yearly:
		if rc.Interval > 1 {
			b.WriteString("每" + strconv.Itoa(rc.Interval) + "年的")
		} else {
			b.WriteString("每年")
		}
		b.WriteString(months + rc.describeDays())
	}
	if len(rc.BySetPos) > 0 {
		b.WriteString("中的")
		for i, p := range rc.BySetPos {
			if i > 0 {
				b.WriteString("、")
			}
			switch {
			case p > 0:
				b.WriteString("第" + strconv.Itoa(p) + "个")
			case p == -1:
				b.WriteString("最后一个")
			default:
				b.WriteString("倒数第" + strconv.Itoa(-p) + "个")
			}
		}
	}
	return b.String()
}

// describeDays renders BYMONTHDAY and BYDAY within a month: "15日",
// "最后一天", "第一个星期二", "每个星期三", "13日（限星期五）".
func (rc Recurrence) describeDays() string {
	var days []string
	for _, md := range rc.ByMonthDay {
		switch {
		case md > 0:
			days = append(days, strconv.Itoa(md)+"日")
		case md == -1:
			days = append(days, "最后一天")
		default:
			days = append(days, "倒数第"+strconv.Itoa(-md)+"天")
		}
	}
	var weekdays []string
	for _, wn := range rc.ByDay {
		name := "星期" + chineseWeekdays[wn.Day]
		switch {
		case wn.N > 0:
			name = "第" + chineseOrdinals[wn.N] + "个" + name
		case wn.N == -1:
			name = "最后一个" + name
		case wn.N < 0:
			name = "倒数第" + chineseOrdinals[-wn.N] + "个" + name
		case len(rc.ByMonthDay) == 0:
			name = "每个" + name
		}
		weekdays = append(weekdays, name)
	}
	switch {
	case len(days) == 0:
		return strings.Join(weekdays, "、")
	case len(weekdays) == 0:
		return strings.Join(days, "、")
	}
	return strings.Join(days, "、") + "（限" + strings.Join(weekdays, "、") + "）"
}

func joinInts(ns []int, sep string) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, sep)
}
