package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"lianluo"
)

// The statistics page (统计分析, /console/stats): the headline figures of a
// region and period as cards, the monthly trend, the categories, the
// breakdown by place with its drill-down (district → town → station), and
// one more breakdown of the user's choice; each table with its Excel file.
// The charts are drawn by static/stats.js from the JSON in the page, so the
// page needs no further request, and the tables carry the same figures as
// text.

type statsPage struct {
	basePage
	ScopeName, PeriodName string
	Crumbs                []statsCrumb
	ShowRegion            bool
	RegionGroups          []optGroup
	From, To              string
	Presets               []statsPreset
	GroupBy               string
	GroupOptions          []option
	Error                 string // a bad date, period, region or breakdown: the figures are not shown
	Cards                 []statsCard
	Tables                []statsTable // the place, month, category and chosen breakdowns
	Chart                 statsChart
	ReportURL             string
	Sessions              bool // the suggestions' handling reports, by session
}

type statsPreset struct {
	Label, URL string
	Current    bool
}

// statsCard is a headline figure.
type statsCard struct {
	Key, Label, Value, Note, URL string
	Alert                        bool
}

// statsChart is what stats.js draws, embedded in the page as JSON.
type statsChart struct {
	Months     []string    `json:"months"`
	Received   []int       `json:"received"`
	Closed     []int       `json:"closed"`
	Categories []chartItem `json:"categories"`
	Places     []chartItem `json:"places"`
	PlaceName  string      `json:"place_name"`
}

type chartItem struct {
	Name     string `json:"name"`
	Received int    `json:"received"`
	Closed   int    `json:"closed"`
	URL      string `json:"url,omitempty"`
}

// statsExtraGroups are the breakdowns the page offers besides the ones it
// always shows (place, month, category).
var statsExtraGroups = []string{lianluo.GroupByUnit, lianluo.GroupByChannel, lianluo.GroupByStatus, lianluo.GroupByStation}

// statsChartCategories is how many categories the chart shows (the table
// lists them all).
const statsChartCategories = 12

func (a *app) statsPage(w http.ResponseWriter, r *http.Request) error {
	ac, err := requireStats(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	p := &statsPage{basePage: basePage{Title: "统计分析", Section: "stats"}, GroupBy: q.Get("group_by"),
		ShowRegion: ac.Scope.All || len(ac.Scope.Regions) > 0}
	if p.GroupBy == "" {
		p.GroupBy = lianluo.GroupByUnit
	}
	s, bad, err := a.readStatsScope(ctx, ac, q, lianluo.PresetYear)
	if err != nil {
		return err
	}
	if !slices.Contains(statsExtraGroups, p.GroupBy) && bad == nil {
		bad = lianluo.FieldError("group_by", "分组方式不正确，请从列表中选择。")
	}
	for _, g := range statsExtraGroups {
		p.GroupOptions = append(p.GroupOptions, option{Value: g, Label: lianluo.GroupByNames[g], Selected: g == p.GroupBy})
	}
	if p.ShowRegion {
		if p.RegionGroups, err = a.statsRegionGroups(ctx, ac, s.code()); err != nil {
			return err
		}
	}
	if bad != nil {
		p.Error = lianluo.ErrorMessage(bad)
		p.From, p.To = q.Get("from"), q.Get("to")
		return a.render(w, r, http.StatusBadRequest, "stats", p)
	}
	p.From, p.To = s.Period.FromDate(), s.Period.ToDate()
	p.ScopeName, p.PeriodName = a.statsScopeName(ctx, ac, s), periodTitle(s.Period)
	p.Title = "统计分析 · " + p.ScopeName
	for _, k := range []string{lianluo.PresetMonth, lianluo.PresetQuarter, lianluo.PresetYear} {
		pq := url.Values{"preset": {k}, "group_by": {p.GroupBy}}
		if c := s.code(); c != "" {
			pq.Set("region", c)
		}
		p.Presets = append(p.Presets, statsPreset{Label: lianluo.PresetNames[k], URL: "/console/stats?" + pq.Encode(), Current: s.Preset == k})
	}
	keep := s.pageQuery()
	keep.Set("group_by", p.GroupBy)
	if p.Crumbs, err = a.statsCrumbs(ctx, ac, s, "/console/stats", keep); err != nil {
		return err
	}

	places, err := a.statsPlaces(ctx, s, "/console/stats")
	if err != nil {
		return err
	}
	keepGroup := func(t statsTable) statsTable {
		// A drill-down keeps the chosen breakdown.
		for i := range t.Rows {
			if u, err := url.Parse(t.Rows[i].URL); err == nil && u.Path == "/console/stats" {
				uq := u.Query()
				uq.Set("group_by", p.GroupBy)
				u.RawQuery = uq.Encode()
				t.Rows[i].URL = u.String()
			}
		}
		return t
	}
	places = keepGroup(places)
	months, err := a.statsBreakdown(ctx, s, lianluo.GroupByMonth, nil)
	if err != nil {
		return err
	}
	months = a.allMonths(s.Period, months)
	cats, err := a.statsBreakdown(ctx, s, lianluo.GroupByCategory, nil)
	if err != nil {
		return err
	}
	months.Chart, places.Chart, cats.Chart = "trend", "places", "categories"
	months.Title = "月度趋势（按受理月份）"
	p.Tables = []statsTable{months, places, cats}
	if p.GroupBy != places.GroupBy {
		extra, err := a.statsBreakdown(ctx, s, p.GroupBy, nil)
		if err != nil {
			return err
		}
		p.Tables = append(p.Tables, extra)
	}
	p.Cards = statsCards(s, places.Total.CaseCounts)
	p.Chart = statsChartOf(places, months, cats)
	p.ReportURL = "/console/stats/report?" + reportQuery(s).Encode()
	p.Sessions = managesSessions(actor(r))
	return a.render(w, r, http.StatusOK, "stats", p)
}

// statsCards are the headline figures, each linking where it can to the
// cases behind it.
func statsCards(s statsScope, c lianluo.CaseCounts) []statsCard {
	list := url.Values{"from": {s.Period.FromDate()}, "to": {s.Period.ToDate()}}
	if code := s.code(); code != "" {
		list.Set("region", code)
	}
	overdue := url.Values{"overdue": {"1"}}
	for k, v := range list {
		overdue[k] = v
	}
	return []statsCard{
		{Key: "received", Label: "受理数", Value: strconv.Itoa(c.Received), Note: fmt.Sprintf("其中交办%d件", c.Assigned), URL: "/console/cases?" + list.Encode()},
		{Key: "response", Label: "件件有回音率", Value: pct(c.ResponseRate), Note: fmt.Sprintf("有回音%d件／受理%d件", c.Responded, c.Received)},
		{Key: "closing", Label: "办结率", Value: pct(c.ClosingRate), Note: fmt.Sprintf("办结%d件／交办%d件", c.Closed, c.Assigned)},
		{Key: "on_time", Label: "按时答复率", Value: pct(c.OnTimeRate), Note: fmt.Sprintf("按时%d件／已答复%d件", c.RepliedOnTime, c.Replied)},
		{Key: "satisfaction", Label: "满意率", Value: pct(c.SatisfactionRate), Note: fmt.Sprintf("满意%d件／已测评%d件", c.Satisfied, c.Rated)},
		{Key: "overdue", Label: "超期未办", Value: strconv.Itoa(c.OverdueOpen), Note: "目前已超过期限", URL: "/console/cases?" + overdue.Encode(), Alert: c.OverdueOpen > 0},
	}
}

// allMonths gives the month table a row for every month of the period up
// to now, with none as zeros, so the trend shows quiet months too.
func (a *app) allMonths(p lianluo.Period, t statsTable) statsTable {
	have := map[string]statsRowView{}
	for _, r := range t.Rows {
		have[r.Key] = r
	}
	end := p.To
	if now := a.now(); now.Before(end) {
		end = now
	}
	var rows []statsRowView
	for m := p.From.In(lianluo.Beijing); m.Before(end) && len(rows) < 240; m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		r, ok := have[key]
		if !ok {
			r = statsRow(key, fmt.Sprintf("%d年%d月", m.Year(), int(m.Month())), "", lianluo.CaseCounts{})
		}
		delete(have, key)
		rows = append(rows, r)
	}
	for _, r := range t.Rows { // none expected: cases registered after now
		if _, ok := have[r.Key]; ok {
			rows = append(rows, r)
		}
	}
	t.Rows = rows
	return t
}

func statsChartOf(places, months, cats statsTable) statsChart {
	c := statsChart{PlaceName: places.Title, Months: []string{}, Received: []int{}, Closed: []int{},
		Categories: []chartItem{}, Places: []chartItem{}}
	oneYear := len(months.Rows) > 0 && months.Rows[0].Key[:4] == months.Rows[len(months.Rows)-1].Key[:4]
	for _, r := range months.Rows {
		label := r.Name
		if t, err := time.Parse("2006-01", r.Key); err == nil && oneYear {
			label = strconv.Itoa(int(t.Month())) + "月"
		}
		c.Months = append(c.Months, label)
		c.Received = append(c.Received, r.Received)
		c.Closed = append(c.Closed, r.Closed)
	}
	for i, r := range cats.Rows {
		if i == statsChartCategories {
			break
		}
		c.Categories = append(c.Categories, chartItem{Name: r.Name, Received: r.Received, Closed: r.Closed})
	}
	for _, r := range places.Rows {
		c.Places = append(c.Places, chartItem{Name: r.Name, Received: r.Received, Closed: r.Closed, URL: r.URL})
	}
	return c
}

// reportQuery is the printable report of the page's scope: a preset as its
// report period (2026Q4, 2026-11, 2026), a typed range as it is.
func reportQuery(s statsScope) url.Values {
	q := url.Values{}
	if c := s.code(); c != "" {
		q.Set("region", c)
	}
	b := s.Period.From.In(lianluo.Beijing)
	switch s.Preset {
	case lianluo.PresetQuarter:
		q.Set("period", lianluo.QuarterOf(s.Period.From).String())
	case lianluo.PresetMonth:
		q.Set("period", b.Format("2006-01"))
	case lianluo.PresetYear:
		q.Set("period", b.Format("2006"))
	default:
		q.Set("from", s.Period.FromDate())
		q.Set("to", s.Period.ToDate())
	}
	return q
}
