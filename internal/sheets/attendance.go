package sheets

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// AttendanceHeaders are the columns of the attendance workbook (代表出勤).
var AttendanceHeaders = []string{"代表", "进站联络站", "应参加", "出席", "请假", "缺席", "出席率"}

// Attendance writes a year's attendance table (002: 每年年底将人大代表进站
// 出席活动情况进行统计) as a workbook: a title row, the headers, one row per
// deputy. The rate is a percentage number, so offices can sort and sum.
func Attendance(title string, rows []lianluo.AttendanceRow) (_ []byte, err error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	const sheet = "代表出勤"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return nil, err
	}
	widths := []float64{14, 36, 10, 10, 10, 10, 10}
	for j, w := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", st.title); err != nil {
		return nil, err
	}
	for j, h := range AttendanceHeaders {
		cell, _ := excelize.CoordinatesToCellName(j+1, 2)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(sheet, "A2", "G2", st.header); err != nil {
		return nil, err
	}
	for i, r := range rows {
		n := i + 3
		set := func(col string, v any) {
			if err == nil {
				err = f.SetCellValue(sheet, fmt.Sprintf("%s%d", col, n), v)
			}
		}
		set("A", r.Name)
		set("B", r.Stations)
		set("C", r.Scheduled)
		set("D", r.Present)
		set("E", r.Leave)
		set("F", r.Absent)
		if r.Scheduled > 0 {
			set("G", float64(r.Present)/float64(r.Scheduled))
		} else {
			set("G", "—")
		}
		if err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sheet, fmt.Sprintf("G%d", n), fmt.Sprintf("G%d", n), pct); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	// Activities (代表活动) on their own sheet: the first keeps its columns.
	if err := activitySheet(f, &st, title, rows); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ActivityHeaders are the columns of the activities sheet (代表活动出勤).
var ActivityHeaders = []string{"代表", "受邀参加代表活动", "出席", "请假", "缺席"}

// activitySheet writes the deputies' attendance at activities (视察、调研、
// 学习、代表小组活动…) on a second sheet, one row per deputy invited to any.
func activitySheet(f *excelize.File, st *styles, title string, rows []lianluo.AttendanceRow) (err error) {
	const sheet = "代表活动"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	for j, w := range []float64{14, 18, 10, 10, 10} {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetCellStr(sheet, "A1", title+"（代表活动）"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", st.title); err != nil {
		return err
	}
	for j, h := range ActivityHeaders {
		cell, _ := excelize.CoordinatesToCellName(j+1, 2)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A2", "E2", st.header); err != nil {
		return err
	}
	n := 3
	for _, r := range rows {
		if r.Activities == 0 {
			continue
		}
		for j, v := range []any{r.Name, r.Activities, r.ActivitiesPresent, r.ActivitiesLeave, r.ActivitiesAbsent} {
			cell, _ := excelize.CoordinatesToCellName(j+1, n)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
		}
		n++
	}
	return nil
}
