package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"lianluo"
)

// The holiday calendar (节假日安排, administrators): each November or
// December the State Council publishes next year's holidays and make-up
// working days; an administrator pastes the notice (or types the dates),
// previews the year as a calendar and saves it. Deadlines and the reception
// rota count working days by it.

type calendarPage struct {
	basePage
	Year     int
	Years    []calYearLink
	Months   []calMonth
	Days     []lianluo.CalendarDay
	Holidays int // days off on a weekday
	Workdays int // weekend days worked
	Text     string
	Version  string
	Preview  bool // Months show the text, not what is saved
	Empty    bool // nothing saved for the year
	Form     formState
}

type calYearLink struct {
	Year    int
	Current bool
	Empty   bool
}

// calMonth is one month of the year, laid out in weeks from Monday.
type calMonth struct {
	Name  string
	Weeks [][]calCell
}

type calCell struct {
	Day   int    // 0: padding before the 1st or after the last day
	Class string // "holiday", "workday", "weekend" or ""
	Title string // 国庆节 放假…
}

func (a *app) calendarSettings(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	year, err := a.calendarYear(r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	p, err := a.calendarPageFor(r, year)
	if err != nil {
		return err
	}
	p.Text = lianluo.CalendarText(p.Days)
	if r.URL.Query().Get("ok") == "saved" {
		p.Flash = fmt.Sprintf("%d年的节假日安排已保存，共%d天。", year, len(p.Days))
	}
	return a.render(w, r, http.StatusOK, "settings_calendar", p)
}

// calendarPreview shows the entered text as a calendar, with the button
// that saves it; nothing is saved yet.
func (a *app) calendarPreview(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	year, err := a.calendarYear(r.PostFormValue("year"))
	if err != nil {
		return err
	}
	p, err := a.calendarPageFor(r, year)
	if err != nil {
		return err
	}
	p.Text, p.Version = r.PostFormValue("text"), r.PostFormValue("version")
	days, err := lianluo.ParseCalendarText(year, p.Text)
	if err != nil {
		if !p.Form.take(err, "text") {
			return err
		}
		return a.render(w, r, p.Form.status(err), "settings_calendar", p)
	}
	p.Preview = true
	p.setDays(year, days)
	return a.render(w, r, http.StatusOK, "settings_calendar", p)
}

func (a *app) calendarSave(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	year, err := a.calendarYear(r.PostFormValue("year"))
	if err != nil {
		return err
	}
	text, version := r.PostFormValue("text"), r.PostFormValue("version")
	days, err := lianluo.ParseCalendarText(year, text)
	if err == nil {
		err = a.svc.Settings.SetCalendarYear(r.Context(), year, days, version)
	}
	if err != nil {
		p, perr := a.calendarPageFor(r, year)
		if perr != nil {
			return perr
		}
		p.Text = text
		if !p.Form.take(err, "text") {
			return err
		}
		if p.Form.Stale {
			p.Form.ReloadURL = fmt.Sprintf("/console/settings/calendar?year=%d", year)
		}
		return a.render(w, r, p.Form.status(err), "settings_calendar", p)
	}
	return redirect(w, r, fmt.Sprintf("/console/settings/calendar?year=%d&ok=saved", year))
}

// calendarYear reads the year asked for; by default the current one, and
// from November on the next, whose notice is then due.
func (a *app) calendarYear(s string) (int, error) {
	if s == "" {
		now := a.now().In(lianluo.Beijing)
		if now.Month() >= time.November {
			return now.Year() + 1, nil
		}
		return now.Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, lianluo.FieldError("year", "年份应为2000到2100之间的数字。")
	}
	return y, nil
}

// calendarPageFor loads the saved year and the years to switch to.
func (a *app) calendarPageFor(r *http.Request, year int) (*calendarPage, error) {
	days, err := a.svc.Settings.CalendarDays(r.Context(), year)
	if err != nil {
		return nil, err
	}
	cal, err := a.svc.Settings.Calendar(r.Context())
	if err != nil {
		return nil, err
	}
	p := &calendarPage{basePage: basePage{Title: fmt.Sprintf("节假日安排 · %d年", year), Section: "calendar"},
		Version: lianluo.CalendarVersion(days), Empty: len(days) == 0}
	p.setDays(year, days)
	this := a.now().In(lianluo.Beijing).Year()
	years := cal.Years()
	for y := this - 1; y <= this+1; y++ { // the years around today, saved or not
		if !cal.HasYear(y) {
			years = append(years, y)
		}
	}
	if !cal.HasYear(year) && (year < this-1 || year > this+1) {
		years = append(years, year)
	}
	slices.Sort(years)
	for _, y := range years {
		p.Years = append(p.Years, calYearLink{Year: y, Current: y == year, Empty: !cal.HasYear(y)})
	}
	return p, nil
}

// setDays lays the year out with these days marked.
func (p *calendarPage) setDays(year int, days []lianluo.CalendarDay) {
	p.Year, p.Days, p.Holidays, p.Workdays, p.Months = year, days, 0, 0, nil
	byDate := map[string]lianluo.CalendarDay{}
	for _, d := range days {
		byDate[d.Date] = d
	}
	for m := time.January; m <= time.December; m++ {
		month := calMonth{Name: fmt.Sprintf("%d月", m)}
		first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		week := make([]calCell, (int(first.Weekday())+6)%7) // Monday first
		for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
			c := calCell{Day: d.Day()}
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			if weekend {
				c.Class = "weekend"
			}
			if cd, ok := byDate[d.Format("2006-01-02")]; ok {
				c.Class, c.Title = cd.Kind, cd.Name+" "+lianluo.DayKindNames[cd.Kind]
				switch {
				case cd.Kind == lianluo.DayHoliday && !weekend:
					p.Holidays++
				case cd.Kind == lianluo.DayWorkday:
					p.Workdays++
				}
			}
			week = append(week, c)
			if len(week) == 7 {
				month.Weeks = append(month.Weeks, week)
				week = nil
			}
		}
		if len(week) > 0 {
			for len(week) < 7 {
				week = append(week, calCell{})
			}
			month.Weeks = append(month.Weeks, week)
		}
		p.Months = append(p.Months, month)
	}
}
