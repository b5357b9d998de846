package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lianluo"
)

// The printable report (意见办理情况报告, /console/stats/report): the
// figures of a region and a report period (period=2026Q4, 2026-11 or
// 2026; this quarter by default) as a sentence and a table, the breakdowns
// by place, category and month, and the cases registered in the period and
// now overdue. A standalone A4 document like the print forms: the bar
// above it (back, period, 打印) is not printed.

type statsReportPage struct {
	Title        string
	ScopeName    string
	PeriodName   string
	Period       string // the period field as typed or defaulted
	ShowRegion   bool
	RegionGroups []optGroup
	Error        string // a bad period or region: no figures
	Lead         string // the figures as a sentence
	Totals       statsRowView
	Places       statsTable
	Categories   statsTable
	Months       statsTable
	Overdue      []overdueRow
	OverdueTotal int
	Back         string
	Issued       string // the date the report was made
	// HotTopics are the matters raised by several voters in the period (热点问题).
	HotTopics      []hotTopicRow
	HotTopicsTotal int
}

// hotTopicRow is a hot topic as the report shows it.
type hotTopicRow struct {
	Label      string
	Count      int
	Stations   int
	Categories string
}

// reportHotTopicsMax caps the hot topics in the report: the largest.
const reportHotTopicsMax = 10

// reportHotTopics are the largest hot topics of the report's scope and period.
func (a *app) reportHotTopics(ctx context.Context, s statsScope) ([]hotTopicRow, int, error) {
	topics, err := a.svc.Stats.HotTopics(ctx, lianluo.HotTopicsFilter{Region: s.code(), Period: &s.Period})
	if err != nil {
		return nil, 0, err
	}
	var out []hotTopicRow
	for _, t := range topics[:min(len(topics), reportHotTopicsMax)] {
		out = append(out, hotTopicRow{Label: t.Label, Count: t.Count, Stations: len(t.StationIDs), Categories: strings.Join(t.Categories, "、")})
	}
	return out, len(topics), nil
}

// overdueRow is an overdue case in the report.
type overdueRow struct {
	ID                         int64
	Code, Title, Station, Unit string
	Due                        string
	Days                       string // 已超期天数
}

// reportOverdueMax caps the overdue list; the report says how many more.
const reportOverdueMax = 30

func (a *app) statsReport(w http.ResponseWriter, r *http.Request) error {
	ac, err := requireStats(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	p := &statsReportPage{Title: "意见办理情况报告", Period: strings.TrimSpace(q.Get("period")),
		ShowRegion: ac.Scope.All || len(ac.Scope.Regions) > 0, Back: "/console/stats", Issued: bjDateCN(a.now())}
	if p.Period == "" && q.Get("from") == "" && q.Get("to") == "" {
		p.Period = lianluo.QuarterOf(a.now()).String()
	}
	s, bad, err := a.readStatsScope(ctx, ac, q, lianluo.PresetQuarter)
	if err != nil {
		return err
	}
	if p.ShowRegion {
		if p.RegionGroups, err = a.statsRegionGroups(ctx, ac, s.code()); err != nil {
			return err
		}
	}
	if bad != nil {
		p.Error = lianluo.ErrorMessage(bad)
		return a.renderReport(w, http.StatusBadRequest, p)
	}
	p.ScopeName, p.PeriodName = a.statsScopeName(ctx, ac, s), periodTitle(s.Period)
	p.Back = "/console/stats?" + s.query().Encode()
	if s.Region != nil {
		p.Title = fmt.Sprintf("%s人大代表联络站意见办理情况报告（%s）", s.Region.Name, p.PeriodName)
	} else {
		p.Title = fmt.Sprintf("%s意见办理情况报告（%s）", p.ScopeName, p.PeriodName)
	}

	if p.Places, err = a.statsPlaces(ctx, s, "/console/stats/report"); err != nil {
		return err
	}
	// The report's drill-down keeps the report period.
	for i, row := range p.Places.Rows {
		if strings.HasPrefix(row.URL, "/console/stats/report?") {
			rq := reportQuery(statsScope{Region: &lianluo.Region{Code: row.Key}, Period: s.Period, Preset: s.Preset})
			if s.Preset == "" && p.Period != "" {
				rq = url.Values{"region": {row.Key}, "period": {p.Period}}
			}
			p.Places.Rows[i].URL = "/console/stats/report?" + rq.Encode()
		}
	}
	if p.Categories, err = a.statsBreakdown(ctx, s, lianluo.GroupByCategory, nil); err != nil {
		return err
	}
	months, err := a.statsBreakdown(ctx, s, lianluo.GroupByMonth, nil)
	if err != nil {
		return err
	}
	p.Months = a.allMonths(s.Period, months)
	p.Totals = p.Places.Total
	p.Lead = reportLead(p.PeriodName, p.ScopeName, s.Region != nil, p.Issued, p.Totals)
	if p.HotTopics, p.HotTopicsTotal, err = a.reportHotTopics(ctx, s); err != nil {
		return err
	}
	if p.Overdue, p.OverdueTotal, err = a.reportOverdue(r, s); err != nil {
		return err
	}
	return a.renderReport(w, http.StatusOK, p)
}

// reportLead is the headline figures as the report's opening sentence.
func reportLead(period, scope string, isRegion bool, today string, c statsRowView) string {
	where := scope
	if isRegion {
		where += "各人大代表联络站"
	}
	if c.Received == 0 {
		return fmt.Sprintf("%s，%s没有受理群众意见建议。", period, where)
	}
	return fmt.Sprintf("%s，%s共受理群众意见建议%d件，其中当场答复或解释说明%d件，不予受理并告知反映渠道%d件，交办承办单位%d件。"+
		"承办单位已答复%d件，其中按时答复%d件，按时答复率%s；已办结%d件，办结率%s；件件有回音率%s；已测评%d件，满意率%s。"+
		"截至%s，本期受理的意见中超期未办%d件。",
		period, where, c.Received, c.AnsweredDirectly, c.NotAccepted, c.Assigned,
		c.Replied, c.RepliedOnTime, c.OnTime, c.Closed, c.Closing, c.Response, c.Rated, c.Satisfaction,
		today, c.OverdueOpen)
}

// reportOverdue lists the cases of the scope registered in the period and
// now overdue — the case list's overdue filter, the rule of the overdue
// to-do list — most overdue first, with their lead units.
func (a *app) reportOverdue(r *http.Request, s statsScope) ([]overdueRow, int, error) {
	ctx := r.Context()
	from, to := s.Period.From, s.Period.To
	cs, total, err := a.svc.Cases.FindCases(ctx, lianluo.CaseFilter{Overdue: true, Region: s.code(), From: &from, To: &to, Count: true,
		Page: lianluo.Page{Page: 1, PerPage: reportOverdueMax}})
	if err != nil {
		return nil, 0, err
	}
	slices.SortStableFunc(cs, func(x, y *lianluo.Case) int { return x.DueDate.Compare(*y.DueDate) })
	now := a.now()
	out := make([]overdueRow, 0, len(cs))
	for _, c := range cs {
		row := overdueRow{ID: c.ID, Code: c.TrackingCode, Title: c.Title, Station: c.StationName, Due: bjDate(*c.DueDate)}
		if days := dayNumber(now) - dayNumber(*c.DueDate); days > 0 {
			row.Days = fmt.Sprintf("%d天", days)
		} else {
			row.Days = "不足1天"
		}
		// The list leaves out the units: read them for the few shown.
		full, err := a.svc.Cases.FindCaseByID(ctx, c.ID)
		if err != nil {
			return nil, 0, err
		}
		round := 0
		for _, u := range full.Units {
			if u.Lead && u.Round >= round {
				row.Unit, round = u.Name, u.Round
			}
		}
		out = append(out, row)
	}
	return out, total, nil
}

// renderReport writes the report document with status.
func (a *app) renderReport(w http.ResponseWriter, status int, p *statsReportPage) error {
	t, err := a.template("stats_report")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "print", p); err != nil {
		return fmt.Errorf("render stats_report: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = buf.WriteTo(w)
	return err
}
