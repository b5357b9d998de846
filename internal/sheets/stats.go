package sheets

import (
	"context"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// CaseStatsHeaders are the figure columns of the statistics workbook, after
// the group column, with the names of docs/statistics.md.
var CaseStatsHeaders = []string{"受理数", "当场答复/解释说明", "不予受理", "交办数", "已答复", "按时答复", "有回音",
	"办结数", "已测评", "满意数", "群众测评", "群众满意", "超期未办",
	"件件有回音率", "办结率", "按时答复率", "满意率", "群众满意率"}

// groupHeaders name the group column of each breakdown; without one the
// sheet has the totals row only.
var groupHeaders = map[string]string{
	lianluo.GroupByRegion: "地区", lianluo.GroupByStation: "联络站", lianluo.GroupByCategory: "类别",
	lianluo.GroupByChannel: "渠道", lianluo.GroupByUnit: "承办单位", lianluo.GroupByMonth: "月份",
	lianluo.GroupByStatus: "状态", "": "范围",
}

// statsCells are a row's values in CaseStatsHeaders order: counts as
// integers, rates as fractions, nil for a rate with nothing to measure.
func statsCells(c lianluo.CaseCounts) []any {
	out := []any{c.Received, c.AnsweredDirectly, c.NotAccepted, c.Assigned, c.Replied, c.RepliedOnTime, c.Responded,
		c.Closed, c.Rated, c.Satisfied, c.VoterRated, c.VoterSatisfied, c.OverdueOpen}
	for _, r := range []*float64{c.ResponseRate, c.ClosingRate, c.OnTimeRate, c.SatisfactionRate, c.VoterSatisfactionRate} {
		if r == nil {
			out = append(out, nil)
		} else {
			out = append(out, *r)
		}
	}
	return out
}

// WriteCaseStats writes the statistics of GET /api/v1/stats/cases as a
// workbook: the title (scope and period), the headers, one row per group
// and a 合计 row. Rates are numbers formatted 0.0 %, so offices can sort and
// chart them; a rate with nothing to measure (docs/statistics.md: null) is
// an empty cell, not 0.
func WriteCaseStats(w io.Writer, title, groupBy string, res *lianluo.CaseStatsResult) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "意见办理统计"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	pct := "0.0%"
	pctStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	boldPct, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &pct})
	if err != nil {
		return err
	}
	cw := &cellWriter{f: f, sheet: sheet}
	cw.put(1, 1, title, st.title)
	cw.put(2, 1, groupHeaders[groupBy], st.header)
	for j, h := range CaseStatsHeaders {
		cw.put(2, j+2, h, st.header)
	}
	if cw.err != nil {
		return cw.err
	}
	rates := len(CaseStatsHeaders) - 5 // the first rate column, 0-based among the figures
	row := 3
	put := func(name string, c lianluo.CaseCounts, total bool) error {
		cells := append([]any{name}, statsCells(c)...)
		for j, v := range cells {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, row)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
			style := 0
			switch {
			case j-1 >= rates && total:
				style = boldPct
			case j-1 >= rates:
				style = pctStyle
			case total:
				style = bold
			}
			if style != 0 {
				if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
					return err
				}
			}
		}
		row++
		return nil
	}
	for _, r := range res.Rows {
		name := r.Name
		if name == "" {
			name = r.Key
		}
		if err := put(name, r.CaseCounts, false); err != nil {
			return err
		}
	}
	if err := put("合计", res.Totals, true); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 28); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(CaseStatsHeaders) + 1)
	if err := f.SetColWidth(sheet, "B", last, 11); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 2, 30); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// CaseStatsTitle names the scope and the period of a statistics workbook:
// "大碶街道人大代表中心联络站 群众意见办理统计（2026年第四季度）". The scope
// is the station, else the region, else the caller's own (本人管辖范围);
// a lead unit or a category chosen is named too. Names are read through
// the services, so they are those the caller may see.
func CaseStatsTitle(ctx context.Context, svc lianluo.Services, f lianluo.StatsFilter) (string, error) {
	scope := "本人管辖范围"
	switch {
	case f.StationID != 0:
		s, err := svc.Stations.FindStationByID(ctx, f.StationID)
		if err != nil {
			return "", err
		}
		scope = s.Name
	case f.Region != "":
		r, err := svc.Regions.FindRegion(ctx, lianluo.NormalizeRegionCode(f.Region))
		if err != nil {
			return "", err
		}
		scope = r.Name
	}
	if f.UnitID != 0 {
		o, err := svc.Orgs.FindOrgByID(ctx, f.UnitID)
		if err != nil {
			return "", err
		}
		scope += " " + o.Name + "承办"
	}
	if f.Category != "" {
		scope += " " + f.Category + "类"
	}
	return scope + " 群众意见办理统计（" + f.Period.Name + "）", nil
}

// CaseStatsFilename is the workbook's file name: 意见办理统计_2026Q4.xlsx for
// a quarter, _2026 for a year, _2026-11 for a month, and
// _2026-10-01至2026-12-31 for any other span.
func CaseStatsFilename(p lianluo.Period) string {
	return "意见办理统计_" + periodCode(p) + ".xlsx"
}

func periodCode(p lianluo.Period) string {
	from := p.From.In(lianluo.Beijing)
	after := func(years, months int) bool { return from.AddDate(years, months, 0).Equal(p.To) }
	if from.Day() == 1 {
		switch {
		case from.Month() == time.January && after(1, 0):
			return from.Format("2006")
		case (from.Month()-1)%3 == 0 && after(0, 3):
			return lianluo.QuarterOf(from).String()
		case after(0, 1):
			return from.Format("2006-01")
		}
	}
	return p.FromDate() + "至" + p.ToDate()
}
