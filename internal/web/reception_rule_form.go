// A reception rule's form (接待规则): the patterns offered, reading the form
// into an RRULE and back.

package web

import (
	"fmt"
	"lianluo"
	"lianluo/internal/schedule"
	"net/http"
	"slices"
	"strconv"
)

var patternKeys = []string{patMonthly, patOdd, patEven, patBimonthly, patWeekly, patNth}

var patternNames = map[string]string{
	patMonthly:   "每月（指定日期）",
	patOdd:       "每单月（1、3、5、7、9、11月）",
	patEven:      "每双月（2、4、6、8、10、12月）",
	patBimonthly: "每两个月一次（从起算月份起）",
	patWeekly:    "每周（指定星期）",
	patNth:       "每月第几个星期几",
}

var weekdayKeys = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

var weekdayLabels = map[string]string{"MO": "星期一", "TU": "星期二", "WE": "星期三", "TH": "星期四", "FR": "星期五", "SA": "星期六", "SU": "星期日"}

var nthKeys = []string{"1", "2", "3", "4", "-1"}

var nthLabels = map[string]string{"1": "第一个", "2": "第二个", "3": "第三个", "4": "第四个", "-1": "最后一个"}

var onHolidayKeys = []string{schedule.NextWorkday, schedule.Skip}

var onHolidayLabels = map[string]string{schedule.NextWorkday: "顺延至下一个工作日", schedule.Skip: "当次取消"}

var formKeys = []string{schedule.FormFixed, schedule.FormTheme, schedule.FormAppointment, schedule.FormMobile, schedule.FormHome, schedule.FormOnline}

func dayOptions(selected string) []option {
	out := make([]option, 0, 32)
	for d := 1; d <= 31; d++ {
		s := strconv.Itoa(d)
		out = append(out, option{Value: s, Label: s + "日", Selected: s == selected})
	}
	return append(out, option{Value: "-1", Label: "最后一天", Selected: selected == "-1"})
}

// ruleInput is the plain rule form.
type ruleInput struct {
	Pattern, Day, Weekday, Nth  string
	Start, End, OnHoliday, Form string
	Theme, PerSession           string
}

func readRuleInput(r *http.Request) ruleInput {
	return ruleInput{Pattern: formStr(r, "pattern"), Day: formStr(r, "day"), Weekday: formStr(r, "weekday"), Nth: formStr(r, "nth"),
		Start: formStr(r, "start"), End: formStr(r, "end"), OnHoliday: formStr(r, "on_holiday"), Form: formStr(r, "form"),
		Theme: formStr(r, "theme"), PerSession: formStr(r, "per_session")}
}

// rrule builds the RRULE, with errors naming the form's fields.
func (in ruleInput) rrule() (string, error) {
	day := func() (string, error) {
		d, err := strconv.Atoi(in.Day)
		if err != nil || d == 0 || d < -1 || d > 31 {
			return "", lianluo.FieldError("day", "请选择每月的哪一天。")
		}
		return strconv.Itoa(d), nil
	}
	weekday := func() (string, error) {
		if !slices.Contains(weekdayKeys, in.Weekday) {
			return "", lianluo.FieldError("weekday", "请选择星期几。")
		}
		return in.Weekday, nil
	}
	switch in.Pattern {
	case patMonthly, patOdd, patEven, patBimonthly:
		d, err := day()
		if err != nil {
			return "", err
		}
		switch in.Pattern {
		case patOdd:
			return "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=" + d, nil
		case patEven:
			return "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYMONTHDAY=" + d, nil
		case patBimonthly:
			return "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=" + d, nil
		}
		return "FREQ=MONTHLY;BYMONTHDAY=" + d, nil
	case patWeekly:
		wd, err := weekday()
		if err != nil {
			return "", err
		}
		return "FREQ=WEEKLY;BYDAY=" + wd, nil
	case patNth:
		if !slices.Contains(nthKeys, in.Nth) {
			return "", lianluo.FieldError("nth", "请选择第几个星期。")
		}
		wd, err := weekday()
		if err != nil {
			return "", err
		}
		return "FREQ=MONTHLY;BYDAY=" + in.Nth + wd, nil
	}
	return "", lianluo.FieldError("pattern", "请选择接待周期。")
}

func (in ruleInput) perSession() (int, error) {
	if in.PerSession == "" {
		return schedule.MinPerSession, nil
	}
	n, err := strconv.Atoi(in.PerSession)
	if err != nil {
		return 0, lianluo.FieldError("per_session", "每次安排的代表人数应为数字。")
	}
	return n, nil
}

// ruleInputOf reads a stored rule back into the form; ok is false for a
// rule the form cannot express (made through the API): it can then only
// be retired or replaced.
func ruleInputOf(rule *lianluo.ReceptionRule) (in ruleInput, ok bool) {
	in = ruleInput{Start: rule.Start, End: rule.End, OnHoliday: rule.OnHoliday, Form: rule.Form, Theme: rule.Theme,
		PerSession: strconv.Itoa(rule.PerSession), Day: "15", Weekday: "MO", Nth: "1", Pattern: patMonthly}
	rc, err := schedule.ParseRRule(rule.RRule)
	if err != nil || rc.Count > 0 || !rc.Until.IsZero() || len(rc.BySetPos) > 0 {
		return in, false
	}
	months := fmt.Sprint(rc.ByMonth)
	switch {
	case rc.Freq == schedule.Weekly && rc.Interval == 1 && len(rc.ByDay) == 1 && len(rc.ByMonth) == 0:
		in.Pattern, in.Weekday = patWeekly, weekdayKeys[(int(rc.ByDay[0].Day)+6)%7]
		return in, true
	case rc.Freq != schedule.Monthly:
		return in, false
	case len(rc.ByMonthDay) == 1 && len(rc.ByDay) == 0:
		in.Day = strconv.Itoa(rc.ByMonthDay[0])
		switch {
		case rc.Interval == 1 && len(rc.ByMonth) == 0:
			in.Pattern = patMonthly
		case rc.Interval == 1 && months == "[1 3 5 7 9 11]":
			in.Pattern = patOdd
		case rc.Interval == 1 && months == "[2 4 6 8 10 12]":
			in.Pattern = patEven
		case rc.Interval == 2 && len(rc.ByMonth) == 0:
			in.Pattern = patBimonthly
		default:
			return in, false
		}
		return in, true
	case len(rc.ByMonthDay) == 0 && len(rc.ByDay) == 1 && rc.Interval == 1 && len(rc.ByMonth) == 0 &&
		slices.Contains(nthKeys, strconv.Itoa(rc.ByDay[0].N)):
		in.Pattern, in.Nth, in.Weekday = patNth, strconv.Itoa(rc.ByDay[0].N), weekdayKeys[(int(rc.ByDay[0].Day)+6)%7]
		return in, true
	}
	return in, false
}

// ruleFields are the rule form's inputs; the store's errors on rrule are
// shown next to the pattern.
var ruleFields = []string{"pattern", "day", "weekday", "nth", "start", "end", "on_holiday", "form", "theme", "per_session"}

func ruleErr(err error) error {
	return renameField(err, map[string]string{"rrule": "pattern", "anchor": "pattern"})
}

// ruleView is one rule (or the new-rule form) on the rota page.
type ruleView struct {
	R        *lianluo.ReceptionRule // nil for the new-rule form
	Prefix   string                 // element IDs: "new", "r12"
	Year     int                    // the rota year shown, kept across the post
	Action   string
	Custom   bool // made through the API in a shape the form cannot show
	Open     bool // the form is unfolded (it has errors)
	Form     formState
	In       ruleInput
	FormName string
	Patterns []option
	Days     []option
	Weekdays []option
	Nths     []option
	Holidays []option
	Forms    []option
}

func newRuleView(rule *lianluo.ReceptionRule, in ruleInput, f formState) ruleView {
	v := ruleView{R: rule, Prefix: "new", Form: f, In: in, Open: f.Message != ""}
	if rule != nil {
		v.Prefix = "r" + strconv.FormatInt(rule.ID, 10)
		v.Action = fmt.Sprintf("/console/reception-rules/%d", rule.ID)
		v.FormName = formText(rule.Form, rule.Theme)
	}
	v.Patterns = namedOptions(patternKeys, patternNames, in.Pattern)
	v.Days = dayOptions(in.Day)
	v.Weekdays = namedOptions(weekdayKeys, weekdayLabels, in.Weekday)
	v.Nths = namedOptions(nthKeys, nthLabels, in.Nth)
	v.Holidays = namedOptions(onHolidayKeys, onHolidayLabels, in.OnHoliday)
	v.Forms = namedOptions(formKeys, schedule.FormNames, in.Form)
	return v
}

var defaultRuleInput = ruleInput{Pattern: patOdd, Day: "15", Weekday: "MO", Nth: "1", Start: "09:00", End: "11:00",
	OnHoliday: schedule.NextWorkday, Form: schedule.FormFixed, PerSession: "2"}
