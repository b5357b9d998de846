package sheets

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// instructionsSheet is the name of the second sheet of every workbook.
const instructionsSheet = "填写说明"

// book writes a workbook: the data sheet with the columns and rows (one
// value per column: string, or int64 for 编号), then the instructions.
func (k *kind) book(cols []column, rows [][]any) (_ []byte, err error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	sheet := k.title
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	for j, c := range cols {
		name, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sheet, name, name, c.width); err != nil {
			return nil, err
		}
		// Text format on the whole column: what users type there later
		// stays text too, so 330206001 keeps its digits and 0574 its zero.
		if c.text {
			if err := f.SetColStyle(sheet, name, st.text); err != nil {
				return nil, err
			}
		}
		if err := f.SetCellStr(sheet, name+"1", c.header()); err != nil {
			return nil, err
		}
		style := st.header
		if c.required {
			style = st.requiredHeader
		}
		if err := f.SetCellStyle(sheet, name+"1", name+"1", style); err != nil {
			return nil, err
		}
		if len(c.choices) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", name, name, MaxRows+1))
			if err := dv.SetDropList(c.choices); err != nil {
				return nil, err
			}
			// A warning, not a refusal: the import accepts a few other
			// spellings ("男性", "资格终止") too.
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.title, "请从下拉列表中选择："+strings.Join(c.choices, "、"))
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetRowHeight(sheet, 1, 24); err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			switch v := v.(type) {
			case string:
				if v != "" {
					err = f.SetCellStr(sheet, cell, v)
				}
			case int64:
				err = f.SetCellInt(sheet, cell, v)
			default:
				err = fmt.Errorf("sheets: unexpected cell value %T", v)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := k.instructions(f, st); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type styles struct {
	header, requiredHeader, text, title, wrap, tableHeader int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	for _, x := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill, Border: border, Alignment: center, NumFmt: 49}},
		{&s.requiredHeader, excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Fill: fill, Border: border, Alignment: center, NumFmt: 49}},
		{&s.text, excelize.Style{NumFmt: 49}}, // "@": text
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}},
		{&s.tableHeader, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill, Border: border}},
	} {
		id, err := f.NewStyle(&x.style)
		if err != nil {
			return s, err
		}
		*x.id = id
	}
	return s, nil
}

// instructions writes the "填写说明" sheet: general rules, a table of the
// columns, and one example row laid out as in the data sheet. The example is
// here and not in the data sheet, where it would be imported by mistake.
func (k *kind) instructions(f *excelize.File, st styles) error {
	sh := instructionsSheet
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	w := &cellWriter{f: f, sheet: sh}
	w.put(1, 1, k.title+"导入模板填写说明", st.title)
	notes := []string{
		fmt.Sprintf("1. 在第一个工作表“%s”中从第2行起每行填写一条%s；第1行是表头，列名请勿修改，列的顺序可以调整，不需要的可选列可以删除。", k.title, k.title),
		"2. 表头带 * 的列必须填写。",
		"3. 引用已有记录（机构、联络站、代表、代表小组）时填写其名称；名称有重复时请改填其编号（见导出文件第一列“编号”）。同一表格中，后面的行可以引用前面行新建的记录。",
		fmt.Sprintf("4. 导入是整体进行的：只要有一行有错，就不导入任何记录，并列出所有出错的行号和列名，改正后重新导入即可。空行会被跳过；一次最多导入%d行。", MaxRows),
		"5. 导出的文件与本模板格式相同，可修改后导入；导出文件中的“编号”“状态”等参考列在导入时忽略。",
	}
	if slices.ContainsFunc(k.columns, func(c column) bool { return c.title == "行政区划代码" }) {
		notes[1] += "行政区划代码是国家统计局统计用区划代码（2、4、6、9或12位数字，如 330206004 大碶街道），也可填写右侧补零到12位的代码。"
	}
	notes = append(notes, k.notes...)
	row := 3
	for _, n := range notes {
		w.put(row, 1, n, 0)
		row++
	}
	row++
	for j, h := range []string{"列名", "是否必填", "填写说明", "示例"} {
		w.put(row, j+1, h, st.tableHeader)
	}
	row++
	cols := k.templateColumns()
	for _, c := range cols {
		req := "选填"
		if c.required {
			req = "必填"
		}
		w.put(row, 1, c.header(), st.wrap)
		w.put(row, 2, req, st.wrap)
		w.put(row, 3, c.note, st.wrap)
		w.put(row, 4, c.example, st.wrap)
		row++
	}
	row++
	w.put(row, 1, "填写示例（仅供参考，请在第一个工作表中填写，本表内容不会被导入）：", st.tableHeader)
	row++
	for j, c := range cols {
		w.put(row, j+1, c.header(), st.tableHeader)
		w.put(row+1, j+1, c.example, st.wrap)
	}
	if w.err != nil {
		return w.err
	}
	widths := []float64{22, 10, 60, 34}
	for j := range max(len(cols), len(widths)) {
		name, _ := excelize.ColumnNumberToName(j + 1)
		width := 18.0
		if j < len(widths) {
			width = widths[j]
		}
		if err := f.SetColWidth(sh, name, name, width); err != nil {
			return err
		}
	}
	return nil
}

// cellWriter writes strings and keeps the first error.
type cellWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *cellWriter) put(row, col int, v string, style int) {
	if w.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = w.f.SetCellStr(w.sheet, cell, v)
	}
	if err == nil && style != 0 {
		err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
	w.err = err
}
