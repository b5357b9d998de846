package lianluo

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is a span of whole Beijing dates as a half-open interval of
// instants [From, To): From is the start of the first day, To the start of
// the day after the last. Statistics choose cases by registration time in it.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Name string    `json:"name"` // in Chinese, for titles: 2026年第四季度
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.From) && t.Before(p.To)
}

// FromDate and ToDate are the first and the last Beijing date of the period
// (both included), as YYYY-MM-DD: what the from and to parameters take.
func (p Period) FromDate() string { return p.From.In(Beijing).Format(time.DateOnly) }
func (p Period) ToDate() string {
	return p.To.In(Beijing).AddDate(0, 0, -1).Format(time.DateOnly)
}

// Years a period may fall in: anything else is a typing error.
const (
	minPeriodYear = 2000
	maxPeriodYear = 2100
)

// beijingDay returns the start of the Beijing date y-m-d, in UTC. Out-of-range
// months and days are normalised as time.Date does.
func beijingDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, Beijing).UTC()
}

// parseBeijingDate reads a YYYY-MM-DD date, naming field and label in the error.
func parseBeijingDate(field, label, s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Beijing)
	if err != nil {
		return time.Time{}, FieldError(field, "%s格式不正确，应为“年-月-日”，例如 2026-10-01。", label)
	}
	if t.Year() < minPeriodYear || t.Year() > maxPeriodYear {
		return time.Time{}, FieldError(field, "%s应在%d年至%d年之间。", label, minPeriodYear, maxPeriodYear)
	}
	return t.UTC(), nil
}

// ParseDateRange reads the from and to parameters (Beijing dates, both
// included) into a period.
func ParseDateRange(from, to string) (Period, error) {
	if from == "" {
		return Period{}, FieldError("from", "请填写开始日期。")
	}
	if to == "" {
		return Period{}, FieldError("to", "请填写结束日期。")
	}
	f, err := parseBeijingDate("from", "开始日期", from)
	if err != nil {
		return Period{}, err
	}
	t, err := parseBeijingDate("to", "结束日期", to)
	if err != nil {
		return Period{}, err
	}
	if t.Before(f) {
		return Period{}, FieldError("to", "结束日期不能早于开始日期。")
	}
	p := Period{From: f, To: t.AddDate(0, 0, 1)}
	p.Name = fmt.Sprintf("%s至%s", chineseDate(f), chineseDate(t))
	return p, nil
}

func chineseDate(t time.Time) string {
	b := t.In(Beijing)
	return fmt.Sprintf("%d年%d月%d日", b.Year(), int(b.Month()), b.Day())
}

var (
	yearRe  = regexp.MustCompile(`^([0-9]{4})$`)
	monthRe = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
	// A quarter-like text (2026Q5 too): ParseQuarter then says what is wrong.
	quarterLikeRe = regexp.MustCompile(`^[0-9]{4}[Qq][0-9]$`)
)

// ParsePeriod reads a report period: a year (2026), a month (2026-11) or a
// quarter (2026Q4).
func ParsePeriod(s string) (Period, error) {
	bad := FieldError("period", "报告期格式不正确，应为年度（如 2026）、季度（如 2026Q4）或月份（如 2026-11）。")
	year := func(ys string) (int, error) {
		y, _ := strconv.Atoi(ys)
		if y < minPeriodYear || y > maxPeriodYear {
			return 0, FieldError("period", "报告期的年份应在%d年至%d年之间。", minPeriodYear, maxPeriodYear)
		}
		return y, nil
	}
	switch {
	case s == "":
		return Period{}, FieldError("period", "请选择报告期。")
	case yearRe.MatchString(s):
		y, err := year(s)
		if err != nil {
			return Period{}, err
		}
		return yearPeriod(y), nil
	case monthRe.MatchString(s):
		m := monthRe.FindStringSubmatch(s)
		y, err := year(m[1])
		if err != nil {
			return Period{}, err
		}
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Period{}, FieldError("period", "报告期的月份应为01到12。")
		}
		return monthPeriod(y, time.Month(mo)), nil
	case quarterLikeRe.MatchString(s):
		if _, err := year(s[:4]); err != nil {
			return Period{}, err
		}
		if q := s[5]; q < '1' || q > '4' {
			return Period{}, FieldError("period", "报告期的季度应为 Q1 到 Q4。")
		}
		q, err := ParseQuarter("period", s)
		if err != nil {
			return Period{}, err
		}
		return quarterPeriod(q), nil
	}
	return Period{}, bad
}

func yearPeriod(y int) Period {
	return Period{From: beijingDay(y, 1, 1), To: beijingDay(y+1, 1, 1), Name: fmt.Sprintf("%d年", y)}
}

func monthPeriod(y int, m time.Month) Period {
	return Period{From: beijingDay(y, m, 1), To: beijingDay(y, m+1, 1), Name: fmt.Sprintf("%d年%d月", y, int(m))}
}

func quarterPeriod(q Quarter) Period {
	from, to := q.Range()
	return Period{From: from.UTC(), To: to.UTC(), Name: q.Text()}
}

// Period presets of the statistics page.
const (
	PresetMonth   = "month"   // 本月
	PresetQuarter = "quarter" // 本季度
	PresetYear    = "year"    // 本年
)

// PresetNames are the Chinese names of the presets.
var PresetNames = map[string]string{PresetMonth: "本月", PresetQuarter: "本季度", PresetYear: "本年"}

// PresetPeriod returns this month, quarter or year — the whole of it,
// including the days still to come — of the Beijing date of now.
func PresetPeriod(preset string, now time.Time) (Period, error) {
	b := now.In(Beijing)
	switch preset {
	case PresetMonth:
		return monthPeriod(b.Year(), b.Month()), nil
	case PresetQuarter:
		return quarterPeriod(QuarterOf(now)), nil
	case PresetYear:
		return yearPeriod(b.Year()), nil
	}
	return Period{}, FieldError("preset", "请选择本月、本季度或本年。")
}
