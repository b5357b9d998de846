package schedule

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// Frequencies of a Recurrence (RFC 5545 FREQ). DAILY and finer are refused:
// a station receives on set days, not every day.
const (
	Weekly  = "WEEKLY"
	Monthly = "MONTHLY"
	Yearly  = "YEARLY"
)

// maxInterval bounds INTERVAL; beyond it a rule is a typo, not a plan.
const maxInterval = 99

// WeekdayNum is one BYDAY entry: a weekday with an optional ordinal within
// the month ("1TU" first Tuesday, "-1FR" last Friday, "WE" every Wednesday).
type WeekdayNum struct {
	N   int // 1…5 or -1…-5; 0 for every such weekday
	Day time.Weekday
}

// Recurrence is a parsed RRULE: the subset of RFC 5545 that receptions need.
// Lists are sorted and free of duplicates (BYDAY keeps the order written).
//
// Unlike RFC 5545, a Recurrence never takes a day or month from DTSTART: a
// weekly rule names its days (BYDAY), a monthly one its day of month or
// weekday (BYMONTHDAY or BYDAY), a yearly one its months (BYMONTH) as well.
// So a rule describes itself (see Rule.Describe), and the anchor passed to
// Rule.Sessions only decides which periods an INTERVAL counts and where a
// COUNT starts.
type Recurrence struct {
	Freq       string       // Weekly, Monthly or Yearly
	Interval   int          // every Interval weeks, months or years; ≥ 1
	ByMonth    []int        // 1–12: only these months (for Yearly, the months)
	ByMonthDay []int        // 1–31 or -31…-1 (-1 is the last day of the month)
	ByDay      []WeekdayNum // weekdays; ordinals only for Monthly and Yearly
	BySetPos   []int        // ±1…366: keep only these of each period's dates
	Count      int          // stop after Count dates from the anchor; 0 for no limit
	Until      time.Time    // last possible date, Beijing midnight; zero for none
}

// rruleError is the EINVALID error for the rrule field; every message names
// the field the way the form labels it.
func rruleError(format string, args ...any) error {
	return lianluo.FieldError("rrule", "接待规则（rrule）"+format, args...)
}

var weekdayCodes = map[string]time.Weekday{
	"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday, "TH": time.Thursday,
	"FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday,
}

var weekdayCode = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// unsupportedParts are RFC 5545 rule parts a reception rule does not use;
// they get a "not supported" message rather than "not recognised".
var unsupportedParts = map[string]bool{
	"BYHOUR": true, "BYMINUTE": true, "BYSECOND": true,
	"BYYEARDAY": true, "BYWEEKNO": true, "RSCALE": true, "SKIP": true,
}

// ParseRRule parses an RRULE such as "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15".
// Names are case-insensitive, an "RRULE:" prefix and a trailing ";" are
// accepted, and WKST is accepted and ignored (weeks start on Monday). Errors
// are lianluo EINVALID errors on the field "rrule" with a Chinese message.
func ParseRRule(s string) (Recurrence, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimSpace(strings.TrimPrefix(s, "RRULE:"))
	if s == "" {
		return Recurrence{}, lianluo.FieldError("rrule", "请填写接待规则。")
	}
	if len(s) > 300 {
		return Recurrence{}, rruleError("过长，请检查是否填写正确。")
	}
	rc := Recurrence{Interval: 1}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return Recurrence{}, rruleError("中的“%s”格式不正确，应为“名称=取值”，如“FREQ=MONTHLY”。", part)
		}
		if unsupportedParts[name] {
			return Recurrence{}, rruleError("中的“%s”暂不支持。", name)
		}
		if seen[name] {
			return Recurrence{}, rruleError("中的“%s”出现了不止一次。", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "FREQ":
			err = parseFreq(value, &rc)
		case "INTERVAL":
			rc.Interval, err = parseInt(name, value, 1, maxInterval, "间隔应为1到99之间的整数")
		case "COUNT":
			rc.Count, err = parseInt(name, value, 1, 1000, "次数应为1到1000之间的整数")
		case "UNTIL":
			rc.Until, err = parseUntil(value)
		case "BYMONTH":
			rc.ByMonth, err = parseInts(name, value, 1, 12, false, "月份应为1到12")
		case "BYMONTHDAY":
			rc.ByMonthDay, err = parseInts(name, value, 1, 31, true, "日期应为1到31，或-1（最后一天）到-31")
		case "BYSETPOS":
			rc.BySetPos, err = parseInts(name, value, 1, 366, true, "序号应为1到366，或-1（最后一个）到-366")
		case "BYDAY":
			rc.ByDay, err = parseByDay(value)
		case "WKST":
			if _, ok := weekdayCodes[value]; !ok {
				err = rruleError("中的“WKST=%s”无效：应为MO、TU、WE、TH、FR、SA或SU。", value)
			}
		default:
			err = rruleError("中的“%s”无法识别。", name)
		}
		if err != nil {
			return Recurrence{}, err
		}
	}
	if err := rc.check(); err != nil {
		return Recurrence{}, err
	}
	return rc, nil
}

func parseFreq(value string, rc *Recurrence) error {
	switch value {
	case Weekly, Monthly, Yearly:
		rc.Freq = value
		return nil
	case "DAILY", "HOURLY", "MINUTELY", "SECONDLY":
		return rruleError("中的“FREQ=%s”暂不支持：联络站接待请按周（WEEKLY）、按月（MONTHLY）或按年（YEARLY）安排。", value)
	}
	return rruleError("中的“FREQ=%s”无效：应为WEEKLY、MONTHLY或YEARLY。", value)
}

func parseInt(name, value string, lo, hi int, want string) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < lo || n > hi {
		return 0, rruleError("中的“%s=%s”无效：%s。", name, value, want)
	}
	return n, nil
}

// parseInts parses a comma list of integers in lo…hi, or also -hi…-lo when
// negative is set, and returns it sorted without duplicates: positive values
// ascending, then negative ones from the farthest to the last (-3, -2, -1).
func parseInts(name, value string, lo, hi int, negative bool, want string) ([]int, error) {
	var out []int
	for item := range strings.SplitSeq(value, ",") {
		item = strings.TrimSpace(item)
		n, err := strconv.Atoi(item)
		abs := n
		if n < 0 && negative {
			abs = -n
		}
		if err != nil || abs < lo || abs > hi {
			return nil, rruleError("中的“%s=%s”无效：%s。", name, item, want)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b int) int {
		if (a < 0) != (b < 0) {
			if a < 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	return out, nil
}

func parseByDay(value string) ([]WeekdayNum, error) {
	var out []WeekdayNum
	for item := range strings.SplitSeq(value, ",") {
		item = strings.TrimSpace(item)
		if len(item) < 2 {
			return nil, rruleError("中的“BYDAY=%s”无效：星期应写作MO、TU、WE、TH、FR、SA、SU，可带序号，如“1TU”“-1FR”。", item)
		}
		day, ok := weekdayCodes[item[len(item)-2:]]
		if !ok {
			return nil, rruleError("中的“BYDAY=%s”无效：星期应写作MO、TU、WE、TH、FR、SA、SU，可带序号，如“1TU”“-1FR”。", item)
		}
		n := 0
		if prefix := item[:len(item)-2]; prefix != "" {
			var err error
			n, err = strconv.Atoi(prefix)
			if err != nil || n == 0 || n < -5 || n > 5 {
				return nil, rruleError("中的“BYDAY=%s”无效：序号应为1到5或-1（最后一个）到-5。", item)
			}
		}
		wn := WeekdayNum{N: n, Day: day}
		if !slices.Contains(out, wn) {
			out = append(out, wn)
		}
	}
	return out, nil
}

// parseUntil accepts a date (20261231) or a date-time (20261231T235959, with
// or without Z); only the Beijing date counts.
func parseUntil(value string) (time.Time, error) {
	for _, layout := range []string{"20060102", "20060102T150405"} {
		if t, err := time.ParseInLocation(layout, value, lianluo.Beijing); err == nil {
			return beijingDate(t), nil
		}
	}
	if t, err := time.Parse("20060102T150405Z", value); err == nil {
		return beijingDate(t), nil
	}
	return time.Time{}, rruleError("中的“UNTIL=%s”无效：应为年月日，如“20261231”。", value)
}

// check enforces the combinations a reception rule may use.
func (rc Recurrence) check() error {
	switch {
	case rc.Freq == "":
		return rruleError("缺少FREQ，请指明按周（WEEKLY）、按月（MONTHLY）还是按年（YEARLY）重复。")
	case rc.Count > 0 && !rc.Until.IsZero():
		return rruleError("不能同时使用COUNT和UNTIL。")
	case len(rc.BySetPos) > 0 && len(rc.ByDay) == 0 && len(rc.ByMonthDay) == 0:
		return rruleError("中的BYSETPOS须与BYDAY或BYMONTHDAY一起使用。")
	}
	hasOrdinal := slices.ContainsFunc(rc.ByDay, func(wn WeekdayNum) bool { return wn.N != 0 })
	switch rc.Freq {
	case Weekly:
		switch {
		case len(rc.ByDay) == 0:
			return rruleError("按周重复时请用BYDAY指明星期几，如“BYDAY=WE”。")
		case hasOrdinal:
			return rruleError("按周重复时BYDAY不能带序号，请写“TU”而不是“1TU”。")
		case len(rc.ByMonthDay) > 0:
			return rruleError("按周重复时不能使用BYMONTHDAY。")
		}
	case Monthly, Yearly:
		if rc.Freq == Yearly && len(rc.ByMonth) == 0 {
			return rruleError("按年重复时请用BYMONTH指明月份，如“BYMONTH=1,7”。")
		}
		if len(rc.ByDay) == 0 && len(rc.ByMonthDay) == 0 {
			return rruleError("按月或按年重复时请用BYMONTHDAY指明几号，或用BYDAY指明第几个星期几，如“BYMONTHDAY=15”或“BYDAY=1TU”。")
		}
		if hasOrdinal && len(rc.ByMonthDay) > 0 {
			return rruleError("同时使用BYMONTHDAY时，BYDAY不能带序号。")
		}
	}
	return nil
}

// String returns the rule in RRULE form with its parts in a fixed order, so
// equal rules print equally; ParseRRule(rc.String()) returns rc.
func (rc Recurrence) String() string {
	parts := []string{"FREQ=" + rc.Freq}
	if rc.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(rc.Interval))
	}
	list := func(name string, ns []int) {
		if len(ns) > 0 {
			s := make([]string, len(ns))
			for i, n := range ns {
				s[i] = strconv.Itoa(n)
			}
			parts = append(parts, name+"="+strings.Join(s, ","))
		}
	}
	list("BYMONTH", rc.ByMonth)
	list("BYMONTHDAY", rc.ByMonthDay)
	if len(rc.ByDay) > 0 {
		s := make([]string, len(rc.ByDay))
		for i, wn := range rc.ByDay {
			s[i] = weekdayCode[wn.Day]
			if wn.N != 0 {
				s[i] = strconv.Itoa(wn.N) + s[i]
			}
		}
		parts = append(parts, "BYDAY="+strings.Join(s, ","))
	}
	list("BYSETPOS", rc.BySetPos)
	if rc.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(rc.Count))
	}
	if !rc.Until.IsZero() {
		parts = append(parts, "UNTIL="+rc.Until.Format("20060102"))
	}
	return strings.Join(parts, ";")
}

// dates returns the nominal dates of the rule from anchor to end (Beijing
// midnights, both inclusive), before any holiday is taken into account: the
// dates in periods anchor's period + k·Interval, at or after anchor, up to
// Until and at most Count of them counted from anchor.
func (rc Recurrence) dates(anchor, end time.Time) []time.Time {
	if !rc.Until.IsZero() && rc.Until.Before(end) {
		end = rc.Until
	}
	var out []time.Time
	emit := func(set []time.Time) bool {
		for _, d := range rc.setPos(set) {
			if d.Before(anchor) {
				continue
			}
			if d.After(end) || (rc.Count > 0 && len(out) == rc.Count) {
				return false
			}
			out = append(out, d)
		}
		return true
	}
	switch rc.Freq {
	case Weekly:
		// Weeks run Monday to Sunday (WKST is ignored), counted from the
		// week holding the anchor.
		monday := anchor.AddDate(0, 0, -((int(anchor.Weekday()) + 6) % 7))
		for w := monday; !w.After(end); w = w.AddDate(0, 0, 7*rc.Interval) {
			var set []time.Time
			for i := range 7 {
				d := w.AddDate(0, 0, i)
				if rc.inMonths(d.Month()) && rc.matchDay(d) {
					set = append(set, d)
				}
			}
			if !emit(set) {
				break
			}
		}
	case Monthly:
		first := time.Date(anchor.Year(), anchor.Month(), 1, 0, 0, 0, 0, lianluo.Beijing)
		for m := first; !m.After(end); m = m.AddDate(0, rc.Interval, 0) {
			var set []time.Time
			if rc.inMonths(m.Month()) {
				set = rc.monthDates(m)
			}
			if !emit(set) {
				break
			}
		}
	case Yearly:
		for y := anchor.Year(); y <= end.Year(); y += rc.Interval {
			var set []time.Time
			for _, m := range rc.ByMonth {
				set = append(set, rc.monthDates(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, lianluo.Beijing))...)
			}
			if !emit(set) {
				break
			}
		}
	}
	return out
}

func (rc Recurrence) inMonths(m time.Month) bool {
	return len(rc.ByMonth) == 0 || slices.Contains(rc.ByMonth, int(m))
}

// monthDates returns the dates of the month starting at first that match
// BYMONTHDAY and BYDAY. Filtering every day of the month gives RFC 5545's
// "expand" and "limit" readings alike, since ordinals count within the month.
func (rc Recurrence) monthDates(first time.Time) []time.Time {
	var set []time.Time
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		if rc.matchDay(d) {
			set = append(set, d)
		}
	}
	return set
}

// matchDay reports whether date d matches BYMONTHDAY and BYDAY (each when given).
func (rc Recurrence) matchDay(d time.Time) bool {
	last := daysIn(d.Year(), d.Month())
	if len(rc.ByMonthDay) > 0 && !slices.ContainsFunc(rc.ByMonthDay, func(md int) bool {
		return md == d.Day() || md < 0 && last+md+1 == d.Day()
	}) {
		return false
	}
	if len(rc.ByDay) > 0 && !slices.ContainsFunc(rc.ByDay, func(wn WeekdayNum) bool {
		switch {
		case wn.Day != d.Weekday():
			return false
		case wn.N > 0:
			return (d.Day()-1)/7+1 == wn.N
		case wn.N < 0:
			return (last-d.Day())/7+1 == -wn.N
		}
		return true
	}) {
		return false
	}
	return true
}

// setPos applies BYSETPOS to one period's dates, which are in order.
func (rc Recurrence) setPos(set []time.Time) []time.Time {
	if len(rc.BySetPos) == 0 {
		return set
	}
	var out []time.Time
	for _, p := range rc.BySetPos {
		i := p - 1
		if p < 0 {
			i = len(set) + p
		}
		if i >= 0 && i < len(set) && !slices.ContainsFunc(out, set[i].Equal) {
			out = append(out, set[i])
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// beijingDate returns midnight, Beijing time, of t's Beijing date.
func beijingDate(t time.Time) time.Time {
	y, m, d := t.In(lianluo.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, lianluo.Beijing)
}
