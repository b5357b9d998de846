package api

import (
	"bytes"
	"net/http"
	"net/url"

	"lianluo"
	"lianluo/internal/sheets"
)

// Excel exports of the statistics and of the cases (docs/statistics.md,
// "Exports").

// caseStatsSheet answers GET /api/v1/stats/cases.xlsx: the table of
// GET /api/v1/stats/cases as a workbook, same parameters, same permission.
func (h *Handler) caseStatsSheet(w http.ResponseWriter, r *http.Request) error {
	f, err := statsFilter(r, h.now())
	if err != nil {
		return err
	}
	res, err := h.svc.Stats.CaseStats(r.Context(), f)
	if err != nil {
		return err
	}
	title, err := sheets.CaseStatsTitle(r.Context(), h.svc, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheets.WriteCaseStats(&buf, title, f.GroupBy, res); err != nil {
		return err
	}
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return writeXLSX(w, sheets.CaseStatsFilename(f.Period), buf.Bytes())
}

// exportCases answers GET /api/v1/exports/cases: every case of the list's
// filters in the caller's scope, as a workbook streamed from the store.
func (h *Handler) exportCases(w http.ResponseWriter, r *http.Request) error {
	f, err := caseFilter(r)
	if err != nil {
		return err
	}
	now := h.now().In(lianluo.Beijing)
	book, err := sheets.NewCaseBook("群众意见导出（" + f.Text() + "，" + now.Format("2006-01-02 15:04") + "导出）")
	if err != nil {
		return err
	}
	defer book.Close()
	if _, err := h.svc.Cases.EachCaseForExport(r.Context(), f, book.Add); err != nil {
		return err
	}
	// Nothing is sent before the rows are read and the export audited, so
	// an error above is still an ordinary JSON error.
	setXLSXHeaders(w, "群众意见_"+now.Format("20060102")+".xlsx")
	_, err = book.WriteTo(w)
	return err
}

func setXLSXHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
}
