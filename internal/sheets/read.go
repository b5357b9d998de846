package sheets

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// headerScan is how many rows from the top are searched for the header:
// offices often put a title row ("北仑区人大代表名册") above it.
const headerScan = 10

// unzipLimit bounds what a workbook may expand to when opened, against zip
// bombs; the caller separately limits the size of the upload.
const unzipLimit = 256 << 20

// record is one non-blank data row of a sheet.
type record struct {
	line  int               // the Excel row number, as the user sees it
	cells map[string]string // column title → trimmed value, for every import column
}

// get returns the value in the column titled title. Asking for a column the
// kind does not have is a bug in this package.
func (r record) get(title string) string {
	v, ok := r.cells[title]
	if !ok {
		panic("sheets: no column " + title)
	}
	return v
}

var errTooMany = errors.New("too many rows")

// read opens the workbook and returns the data rows of its first sheet.
func (k *kind) read(r io.Reader) ([]record, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, fileError("无法读取文件，请上传Excel工作簿（.xlsx）。旧版.xls文件请先在Excel或WPS中另存为.xlsx；文件不能设置打开密码。")
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return nil, fileError("文件中没有工作表。")
	}
	sheet := list[0]
	// Cells are read twice: formatted, as the user sees them, and raw. Codes
	// and phone numbers typed as numbers take the raw value, because a
	// number format (scientific, "0.00") would lose or add digits.
	shown, err := readRows(f, sheet, false)
	if err == nil {
		var raw [][]string
		raw, err = readRows(f, sheet, true)
		shown = mergeRaw(k, shown, raw)
	}
	if errors.Is(err, errTooMany) {
		return nil, fileError("表格超过%d行，请分批导入。", MaxRows)
	} else if err != nil {
		return nil, fileError("无法读取工作表“%s”，请检查文件是否损坏。", sheet)
	}

	head, cols, err := k.findHeader(shown)
	if err != nil {
		return nil, err
	}
	var recs []record
	var bad lianluo.RowErrors
	fillable := k.templateColumns()
	for i := head + 1; i < len(shown); i++ {
		rec := record{line: i + 1, cells: make(map[string]string, len(fillable))}
		blank := true
		for _, c := range fillable {
			rec.cells[c.title] = ""
		}
		for j, v := range shown[i] {
			if j >= len(cols) || cols[j] < 0 {
				continue
			}
			c := k.columns[cols[j]]
			if c.exportOnly {
				continue
			}
			v = clean(v)
			if err := lianluo.CheckText(c.title, v); err != nil {
				// PostgreSQL cannot store it; Excel writes a NUL as _x0000_.
				bad = append(bad, lianluo.RowError{Row: rec.line, Field: c.title,
					Message: fmt.Sprintf("工作表“%s”第%d行：%s", sheet, rec.line, lianluo.ErrorMessage(err))})
			}
			rec.cells[c.title] = v
			if v != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		if len(recs) == MaxRows {
			return nil, fileError("表格超过%d行，请分批导入。", MaxRows)
		}
		recs = append(recs, rec)
	}
	if len(bad) > 0 {
		return nil, k.sorted(bad)
	}
	return recs, nil
}

// readRows reads a sheet's rows, row i at index i-1. It stops with
// errTooMany well before memory is at risk: past MaxRows non-blank rows and
// the few the header may take.
func readRows(f *excelize.File, sheet string, raw bool) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	nonBlank := 0
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, err
		}
		if !isBlank(cols) {
			nonBlank++
			if nonBlank > MaxRows+headerScan {
				return nil, errTooMany
			}
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	// Trailing blank rows (formatted but empty) are not data.
	for len(out) > 0 && isBlank(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out, nil
}

func isBlank(cols []string) bool {
	for _, c := range cols {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

// mergeRaw replaces, in the columns of the kind marked text, the formatted
// value by the raw one written out in plain digits. Which column is which
// is known only from the header, so every column whose header (in the first
// rows) is a text column's takes part.
func mergeRaw(k *kind, shown, raw [][]string) [][]string {
	if len(raw) != len(shown) {
		return shown
	}
	head, cols, err := k.findHeader(shown)
	if err != nil {
		return shown
	}
	for i := head + 1; i < len(shown); i++ {
		for j := range shown[i] {
			if j < len(cols) && cols[j] >= 0 && k.columns[cols[j]].text && j < len(raw[i]) {
				shown[i][j] = plainNumber(raw[i][j])
			}
		}
	}
	return shown
}

// plainNumber writes a raw numeric cell value in plain digits: Excel and
// other writers store 330206001 as "330206001" or "3.30206001E8", and a
// phone number may come as "13800001111.0". Other text is returned as is.
func plainNumber(s string) string {
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) >= 1e15 {
		return s
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// clean trims spaces, including the full-width space and no-break space
// that pasted text brings along.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0' || r == '\ufeff'
	})
}

// headerKey normalises a header for matching: no spaces or required marks,
// full-width brackets.
func headerKey(s string) string {
	s = strings.NewReplacer("*", "", "＊", "", " ", "", "\u3000", "", "\n", "", "\r", "", "(", "（", ")", "）").Replace(s)
	return clean(s)
}

// findHeader finds the header row among the first rows: the first row that
// has every required column. cols maps each sheet column to an index in
// k.columns, or -1 for a column the kind does not know.
func (k *kind) findHeader(rows [][]string) (int, []int, error) {
	byKey := map[string]int{}
	for i, c := range k.columns {
		byKey[headerKey(c.title)] = i
		for _, a := range c.aliases {
			byKey[headerKey(a)] = i
		}
	}
	best, bestMatched := -1, 0
	for i := 0; i < len(rows) && i < headerScan; i++ {
		cols := make([]int, len(rows[i]))
		seen := map[int]bool{}
		matched := 0
		for j, h := range rows[i] {
			cols[j] = -1
			if idx, ok := byKey[headerKey(h)]; ok && !seen[idx] {
				cols[j], seen[idx] = idx, true
				matched++
			}
		}
		missing := k.missing(seen)
		if len(missing) == 0 {
			return i, cols, nil
		}
		if matched > bestMatched {
			best, bestMatched = i, matched
		}
	}
	if best < 0 {
		return 0, nil, fileError("没有找到表头：第一个工作表的第1行应为“%s”等列名，请使用%s导入模板。",
			strings.Join(k.requiredHeaders(), "”“"), k.title)
	}
	seen := map[int]bool{}
	for _, h := range rows[best] {
		if idx, ok := byKey[headerKey(h)]; ok {
			seen[idx] = true
		}
	}
	return 0, nil, fileError("表格缺少必填列：%s。请使用%s导入模板。", strings.Join(k.missing(seen), "、"), k.title)
}

// missing lists the titles of required columns not in seen.
func (k *kind) missing(seen map[int]bool) []string {
	var out []string
	for i, c := range k.columns {
		if c.required && !seen[i] {
			out = append(out, c.title)
		}
	}
	return out
}

func (k *kind) requiredHeaders() []string {
	var out []string
	for _, c := range k.columns {
		if c.required {
			out = append(out, c.header())
		}
	}
	return out
}
