package lianluo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseCalendarText reads a year's public holidays and make-up working days
// from the text an administrator enters: the State Council General Office's
// notice (国务院办公厅关于…年部分节假日安排的通知) pasted as published, or
// one date a line ("2027-01-01 放假 元旦", "2027-02-07 上班 春节"), or both.
// The year comes from the form: the notice's dates have none.
//
// Of the notice it reads the numbered arrangements, e.g.
//
//	一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
//
// Every day of a break is a holiday (its weekend days too, as
// internal/holidays lists them); "与周末连休" adds the adjoining weekend days
// of the year; the dates of a sentence saying 上班 are make-up working days.
// Other lines (title, addressees, closing words, the date of issue) are
// skipped. A line that names dates to rest or to work but cannot be read is
// an error naming the line, and nothing is returned.
func ParseCalendarText(year int, text string) ([]CalendarDay, error) {
	if year < 2000 || year > 2100 {
		return nil, FieldError("year", "年份应在2000年到2100年之间。")
	}
	if strings.TrimSpace(text) == "" {
		return nil, FieldError("text", "请粘贴国务院办公厅的放假安排通知，或逐行填写日期，如“%d-10-01 放假 国庆节”。", year)
	}
	p := calParser{year: year, at: map[string]int{}}
	for i, line := range strings.Split(text, "\n") {
		p.line, p.text = i+1, strings.TrimSpace(line)
		if err := p.parseLine(); err != nil {
			return nil, err
		}
	}
	if len(p.days) == 0 {
		return nil, FieldError("text", "没有读到任何放假或上班的日期。请粘贴通知中“一、元旦：……”这样的各条安排，或逐行填写日期。")
	}
	slices.SortFunc(p.days, func(a, b CalendarDay) int { return strings.Compare(a.Date, b.Date) })
	return p.days, nil
}

// CalendarText writes calendar entries one a line in the form
// ParseCalendarText reads back: "2026-10-01 放假 国庆节".
func CalendarText(days []CalendarDay) string {
	var b strings.Builder
	for _, d := range days {
		fmt.Fprintf(&b, "%s %s %s\n", d.Date, calKindWords[d.Kind], d.Name)
	}
	return b.String()
}

// CalendarVersion fingerprints a year's entries: a form carries the version
// it showed, and saving over a year changed meanwhile is refused.
func CalendarVersion(days []CalendarDay) string {
	sorted := slices.Clone(days)
	slices.SortFunc(sorted, func(a, b CalendarDay) int { return strings.Compare(a.Date, b.Date) })
	sum := sha256.Sum256([]byte(CalendarText(sorted)))
	return hex.EncodeToString(sum[:8])
}

var calKindWords = map[string]string{DayHoliday: "放假", DayWorkday: "上班"}

var (
	// 2027-01-01 放假 元旦 · 2027年1月1日 上班 春节
	calLineRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s+(\S+)\s*(.*)$`)
	// 一、元旦：…  or  元旦：…
	calHeadRe   = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])?([^：:，,。；;]{1,30})[：:](.*)$`)
	calParenRe  = regexp.MustCompile(`（[^）]*）|\([^)]*\)`)
	calRangeRe  = regexp.MustCompile(`(\d{1,2})月(\d{1,2})日(?:至|到|—|-|－|~|～)(?:(\d{1,2})月)?(\d{1,2})日`)
	calDateRe   = regexp.MustCompile(`(\d{1,2})月(\d{1,2})日`)
	calTotalRe  = regexp.MustCompile(`共(\d{1,2})天`)
	calKindOfRe = map[string]string{"放假": DayHoliday, "休": DayHoliday, "休息": DayHoliday, "holiday": DayHoliday,
		"上班": DayWorkday, "调休上班": DayWorkday, "补班": DayWorkday, "workday": DayWorkday}
)

// calParser reads one text; at maps a date to the line that gave it.
type calParser struct {
	year       int
	line       int
	text       string
	days       []CalendarDay
	at         map[string]int
	normalized string
}

func (p *calParser) fail(format string, args ...any) error {
	quoted := p.text
	if utf8.RuneCountInString(quoted) > 40 {
		quoted = string([]rune(quoted)[:40]) + "…"
	}
	return FieldError("text", "第%d行“%s”：%s", p.line, quoted, fmt.Sprintf(format, args...))
}

func (p *calParser) parseLine() error {
	if p.text == "" {
		return nil
	}
	s := normalizeCalText(p.text)
	if m := calLineRe.FindStringSubmatch(s); m != nil {
		return p.dateLine(m)
	}
	s = strings.Join(strings.Fields(s), "")
	s = calParenRe.ReplaceAllString(s, "")
	h := calHeadRe.FindStringSubmatch(s)
	if h == nil {
		if calDateRe.MatchString(s) && (strings.Contains(s, "放假") || strings.Contains(s, "上班")) {
			return p.fail("读不懂：每条安排应以节日名称和冒号开头，如“一、元旦：1月1日放假”；也可写成“%d-01-01 放假 元旦”。", p.year)
		}
		return nil // title, addressees, closing words, date of issue
	}
	name, rest := strings.TrimSpace(h[1]), h[2]
	if !calDateRe.MatchString(rest) {
		return nil // a heading without dates, e.g. the addressees
	}
	n := len(p.days)
	for _, sent := range strings.FieldsFunc(rest, func(r rune) bool { return r == '。' || r == '；' || r == ';' }) {
		if err := p.sentence(name, sent); err != nil {
			return err
		}
	}
	if len(p.days) == n {
		return p.fail("没有读到放假或上班的日期。")
	}
	return nil
}

// dateLine reads "2027-01-01 放假 元旦".
func (p *calParser) dateLine(m []string) error {
	y, _ := strconv.Atoi(m[1])
	if y != p.year {
		return p.fail("日期不在%d年。", p.year)
	}
	kind, ok := calKindOfRe[m[4]]
	if !ok {
		return p.fail("“%s”应为“放假”或“上班”。", m[4])
	}
	name := strings.TrimSpace(m[5])
	if name == "" {
		return p.fail("请在日期和“放假/上班”后写上节日名称，如“国庆节”。")
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	return p.add(mo, d, kind, name)
}

// sentence reads one sentence of a notice's arrangement.
func (p *calParser) sentence(name, s string) error {
	if !calDateRe.MatchString(s) {
		return nil // e.g. 鼓励各单位……安排职工在除夕休息
	}
	work := strings.Contains(s, "上班") || strings.Contains(s, "补班")
	rest := strings.Contains(s, "放假") || strings.Contains(s, "休")
	switch {
	case work && rest:
		return p.fail("同一句里既有放假又有上班，请分成两句。")
	case work:
		for _, m := range calDateRe.FindAllStringSubmatch(s, -1) {
			if err := p.add(atoi(m[1]), atoi(m[2]), DayWorkday, name); err != nil {
				return err
			}
		}
		return nil
	case rest:
		dates := 0
		for _, m := range calRangeRe.FindAllStringSubmatch(s, -1) {
			from, err := p.date(atoi(m[1]), atoi(m[2]))
			if err != nil {
				return err
			}
			toMonth := atoi(m[1])
			if m[3] != "" {
				toMonth = atoi(m[3])
			}
			to, err := p.date(toMonth, atoi(m[4]))
			if err != nil {
				return err
			}
			if !to.After(from) || to.Sub(from) > 15*24*time.Hour {
				return p.fail("%s至%s不是一段假期。", from.Format("1月2日"), to.Format("1月2日"))
			}
			n := int(to.Sub(from).Hours()/24) + 1
			if t := calTotalRe.FindStringSubmatch(s); t != nil && atoi(t[1]) != n {
				return p.fail("%s至%s是%d天，通知写的是共%s天，请核对。", from.Format("1月2日"), to.Format("1月2日"), n, t[1])
			}
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				if err := p.add(int(d.Month()), d.Day(), DayHoliday, name); err != nil {
					return err
				}
			}
			dates++
		}
		for _, m := range calDateRe.FindAllStringSubmatch(calRangeRe.ReplaceAllString(s, ""), -1) {
			d, err := p.date(atoi(m[1]), atoi(m[2]))
			if err != nil {
				return err
			}
			if err := p.add(int(d.Month()), d.Day(), DayHoliday, name); err != nil {
				return err
			}
			if strings.Contains(s, "周末连休") {
				// The weekend next to the day, as far as it is in this year.
				for _, w := range adjoiningWeekend(d) {
					if w.Year() == p.year {
						if err := p.add(int(w.Month()), w.Day(), DayHoliday, name); err != nil {
							return err
						}
					}
				}
			}
			dates++
		}
		if dates == 0 {
			return p.fail("读不懂放假的日期，应写成“1月1日放假”或“10月1日至7日放假调休”。")
		}
		return nil
	}
	return p.fail("读不懂“%s”：没有说放假还是上班。", s)
}

// adjoiningWeekend returns the Saturday and Sunday before a Monday or after
// a Friday.
func adjoiningWeekend(d time.Time) []time.Time {
	switch d.Weekday() {
	case time.Monday:
		return []time.Time{d.AddDate(0, 0, -2), d.AddDate(0, 0, -1)}
	case time.Friday:
		return []time.Time{d.AddDate(0, 0, 1), d.AddDate(0, 0, 2)}
	}
	return nil
}

// date checks month and day in the parser's year.
func (p *calParser) date(month, day int) (time.Time, error) {
	t := time.Date(p.year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || t.Month() != time.Month(month) || t.Day() != day {
		return t, p.fail("%d年没有%d月%d日。", p.year, month, day)
	}
	return t, nil
}

func (p *calParser) add(month, day int, kind, name string) error {
	t, err := p.date(month, day)
	if err != nil {
		return err
	}
	d := CalendarDay{Date: t.Format(dateLayout), Kind: kind, Name: name}
	if line, dup := p.at[d.Date]; dup {
		if line == p.line && slices.Contains(p.days, d) {
			return nil // a weekend day given by a break and by 与周末连休
		}
		return p.fail("%s已在第%d行出现过。", t.Format("1月2日"), line)
	}
	if err := d.Validate(); err != nil {
		return p.fail("%s", ErrorMessage(err))
	}
	p.at[d.Date] = p.line
	p.days = append(p.days, d)
	return nil
}

// normalizeCalText turns full-width digits and signs into ASCII, as text
// copied from a web page or a Word file often has them.
func normalizeCalText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '－':
			return '-'
		case r == '\u3000' || r == '\u00a0':
			return ' '
		}
		return r
	}, s)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
