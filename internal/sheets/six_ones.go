package sheets

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// SixOnes writes the region view of 六个一 (docs/duty-records.md): a sheet
// of deputies and a sheet of deputy groups, one row each, each item 已完成
// or 未完成 with its done/required, and the number of items met.
func SixOnes(title string, deputies, groups []*lianluo.SixOnes) (_ []byte, err error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	sheets := []struct {
		name, who string
		whose     string
		rows      []*lianluo.SixOnes
	}{
		{"代表", "代表", lianluo.SixOnesDeputy, deputies},
		{"代表小组", "代表小组", lianluo.SixOnesGroup, groups},
	}
	for i, s := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			return nil, err
		}
		headers := []string{s.who}
		for _, r := range lianluo.SixOneRules[s.whose] {
			headers = append(headers, r.Name)
		}
		headers = append(headers, "完成项数")
		last, _ := excelize.ColumnNumberToName(len(headers))
		if err := f.SetColWidth(s.name, "A", "A", 18); err != nil {
			return nil, err
		}
		if err := f.SetColWidth(s.name, "B", last, 16); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(s.name, "A1", title); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(s.name, "A1", "A1", st.title); err != nil {
			return nil, err
		}
		for j, h := range headers {
			cell, _ := excelize.CoordinatesToCellName(j+1, 2)
			if err := f.SetCellStr(s.name, cell, h); err != nil {
				return nil, err
			}
		}
		if err := f.SetCellStyle(s.name, "A2", last+"2", st.header); err != nil {
			return nil, err
		}
		for i, x := range s.rows {
			values := []string{x.Name}
			for _, it := range x.Items {
				state := "未完成"
				if it.Met {
					state = "已完成"
				}
				values = append(values, fmt.Sprintf("%s（%d/%d）", state, it.Done, it.Required))
			}
			values = append(values, fmt.Sprintf("%d/%d", x.Met(), len(x.Items)))
			for j, v := range values {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+3)
				if err := f.SetCellStr(s.name, cell, v); err != nil {
					return nil, err
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
