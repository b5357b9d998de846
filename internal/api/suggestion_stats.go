package api

import (
	"net/http"

	"lianluo"
	"lianluo/internal/sheets"
)

// suggestionStatsFilter reads ?session_id=, or ?org_id=&year= for the
// suggestions an NPC body received between sessions in a year.
func (h *Handler) suggestionStatsFilter(r *http.Request) (lianluo.SuggestionStatsFilter, error) {
	q := query{r: r}
	f := lianluo.SuggestionStatsFilter{SessionID: q.int64("session_id"), OrgID: q.int64("org_id"), Year: int(q.int64("year"))}
	if q.err != nil {
		return f, q.err
	}
	if f.SessionID == 0 && f.OrgID > 0 && f.Year == 0 {
		f.Year = h.now().In(lianluo.Beijing).Year()
	}
	return f, nil
}

// suggestionStats answers GET /api/v1/stats/suggestions (docs/suggestions.md).
func (h *Handler) suggestionStats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.suggestionStatsFilter(r)
	if err != nil {
		return err
	}
	res, err := h.svc.SuggestionStats.SuggestionStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// suggestionStatsSheet answers GET /api/v1/stats/suggestions.xlsx: the same
// figures as a workbook, the export on the audit trail.
func (h *Handler) suggestionStatsSheet(w http.ResponseWriter, r *http.Request) error {
	f, err := h.suggestionStatsFilter(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportSuggestionStats(r.Context(), h.svc, f)
	if err != nil {
		return err
	}
	return writeXLSX(w, name, b)
}
