package sheets

import (
	"context"
	"fmt"
	"math"

	"lianluo"

	"github.com/xuri/excelize/v2"
)

// StationStatsHeaders are the columns of the stations' ranking (星级联络站
// 评定); each rating item's rate and points follow, two columns each.
var StationStatsHeaders = []string{"排名", "联络站", "应举行接待", "举行接待", "应到人次", "出席人次",
	"组织活动", "活动邀请人次", "活动出席人次", "受理意见", "有回音", "已评价", "满意", "已过周数", "开箱周数", "达标标准", "标准项数", "得分", "等级"}

// StationStats writes the stations' year (lianluo.StationStatsRow) as a
// workbook: a title row, the headers, one row per station in rank order,
// every count a number, then each item's rate (percent, empty where not
// measured) and points; a second sheet lists the weights used.
func StationStats(title string, rows []lianluo.StationStatsRow, table lianluo.StationRating) (_ []byte, err error) {
	const sheet = "联络站评分"
	f, st, err := newBook(sheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	headers := append([]string{}, StationStatsHeaders...)
	for _, it := range table.Items {
		headers = append(headers, it.Name+"（%）", it.Name+"（得分）")
	}
	w := &cellWriter{f: f, sheet: sheet}
	w.put(1, 1, title, st.title)
	for j, h := range headers {
		w.put(2, j+1, h, st.header)
		col, _ := excelize.ColumnNumberToName(j + 1)
		width := 10.0
		if j == 1 {
			width = 30
		}
		if w.err == nil {
			w.err = f.SetColWidth(sheet, col, col, width)
		}
	}
	for i, r := range rows {
		vals := []any{r.Rank, r.Name, r.ReceptionsScheduled, r.ReceptionsHeld, r.ReceptionSeats, r.ReceptionPresent,
			r.Activities, r.ActivityInvited, r.ActivityPresent, r.Cases.Received, r.Cases.Responded, r.Cases.Rated, r.Cases.Satisfied,
			r.MailboxWeeks, r.MailboxWeeksOpened, r.ChecklistDone, r.ChecklistTotal, r.Score, lianluo.GradeNames[r.Grade]}
		for _, p := range r.Breakdown {
			var rate any = ""
			if p.Rate != nil {
				rate = math.Round(*p.Rate*1000) / 10
			}
			vals = append(vals, rate, p.Points)
		}
		for j, v := range vals {
			w.set(i+3, j+1, v)
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, XSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	const rules = "评分标准"
	if _, err := f.NewSheet(rules); err != nil {
		return nil, err
	}
	r := &cellWriter{f: f, sheet: rules}
	for j, h := range []string{"项目", "权重"} {
		r.put(1, j+1, h, st.header)
	}
	for i, it := range table.Items {
		r.put(i+2, 1, it.Name, 0)
		r.set(i+2, 2, it.Weight)
	}
	n := len(table.Items) + 2
	r.put(n, 1, "绿（先进）分数线", 0)
	r.set(n, 2, table.Green)
	r.put(n+1, 1, "黄（合格）分数线", 0)
	r.set(n+1, 2, table.Yellow)
	if r.err == nil {
		r.err = f.SetColWidth(rules, "A", "A", 30)
	}
	if r.err != nil {
		return nil, r.err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ExportStationStats writes the ranking f selects (the caller's scope)
// with the rating table, and records the export. It returns the file's
// name and its bytes.
func ExportStationStats(ctx context.Context, svc lianluo.Services, f lianluo.AttendanceFilter) (string, []byte, error) {
	rows, err := svc.Stats.StationStats(ctx, f)
	if err != nil {
		return "", nil, err
	}
	table, err := svc.Settings.StationRating(ctx)
	if err != nil {
		return "", nil, err
	}
	title := fmt.Sprintf("%d年联络站评分", f.Year)
	b, err := StationStats(title, rows, table)
	if err != nil {
		return "", nil, err
	}
	if err := svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return "", nil, err
	}
	return title + ".xlsx", b, nil
}
