package sheets

import (
	"context"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// SuggestionStatsHeaders are the figure columns of the handling report's
// workbook (docs/suggestions.md), after the unit column.
var SuggestionStatsHeaders = []string{"建议件数", "已交办", "按时交办", "逾期未交办", "已答复", "按时答复", "逾期未答复",
	"已面商", "其中书面表示无需面商", "A类", "B类", "C类", "已评价", "满意（含基本满意）", "办结", "重点督办",
	"按时交办率", "按时答复率", "面商率", "A类占比", "B类占比", "C类占比", "满意率"}

// SuggestionListHeaders are the columns of the list of suggestions.
var SuggestionListHeaders = []string{"编号", "标题", "领衔代表", "主办单位", "状态", "办理结果", "代表评价", "重点督办"}

func suggestionCells(c lianluo.SuggestionCounts) []any {
	out := []any{c.Received, c.Transferred, c.TransferredOnTime, c.TransferOverdue, c.Answered, c.AnsweredOnTime, c.ReplyOverdue,
		c.Consulted, c.Waived, c.A, c.B, c.C, c.Evaluated, c.Satisfied, c.Closed, c.Key}
	for _, r := range []*float64{c.TransferOnTimeRate, c.ReplyOnTimeRate, c.ConsultRate, c.AShare, c.BShare, c.CShare, c.SatisfactionRate} {
		if r == nil {
			out = append(out, nil)
		} else {
			out = append(out, *r)
		}
	}
	return out
}

// SuggestionStats writes the figures of a session's suggestions as a
// workbook: a sheet by lead unit with a 合计 row (rates as 0.0 %, empty
// when there is nothing to measure), the bills under it, and a sheet
// listing the suggestions.
func SuggestionStats(title string, res *lianluo.SuggestionStatsResult) (_ []byte, err error) {
	const sheet = "建议办理情况"
	f, st, err := newBook(sheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pct := "0.0%"
	pctStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	if err != nil {
		return nil, err
	}
	w := &cellWriter{f: f, sheet: sheet}
	w.put(1, 1, title, st.title)
	w.put(2, 1, "主办单位", st.header)
	for j, h := range SuggestionStatsHeaders {
		w.put(2, j+2, h, st.header)
	}
	rates := len(SuggestionStatsHeaders) - 7
	row := 3
	put := func(name string, c lianluo.SuggestionCounts) {
		w.set(row, 1, name)
		for j, v := range suggestionCells(c) {
			if v == nil {
				continue
			}
			w.set(row, j+2, v)
			if j >= rates && w.err == nil {
				cell, _ := excelize.CoordinatesToCellName(j+2, row)
				w.err = f.SetCellStyle(sheet, cell, cell, pctStyle)
			}
		}
		row++
	}
	for _, u := range res.Units {
		put(u.UnitName, u.SuggestionCounts)
	}
	put("合计", res.Totals)
	if !res.UnitsOnly {
		row++
		w.put(row, 1, "议案", st.header)
		for j, h := range []string{"提出", "列入大会议程", "表决通过", "转为建议"} {
			w.put(row, j+2, h, st.header)
		}
		row++
		for j, v := range []int{res.Bills.Proposed, res.Bills.OnAgenda, res.Bills.Passed, res.Bills.Converted} {
			w.set(row, j+2, v)
		}
	}
	if w.err == nil {
		w.err = f.SetColWidth(sheet, "A", "A", 28)
	}
	if w.err == nil {
		last, _ := excelize.ColumnNumberToName(len(SuggestionStatsHeaders) + 1)
		w.err = f.SetColWidth(sheet, "B", last, 11)
	}
	if w.err != nil {
		return nil, w.err
	}

	const list = "建议清单"
	if _, err := f.NewSheet(list); err != nil {
		return nil, err
	}
	l := &cellWriter{f: f, sheet: list}
	for j, h := range SuggestionListHeaders {
		l.put(1, j+1, h, st.header)
	}
	for i, s := range res.Suggestions {
		key := ""
		if s.Key {
			key = "是"
		}
		result := s.Result
		if result != "" {
			result += " " + lianluo.SuggestionResults[result]
		}
		for j, v := range []string{s.NumberText, s.Title, s.LeadDeputy, s.LeadUnit, lianluo.StatusNames[s.Status], result, lianluo.RatingNames[s.Rating], key} {
			l.put(i+2, j+1, v, 0)
		}
	}
	if l.err == nil {
		l.err = f.SetColWidth(list, "B", "B", 40)
	}
	if l.err == nil {
		l.err = f.SetColWidth(list, "C", "G", 16)
	}
	if l.err != nil {
		return nil, l.err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ExportSuggestionStats writes the figures f selects for the caller and
// records the export; it returns the file's name and its bytes.
func ExportSuggestionStats(ctx context.Context, svc lianluo.Services, f lianluo.SuggestionStatsFilter) (string, []byte, error) {
	res, err := svc.SuggestionStats.SuggestionStats(ctx, f)
	if err != nil {
		return "", nil, err
	}
	title := res.Title + "代表建议办理情况统计"
	b, err := SuggestionStats(title, res)
	if err != nil {
		return "", nil, err
	}
	if err := svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return "", nil, err
	}
	return title + ".xlsx", b, nil
}
