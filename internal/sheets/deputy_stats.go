package sheets

import (
	"context"
	"fmt"

	"lianluo"

	"github.com/xuri/excelize/v2"
)

// DeputyStatsHeaders are the columns of the deputies' ranking (履职积分);
// the score items' subtotals follow, one column each.
var DeputyStatsHeaders = []string{"排名", "代表", "联络站", "应参加接待", "接待出席", "接待请假", "接待缺席",
	"受邀参加活动", "活动出席", "活动请假", "活动缺席", "述职", "民情日记（已确认）", "收集意见", "意见已办结", "履职登记（已确认）", "代表建议、议案", "积分"}

// DeputyStats writes the deputies' year (lianluo.DeputyStatsRow) as a
// workbook: a title row, the headers, one row per deputy in rank order,
// every count a number, then the points of each score item; a second sheet
// lists the scoring table used.
func DeputyStats(title string, rows []lianluo.DeputyStatsRow, table lianluo.Scoring) ([]byte, error) {
	b := ranking{sheet: "代表履职积分", title: title, headers: append([]string{}, DeputyStatsHeaders...),
		widths: map[int]float64{1: 12, 2: 30}, rules: "积分标准", ruleHeaders: []string{"项目", "计分单位", "分值"}}
	for _, it := range table.Items {
		b.headers = append(b.headers, it.Name+"（得分）")
		b.ruleRows = append(b.ruleRows, []any{it.Name, it.Unit, it.Points})
	}
	for _, r := range rows {
		vals := []any{r.Rank, r.Name, r.Stations, r.Scheduled, r.Present, r.Leave, r.Absent,
			r.Activities, r.ActivitiesPresent, r.ActivitiesLeave, r.ActivitiesAbsent, r.Reports, r.DiaryConfirmed,
			r.OpinionsReceived, r.OpinionsClosed, r.DutyRecords, r.Suggestions, r.Score}
		for _, p := range r.Breakdown {
			vals = append(vals, p.Subtotal)
		}
		b.rows = append(b.rows, vals)
	}
	return b.write()
}

// set writes a value of any kind (numbers stay numbers).
func (w *cellWriter) set(row, col int, v any) {
	if w.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = w.f.SetCellValue(w.sheet, cell, v)
	}
	w.err = err
}

// newBook starts a workbook whose first sheet is named sheet, with the
// common styles.
func newBook(sheet string) (*excelize.File, styles, error) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err == nil {
		err = f.SetSheetName("Sheet1", sheet)
	}
	if err != nil {
		f.Close()
		return nil, st, err
	}
	return f, st, nil
}

// ExportDeputyStats writes the ranking f selects (the caller's scope) with
// the scoring table, and records the export. It returns the file's name and
// its bytes.
func ExportDeputyStats(ctx context.Context, svc lianluo.Services, f lianluo.AttendanceFilter) (string, []byte, error) {
	rows, err := svc.Stats.DeputyStats(ctx, f)
	if err != nil {
		return "", nil, err
	}
	table, err := svc.Settings.Scoring(ctx)
	if err != nil {
		return "", nil, err
	}
	title := fmt.Sprintf("%d年代表履职积分", f.Year)
	if f.StationID != 0 {
		st, err := svc.Stations.FindStationByID(ctx, f.StationID)
		if err != nil {
			return "", nil, err
		}
		title = st.Name + title
	}
	b, err := DeputyStats(title, rows, table)
	if err != nil {
		return "", nil, err
	}
	if err := svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return "", nil, err
	}
	return title + ".xlsx", b, nil
}
