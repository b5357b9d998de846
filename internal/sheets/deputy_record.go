package sheets

import (
	"context"
	"fmt"
	"strings"

	"lianluo"
)

// DeputyRecord writes a deputy's 履职档案 as a workbook of one sheet: the
// title, the deputy, then each part as a small table, numbers as numbers.
func DeputyRecord(rec *lianluo.DeputyRecord) (_ []byte, err error) {
	const sheet = "履职档案"
	f, st, err := newBook(sheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := &cellWriter{f: f, sheet: sheet}
	row := 1
	line := func(vals ...any) {
		for j, v := range vals {
			w.set(row, j+1, v)
		}
		row++
	}
	head := func(vals ...string) {
		for j, v := range vals {
			w.put(row, j+1, v, st.header)
		}
		row++
	}
	d := rec.Deputy
	title := fmt.Sprintf("%s代表%d年度履职档案", d.Name, rec.Year)
	if rec.Partial {
		title += "（截至目前）"
	}
	w.put(row, 1, title, st.title)
	row += 2
	var stations []string
	for _, s := range d.Stations {
		stations = append(stations, s.Name)
	}
	line("姓名", d.Name)
	line("代表职务", rec.Seats)
	line("工作单位", d.WorkUnit)
	line("进站联络站", strings.Join(stations, "、"))
	row++
	head("项目", "应参加", "出席", "请假", "缺席")
	line("进站接待选民", rec.Receptions.Held, rec.Receptions.Present, rec.Receptions.Leave, rec.Receptions.Absent)
	line("代表活动（合计）", rec.Activities.Held, rec.Activities.Present, rec.Activities.Leave, rec.Activities.Absent)
	for _, k := range rec.ActivityKinds {
		line("　"+k.Name, k.Held, k.Present, k.Leave, k.Absent)
	}
	row++
	head("民情日记（已确认）", "篇数", "达到每月5篇")
	for m, n := range rec.DiaryMonths {
		met := "否"
		if rec.DiaryMonthMet(m) {
			met = "是"
		}
		line(fmt.Sprintf("%d月", m+1), n, met)
	}
	line("全年（应不少于60篇）", rec.DiaryYear)
	row++
	head("收集的群众意见", "件数")
	line("当年受理", rec.Opinions)
	for _, s := range rec.OpinionsBy {
		line("　"+s.Name, s.Count)
	}
	row++
	head("向选民述职", "日期")
	for _, r := range rec.Reports {
		line(r.Title, r.Date)
	}
	if len(rec.Reports) == 0 {
		line("本年度未述职")
	}
	if so := rec.SixOnes; so != nil {
		row++
		head("“六个一”", "完成", "要求", "情况")
		for _, it := range so.Items {
			state := "未完成"
			if it.Met {
				state = "已完成"
			}
			line(it.Name, it.Done, it.Required, state)
		}
	}
	line("提出代表建议、议案（领衔或联名）", rec.Suggestions)
	line("经确认的履职登记", rec.DutyRecords)
	for _, d := range rec.Duties {
		line("　"+d.Date+" "+d.Kind, d.Description)
	}
	row++
	head("履职积分", "次数", "分值", "得分")
	for _, p := range rec.Breakdown {
		line(p.Name, p.Count, p.Points, p.Subtotal)
	}
	line("合计", "", "", rec.Score)
	if w.err != nil {
		return nil, w.err
	}
	for col, width := range map[string]float64{"A": 44, "B": 24, "C": 12, "D": 12, "E": 12} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ExportDeputyRecord writes the deputy's 履职档案 for the year as the
// caller may read it, and records the export (console and API alike). It
// returns the file's name and its bytes.
func ExportDeputyRecord(ctx context.Context, svc lianluo.Services, id int64, year int) (string, []byte, error) {
	rec, err := svc.Deputies.DeputyRecord(ctx, id, year)
	if err != nil {
		return "", nil, err
	}
	b, err := DeputyRecord(rec)
	if err != nil {
		return "", nil, err
	}
	title := fmt.Sprintf("%s代表%d年度履职档案", rec.Deputy.Name, year)
	if err := svc.Events.RecordEvent(ctx, lianluo.EntityDeputy, id, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return "", nil, err
	}
	return title + ".xlsx", b, nil
}
