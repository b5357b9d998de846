package api

import (
	"bytes"
	"net/http"
	"strings"

	"lianluo"
	"lianluo/internal/sheets"
)

// ledger answers GET /api/v1/ledgers/{book} and, for a book named
// "….xlsx", the same book as a workbook (a path wildcard is a whole
// segment, so one route serves both).
func (h *Handler) ledger(w http.ResponseWriter, r *http.Request) error {
	book, xlsx := strings.CutSuffix(r.PathValue("book"), ".xlsx")
	q := query{r: r}
	lq, err := lianluo.ParseLedgerQuery(book, q.str("station_id"), q.str("group_id"), q.str("deputy_id"), q.str("year"))
	if err != nil {
		return err
	}
	l, err := h.svc.Ledgers.Ledger(r.Context(), lq)
	if err != nil {
		return err
	}
	if !xlsx {
		return writeJSON(w, http.StatusOK, l)
	}
	var buf bytes.Buffer
	if err := sheets.WriteLedger(&buf, l); err != nil {
		return err
	}
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityLedger, l.Scope.ID, lianluo.AuditExport, "导出"+l.FullTitle()+"（Excel）"); err != nil {
		return err
	}
	return writeXLSX(w, l.FullTitle()+".xlsx", buf.Bytes())
}
