package sheets

import "github.com/xuri/excelize/v2"

// ranking is a ranking workbook (代表履职积分, 联络站评分): a title row, the
// headers, one row of values per ranked record (numbers stay numbers), the
// rank and name frozen; then a sheet with the table the ranking was
// computed under, so that a printed ranking explains itself.
type ranking struct {
	sheet, title string
	headers      []string
	widths       map[int]float64 // by column, from 0; 10 where not given
	rows         [][]any
	rules        string // the second sheet's name
	ruleHeaders  []string
	ruleRows     [][]any
}

func (b ranking) write() (_ []byte, err error) {
	f, st, err := newBook(b.sheet)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := &cellWriter{f: f, sheet: b.sheet}
	w.put(1, 1, b.title, st.title)
	for j, h := range b.headers {
		w.put(2, j+1, h, st.header)
		col, _ := excelize.ColumnNumberToName(j + 1)
		width, ok := b.widths[j]
		if !ok {
			width = 10
		}
		if w.err == nil {
			w.err = f.SetColWidth(b.sheet, col, col, width)
		}
	}
	for i, vals := range b.rows {
		for j, v := range vals {
			w.set(i+3, j+1, v)
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	if err := f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: 2, XSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(b.rules); err != nil {
		return nil, err
	}
	r := &cellWriter{f: f, sheet: b.rules}
	for j, h := range b.ruleHeaders {
		r.put(1, j+1, h, st.header)
	}
	for i, vals := range b.ruleRows {
		for j, v := range vals {
			r.set(i+2, j+1, v)
		}
	}
	if r.err == nil {
		r.err = f.SetColWidth(b.rules, "A", "A", 30)
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
