package sheets

import (
	"io"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// WriteLedger writes a book (台账) as a workbook: one sheet named after the
// book, the full title in the first row, the column headings in the
// second, one row per entry with the text wrapped, the widths of the paper
// book, and the page set up for printing as the book is (A4, landscape
// where the columns need it, the headings repeated on every page).
func WriteLedger(w io.Writer, l *lianluo.Ledger) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := l.Title
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	cw := &cellWriter{f: f, sheet: sheet}
	cw.put(1, 1, l.FullTitle(), st.title)
	for j, c := range l.Columns {
		cw.put(2, j+1, c.Name, st.header)
	}
	for i, r := range l.Rows {
		for j, c := range l.Columns {
			cw.put(i+3, j+1, r[c.Key], st.wrap)
		}
	}
	if cw.err != nil {
		return cw.err
	}
	for j, c := range l.Columns {
		col, err := excelize.ColumnNumberToName(j + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, c.Width*1.8); err != nil { // a Chinese character is about two widths
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	orientation, size := "portrait", 9 // 9: A4
	if l.Landscape {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$2:$2", Scope: sheet}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
