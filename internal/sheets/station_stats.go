package sheets

import (
	"context"
	"fmt"
	"math"

	"lianluo"
)

// StationStatsHeaders are the columns of the stations' ranking (星级联络站
// 评定); each rating item's rate and points follow, two columns each.
var StationStatsHeaders = []string{"排名", "联络站", "应举行接待", "举行接待", "应到人次", "出席人次",
	"组织活动", "活动邀请人次", "活动出席人次", "受理意见", "有回音", "已评价", "满意", "已过周数", "开箱周数", "达标标准", "标准项数", "得分", "等级"}

// StationStats writes the stations' year (lianluo.StationStatsRow) as a
// workbook: a title row, the headers, one row per station in rank order,
// every count a number, then each item's rate (percent, empty where not
// measured) and points; a second sheet lists the weights used.
func StationStats(title string, rows []lianluo.StationStatsRow, table lianluo.StationRating) ([]byte, error) {
	b := ranking{sheet: "联络站评分", title: title, headers: append([]string{}, StationStatsHeaders...),
		widths: map[int]float64{1: 30}, rules: "评分标准", ruleHeaders: []string{"项目", "权重"}}
	for _, it := range table.Items {
		b.headers = append(b.headers, it.Name+"（%）", it.Name+"（得分）")
		b.ruleRows = append(b.ruleRows, []any{it.Name, it.Weight})
	}
	b.ruleRows = append(b.ruleRows, []any{"绿（先进）分数线", table.Green}, []any{"黄（合格）分数线", table.Yellow})
	for _, r := range rows {
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
		b.rows = append(b.rows, vals)
	}
	return b.write()
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
