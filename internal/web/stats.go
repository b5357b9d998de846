package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianluo"
)

// 统计分析: what the statistics page (stats_page.go) and the printable
// report (stats_report.go) share — reading the scope and period from the
// query, the breakdown by place with its drill-down, and the tables. Every
// figure is StatsService.CaseStats's, counted as docs/statistics.md says;
// the pages only lay them out.

// statsScope is the region and period a statistics page shows.
type statsScope struct {
	Region *lianluo.Region // nil: the caller's whole scope (station staff, several offices)
	Period lianluo.Period
	Preset string // lianluo.PresetMonth…, or "" for a typed range or report period
}

// code is the region's code, or "" for the caller's scope.
func (s statsScope) code() string {
	if s.Region == nil {
		return ""
	}
	return s.Region.Code
}

// query is the scope as the page's parameters: the region and the period as
// from and to, which every statistics address (the page, the Excel files,
// the case list, the API) reads the same way.
func (s statsScope) query() url.Values {
	q := url.Values{}
	if c := s.code(); c != "" {
		q.Set("region", c)
	}
	q.Set("from", s.Period.FromDate())
	q.Set("to", s.Period.ToDate())
	return q
}

// pageQuery is the scope as the statistics page's own links carry it: a
// preset stays a preset, so the page it leads to names the period the same.
func (s statsScope) pageQuery() url.Values {
	if s.Preset == "" {
		return s.query()
	}
	q := url.Values{"preset": {s.Preset}}
	if c := s.code(); c != "" {
		q.Set("region", c)
	}
	return q
}

// statsRegion reads the region parameter, defaulting to the caller's own:
// the one region their office covers, or for administrators the top of the
// tree where it branches (regionAnchors). Station staff have no region —
// their scope is their stations — and get nil.
func (a *app) statsRegion(ctx context.Context, ac *lianluo.Actor, param string) (*lianluo.Region, error) {
	code := strings.TrimSpace(param)
	if code == "" {
		if !ac.Scope.All && len(ac.Scope.Regions) == 0 {
			return nil, nil
		}
		anchors, err := a.regionAnchors(ctx, ac)
		if err != nil || len(anchors) != 1 {
			return nil, err
		}
		return anchors[0], nil
	}
	norm := lianluo.NormalizeRegionCode(code)
	if norm == "" {
		return nil, lianluo.FieldError("region", "地区代码格式不正确。")
	}
	if !ac.Scope.InRegion(norm) {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "您没有查看该地区统计的权限。")
	}
	r, err := a.svc.Regions.FindRegion(ctx, norm)
	if lianluo.Is(err, lianluo.ENOTFOUND) {
		return nil, lianluo.FieldError("region", "没有编码为“%s”的地区。", norm)
	}
	return r, err
}

// readStatsScope reads the region and the period of a statistics page
// (def: the preset when none is given). A bad one comes back as bad, to be
// shown in the page; other errors as err.
func (a *app) readStatsScope(ctx context.Context, ac *lianluo.Actor, q url.Values, def string) (s statsScope, bad, err error) {
	s.Region, err = a.statsRegion(ctx, ac, q.Get("region"))
	if err != nil && !statsInputError(err) {
		return s, nil, err
	}
	bad = err
	var perr error
	if s.Period, s.Preset, perr = a.statsPeriod(q, def); perr != nil && bad == nil {
		bad = perr
	}
	return s, bad, nil
}

// statsPeriod reads the period: from and to (Beijing dates, both included)
// when either is given, else a report period (period=2026Q4, 2026-11,
// 2026), else a preset (this month, quarter or year), else def.
func (a *app) statsPeriod(q url.Values, def string) (lianluo.Period, string, error) {
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if from != "" || to != "" {
		p, err := lianluo.ParseDateRange(from, to)
		return p, "", err
	}
	if s := strings.TrimSpace(q.Get("period")); s != "" {
		p, err := lianluo.ParsePeriod(s)
		return p, "", err
	}
	preset := q.Get("preset")
	if preset == "" {
		preset = def
	}
	p, err := lianluo.PresetPeriod(preset, a.now())
	return p, preset, err
}

// statsRowView is a row of a statistics table as shown: the counts, the
// rates as percentages ("—" when undefined), and where the name links.
type statsRowView struct {
	Key, Name, URL string
	lianluo.CaseCounts
	Response, Closing, OnTime, Satisfaction string
}

func statsRow(key, name, link string, c lianluo.CaseCounts) statsRowView {
	return statsRowView{Key: key, Name: name, URL: link, CaseCounts: c,
		Response: pct(c.ResponseRate), Closing: pct(c.ClosingRate), OnTime: pct(c.OnTimeRate), Satisfaction: pct(c.SatisfactionRate)}
}

// pct writes a rate as a percentage with one decimal (66.7%, 100%), or
// "—" when it is undefined: nothing to measure is neither 0 % nor 100 %.
func pct(r *float64) string {
	if r == nil {
		return "—"
	}
	s := strconv.FormatFloat(*r*100, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// statsTable is one breakdown: its rows, the totals, and the address of its
// Excel file.
type statsTable struct {
	ID, Title, GroupBy, KeyLabel string
	Chart                        string // the page's chart of it: trend, places or categories
	Rows                         []statsRowView
	Total                        statsRowView
	ExcelURL                     string
}

// statsBreakdown asks CaseStats for the scope's figures by groupBy; link
// gives a row its address ("" for none).
func (a *app) statsBreakdown(ctx context.Context, s statsScope, groupBy string, link func(key string) string) (statsTable, error) {
	res, err := a.svc.Stats.CaseStats(ctx, lianluo.StatsFilter{Region: s.code(), Period: s.Period, GroupBy: groupBy})
	if err != nil {
		return statsTable{}, err
	}
	return a.statsTableOf(s, groupBy, res, link), nil
}

// statsKeyLabels name the first column of each breakdown.
var statsKeyLabels = map[string]string{
	lianluo.GroupByRegion: "地区", lianluo.GroupByStation: "联络站", lianluo.GroupByCategory: "类别",
	lianluo.GroupByChannel: "渠道", lianluo.GroupByUnit: "承办单位", lianluo.GroupByMonth: "月份", lianluo.GroupByStatus: "状态",
}

func (a *app) statsTableOf(s statsScope, groupBy string, res *lianluo.CaseStatsResult, link func(string) string) statsTable {
	q := s.query()
	q.Set("group_by", groupBy)
	t := statsTable{ID: "by-" + groupBy, Title: lianluo.GroupByNames[groupBy], GroupBy: groupBy, KeyLabel: statsKeyLabels[groupBy],
		Total: statsRow("", "合计", "", res.Totals), ExcelURL: "/console/stats.xlsx?" + q.Encode()}
	for _, r := range res.Rows {
		u := ""
		if link != nil {
			u = link(r.Key)
		}
		t.Rows = append(t.Rows, statsRow(r.Key, r.Name, u, r.CaseCounts))
	}
	return t
}

// statsPlaces is the breakdown by place with the drill-down: a district's
// towns (or a city's districts), each linking to its own page; at a town,
// below it, or where no sub-region has cases, the stations, each linking
// to its cases. Station staff, whose scope is their stations, see those.
func (a *app) statsPlaces(ctx context.Context, s statsScope, page string) (statsTable, error) {
	byStation := func() (statsTable, error) {
		return a.statsBreakdown(ctx, s, lianluo.GroupByStation, func(key string) string {
			if key == "" {
				return ""
			}
			q := url.Values{"station": {key}, "from": {s.Period.FromDate()}, "to": {s.Period.ToDate()}}
			return "/console/cases?" + q.Encode()
		})
	}
	if s.Region == nil || s.Region.Level == lianluo.LevelTown || s.Region.Level == lianluo.LevelVillage {
		return byStation()
	}
	t, err := a.statsBreakdown(ctx, s, lianluo.GroupByRegion, func(key string) string {
		if key == s.Region.Code || !strings.HasPrefix(key, s.Region.Code) {
			return "" // the region's own level (本级) has no page below
		}
		q := s.pageQuery()
		q.Set("region", key)
		return page + "?" + q.Encode()
	})
	if err != nil {
		return t, err
	}
	for _, r := range t.Rows {
		if r.Key != s.Region.Code {
			return t, nil
		}
	}
	return byStation()
}

// statsCrumb is a step of the drill-down trail.
type statsCrumb struct{ Name, URL string }

// statsCrumbs lists the regions from the caller's own down to the shown
// one, each but the last linking to its page.
func (a *app) statsCrumbs(ctx context.Context, ac *lianluo.Actor, s statsScope, page string, keep url.Values) ([]statsCrumb, error) {
	if s.Region == nil {
		return nil, nil
	}
	anchors, err := a.regionAnchors(ctx, ac)
	if err != nil {
		return nil, err
	}
	isAnchor := func(code string) bool {
		for _, an := range anchors {
			if an.Code == code {
				return true
			}
		}
		return false
	}
	out := []statsCrumb{{Name: s.Region.Name}}
	r := s.Region
	for depth := 0; !isAnchor(r.Code) && r.ParentCode != "" && depth < 5; depth++ {
		if !ac.Scope.All && !ac.Scope.InRegion(r.ParentCode) {
			break
		}
		p, err := a.svc.Regions.FindRegion(ctx, r.ParentCode)
		if err != nil {
			break
		}
		q := url.Values{}
		for k, v := range keep {
			q[k] = v
		}
		q.Set("region", p.Code)
		out = append([]statsCrumb{{Name: p.Name, URL: page + "?" + q.Encode()}}, out...)
		r = p
	}
	return out, nil
}

// statsRegionGroups lists the regions to choose from: the caller's own
// (the whole of each) and those directly below, and the shown one when it
// is deeper (reached by drilling down).
func (a *app) statsRegionGroups(ctx context.Context, ac *lianluo.Actor, selected string) ([]optGroup, error) {
	return a.regionChoices(ctx, ac, selected, func(an *lianluo.Region) string { return an.Name + "（全部）" })
}

// statsScopeName names the scope in titles: the region, or for station
// staff their station (or "本人管辖范围" with several).
func (a *app) statsScopeName(ctx context.Context, ac *lianluo.Actor, s statsScope) string {
	if s.Region != nil {
		return s.Region.Name
	}
	if len(ac.Scope.Stations) == 1 {
		if st, err := a.svc.Stations.FindStationByID(ctx, ac.Scope.Stations[0]); err == nil {
			return st.Name
		}
	}
	return "本人管辖范围"
}

// requireStats refuses those who may not see statistics (the API's rule).
func requireStats(r *http.Request) (*lianluo.Actor, error) {
	ac := actor(r)
	if !lianluo.CanSeeStats(ac) {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "统计分析仅供人大工作人员、人大领导、管理员和联络站工作人员查看。")
	}
	return ac, nil
}

// statsInputError reports whether err is the caller's input to show in the
// page (a bad date, period or region), not a failure of the page.
func statsInputError(err error) bool {
	return lianluo.ErrorCode(err) == lianluo.EINVALID
}

// periodTitle is the period as titles write it: 2026年第四季度, 2026年11月,
// 2026年, or 2026年10月1日至2026年12月31日.
func periodTitle(p lianluo.Period) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprintf("%s至%s", p.FromDate(), p.ToDate())
}
