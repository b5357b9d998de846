package sheets

import (
	"archive/zip"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// CaseHeaders are the columns of the case export (意见导出), in order.
var CaseHeaders = []string{"编号", "受理日期", "渠道", "联络站", "地区", "类别", "标题", "内容", "状态",
	"主办单位", "办理期限", "答复结果", "代表测评", "群众测评", "查询码", "反映人"}

var caseWidths = []float64{9, 12, 10, 26, 14, 14, 30, 60, 12, 22, 12, 40, 10, 10, 14, 16}

// CaseBook is a case export being written. Rows go through excelize's
// StreamWriter, which keeps them in a temporary file once they pass a few
// megabytes (excelize.StreamChunkSize) and writes strings inline rather
// than in a shared-string table, so a million rows take the memory of one
// chunk, not of the workbook. Add the rows, then WriteTo; Close always.
type CaseBook struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewCaseBook starts a case export with a title row ("大碶街道 群众意见导出
// 2026-12-06") and the headers.
func NewCaseBook(title string) (_ *CaseBook, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	const sheet = "意见"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for j, w := range caseWidths {
		if err := sw.SetColWidth(j+1, j+1, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: title}}); err != nil {
		return nil, err
	}
	head := make([]any, len(CaseHeaders))
	for j, h := range CaseHeaders {
		head[j] = excelize.Cell{StyleID: st.tableHeader, Value: h}
	}
	if err := sw.SetRow("A2", head); err != nil {
		return nil, err
	}
	return &CaseBook{f: f, sw: sw, row: 2}, nil
}

// Add writes one case. Its signature fits lianluo.CaseService.EachCaseForExport.
func (b *CaseBook) Add(r *lianluo.CaseExportRow) error {
	b.row++
	cell, err := excelize.CoordinatesToCellName(1, b.row)
	if err != nil {
		return err
	}
	reply := ""
	if r.ReplyResult != "" {
		reply = r.ReplyResult + "类（" + lianluo.ReplyResults[r.ReplyResult] + "）"
		if r.ReplyContent != "" {
			reply += "：" + r.ReplyContent
		}
	}
	due := ""
	if r.DueDate != nil {
		due = bjDate(*r.DueDate)
	}
	// Dates as text (2026-03-02): a Beijing date, sortable as it stands,
	// and not shifted by the reader's time zone.
	return b.sw.SetRow(cell, []any{
		r.ID, bjDate(r.RegisteredAt), nameOr(lianluo.ChannelNames, r.Channel), r.StationName, r.RegionName, r.Category,
		r.Title, r.Content, nameOr(lianluo.StatusNames, r.Status), r.LeadUnit, due, reply,
		lianluo.RatingNames[r.DeputyRating], lianluo.RatingNames[r.VoterRating], r.TrackingCode, r.Submitter,
	})
}

// Rows is how many cases were added.
func (b *CaseBook) Rows() int { return b.row - 2 }

// WriteTo finishes the workbook and writes it to w as it is compressed.
//
// excelize's own WriteTo builds the whole .xlsx in a bytes.Buffer first
// (WriteToBuffer), which for a million rows is 150 MB of zip grown by
// doubling — more than the rows ever took (BENCHMARKS.md). Its zip writer
// hook (SetZipWriter) is handed that buffer; ours ignores it and compresses
// straight into w, so the buffer stays empty. What is lost is excelize's
// patch of the local headers of entries over 4 GB uncompressed
// (writeZip64LFH, for old Excel versions); archive/zip itself writes valid
// zip64, and a sheet that size is some ten million rows.
func (b *CaseBook) WriteTo(w io.Writer) (int64, error) {
	if err := b.sw.Flush(); err != nil {
		return 0, err
	}
	cw := &countWriter{w: w}
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(cw) })
	_, err := b.f.WriteToBuffer()
	return cw.n, err
}

// countWriter counts what passes through, for io.WriterTo.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Close removes the temporary files.
func (b *CaseBook) Close() error { return b.f.Close() }

func nameOr[K ~string](names map[K]string, k K) string {
	if n, ok := names[k]; ok {
		return n
	}
	return string(k)
}

func bjDate(t time.Time) string { return t.In(lianluo.Beijing).Format(time.DateOnly) }
